/**
 * The cluster's observability steps: what exists before any node (the load balancer's access log
 * bucket, the log groups, what nodes are told to ship where), the buckets' own server access logs,
 * and the alarms and dashboard once every watched resource exists (docs/observability.md).
 */
import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { LogSource, NodeObservability } from "../provision";
import { createAccessLogBucket } from "./albLogs";
import type { Cache } from "./cache";
import type { ClusterContext } from "./clusterContext";
import type { Database } from "./database";
import type { AccessLogsArgs, LoadBalancer } from "./loadBalancer";
import { createLogGroups, logGroupNames, provisioningNamespace } from "./logs";
import { createMonitoring } from "./monitoring";
import { physicalName } from "./naming";
import { logServerAccess } from "./s3AccessLogs";
import type { ProvisioningBucket } from "./provisioningBucket";

export interface ClusterLogging {
    /** Where the load balancer writes access logs: the user's bucket, the one created here, or nowhere. */
    accessLogs?: AccessLogsArgs;
    /** The access log bucket created here (its own server access logs are kept too). */
    albLogBucket?: aws.s3.Bucket;
    /** Only with `observability.enabled`. */
    logGroups?: Record<LogSource, aws.cloudwatch.LogGroup>;
    /** What every node is told about metrics and logs; only with `observability.enabled`. */
    nodeObservability?: NodeObservability;
    /** One name per project, stack and cluster (naming.ts): the metrics' Cluster dimension and the dashboard's name, so two stacks never mix. */
    monitoringName: string;
}

/** Everything observability needs before the first node boots. */
export function createLogging(step: ClusterContext): ClusterLogging {
    const { name, tags } = step;
    const obs = step.aws.observability;
    let accessLogs = step.aws.accessLogs;
    let albLogBucket: aws.s3.Bucket | undefined;
    if (accessLogs === undefined && obs.createAccessLogBucket) {
        const created = createAccessLogBucket(
            name,
            { expirationDays: obs.accessLogExpirationDays, forceDestroy: obs.accessLogBucketForceDestroy, tags },
            step.parent,
        );
        albLogBucket = created.bucket;
        accessLogs = { bucket: created.writableBucketName };
    }
    // Log groups exist before any node boots: the agent never creates one (retention and KMS stay ours).
    const logGroups = obs.enabled ? createLogGroups(name, { retentionDays: obs.logRetentionDays, kmsKeyArn: obs.logKmsKeyArn, tags }, step.parent) : undefined;
    const monitoringName = physicalName(name, "matomo", 255);
    const nodeObservability: NodeObservability | undefined = obs.enabled
        ? {
              logGroups: logGroupNames(name),
              cluster: monitoringName,
              ...(obs.metricsEndpointUrl !== undefined ? { metricsEndpointUrl: obs.metricsEndpointUrl } : {}),
          }
        : undefined;
    return { accessLogs, albLogBucket, logGroups, nodeObservability, monitoringName };
}

/** S3 server access logs (FSBP S3.9) of the buckets made here, kept or deleted on destroy like the load balancer's logs. */
export function logClusterBucketAccess(step: ClusterContext, provisioningBucket: ProvisioningBucket, logging: ClusterLogging): void {
    const obs = step.aws.observability;
    if (!obs.enabled) return;
    logServerAccess(
        step.name,
        {
            sources: [
                { bucket: provisioningBucket.bucket, what: "provisioning" },
                ...(logging.albLogBucket ? [{ bucket: logging.albLogBucket, what: "alb-logs" }] : []),
            ],
            expirationDays: obs.accessLogExpirationDays,
            forceDestroy: obs.accessLogBucketForceDestroy,
            tags: step.tags,
        },
        step.parent,
    );
}

/** The alarms (to the SNS topic) and the dashboard, over everything the cluster made; returns the topic's ARN, none when observability is off. */
export function createClusterMonitoring(
    step: ClusterContext,
    watched: { monitoringName: string; loadBalancer: LoadBalancer; database?: Database; cache?: Cache },
): pulumi.Output<string> | undefined {
    const { settings } = step;
    const obs = step.aws.observability;
    if (!obs.enabled) return undefined;
    const { monitoringName, loadBalancer, database, cache } = watched;
    const db = settings.database;
    const monitoring = createMonitoring(
        step.name,
        monitoringName,
        {
            observability: obs,
            tags: step.tags,
            resources: {
                cluster: monitoringName,
                loadBalancer: loadBalancer.loadBalancer.arnSuffix,
                targetGroups: { tracker: loadBalancer.trackerTargetGroup.arnSuffix, ui: loadBalancer.uiTargetGroup.arnSuffix },
                ...(database && db.kind === "new"
                    ? {
                          database: {
                              instance: database.instance.identifier,
                              ...(database.replica ? { replica: database.replica.identifier } : {}),
                              instanceClass: db.instanceClass,
                          },
                      }
                    : {}),
                ...(cache ? { redisClusters: cache.memberClusterIds } : {}),
                ...(settings.queuedTracking.enabled ? { queues: settings.queuedTracking.numQueueWorkers } : {}),
                provisioningNamespace: provisioningNamespace(step.name),
            },
        },
        step.parent,
    );
    return monitoring.topicArn;
}
