<?php
// STAND-IN for QueuedTracking's Tracker/Handler.php (plugin 5.1.1), which replaces Matomo's
// tracker handler while `queueEnabled` is set (QueuedTracking.php replaceHandlerIfQueueIsEnabled):
// the request set goes to its visitor's queue instead of the database, and the response is sent
// as Matomo's would be (204 or the GIF). With processDuringTrackingRequest = 0, as the library
// renders it, the tracker never processes a queue itself (not modelled otherwise).
// Included by the stand-in matomo.php with $ini and $params; returns true when it handled the request.
declare(strict_types=1);
require_once __DIR__ . '/standin-backend.php';

return (function (array $ini, array $params): bool {
    $s = standin_qt_settings($ini);
    if (!$s['enabled']) {
        return false;
    }
    $queue = standin_qt_queue_for($params, (string) $_SERVER['REMOTE_ADDR'], $s['queues']);
    $state = [
        'requests' => [$params],
        'env' => ['server' => $_SERVER, 'cookie' => $_COOKIE],
        'tokenAuth' => false,
        'time' => time(),
    ];
    standin_qt_redis($s)->rPush(standin_qt_key($queue), gzcompress(json_encode($state)));
    return true;
})($ini, $params);
