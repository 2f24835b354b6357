/**
 * Matomo at the `large` preset: QueuedTracking on, so trackers queue every tracking request in an
 * ElastiCache Redis and the ui/archiving group's queue workers write them into MySQL; larger
 * instances and a Multi-AZ database. Set a domain, a certificate (or a Route 53 zone), an e-mail
 * address and the QueuedTracking release's sha256 in stack config.
 */
import * as pulumi from "@pulumi/pulumi";
import { MatomoCluster, type MatomoClusterComponentArgs } from "pulumi-matomo-aws";

const config = new pulumi.Config("matomo");
const more = config.getObject<Partial<MatomoClusterComponentArgs>>("cluster") ?? {};

const certificateArn = config.get("certificateArn");
const hostedZoneId = config.get("hostedZoneId");

const cluster = new MatomoCluster("matomo", {
    preset: "large",
    ...more,
    domain: config.require("domain"),
    ...(certificateArn !== undefined ? { certificateArn } : {}),
    ...(hostedZoneId !== undefined ? { hostedZoneId } : {}),
    superUser: { ...(more.superUser ?? {}), email: config.require("superUserEmail") },
    queuedTracking: { ...(more.queuedTracking ?? {}), enabled: true, pluginSha256: config.require("queuedTrackingPluginSha256") },
});

export const url = cluster.url;
export const loadBalancerDnsName = cluster.loadBalancerDnsName;
export const configIniPhp = cluster.configIniPhp;
export const configSha256 = cluster.configSha256;
/** The Redis endpoint the [QueuedTracking] section points at. */
export const redisHost = cluster.redisHost;
export const databaseHost = cluster.databaseHost;
export const trackerAutoScalingGroupName = cluster.trackerAutoScalingGroupName;
export const uiAutoScalingGroupName = cluster.uiAutoScalingGroupName;
export const alarmTopicArn = cluster.alarmTopicArn;
export const dashboardName = cluster.dashboardName;
