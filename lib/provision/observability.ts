/**
 * What a node needs to ship its logs and publish its metrics to CloudWatch: the CloudWatch agent's
 * configuration (which file goes to which log group) and the metric names the node scripts
 * publish. Pure: the names come in, text goes out. The log groups, alarms and dashboard that use
 * the same names are made in lib/aws (logs.ts, monitoring.ts). See docs/observability.md.
 *
 * The shipper is AWS's CloudWatch agent: Debian has no package that writes to CloudWatch Logs
 * (rsyslog and journald cannot; fluent-bit and vector are not in bookworm), and the agent is
 * signed by AWS, so a node installs it as it installs the SSM Agent: only when the package's
 * detached signature verifies against AWS's key, pinned here by fingerprint.
 */
import { MATOMO_LOG_PATH } from "../config";
import type { Architecture } from "../settings";
import { PLAIN_ENV_VALUE } from "../settings/fields";
import type { NodeRole } from "./types";
import { PHP_VERSION } from "./packages";

/** What the cluster hands a node's renderers when observability is on. */
export interface NodeObservability {
    /** Log group names by source (`LOG_SOURCES` keys); the library creates each group. */
    logGroups: Readonly<Record<LogSource, string>>;
    /** The `Cluster` dimension of every metric the node publishes (the cluster's component name). */
    cluster: string;
    /** CloudWatch's endpoint for metrics, when not the region's (an interface VPC endpoint without private DNS). Default the region's. */
    metricsEndpointUrl?: string;
}

/** Namespace of the metrics nodes publish (put-metric-data); AWS reserves `AWS/`. */
export const METRICS_NAMESPACE = "Matomo";

/** The metrics nodes publish, by name; `monitoring.ts` alarms on exactly these. */
export const NODE_METRICS = {
    /** 1 after each `core:archive` run that exited 0 (ui). */
    archivingSucceeded: "ArchivingSucceeded",
    /** Seconds that successful run took (ui). */
    archivingDuration: "ArchivingDurationSeconds",
    /** 1 when matomo-deep-check.php reached the database, 0 when not (ui, every minute). */
    databaseReachable: "DatabaseReachable",
    /** Request sets waiting in one QueuedTracking queue (ui, every minute, dimension `Queue`). */
    queueBacklog: "QueueBacklog",
    /** Lines `matomo-provision[…]: ERROR:` in the provisioning log (a metric filter, not a node call). */
    provisioningFailures: "ProvisioningFailures",
} as const;

export { MATOMO_LOG_PATH };
/** The archiving cron job's output (cron.ts writes it there). */
export const ARCHIVING_LOG_PATH = "/var/log/matomo/matomo-core-archive.log";

/** Every log a node writes that outlives it: the file, and the roles that write it. */
export const LOG_SOURCES = {
    "nginx-access": { file: "/var/log/nginx/access.log", roles: ["tracker", "ui"] },
    "nginx-error": { file: "/var/log/nginx/error.log", roles: ["tracker", "ui"] },
    // php-fpm's master log, where `catch_workers_output` also puts the workers' stderr (php.ts).
    "php-fpm": { file: `/var/log/php${PHP_VERSION}-fpm.log`, roles: ["tracker", "ui"] },
    matomo: { file: MATOMO_LOG_PATH, roles: ["tracker", "ui"] },
    // cloud-init's copy of every runcmd's output: matomo-provision's progress and errors.
    provisioning: { file: "/var/log/cloud-init-output.log", roles: ["tracker", "ui"] },
    archiving: { file: ARCHIVING_LOG_PATH, roles: ["ui"] },
} as const satisfies Record<string, { file: string; roles: readonly NodeRole[] }>;
export type LogSource = keyof typeof LOG_SOURCES;

/**
 * The CloudWatch agent's configuration for a role: each of the role's files to its log group, one
 * stream per instance. Retention and encryption belong to the log groups the library creates,
 * so the agent is not asked to create or change groups. Deterministic (sorted by source).
 */
export function renderAgentConfig(role: NodeRole, observability: NodeObservability): string {
    const collect = (Object.keys(LOG_SOURCES) as LogSource[])
        .filter((source) => (LOG_SOURCES[source].roles as readonly NodeRole[]).includes(role))
        .sort()
        .map((source) => ({
            file_path: LOG_SOURCES[source].file,
            log_group_name: observability.logGroups[source],
            // `{instance_id}` is the agent's own placeholder: one stream per node, so logs of nodes long gone stay apart.
            log_stream_name: `${role}/{instance_id}`,
        }));
    const config = {
        agent: { run_as_user: "root" },
        logs: { logs_collected: { files: { collect_list: collect } }, force_flush_interval: 15 },
    };
    return JSON.stringify(config, null, 2) + "\n";
}

/** The non-secret values the metric script reads (world-readable: cron runs it as www-data). */
export function renderMetricsEnv(observability: NodeObservability, region: string): string {
    const values: [string, string][] = [
        ["MATOMO_AWS_REGION", region],
        ["MATOMO_METRICS_NAMESPACE", METRICS_NAMESPACE],
        ["MATOMO_METRICS_CLUSTER", observability.cluster],
        ...(observability.metricsEndpointUrl !== undefined ? ([["MATOMO_METRICS_ENDPOINT_URL", observability.metricsEndpointUrl]] as [string, string][]) : []),
    ];
    for (const [, v] of values) if (!PLAIN_ENV_VALUE.test(v)) throw new Error(`metrics.env: unexpected characters in ${JSON.stringify(v)}`);
    return ["# Matomo node metrics. Rendered by pulumi-matomo-aws; read by matomo-metric.sh.", ...values.map(([k, v]) => `${k}='${v}'`)].join("\n") + "\n";
}

/**
 * AWS's CloudWatch agent signing key (CloudWatch User Guide, "Verifying the signature of the
 * CloudWatch agent package"): nodes fetch the key from AWS's bucket and refuse it unless it is
 * exactly this one; then the package's `.sig` must verify against it.
 */
export const CLOUDWATCH_AGENT_KEY_FINGERPRINT = "937616F3450B7D806CBD9725D58167303B789C72";
export const CLOUDWATCH_AGENT_KEY_URL = "https://amazoncloudwatch-agent.s3.amazonaws.com/assets/amazon-cloudwatch-agent.gpg";

/**
 * The region's download of the agent's .deb for the architecture (AWS's table: `…/debian/amd64/
 * latest/amazon-cloudwatch-agent.deb`; for ARM64 the table lists the Ubuntu package, a build of
 * the same Go program). Its signature is the same URL + `.sig`.
 */
export function cloudWatchAgentUrl(region: string, architecture: Architecture): string {
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new Error(`cloudWatchAgentUrl: not an AWS region: ${JSON.stringify(region)}`);
    const platform = architecture === "arm64" ? "ubuntu/arm64" : "debian/amd64";
    return `https://amazoncloudwatch-agent-${region}.s3.${region}.amazonaws.com/${platform}/latest/amazon-cloudwatch-agent.deb`;
}
