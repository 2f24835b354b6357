<?php
// STAND-IN for `console queuedtracking:process` (plugin 5.1.1: Commands/Process.php,
// Queue/Processor.php, Queue/Manager.php lockNext, Queue.php), in the respects the node's worker
// loop depends on: `--queue-id` works on that queue only, else on every queue in turn; a queue is
// taken only while it holds a full batch (Queue::shouldProcess: numRequestsToProcess, 25 by
// default, or --force-num-requests-process-at-once); batches are taken from the head of the list
// and removed once tracked; a run stops once it has counted more than 500 batches
// (setNumberOfMaxBatchesToProcess(500)), so at most 501 × 25 = 12,525 requests; and the summary
// line "(<n> requests in <s> seconds)". Each request is tracked with the environment and time it
// was received (RequestSet::restoreState). STAND-IN: no Redis lock (one worker per queue and
// node, as the node's flock keeps it); a request set's requests are tracked one by one.
// Included by the stand-in console with $argv.
declare(strict_types=1);
require_once __DIR__ . '/standin-backend.php';

$ini = standin_config();
$s = standin_qt_settings($ini);
$pdo = standin_pdo($ini);
$prefix = $ini['database']['tables_prefix'];
$batch = $s['batch'];
$queues = range(0, $s['queues'] - 1);
foreach (array_slice($argv, 2) as $arg) {
    if (preg_match('/^--queue-id=(\d+)$/', $arg, $m)) {
        echo "Forcing queue ID: {$m[1]}\n";
        $queues = [(int) $m[1]];
    } elseif (preg_match('/^--force-num-requests-process-at-once=(\d+)$/', $arg, $m) && (int) $m[1] >= 1) {
        echo "Force proccess num requests at once: {$m[1]}\n";
        $batch = (int) $m[1];
    }
}
$redis = standin_qt_redis($s);
$started = microtime(true);
$loops = 0;
$tracked = 0;
echo "Starting to process request sets, this can take a while\n";
foreach ($queues as $queue) {
    $key = standin_qt_key($queue);
    while ($loops <= 500 && $redis->lLen($key) >= $batch) {
        $loops++;
        foreach ($redis->lRange($key, 0, $batch - 1) as $value) {
            $state = json_decode((string) gzuncompress($value), true);
            foreach ($state['requests'] as $request) {
                standin_track($pdo, $prefix, $request, (string) $state['env']['server']['REMOTE_ADDR'], (int) $state['time']);
                $tracked++;
            }
        }
        $redis->lTrim($key, $batch, -1);
    }
}
$seconds = microtime(true) - $started;
printf("This worker finished queue processing with %sreq/s (%s requests in %02.2f seconds)\n", $seconds > 0 ? round($tracked / $seconds, 2) : $tracked, $tracked, $seconds);
