/**
 * Matomo in a network made in the same program by awsx's `ec2.Vpc`: public and private subnets in
 * each zone, a NAT gateway per zone (awsx's defaults), and the cluster given the Vpc's outputs.
 * The load balancer goes in the public subnets, the node groups and the database in the private ones.
 */
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { MatomoCluster, type MatomoClusterComponentArgs } from "pulumi-matomo-aws";

const config = new pulumi.Config("matomo");
const more = config.getObject<Partial<MatomoClusterComponentArgs>>("cluster") ?? {};
const certificateArn = config.get("certificateArn");

const vpc = new awsx.ec2.Vpc("matomo-network", {
    cidrBlock: "10.0.0.0/16",
    numberOfAvailabilityZones: config.getNumber("zones") ?? 3,
    enableDnsHostnames: true,
    tags: { app: "matomo" },
});

const cluster = new MatomoCluster("matomo", {
    ...more,
    domain: config.require("domain"),
    ...(certificateArn !== undefined ? { certificateArn } : { hostedZoneId: config.require("hostedZoneId") }),
    superUser: { ...(more.superUser ?? {}), email: config.require("superUserEmail") },
    // awsx's outputs are Outputs: the cluster checks each id when it resolves.
    network: { existing: { vpcId: vpc.vpcId, publicSubnetIds: vpc.publicSubnetIds, privateSubnetIds: vpc.privateSubnetIds } },
});

export const url = cluster.url;
export const vpcId = vpc.vpcId;
export const publicSubnetIds = vpc.publicSubnetIds;
export const privateSubnetIds = vpc.privateSubnetIds;
export const loadBalancerDnsName = cluster.loadBalancerDnsName;
export const configIniPhp = cluster.configIniPhp;
export const configSha256 = cluster.configSha256;
export const databaseHost = cluster.databaseHost;
export const trackerAutoScalingGroupName = cluster.trackerAutoScalingGroupName;
export const uiAutoScalingGroupName = cluster.uiAutoScalingGroupName;
