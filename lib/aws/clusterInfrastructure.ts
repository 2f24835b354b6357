/**
 * The cluster's shared pieces, each one child component from the resolved settings: the network,
 * the database (or the user's), Redis for QueuedTracking, and the load balancer.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { HEALTH_CHECK_PATH } from "../provision";
import { Cache } from "./cache";
import type { ClusterContext } from "./clusterContext";
import type { ClusterSecrets, DatabaseSecret } from "./clusterSecrets";
import { Database } from "./database";
import { LoadBalancer, type AccessLogsArgs } from "./loadBalancer";
import { Network } from "./network";

/** A new VPC from the settings, or the user's. */
export function createNetwork(step: ClusterContext): Network {
    const net = step.settings.network;
    return new Network(
        `${step.name}-network`,
        net.kind === "existing"
            ? { existing: { vpcId: net.vpcId, publicSubnetIds: net.publicSubnetIds, privateSubnetIds: net.privateSubnetIds }, tags: step.tags }
            : {
                  vpcCidr: net.vpcCidr,
                  availabilityZoneCount: net.availabilityZoneCount,
                  natGateways: net.natGateways,
                  vpcEndpoints: net.vpcEndpoints,
                  tags: step.tags,
                  ...step.overrides.network,
              },
        step.childOptions,
    );
}

/** The database the nodes connect to: where, and the admin credential's secret. */
export interface ClusterDatabase {
    /** Undefined when an existing database was given. */
    database?: Database;
    host: pulumi.Output<string>;
    readerHost?: pulumi.Output<string>;
    secret: DatabaseSecret;
}

/** A new database (MySQL master, optional replica), or the user's, whose admin secret is only looked at for its version. */
export function createDatabase(step: ClusterContext, network: Network, secrets: ClusterSecrets): ClusterDatabase {
    const db = step.settings.database;
    if (db.kind === "new") {
        const database = new Database(
            `${step.name}-database`,
            {
                vpcId: network.vpcId,
                subnetIds: network.privateSubnetIds,
                engine: db.engine,
                engineVersion: db.engineVersion,
                instanceClass: db.instanceClass,
                allocatedStorageGiB: db.allocatedStorageGiB,
                maxAllocatedStorageGiB: db.maxAllocatedStorageGiB,
                backupRetentionDays: db.backupRetentionDays,
                multiAz: db.multiAz,
                readReplica: db.readReplica,
                deletionProtection: db.deletionProtection,
                name: db.name,
                username: db.username,
                iops: db.iops,
                storageThroughput: db.storageThroughput,
                restoreFromSnapshot: db.restoreFromSnapshot,
                passwordVersion: db.passwordVersion,
                ...(secrets.kmsKeyId !== undefined ? { secretKmsKeyId: secrets.kmsKeyId } : {}),
                tags: step.tags,
                ...step.overrides.database,
            },
            step.childOptions,
        );
        return {
            database,
            host: database.address,
            readerHost: database.readerAddress,
            secret: { arn: database.passwordSecretArn, jsonKey: "password", versionId: database.passwordSecretVersionId },
        };
    }
    // The admin credential's secret (password plain or as RDS's JSON): only its version is read here.
    const current = aws.secretsmanager.getSecretVersionOutput({ secretId: db.passwordSecretArn }, { parent: step.parent });
    // After you rotate it, the next `pulumi up` sees the new version and rolls the groups.
    return { host: pulumi.output(db.host), secret: { arn: pulumi.output(db.passwordSecretArn), jsonKey: "password", versionId: current.versionId } };
}

/** Redis for QueuedTracking; none without it. */
export function createCache(step: ClusterContext, network: Network): Cache | undefined {
    const queued = step.settings.queuedTracking;
    if (!queued.enabled) return undefined;
    return new Cache(
        `${step.name}-cache`,
        { vpcId: network.vpcId, subnetIds: network.privateSubnetIds, nodeType: queued.nodeType, tags: step.tags, ...step.overrides.cache },
        step.childOptions,
    );
}

/** The HTTPS load balancer in the public subnets, routing tracker paths to the trackers and the rest to the ui. */
export function createLoadBalancer(step: ClusterContext, network: Network, accessLogs: AccessLogsArgs | undefined): LoadBalancer {
    const { settings } = step;
    return new LoadBalancer(
        `${step.name}-lb`,
        {
            vpcId: network.vpcId,
            subnetIds: network.publicSubnetIds,
            domain: settings.domain,
            certificateArn: settings.certificate.kind === "arn" ? settings.certificate.arn : undefined,
            hostedZoneId: settings.hostedZoneId,
            createDnsRecord: settings.createDnsRecord,
            ingressCidrs: settings.ingressCidrs,
            healthCheckPath: HEALTH_CHECK_PATH,
            healthCheck: step.aws.healthCheck,
            stickyTrackers: settings.queuedTracking.enabled,
            accessLogs,
            tags: step.tags,
            ...step.overrides.loadBalancer,
        },
        step.childOptions,
    );
}
