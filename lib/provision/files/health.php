<?php
// Load balancer health check: 200 when this node finished provisioning and nginx and php-fpm
// answer (this script running is the proof). It never asks the database: a database blip
// (reboot, minor upgrade, Multi-AZ failover) would otherwise mark every node unhealthy at once
// and the groups would replace them all. Database reachability is matomo-deep-check.php's job.
// Not index.php: in maintenance mode that still answers 200.
//
// On a ui node it also fails when this node's Matomo is older than the database's: Matomo then
// answers every UI and API request with HTTP 500 (core/FrontController.php,
// throwIfPiwikVersionIsOlderThanDBSchema: version_compare(Version::VERSION, the option
// version_core) === -1). The database's version comes from the file matomo-version-check.php
// writes every minute, never from the database here. No file (a tracker, which must keep
// recording during a rolling upgrade, or a ui before its first check) or an answer without a
// version means no verdict: 200. An old answer still counts: a database never goes back to an
// older Matomo (except a restore, which the next check sees), and while the database is
// unreachable the last answer is the best there is.
declare(strict_types=1);

const STATE_DIR = '/var/lib/matomo-provision';
const MATOMO_ROOT = '/var/www/matomo';

header('Cache-Control: no-store');
header('Content-Type: text/plain');

if (!is_file(STATE_DIR . '/ready')) {
    http_response_code(503);
    echo "unhealthy: provisioning has not finished\n";
    exit;
}
$cached = @file_get_contents(STATE_DIR . '/version-check/database-version.json');
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
