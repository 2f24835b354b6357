/**
 * How many QueuedTracking queues (each with its own worker on the ui nodes) a peak tracking rate
 * needs. The plugin locks a queue while one worker processes it (Queue/Manager.php `lockNext`), so
 * one queue drains at one worker's rate however many ui nodes run a worker for it: more throughput
 * means more queues. See README "QueuedTracking capacity".
 */

/**
 * Requests per second one `queuedtracking:process` worker drained from a backlog, measured on real
 * Matomo 5.1.2 with the real plugin 5.1.1 and Redis on 2 shared cores (issue 11). About one
 * tracker's enqueue rate (431 req/s), so N trackers at peak need about N workers.
 */
export const MEASURED_WORKER_DRAIN_PER_SECOND = 427;

/**
 * What a worker is sized for: 70 % of the measured rate, so a queue at the peak rate still drains
 * what a burst left behind (at 70 % load a backlog shrinks at 30 % of the drain rate). An estimate.
 */
export const WORKER_SIZING_PER_SECOND = 300;

/** The plugin's most queues: queue ids are one hex digit of the visitor id (Queue/Manager.php). */
export const MAX_QUEUE_WORKERS = 16;

/** Queues (= workers) for a peak rate of tracking requests per second: ⌈peak / 300⌉, at least 1. */
export function queueWorkersForPeak(peakRequestsPerSecond: number): number {
    return Math.max(1, Math.ceil(peakRequestsPerSecond / WORKER_SIZING_PER_SECOND));
}
