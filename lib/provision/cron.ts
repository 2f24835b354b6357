/**
 * /etc/cron.d/matomo on every node.
 *
 * Every node: the files Matomo would write on one node only (docs/runtime-files.md), each node for
 * itself: the tracker JS and Tag Manager containers regenerated from the database every minute (as
 * www-data, like Matomo's own writes), and the location database checked daily (as root: it replaces a file
 * outside Matomo's tree and reads the MaxMind license key). `flock` keeps runs from piling up.
 *
 * ui nodes also archive. Those jobs run as PHP's user under two locks: `flock` keeps a node from
 * starting a run while its previous one is still going, and MySQL's `GET_LOCK` (held by
 * matomo-db.php's connection for the whole run) keeps a second ui node from running the same job
 * at the same time. A job that finds a lock taken exits and waits for its next slot.
 */
import type { ResolvedSettings } from "../settings";
import { known } from "../settings/known";
import type { NodeObservability } from "./observability";
import type { NodeRole } from "./types";
import { CONFIG_PATH, LIB_DIR, MATOMO_ROOT, VERSION_CHECK_FILE } from "./paths";

function lockedJob(schedule: string, name: string, command: string): string {
    return (
        `${schedule} www-data flock -n /run/lock/${name}.lock ` +
        `php ${LIB_DIR}/matomo-db.php ${CONFIG_PATH} lock-run ${name} 0 -- ${command} >> /var/log/matomo/${name}.log 2>&1`
    );
}

/** A job of every node: a script in LIB_DIR, under flock, logging to /var/log/matomo/<name>.log. */
function nodeJob(schedule: string, user: string, name: string, args = ""): string {
    return `${schedule} ${user} flock -n /run/lock/${name}.lock ${LIB_DIR}/${name}.sh${args} >> /var/log/matomo/${name}.log 2>&1`;
}

/**
 * `core:archive` with the `archiving` options the user gave (none by default: Matomo's own
 * defaults), optionally under `timeout`, which stops the run with SIGTERM (and SIGKILL a minute
 * later); the next slot picks up what is left, since Matomo archives from its invalidations.
 */
export function archiveCommand(settings: ResolvedSettings): string {
    const a = settings.archiving;
    const options = [
        // --concurrent-archivers=-1: Matomo counts every process whose command line holds
        // "console … core:archive" (core/CronArchive.php), and this job's wrappers (sh -c, flock,
        // the lock holder, timeout) carry it too: 4 against the default 3, so every run quietly
        // stopped. The two locks already keep it to one archiver across the cluster. (timeout
        // signals the process group it starts, so the archiver's child processes stop with it.)
        "--concurrent-archivers=-1",
        ...(a.concurrentRequestsPerWebsite !== undefined ? [`--concurrent-requests-per-website=${a.concurrentRequestsPerWebsite}`] : []),
        ...(a.forcePeriods !== undefined ? [`--force-periods=${a.forcePeriods.join(",")}`] : []),
        ...(a.maxWebsitesToProcess !== undefined ? [`--max-websites-to-process=${a.maxWebsitesToProcess}`] : []),
        ...(a.maxArchivesToProcess !== undefined ? [`--max-archives-to-process=${a.maxArchivesToProcess}`] : []),
        `--url=https://${known(settings.domain, "domain")}/`,
    ];
    const run = `php ${MATOMO_ROOT}/console core:archive ${options.join(" ")}`;
    return a.timeoutSeconds !== undefined ? `timeout --kill-after=60 ${a.timeoutSeconds} ${run}` : run;
}

/** The metric publisher (matomo-metric.sh), when observability is on. */
const METRIC_SCRIPT = `${LIB_DIR}/matomo-metric.sh`;

/**
 * With `observability`, the ui's archiving job reports its success and duration, and the ui its
 * database reachability and queue backlog, as metrics (matomo-metric.sh).
 */
export function renderCron(role: NodeRole, settings: ResolvedSettings, observability?: NodeObservability): string {
    const console = `php ${MATOMO_ROOT}/console`;
    const lines = [
        `# Matomo ${role} node jobs. Rendered by pulumi-matomo-aws; installed as /etc/cron.d/matomo.`,
        "SHELL=/bin/sh",
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        'MAILTO=""',
        // Publishing a container or forcing cookieless tracking rewrites files on the node that
        // served the click; every other node writes them from the database here, within a minute.
        nodeJob("* * * * *", "www-data", "matomo-generated-files", ` ${MATOMO_ROOT}`),
        // A check a day; a download only when the provider has a newer database (matomo-geoip.sh).
        ...(settings.geoIp.provider !== "off" ? [nodeJob("17 3 * * *", "root", "matomo-geoip", " refresh")] : []),
    ];
    if (role === "tracker") return lines.join("\n") + "\n";
    lines.push(
        // Matomo's advice: archive hourly from cron (browser-triggered archiving is off in config).
        // With observability, matomo-metric.sh runs the command inside both locks, so it times only
        // a run that really happened, and publishes the heartbeat only when the command exited 0.
        lockedJob(
            settings.archiving.schedule,
            "matomo-core-archive",
            observability ? `${METRIC_SCRIPT} archive ${archiveCommand(settings)}` : archiveCommand(settings),
        ),
        lockedJob(settings.archiving.scheduledTasksSchedule, "matomo-scheduled-tasks", `${console} scheduled-tasks:run`),
    );
    // Whether this node's code is older than the database's Matomo (another ui node ran
    // core:update): a cached answer for the health check, which must not ask the database itself.
    lines.push(
        `* * * * * www-data php ${LIB_DIR}/matomo-version-check.php ${CONFIG_PATH} ${VERSION_CHECK_FILE} > /dev/null 2>> /var/log/matomo/matomo-version-check.log`,
    );
    const queued = settings.queuedTracking;
    if (queued.enabled) {
        // One worker per queue (matomo-queue-worker.sh: a loop of queuedtracking:process runs,
        // relaunched as soon as one ends, forcing a queue below a full batch after
        // forceProcessAfterSeconds). Cron only (re)starts it: flock -n lets one worker per queue
        // run on a node, so every minute either finds it running or starts a killed one again.
        // The plugin locks each queue in Redis itself, so two ui nodes share a queue safely.
        const worker = (queue: string, lock: string, log: string) =>
            `* * * * * www-data flock -n /run/lock/${lock}.lock ${LIB_DIR}/matomo-queue-worker.sh ${queue} ${queued.forceProcessAfterSeconds} ${MATOMO_ROOT}/console >> /var/log/matomo/${log}.log 2>&1`;
        if (queued.numQueueWorkers === 1) {
            // Without --queue-id, as the plugin recommends for a single worker.
            lines.push(worker("all", "matomo-queuedtracking", "matomo-queuedtracking"));
        } else {
            for (let id = 0; id < queued.numQueueWorkers; id++) lines.push(worker(String(id), `matomo-queuedtracking-${id}`, `matomo-queuedtracking-${id}`));
        }
    }
    if (observability) {
        // Every minute: the deep check's verdict (the load balancer's health check never asks the database), and the queues' lengths.
        const metricJob = (what: string) => `* * * * * www-data ${METRIC_SCRIPT} ${what} >> /var/log/matomo/matomo-metrics.log 2>&1`;
        lines.push(metricJob("deep-check"));
        if (queued.enabled) lines.push(metricJob("queue-backlog"));
    }
    return lines.join("\n") + "\n";
}
