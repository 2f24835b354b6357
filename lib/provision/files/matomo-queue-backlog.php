<?php
// matomo-queue-backlog.php [CONFIG]: one line "<queue id> <request sets waiting>" per QueuedTracking
// queue, read from Redis as the plugin keeps them: a list per queue, named "trackingQueueV1" for
// queue 0 and "trackingQueueV1_<id>" for the others (QueuedTracking's Queue.php: PREFIX, and
// `'_' . $id` when the id is not empty), its length being what the plugin's
// getNumberOfRequestSetsInQueue() reports (Redis LLEN). Connection settings from config.ini.php's
// [QueuedTracking], which the library renders (lib/config/render.ts) and the node fills: a
// "tls://" host (phpredis then speaks TLS and verifies the server's certificate against the
// system's CA store) and the AUTH token, sent as the plugin sends it, right after connecting.
// Any failure (no TLS, a refused token, an unverifiable certificate) exits non-zero before a
// single backlog line is printed, so no metric is published from a connection that did not work.
declare(strict_types=1);
require __DIR__ . '/matomo-pdo.php';

$q = matomo_config($argv[1] ?? '/var/www/matomo/config/config.ini.php')['QueuedTracking'] ?? null;
if (!is_array($q)) {
    fwrite(STDERR, "no [QueuedTracking] section: QueuedTracking is off\n");
    exit(1);
}
$redis = new Redis();
if (!$redis->connect((string) $q['redisHost'], (int) $q['redisPort'], 5.0)) {
    fwrite(STDERR, "cannot connect to Redis\n");
    exit(1);
}
$password = (string) ($q['redisPassword'] ?? '');
if ($password !== '' && !$redis->auth($password)) {
    fwrite(STDERR, "Redis refused the AUTH token\n");
    exit(1);
}
$redis->select((int) ($q['redisDatabase'] ?? 0));
$lines = '';
for ($id = 0; $id < max(1, (int) ($q['numQueueWorkers'] ?? 1)); $id++) {
    $length = $redis->lLen($id === 0 ? 'trackingQueueV1' : 'trackingQueueV1_' . $id);
    if (!is_int($length)) {
        fwrite(STDERR, "cannot read queue $id\n");
        exit(1);
    }
    $lines .= $id . ' ' . $length . "\n";
}
echo $lines;
