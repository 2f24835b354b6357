/**
 * Composing Matomo into an existing stack: the VPC and subnets come from stack config or from
 * another stack's outputs (a StackReference), the certificate is an existing ACM certificate,
 * and the database can be one you already run. Nothing here creates a VPC.
 */
import * as pulumi from "@pulumi/pulumi";
import { MatomoCluster, type ExistingDatabaseArgs, type ExistingNetworkArgs, type MatomoClusterComponentArgs } from "pulumi-matomo-aws";

const config = new pulumi.Config("matomo");
const more = config.getObject<Partial<MatomoClusterComponentArgs>>("cluster") ?? {};

function network(): ExistingNetworkArgs {
    const stackName = config.get("networkStack");
    if (stackName === undefined) {
        return {
            vpcId: config.require("vpcId"),
            publicSubnetIds: config.requireObject<string[]>("publicSubnetIds"),
            privateSubnetIds: config.requireObject<string[]>("privateSubnetIds"),
        };
    }
    // Another stack's outputs, passed on as Outputs: AWS checks the ids when they resolve.
    const ref = new pulumi.StackReference(stackName);
    const ids = (output: string) => ref.requireOutput(output).apply((list) => list as string[]);
    return { vpcId: ref.requireOutput("vpcId").apply(String), publicSubnetIds: ids("publicSubnetIds"), privateSubnetIds: ids("privateSubnetIds") };
}

const database = config.getObject<ExistingDatabaseArgs>("database");
// With an existing database, the salt of the Matomo it belongs to (its API tokens are hashed with it).
const saltSecretArn = config.get("saltSecretArn");

const cluster = new MatomoCluster("matomo", {
    ...more,
    domain: config.require("domain"),
    certificateArn: config.require("certificateArn"),
    superUser: { ...(more.superUser ?? {}), email: config.require("superUserEmail") },
    network: { existing: network() },
    ...(database !== undefined ? { database: { existing: database } } : {}),
    ...(saltSecretArn !== undefined ? { salt: { existingSecretArn: saltSecretArn } } : {}),
});

export const url = cluster.url;
/** Point your own DNS record (CNAME or alias) for the domain here. */
export const loadBalancerDnsName = cluster.loadBalancerDnsName;
export const configIniPhp = cluster.configIniPhp;
export const configSha256 = cluster.configSha256;
export const databaseHost = cluster.databaseHost;
/** Admit these on 3306 in an existing database's security group. */
export const trackerSecurityGroupId = cluster.trackerSecurityGroupId;
export const uiSecurityGroupId = cluster.uiSecurityGroupId;
export const loadBalancerSecurityGroupId = cluster.loadBalancerSecurityGroupId;
export const trackerAutoScalingGroupName = cluster.trackerAutoScalingGroupName;
export const uiAutoScalingGroupName = cluster.uiAutoScalingGroupName;
/** For an alias record in your own zone, a WAF web ACL association, and alarms. */
export const loadBalancerArn = cluster.loadBalancerArn;
export const loadBalancerZoneId = cluster.loadBalancerZoneId;
export const trackerTargetGroupArn = cluster.trackerTargetGroupArn;
export const uiTargetGroupArn = cluster.uiTargetGroupArn;
export const databasePort = cluster.databasePort;
export const trackerInstanceRoleName = cluster.trackerInstanceRoleName;
export const uiInstanceRoleName = cluster.uiInstanceRoleName;
