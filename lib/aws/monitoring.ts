/**
 * Alarms, their SNS topic and the dashboard, all from one list (`alarmSpecs`, pure): every alarm is
 * a widget, and a widget shows nothing an alarm does not watch. Thresholds and why they are what
 * they are: docs/observability.md. Resources are the cluster's children.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { METRICS_NAMESPACE, NODE_METRICS } from "../provision";
import type { ResolvedObservability } from "../settings/cluster";
import { databaseAlarmDefaults } from "../settings/presets";
import type { Tags } from "./options";

/** One metric as CloudWatch names it. */
export interface MetricRef {
    namespace: string;
    metricName: string;
    dimensions: Record<string, pulumi.Input<string>>;
    /** `Average`, `Sum`, `Maximum`, `Minimum` or `p95`-style. */
    stat: string;
}

export interface AlarmSpec {
    /** Stable short id: the alarm's logical name suffix and the widget's order. */
    id: string;
    title: string;
    description: string;
    /** One metric, or a math expression over `metrics` (ids m1, m2, …). */
    metrics: MetricRef[];
    expression?: string;
    period: number;
    evaluationPeriods: number;
    datapointsToAlarm?: number;
    threshold: number;
    comparison: "GreaterThanOrEqualToThreshold" | "GreaterThanThreshold" | "LessThanThreshold" | "LessThanOrEqualToThreshold";
    treatMissingData: "breaching" | "notBreaching" | "ignore" | "missing";
}

/** What the alarms watch: the dimension values of the cluster's resources, and which parts exist. */
export interface MonitoredResources {
    cluster: string;
    /** `app/<name>/<id>`: the load balancer's ARN suffix (its CloudWatch dimension). */
    loadBalancer: pulumi.Input<string>;
    targetGroups: { tracker: pulumi.Input<string>; ui: pulumi.Input<string> };
    /** The database the library created: its identifiers, and its class (the memory and connection alarms scale with it). */
    database?: { instance: pulumi.Input<string>; replica?: pulumi.Input<string>; instanceClass: string };
    /** ElastiCache cluster ids of the Redis replication group's members. */
    redisClusters?: pulumi.Input<string>[];
    /** QueuedTracking queues the ui publishes a backlog for. */
    queues?: number;
    /** Namespace of the provisioning failure metric (logs.ts). */
    provisioningNamespace?: string;
}

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

/** The alarms, in dashboard order. Pure. */
export function alarmSpecs(r: MonitoredResources, o: ResolvedObservability): AlarmSpec[] {
    const t = o.thresholds;
    return [
        ...loadBalancerAlarms(r, t),
        ...(r.database ? databaseAlarms(r.database, t) : []),
        ...(r.redisClusters ?? []).flatMap((cacheCluster, i) => redisAlarms(cacheCluster, i, t)),
        ...nodeAlarms(r, o),
        ...(r.provisioningNamespace !== undefined ? [provisioningAlarm(r.provisioningNamespace)] : []),
    ];
}

type Thresholds = ResolvedObservability["thresholds"];

/** A load balancer metric, by its dimensions. */
function elbMetric(r: MonitoredResources, metricName: string, stat = "Sum", extra: Record<string, pulumi.Input<string>> = {}): MetricRef {
    return { namespace: "AWS/ApplicationELB", metricName, dimensions: { ...extra, LoadBalancer: r.loadBalancer }, stat };
}

/** A metric the ui nodes publish (lib/provision, NODE_METRICS), by cluster. */
function nodeMetric(r: MonitoredResources, metricName: string, stat: string, extra: Record<string, pulumi.Input<string>> = {}): MetricRef {
    return { namespace: METRICS_NAMESPACE, metricName, dimensions: { Cluster: r.cluster, ...extra }, stat };
}

