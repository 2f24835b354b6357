/**
 * The ui node's /etc/cron.d/matomo. Each job runs as PHP's user under two locks: `flock` keeps a
 * node from starting a run while its previous one is still going, and MySQL's `GET_LOCK` (held by
 * matomo-db.php's connection for the whole run) keeps a second ui node from running the same job
 * at the same time. A job that finds a lock taken exits and waits for its next slot.
 */
import type { ResolvedSettings } from "../settings";
import { CONFIG_PATH, LIB_DIR, MATOMO_ROOT, VERSION_CHECK_FILE } from "./paths";

function lockedJob(schedule: string, name: string, command: string): string {
    return (
        `${schedule} www-data flock -n /run/lock/${name}.lock ` +
        `php ${LIB_DIR}/matomo-db.php ${CONFIG_PATH} lock-run ${name} 0 -- ${command} >> /var/log/matomo/${name}.log 2>&1`
    );
}

export function renderCron(settings: ResolvedSettings): string {
    const console = `php ${MATOMO_ROOT}/console`;
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
        lockedJob("5 * * * *", "matomo-core-archive", `${console} core:archive --concurrent-archivers=-1 --url=https://${settings.domain}/`),
        lockedJob("35 * * * *", "matomo-scheduled-tasks", `${console} scheduled-tasks:run`),
    ];
    // Whether this node's code is older than the database's Matomo (another ui node ran
    // core:update): a cached answer for the health check, which must not ask the database itself.
    lines.push(`* * * * * www-data php ${LIB_DIR}/matomo-version-check.php ${CONFIG_PATH} ${VERSION_CHECK_FILE} > /dev/null 2>> /var/log/matomo/matomo-version-check.log`);
    const queued = settings.queuedTracking;
    if (queued.enabled) {
        // One worker per queue (matomo-queue-worker.sh: a loop of queuedtracking:process runs,
        // relaunched as soon as one ends, forcing a queue below a full batch after
        // forceProcessAfterSeconds). Cron only (re)starts it: flock -n lets one worker per queue
        // run on a node, so every minute either finds it running or starts a killed one again.
        // The plugin locks each queue in Redis itself, so two ui nodes share a queue safely.
        const worker = (queue: string, lock: string, log: string) =>
            `* * * * * www-data flock -n /run/lock/${lock}.lock ${LIB_DIR}/matomo-queue-worker.sh ${queue} ${queued.forceProcessAfterSeconds} >> /var/log/matomo/${log}.log 2>&1`;
        if (queued.numQueueWorkers === 1) {
            // Without --queue-id, as the plugin recommends for a single worker.
            lines.push(worker("all", "matomo-queuedtracking", "matomo-queuedtracking"));
        } else {
            for (let id = 0; id < queued.numQueueWorkers; id++) lines.push(worker(String(id), `matomo-queuedtracking-${id}`, `matomo-queuedtracking-${id}`));
        }
    }
    return lines.join("\n") + "\n";
}
