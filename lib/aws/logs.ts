/**
 * The CloudWatch log groups the nodes ship to (one per log source, lib/provision/observability.ts)
 * and the metric filter that turns a provisioning error into a metric. Created by the cluster, as
 * its children, before the node groups: the agent never creates a group, so retention and
 * encryption are always the library's.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LOG_SOURCES, NODE_METRICS, type LogSource } from "../provision";
import { physicalName } from "./naming";
import type { Tags } from "./options";

/** `/matomo/<cluster>-logs-<hash>/<source>`: unique per project, stack and cluster (naming.ts), within CloudWatch Logs' character set. */
export function logGroupNames(clusterName: string): Record<LogSource, string> {
    const base = `/matomo/${physicalName(clusterName, "logs", 200)}`;
    return Object.fromEntries((Object.keys(LOG_SOURCES) as LogSource[]).map((source) => [source, `${base}/${source}`])) as Record<LogSource, string>;
}

/** The provisioning failure metric's namespace: one per cluster, since a metric filter's metric carries no constant dimension. */
export function provisioningNamespace(clusterName: string): string {
    return `Matomo/${physicalName(clusterName, "logs", 200)}`;
}

/** Every `matomo-provision[<role>]: ERROR: …` line that `die` (files/common.sh) writes: the words in that order. */
export const PROVISIONING_ERROR_PATTERN = '"matomo-provision[" "]: ERROR: "';

export interface LogGroupsArgs {
    retentionDays: number;
    kmsKeyArn?: pulumi.Input<string>;
    tags: Tags;
}

export function createLogGroups(clusterName: string, args: LogGroupsArgs, parent: pulumi.Resource): Record<LogSource, aws.cloudwatch.LogGroup> {
    const names = logGroupNames(clusterName);
    const groups = Object.fromEntries(
        (Object.keys(LOG_SOURCES) as LogSource[]).map((source) => [
            source,
            new aws.cloudwatch.LogGroup(
                `${clusterName}-log-${source}`,
                { name: names[source], retentionInDays: args.retentionDays, kmsKeyId: args.kmsKeyArn, tags: { ...args.tags, "matomo:log": source } },
                { parent },
            ),
        ]),
    ) as Record<LogSource, aws.cloudwatch.LogGroup>;
    new aws.cloudwatch.LogMetricFilter(
        `${clusterName}-provisioning-failures`,
        {
            name: `${physicalName(clusterName, "provisioning-failures", 200)}`,
            logGroupName: groups.provisioning.name,
            pattern: PROVISIONING_ERROR_PATTERN,
            metricTransformation: { name: NODE_METRICS.provisioningFailures, namespace: provisioningNamespace(clusterName), value: "1", unit: "Count" },
        },
        { parent },
    );
    return groups;
}