/** Errors at the load balancer, and each role's health and response time. */
function loadBalancerAlarms(r: MonitoredResources, t: Thresholds): AlarmSpec[] {
    const elb = (metricName: string, stat?: string, extra?: Record<string, pulumi.Input<string>>) => elbMetric(r, metricName, stat, extra);
    const specs: AlarmSpec[] = [
        {
            id: "alb-5xx-rate",
            title: "Load balancer 5xx rate (%)",
            description: `More than ${t.loadBalancer5xxPercent} % of requests answered 5xx (by the load balancer or a node) in two 5-minute periods.`,
            // FILL(…, 0): a quiet period has no 5xx data points, which is 0, not unknown.
            expression: "100 * (FILL(m1, 0) + FILL(m2, 0)) / m3",
            metrics: [elb("HTTPCode_ELB_5XX_Count"), elb("HTTPCode_Target_5XX_Count"), elb("RequestCount")],
            period: 300,
            evaluationPeriods: 2,
            threshold: t.loadBalancer5xxPercent,
            comparison: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
        },
    ];
    for (const role of ["tracker", "ui"] as const) {
        const tg = { TargetGroup: r.targetGroups[role] };
        specs.push({
            id: `${role}-unhealthy-hosts`,
            title: `Unhealthy ${role} nodes`,
            description: `At least one ${role} node failed the load balancer's health check for 3 minutes.`,
            metrics: [elb("UnHealthyHostCount", "Maximum", tg)],
            period: 60,
            evaluationPeriods: 3,
            threshold: 1,
            comparison: "GreaterThanOrEqualToThreshold",
            treatMissingData: "notBreaching",
        });
        const seconds = role === "tracker" ? t.trackerResponseSeconds : t.uiResponseSeconds;
        specs.push({
            id: `${role}-response-time`,
            title: `${role} response time p95 (s)`,
            description: `The ${role} nodes' 95th percentile response time stayed above ${seconds} s for 15 minutes.`,
            metrics: [elb("TargetResponseTime", "p95", tg)],
            period: 300,
            evaluationPeriods: 3,
            threshold: seconds,
            comparison: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
        });
    }
    return specs;
}

/** The database the library created: CPU, storage, memory and connections, and the replica's lag. */
function databaseAlarms(database: NonNullable<MonitoredResources["database"]>, t: Thresholds): AlarmSpec[] {
    const specs: AlarmSpec[] = [];
    const db = (metricName: string, stat: string, id = database.instance): MetricRef => ({
        namespace: "AWS/RDS",
        metricName,
        dimensions: { DBInstanceIdentifier: id },
        stat,
    });
    // Unset thresholds follow the class's memory (settings/presets.ts, databaseAlarmDefaults).
    const byClass = databaseAlarmDefaults(database.instanceClass);
    const freeableMemoryMiB = t.databaseFreeableMemoryMiB ?? byClass.databaseFreeableMemoryMiB;
    const connections = t.databaseConnections ?? byClass.databaseConnections;
    specs.push(
        {
            id: "db-cpu",
            title: "Database CPU (%)",
            description: `Database CPU above ${t.databaseCpuPercent} % for 15 minutes.`,
            metrics: [db("CPUUtilization", "Average")],
            period: 300,
            evaluationPeriods: 3,
            threshold: t.databaseCpuPercent,
            comparison: "GreaterThanThreshold",
            treatMissingData: "breaching",
        },
        {
            id: "db-free-storage",
            title: "Database free storage (bytes)",
            description: `Less than ${t.databaseFreeStorageGiB} GiB of database storage left (storage autoscaling did not keep up or reached its ceiling).`,
            metrics: [db("FreeStorageSpace", "Minimum")],
            period: 300,
            evaluationPeriods: 1,
            threshold: t.databaseFreeStorageGiB * GIB,
            comparison: "LessThanThreshold",
            treatMissingData: "breaching",
        },
        {
            id: "db-freeable-memory",
            title: "Database freeable memory (bytes)",
            description: `Less than ${freeableMemoryMiB} MiB of database memory free for 15 minutes.`,
            metrics: [db("FreeableMemory", "Minimum")],
            period: 300,
            evaluationPeriods: 3,
            threshold: freeableMemoryMiB * MIB,
            comparison: "LessThanThreshold",
            treatMissingData: "breaching",
        },
        {
            id: "db-connections",
            title: "Database connections",
            description: `More than ${connections} database connections for 10 minutes.`,
            metrics: [db("DatabaseConnections", "Maximum")],
            period: 300,
            evaluationPeriods: 2,
            threshold: connections,
            comparison: "GreaterThanThreshold",
            treatMissingData: "breaching",
        },
    );
    if (database.replica !== undefined) {
        specs.push({
            id: "db-replica-lag",
            title: "Read replica lag (s)",
            description: `The read replica is more than ${t.replicaLagSeconds} s behind for 10 minutes: reports read stale data.`,
            metrics: [db("ReplicaLag", "Maximum", database.replica)],
            period: 300,
            evaluationPeriods: 2,
            threshold: t.replicaLagSeconds,
            comparison: "GreaterThanThreshold",
            treatMissingData: "breaching",
        });
    }
    return specs;
}

