<?php
// STAND-IN for QueuedTracking's Redis backend and queue layout (plugin 5.1.1, read from its
// source): the connection of Queue/Factory.php makeBackendFromSettings and Queue/Backend/Redis.php
// connect(), with the [QueuedTracking] values Matomo's SystemSetting reads from config.ini.php:
// connect($host, $port, $timeout, null, 100), auth($password) when one is set, select($database).
// A queue is the Redis list "trackingQueueV1" (id 0) or "trackingQueueV1_<id>" (Queue.php); each
// entry is one request set, gzcompress(json_encode(RequestSet::getState())): its requests' raw
// parameters, the environment ($_SERVER, cookies), tokenAuth and the time it was received.
declare(strict_types=1);

function standin_qt_settings(array $ini): array
{
    $q = $ini['QueuedTracking'] ?? [];
    return [
        'enabled' => !empty($q['queueEnabled']),
        'backend' => (string) ($q['backend'] ?? 'redis'),
        'host' => (string) ($q['redisHost'] ?? '127.0.0.1'),
        'port' => (int) ($q['redisPort'] ?? 6379),
        'timeout' => (float) ($q['redisTimeout'] ?? 0.0),
        'password' => (string) ($q['redisPassword'] ?? ''),
        'database' => (int) ($q['redisDatabase'] ?? 0),
        'queues' => max(1, (int) ($q['numQueueWorkers'] ?? 1)),
        'batch' => max(1, (int) ($q['numRequestsToProcess'] ?? 25)),
    ];
}

function standin_qt_redis(array $s): Redis
{
    if ($s['backend'] !== 'redis') {
        throw new RuntimeException("stand-in QueuedTracking: only the redis backend is modelled, not '{$s['backend']}'");
    }
    $redis = new Redis();
    $ok = $redis->connect($s['host'], $s['port'], $s['timeout'], null, 100);
    if ($ok && $s['password'] !== '') {
        $ok = $redis->auth($s['password']);
    }
    if (!$ok) {
        throw new RuntimeException('stand-in QueuedTracking: cannot connect to Redis');
    }
    $redis->select($s['database']);
    return $redis;
}

function standin_qt_key(int $queue): string
{
    return $queue === 0 ? 'trackingQueueV1' : "trackingQueueV1_$queue";
}

// Queue/Manager.php getVisitorIdFromRequest + getQueueIdForVisitor: the visitor id in hex (here
// from cid or _id, the two a plain request carries), else md5 of the client address; its first
// three characters, read as hex, modulo the number of queues.
function standin_qt_queue_for(array $params, string $ip, int $queues): int
{
    $visitor = '';
    foreach (['cid', '_id'] as $name) {
        if (isset($params[$name]) && preg_match('/^[0-9a-fA-F]{16}$/D', (string) $params[$name])) {
            $visitor = strtolower((string) $params[$name]);
            break;
        }
    }
    if ($visitor === '') {
        $visitor = md5($ip);
    }
    $head = substr($visitor, 0, 3);
    return hexdec($head) % $queues;
}
