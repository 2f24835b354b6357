/**
 * The ui node's /etc/cron.d/matomo. Each job runs as PHP's user under two locks: `flock` keeps a
 * node from starting a run while its previous one is still going, and MySQL's `GET_LOCK` (held by
 * matomo-db.php's connection for the whole run) keeps a second ui node from running the same job
 * at the same time. A job that finds a lock taken exits and waits for its next slot.
 */
import type { ResolvedSettings } from "../settings";
import type { NodeObservability } from "./observability";
import { CONFIG_PATH, LIB_DIR, MATOMO_ROOT } from "./paths";

function lockedJob(schedule: string, name: string, command: string): string {
    return (
        `${schedule} www-data flock -n /run/lock/${name}.lock ` +
        `php ${LIB_DIR}/matomo-db.php ${CONFIG_PATH} lock-run ${name} 0 -- ${command} >> /var/log/matomo/${name}.log 2>&1`
    );
}

/** With `observability`, the archiving job reports its success and the node its database reachability as metrics (matomo-metric.sh). */
export function renderCron(settings: ResolvedSettings, observability?: NodeObservability): string {
    const console = `php ${MATOMO_ROOT}/console`;
    const metric = `${LIB_DIR}/matomo-metric.sh`;
    const heartbeat = observability ? `${metric} archive ` : "";
    const lines = [
        "# Matomo ui node jobs. Rendered by pulumi-matomo-aws; installed as /etc/cron.d/matomo on ui nodes only.",
        "SHELL=/bin/sh",
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        'MAILTO=""',
        // Matomo's advice: archive hourly from cron (browser-triggered archiving is off in config).
        // --concurrent-archivers=-1: Matomo counts every process whose command line holds
        // "console … core:archive" (core/CronArchive.php), and this job's wrappers (sh -c, flock,
        // the lock holder) carry it too: 4 against the default 3, so every run quietly stopped. The
        // two locks already keep it to one archiver across the cluster.
        lockedJob("5 * * * *", "matomo-core-archive", `${heartbeat}${console} core:archive --concurrent-archivers=-1 --url=https://${settings.domain}/`),
        lockedJob("35 * * * *", "matomo-scheduled-tasks", `${console} scheduled-tasks:run`),
    ];
    const queued = settings.queuedTracking;
    if (queued.enabled) {
        // The QueuedTracking plugin locks its queues in Redis itself (so two ui nodes share the
        // work); flock only avoids piling up runs. One job per queue, each on its own queue id.
        const job = (lock: string, args: string) =>
            `* * * * * www-data flock -n /run/lock/${lock}.lock ${console} queuedtracking:process${args} >> /var/log/matomo/matomo-queuedtracking.log 2>&1`;
        if (queued.numQueueWorkers === 1) {
            lines.push(job("matomo-queuedtracking", ""));
        } else {
            for (let id = 0; id < queued.numQueueWorkers; id++) lines.push(job(`matomo-queuedtracking-${id}`, ` --queue-id=${id}`));
        }
    }
    if (observability) {
        // Every minute: the deep check's verdict (the load balancer's health check never asks the database), and the queues' lengths.
        const metricJob = (what: string) => `* * * * * www-data ${metric} ${what} >> /var/log/matomo/matomo-metrics.log 2>&1`;
        lines.push(metricJob("deep-check"));
        if (queued.enabled) lines.push(metricJob("queue-backlog"));
    }
    return lines.join("\n") + "\n";
}