/** One Redis member: memory (the queue filling up) and evictions (queued requests lost). */
function redisAlarms(cacheCluster: pulumi.Input<string>, i: number, t: Thresholds): AlarmSpec[] {
    const redis = (metricName: string, stat: string): MetricRef => ({
        namespace: "AWS/ElastiCache",
        metricName,
        dimensions: { CacheClusterId: cacheCluster },
        stat,
    });
    return [
        {
            id: `redis-${i + 1}-memory`,
            title: `Redis node ${i + 1} memory used (%)`,
            description: `Redis node ${i + 1} uses more than ${t.redisMemoryPercent} % of its memory for 10 minutes: the tracking queue is close to full.`,
            metrics: [redis("DatabaseMemoryUsagePercentage", "Maximum")],
            period: 300,
            evaluationPeriods: 2,
            threshold: t.redisMemoryPercent,
            comparison: "GreaterThanThreshold",
            treatMissingData: "breaching",
        },
        {
            id: `redis-${i + 1}-evictions`,
            title: `Redis node ${i + 1} evictions`,
            description: `Redis node ${i + 1} evicted keys: queued tracking requests may have been dropped.`,
            metrics: [redis("Evictions", "Sum")],
            period: 300,
            evaluationPeriods: 1,
            threshold: 1,
            comparison: "GreaterThanOrEqualToThreshold",
            treatMissingData: "notBreaching",
        },
    ];
}

/** What the ui nodes report: each QueuedTracking queue's backlog, archiving runs, and the database as they reach it. */
function nodeAlarms(r: MonitoredResources, o: ResolvedObservability): AlarmSpec[] {
    const t = o.thresholds;
    const node = (metricName: string, stat: string, extra?: Record<string, pulumi.Input<string>>) => nodeMetric(r, metricName, stat, extra);
    const specs: AlarmSpec[] = [];
    for (let queue = 0; queue < (r.queues ?? 0); queue++) {
        specs.push({
            id: `queue-${queue}-backlog`,
            title: `QueuedTracking queue ${queue} backlog`,
            description: `Queue ${queue} held more than ${t.queueBacklogRequests} request sets for 10 minutes: its worker does not keep up (or no ui node reports).`,
            metrics: [node(NODE_METRICS.queueBacklog, "Minimum", { Queue: String(queue) })],
            period: 60,
            evaluationPeriods: 10,
            threshold: t.queueBacklogRequests,
            comparison: "GreaterThanThreshold",
            treatMissingData: "breaching",
        });
    }
    specs.push(
        {
            id: "archiving-heartbeat",
            title: "Successful archiving runs",
            description: `No core:archive run succeeded in ${o.archivingHeartbeatHours} hours (reports stop updating). Missing data counts: a ui node that sends nothing is the failure.`,
            metrics: [node(NODE_METRICS.archivingSucceeded, "Sum")],
            period: 3600,
            evaluationPeriods: o.archivingHeartbeatHours,
            threshold: 1,
            comparison: "LessThanThreshold",
            treatMissingData: "breaching",
        },
        {
            id: "database-unreachable",
            title: "Database reachable from the ui nodes",
            description: "The ui nodes' deep check could not reach the database for 3 minutes (or no ui node reported).",
            metrics: [node(NODE_METRICS.databaseReachable, "Minimum")],
            period: 60,
            evaluationPeriods: 3,
            threshold: 1,
            comparison: "LessThanThreshold",
            treatMissingData: "breaching",
        },
    );
    return specs;
}

/** A node's provisioning failed (the metric filter on the provisioning log group, logs.ts). */
function provisioningAlarm(namespace: string): AlarmSpec {
    return {
        id: "provisioning-failures",
        title: "Provisioning failures",
        description: "A node's provisioning stopped with an error (its log group `provisioning` says why).",
        metrics: [{ namespace, metricName: NODE_METRICS.provisioningFailures, dimensions: {}, stat: "Sum" }],
        period: 300,
        evaluationPeriods: 1,
        threshold: 1,
        comparison: "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching",
    };
}

