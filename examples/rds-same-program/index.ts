/**
 * Matomo on a MySQL RDS instance this program creates itself, in a network it creates too: the
 * instance's Outputs (address, port, database name, master user name and the master password
 * secret RDS manages) go to `database.existing` as they are, and the instance's security group
 * admits the cluster's tracker and ui groups. The cluster creates no database of its own.
 */
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { MatomoCluster, type MatomoClusterComponentArgs } from "pulumi-matomo-aws";

const config = new pulumi.Config("matomo");
const more = config.getObject<Partial<MatomoClusterComponentArgs>>("cluster") ?? {};
const certificateArn = config.get("certificateArn");

const vpc = new awsx.ec2.Vpc("matomo-network", { numberOfAvailabilityZones: 2, tags: { app: "matomo" } });

const dbGroup = new aws.ec2.SecurityGroup("matomo-mysql", { vpcId: vpc.vpcId, description: "MySQL for Matomo, from the cluster nodes only" });
const subnets = new aws.rds.SubnetGroup("matomo-mysql", { subnetIds: vpc.privateSubnetIds, description: "Matomo's MySQL, private subnets" });

const db = new aws.rds.Instance("matomo-mysql", {
    engine: "mysql",
    engineVersion: "8.0",
    instanceClass: config.get("dbInstanceClass") ?? "db.t4g.large",
    allocatedStorage: 50,
    storageType: "gp3",
    storageEncrypted: true,
    dbName: "matomo",
    username: "matomo_admin",
    // RDS keeps the password in a Secrets Manager secret of its own, as JSON {"username","password"}.
    manageMasterUserPassword: true,
    dbSubnetGroupName: subnets.name,
    vpcSecurityGroupIds: [dbGroup.id],
    backupRetentionPeriod: 7,
    deletionProtection: true,
    finalSnapshotIdentifier: "matomo-mysql-final",
});

const cluster = new MatomoCluster("matomo", {
    ...more,
    domain: config.require("domain"),
    ...(certificateArn !== undefined ? { certificateArn } : { hostedZoneId: config.require("hostedZoneId") }),
    superUser: { ...(more.superUser ?? {}), email: config.require("superUserEmail") },
    network: { existing: { vpcId: vpc.vpcId, publicSubnetIds: vpc.publicSubnetIds, privateSubnetIds: vpc.privateSubnetIds } },
    database: {
        existing: {
            host: db.address,
            port: db.port,
            name: db.dbName,
            username: db.username,
            passwordSecretArn: db.masterUserSecrets.apply((secrets) => secrets[0].secretArn),
        },
    },
    // A database this program creates holds no Matomo yet: a new [General] salt for it.
    salt: { generateNew: true },
});

// The nodes connect to MySQL: admit the tracker and ui groups on the instance's port.
for (const [role, groupId] of [
    ["tracker", cluster.trackerSecurityGroupId],
    ["ui", cluster.uiSecurityGroupId],
] as const) {
    new aws.vpc.SecurityGroupIngressRule(`matomo-mysql-from-${role}`, {
        securityGroupId: dbGroup.id,
        referencedSecurityGroupId: groupId,
        ipProtocol: "tcp",
        fromPort: db.port,
        toPort: db.port,
        description: `MySQL from the Matomo ${role} nodes`,
    });
}

export const url = cluster.url;
export const loadBalancerDnsName = cluster.loadBalancerDnsName;
export const configIniPhp = cluster.configIniPhp;
export const configSha256 = cluster.configSha256;
export const databaseHost = db.address;
export const databaseSecretArn = db.masterUserSecrets.apply((secrets) => secrets[0].secretArn);
export const trackerAutoScalingGroupName = cluster.trackerAutoScalingGroupName;
export const uiAutoScalingGroupName = cluster.uiAutoScalingGroupName;
