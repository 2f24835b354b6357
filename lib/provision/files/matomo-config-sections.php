<?php
// matomo-config-sections.php extract CONFIG   print the sections Matomo manages itself
//                                              ([Plugins], [PluginsInstalled]) verbatim
// matomo-config-sections.php assemble BASE SECTIONS
//                                              print BASE, a blank line, then SECTIONS, once
//                                              SECTIONS holds nothing but plugin lists
// Matomo records installed and activated plugins in config.ini.php. The ui node captures those
// sections after the installer or core:update wrote them and stores them in the database, so
// every node can build the same file from the same rendered base. The stored row is not trusted:
// whoever can write it must not reach a key the renderer owns (Matomo's INI reader lets a later
// section replace the rendered one), so every node checks it here against matomo-config-rules.json,
// shipped beside this script (lib/provision/configRules.ts, from the lists extraConfig uses).
declare(strict_types=1);

const MANAGED_SECTIONS = ['Plugins', 'PluginsInstalled'];
// The database option that holds them (common.sh SECTIONS_OPTION), named in refusals.
const SECTIONS_OPTION = 'provision_config_sections';
// Matomo's plugin name rule (core/Plugin/Manager.php isValidPluginName), as matomo-plugin.sh.
const PLUGIN_NAME = '/^[A-Za-z][A-Za-z0-9_]{0,59}$/';

function fail(string $message): void
{
    fwrite(STDERR, "matomo-config-sections: $message\n");
    exit(1);
}

/** @return array{managedSections: list<string>, lockedKeys: array<string, list<string>>} */
function load_rules(): array
{
    $path = __DIR__ . '/matomo-config-rules.json';
    $rules = json_decode((string) @file_get_contents($path), true);
    if (!is_array($rules) || !is_array($rules['managedSections'] ?? null) || !is_array($rules['lockedKeys'] ?? null)) {
        fail("cannot read the stored sections' rules $path; refusing to assemble an unchecked config");
    }
    return $rules;
}

// Refuse the row unless every line is a header of a managed section or `Section[] = "Plugin"` in
// it. Messages name the section and key, never a value (a forged row may carry anything).
function check_sections(string $text, array $rules): void
{
    $refuse = fn (string $what) => fail("refusing the stored " . SECTIONS_OPTION . " row: $what; "
        . 'only plugin lists may come from the database, fix or delete the row');
    $current = null;
    foreach (preg_split('/\r?\n/', $text) as $n => $line) {
        $at = 'line ' . ($n + 1);
        if (trim($line) === '') {
            continue;
        }
        if (preg_match('/^\[([^\]]*)\]/', $line, $m)) {
            $section = $m[1];
            $label = preg_match('/^[A-Za-z0-9_.-]{1,64}$/', $section) ? "[$section]" : 'a section with an unusual name';
            if (!preg_match('/^\[[^\]]*\]$/', rtrim($line))) {
                $refuse("$at, $label: text after the section header");
            }
            if (stripos($section, 'database') === 0) {
                $refuse("$at, $label: database settings come only from the rendered config");
            }
            if (!in_array($section, $rules['managedSections'], true) || !in_array($section, MANAGED_SECTIONS, true)) {
                $refuse("$at, $label: not one of [" . implode('], [', MANAGED_SECTIONS) . ']');
            }
            $current = $section;
            continue;
        }
        $key = preg_match('/^\s*([A-Za-z0-9_.\[\]-]{1,64})\s*=/', $line, $k) ? $k[1] : 'a line that is not key = value';
        if ($current === null) {
            $refuse("$at, $key: outside any section");
        }
        $bare = rtrim($key, '[]');
        if (in_array($bare, $rules['lockedKeys'][$current] ?? [], true)) {
            $refuse("$at, [$current] $key: the rendered config owns it");
        }
        if ($key !== "{$current}[]") {
            $refuse("$at, [$current] $key: only {$current}[] entries are allowed there");
        }
        if (!preg_match('/^\s*' . preg_quote("{$current}[]", '/') . '\s*=\s*"([^"]*)"\s*$/', $line, $v) || !preg_match(PLUGIN_NAME, $v[1])) {
            $refuse("$at, [$current] $key: the value is not a quoted plugin name");
        }
    }
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
    check_sections($sections, load_rules());
    if ($sections === '') {
        echo $base;
    } else {
        echo rtrim($base, "\n"), "\n\n", rtrim($sections, "\n"), "\n";
    }
} else {
    fail("usage: extract CONFIG | assemble BASE SECTIONS");
}