/** The alarm's own arguments for one spec (everything but names and actions). */
export function alarmArgs(spec: AlarmSpec): Partial<aws.cloudwatch.MetricAlarmArgs> {
    const common = {
        alarmDescription: spec.description,
        comparisonOperator: spec.comparison,
        evaluationPeriods: spec.evaluationPeriods,
        ...(spec.datapointsToAlarm !== undefined ? { datapointsToAlarm: spec.datapointsToAlarm } : {}),
        threshold: spec.threshold,
        treatMissingData: spec.treatMissingData,
    };
    if (spec.expression === undefined) {
        const [m] = spec.metrics;
        const percentile = /^p\d+(\.\d+)?$/.test(m.stat);
        return {
            ...common,
            namespace: m.namespace,
            metricName: m.metricName,
            dimensions: m.dimensions,
            period: spec.period,
            ...(percentile ? { extendedStatistic: m.stat } : { statistic: m.stat }),
        };
    }
    return {
        ...common,
        metricQueries: [
            { id: "e1", expression: spec.expression, label: spec.title, returnData: true },
            ...spec.metrics.map((m, i) => ({
                id: `m${i + 1}`,
                returnData: false,
                metric: { namespace: m.namespace, metricName: m.metricName, dimensions: m.dimensions, period: spec.period, stat: m.stat },
            })),
        ],
    };
}

/** The dashboard body: one widget per alarm, two per row, with the alarm's threshold drawn in. */
export function dashboardBody(specs: readonly AlarmSpec[], region: string, resolvedDimensions: readonly Record<string, string>[][]): string {
    const widgets = specs.map((spec, i) => {
        const metrics: unknown[] = spec.metrics.map((m, j) => {
            const dims = Object.entries(resolvedDimensions[i][j]).flat();
            return [m.namespace, m.metricName, ...dims, { stat: m.stat, ...(spec.expression !== undefined ? { id: `m${j + 1}`, visible: false } : {}) }];
        });
        if (spec.expression !== undefined) metrics.unshift([{ expression: spec.expression, label: spec.title, id: "e1" }]);
        return {
            type: "metric",
            x: (i % 2) * 12,
            y: Math.floor(i / 2) * 6,
            width: 12,
            height: 6,
            properties: {
                title: spec.title,
                region,
                view: "timeSeries",
                period: spec.period,
                metrics,
                annotations: { horizontal: [{ label: `alarm: ${spec.id}`, value: spec.threshold }] },
            },
        };
    });
    return JSON.stringify({ widgets });
}

export interface MonitoringArgs {
    observability: ResolvedObservability;
    resources: MonitoredResources;
    tags: Tags;
}

/** The topic (or the user's), one alarm per spec, and the dashboard. */
export function createMonitoring(
    clusterName: string,
    dashboardName: string,
    args: MonitoringArgs,
    parent: pulumi.Resource,
): { topicArn: pulumi.Output<string>; alarms: aws.cloudwatch.MetricAlarm[]; dashboard: aws.cloudwatch.Dashboard } {
    const o = args.observability;
    const opts = { parent };
    let topicArn: pulumi.Output<string>;
    if (o.alarmTopicArn !== undefined) {
        topicArn = pulumi.output(o.alarmTopicArn);
    } else {
        const topic = new aws.sns.Topic(`${clusterName}-alarms`, { kmsMasterKeyId: o.alarmTopicKmsKeyId, tags: args.tags }, opts);
        if (o.alarmEmail !== undefined)
            new aws.sns.TopicSubscription(`${clusterName}-alarms-email`, { topic: topic.arn, protocol: "email", endpoint: o.alarmEmail }, opts);
        topicArn = topic.arn;
    }
    const specs = alarmSpecs(args.resources, o);
    const alarms = specs.map(
        (spec) =>
            new aws.cloudwatch.MetricAlarm(
                `${clusterName}-${spec.id}`,
                {
                    ...alarmArgs(spec),
                    name: `${dashboardName}-${spec.id}`,
                    alarmActions: [topicArn],
                    okActions: [topicArn],
                    tags: args.tags,
                } as aws.cloudwatch.MetricAlarmArgs,
                opts,
            ),
    );
    const dimensions = pulumi.all(specs.map((s) => pulumi.all(s.metrics.map((m) => pulumi.all(m.dimensions)))));
    const region = aws.getRegionOutput({}, opts).region;
    const dashboard = new aws.cloudwatch.Dashboard(
        `${clusterName}-dashboard`,
        { dashboardName, dashboardBody: pulumi.all([region, dimensions]).apply(([r, dims]) => dashboardBody(specs, r, dims as Record<string, string>[][])) },
        opts,
    );
    return { topicArn, alarms, dashboard };
}
