<?php
// matomo-config-sections.php extract CONFIG   print the sections Matomo manages itself
//                                              ([Plugins], [PluginsInstalled]) verbatim
// matomo-config-sections.php assemble BASE SECTIONS
//                                              print BASE, a blank line, then SECTIONS
// Matomo records installed and activated plugins in config.ini.php. The ui node captures those
// sections after the installer or core:update wrote them and stores them in the database, so
// every node can build the same file from the same rendered base.
declare(strict_types=1);

const MANAGED_SECTIONS = ['Plugins', 'PluginsInstalled'];

function fail(string $message): void
{
    fwrite(STDERR, "matomo-config-sections: $message\n");
    exit(1);
}

$command = $argv[1] ?? '';
if ($command === 'extract') {
    $text = @file_get_contents($argv[2] ?? '');
    if ($text === false) {
        fail('cannot read config');
    }
    $sections = [];
    $current = null;
    foreach (preg_split('/\r?\n/', $text) as $line) {
        if (preg_match('/^\[([^\]]+)\]\s*$/', $line, $m)) {
            $current = $m[1];
            continue;
        }
        if ($current !== null && in_array($current, MANAGED_SECTIONS, true) && trim($line) !== '') {
            $sections[$current][] = rtrim($line);
        }
    }
    if (!isset($sections['PluginsInstalled'])) {
        fail('Matomo wrote no [PluginsInstalled] section');
    }
    $out = [];
    foreach (MANAGED_SECTIONS as $name) {
        if (isset($sections[$name])) {
            $out[] = "[$name]\n" . implode("\n", $sections[$name]) . "\n";
        }
    }
    echo implode("\n", $out);
} elseif ($command === 'assemble') {
    $base = @file_get_contents($argv[2] ?? '');
    $sections = @file_get_contents($argv[3] ?? '');
    if ($base === false || $sections === false) {
        fail('cannot read base or sections');
    }
    if ($sections === '') {
        echo $base;
    } else {
        echo rtrim($base, "\n"), "\n\n", rtrim($sections, "\n"), "\n";
    }
} else {
    fail("usage: extract CONFIG | assemble BASE SECTIONS");
}
