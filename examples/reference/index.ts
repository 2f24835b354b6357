/**
 * Matomo's load-balanced reference layout (Matomo FAQ "Does Matomo work in a load balanced
 * environment?"): a load balancer in front of 2 tracker servers and 1 UI/archiving server, all
 * using one large MySQL master, in a new VPC. Set a domain, a certificate (or a Route 53 zone)
 * and an e-mail address in stack config; everything else has a default.
 */
import * as pulumi from "@pulumi/pulumi";
import { MatomoCluster, type MatomoClusterComponentArgs } from "pulumi-matomo-aws";

const config = new pulumi.Config("matomo");
const more = config.getObject<Partial<MatomoClusterComponentArgs>>("cluster") ?? {};

const certificateArn = config.get("certificateArn");
const hostedZoneId = config.get("hostedZoneId");

const cluster = new MatomoCluster("matomo", {
    ...more,
    domain: config.require("domain"),
    ...(certificateArn !== undefined ? { certificateArn } : {}),
    ...(hostedZoneId !== undefined ? { hostedZoneId } : {}),
    superUser: { ...(more.superUser ?? {}), email: config.require("superUserEmail") },
});

export const url = cluster.url;
export const loadBalancerDnsName = cluster.loadBalancerDnsName;
/** config.ini.php with `{{secret:…}}` placeholders, as the nodes' user data carries it. */
export const configIniPhp = cluster.configIniPhp;
export const configSha256 = cluster.configSha256;
/** The config as nodes write it, secrets filled in (shown only with `pulumi stack output --show-secrets`). */
export const configIniPhpRendered = cluster.configIniPhpRendered;
export const databaseHost = cluster.databaseHost;
export const databasePasswordSecretArn = cluster.databasePasswordSecretArn;
export const saltSecretArn = cluster.saltSecretArn;
export const superUserPasswordSecretArn = cluster.superUserPasswordSecretArn;
export const vpcId = cluster.vpcId;
export const loadBalancerSecurityGroupId = cluster.loadBalancerSecurityGroupId;
export const trackerSecurityGroupId = cluster.trackerSecurityGroupId;
export const uiSecurityGroupId = cluster.uiSecurityGroupId;
export const databaseSecurityGroupId = cluster.databaseSecurityGroupId;
export const trackerAutoScalingGroupName = cluster.trackerAutoScalingGroupName;
export const uiAutoScalingGroupName = cluster.uiAutoScalingGroupName;
/** For a WAF web ACL association, alarms, and an alias record of your own (with loadBalancerDnsName). */
export const loadBalancerArn = cluster.loadBalancerArn;
export const loadBalancerZoneId = cluster.loadBalancerZoneId;
export const trackerTargetGroupArn = cluster.trackerTargetGroupArn;
export const uiTargetGroupArn = cluster.uiTargetGroupArn;
export const databasePort = cluster.databasePort;
export const redisHost = cluster.redisHost;
export const trackerInstanceRoleName = cluster.trackerInstanceRoleName;
export const uiInstanceRoleName = cluster.uiInstanceRoleName;
/** Allow-list these where the nodes call out (an SMTP relay, a firewall). */
export const natGatewayPublicIps = cluster.natGatewayPublicIps;
