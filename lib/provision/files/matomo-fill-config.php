<?php
// matomo-fill-config.php TEMPLATE: print the template with every {{secret:NAME}} placeholder
// replaced by the value of the environment variable MATOMO_SECRET_NAME, escaped for a
// double-quoted config.ini.php value exactly as lib/config's escapeIniContent does:
// `&` becomes `&amp;amp;` (Matomo html_entity_decode's what it reads, twice), then backslash, double quote
// and dollar sign get a backslash. Fails on a missing value.
declare(strict_types=1);

$template = @file_get_contents($argv[1] ?? '');
if ($template === false) {
    fwrite(STDERR, "cannot read template\n");
    exit(1);
}
$filled = preg_replace_callback('/\{\{secret:([A-Za-z][A-Za-z0-9_]*)\}\}/', function (array $m): string {
    $value = getenv('MATOMO_SECRET_' . $m[1]);
    if (!is_string($value) || $value === '') {
        fwrite(STDERR, "no value for placeholder {$m[0]}\n");
        exit(1);
    }
    if (preg_match('/[\r\n\0]/', $value)) {
        fwrite(STDERR, "value for {$m[0]} is not a single line\n");
        exit(1);
    }
    return strtr($value, ['&' => '&amp;amp;', '\\' => '\\\\', '"' => '\\"', '$' => '\\$']);
}, $template);
echo $filled;
