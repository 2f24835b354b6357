<?php
// matomo-version-check.php CONFIG CACHE_FILE: run every minute by cron on ui nodes (as www-data).
// Asks the database which Matomo its schema is at (the option version_core, which Matomo's
// Updater::getCurrentComponentVersion('core') reads) and writes the answer, with the time, to
// CACHE_FILE for the health check (health.php), which must not ask the database on every call.
// When the database does not answer, the previous answer stays as it was (its age tells how old
// it is) and this exits 1: an unreachable database is not a newer one.
declare(strict_types=1);
require __DIR__ . '/matomo-pdo.php';

[$self, $configPath, $cacheFile] = array_pad($argv, 3, '');
if ($configPath === '' || $cacheFile === '') {
    fwrite(STDERR, "usage: matomo-version-check.php CONFIG CACHE_FILE\n");
    exit(2);
}
try {
    $db = matomo_config($configPath)['database'];
    $prefix = (string) ($db['tables_prefix'] ?? '');
    $q = matomo_pdo($db, 5)->prepare('SELECT option_value FROM `' . str_replace('`', '``', $prefix . 'option') . '` WHERE option_name = ?');
    $q->execute(['version_core']);
    $version = $q->fetchColumn();
} catch (Throwable $e) {
    fwrite(STDERR, gmdate('c') . ' database unreachable; keeping the last answer: ' . preg_replace('/\s+/', ' ', $e->getMessage()) . "\n");
    exit(1);
}
$answer = json_encode(['checkedAt' => time(), 'database' => $version === false ? null : (string) $version]) . "\n";
$tmp = $cacheFile . '.' . getmypid();
if (file_put_contents($tmp, $answer) === false || !rename($tmp, $cacheFile)) {
    @unlink($tmp);
    fwrite(STDERR, "cannot write $cacheFile\n");
    exit(1);
}
