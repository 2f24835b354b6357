<?php
// Load balancer health check: 200 when this node finished provisioning and nginx and php-fpm
// answer (this script running is the proof), 503 while matomo-release.sh drains it for a release
// swap (the marker STATE_DIR/drain). A database it cannot reach never fails it: a database blip
// (reboot, minor upgrade, Multi-AZ failover) would otherwise mark every node unhealthy at once
// and the groups would replace them all. Database reachability is matomo-deep-check.php's job.
// Not index.php: in maintenance mode that still answers 200.
//
// On a ui node it also fails as soon as this node's Matomo is older than the database's: Matomo
// then answers every UI and API request with HTTP 500 (core/FrontController.php,
// throwIfPiwikVersionIsOlderThanDBSchema: version_compare(Version::VERSION, the option
// version_core) === -1), and during an upgrade that starts the moment the new ui's core:update
// sets version_core. So the ui asks the database on every check (one indexed row, a connect
// timeout of 2 s, under the load balancer's 5 s), and keeps the answer in the file
// matomo-version-check.php also writes every minute. When the database does not answer, the last
// answer counts: a database never goes back to an older Matomo (except a restore, which the next
// answer sees), and an unreachable database is no newer one. No file (a tracker, which must keep
// recording during a rolling upgrade) or an answer without a version means no verdict: 200.
declare(strict_types=1);

const STATE_DIR = '/var/lib/matomo-provision';
const MATOMO_ROOT = '/var/www/matomo';
const CONFIG = MATOMO_ROOT . '/config/config.ini.php';

header('Cache-Control: no-store');
header('Content-Type: text/plain');

if (!is_file(STATE_DIR . '/ready')) {
    http_response_code(503);
    echo "unhealthy: provisioning has not finished\n";
    exit;
}
if (is_file(STATE_DIR . '/drain')) {
    http_response_code(503);
    echo "unhealthy: draining for a release swap\n";
    exit;
}
$cacheFile = STATE_DIR . '/version-check/database-version.json';
if (is_dir(dirname($cacheFile)) && is_file(__DIR__ . '/matomo-pdo.php')) {
    // ui only (provisioning gives ui nodes this directory): the database's answer, now.
    try {
        require_once __DIR__ . '/matomo-pdo.php';
        $db = matomo_config(CONFIG)['database'];
        $prefix = (string) ($db['tables_prefix'] ?? '');
        $q = matomo_pdo($db, 2)->prepare('SELECT option_value FROM `' . str_replace('`', '``', $prefix . 'option') . '` WHERE option_name = ?');
        $q->execute(['version_core']);
        $version = $q->fetchColumn();
        $fresh = json_encode(['checkedAt' => time(), 'database' => $version === false ? null : (string) $version]) . "\n";
        $tmp = $cacheFile . '.' . getmypid();
        if (@file_put_contents($tmp, $fresh) === false || !@rename($tmp, $cacheFile)) {
            @unlink($tmp);
        }
    } catch (Throwable $e) {
        // Unreachable (or no config yet): the last answer stands.
    }
}
$cached = @file_get_contents($cacheFile);
$answer = $cached === false ? null : json_decode($cached, true);
$database = is_array($answer) && is_string($answer['database'] ?? null) ? $answer['database'] : null;
if ($database !== null) {
    // The code this node runs now, as Matomo itself names it (core/Version.php).
    $source = (string) @file_get_contents(MATOMO_ROOT . '/core/Version.php');
    if (preg_match("/\\bconst\\s+VERSION\\s*=\\s*'([^']+)'/", $source, $m) === 1 && version_compare($m[1], $database) === -1) {
        http_response_code(503);
        $age = time() - (int) ($answer['checkedAt'] ?? 0);
        echo "unhealthy: this node runs Matomo {$m[1]}, the database has already been upgraded to $database (checked {$age}s ago)\n";
        exit;
    }
}
echo "ok\n";
