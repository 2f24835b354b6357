/**
 * Cache: the ElastiCache Redis that Matomo's QueuedTracking plugin queues tracking requests in.
 * Private subnets only, encrypted at rest, admitting port 6379 only from the groups linked to it.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { resolveCacheComponentArgs } from "../settings";
import { physicalName, NAME_LIMITS } from "./naming";
import { childOpts, primaryChildOpts, withOverride, type ChildOverride, type Tags } from "./options";

/** The arguments of `Cache`. */
export interface CacheArgs {
    /** VPC the cache's security group is created in. Required. */
    vpcId: pulumi.Input<string>;
    /** Private subnets. */
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Default `cache.t4g.small`. */
    nodeType?: string;
    /** Default `7.1`. */
    engineVersion?: string;
    /**
     * In-transit encryption. Default `preferred`: TLS is offered and plain connections still work.
     * The QueuedTracking plugin connects with phpredis's plain `connect(host, port)`, no TLS, so
     * `MatomoCluster` refuses `required`; the traffic stays in the VPC, admitted only from the node groups.
     */
    transitEncryption?: "preferred" | "required";
    /**
     * A replica in a second zone that takes over when the primary fails (AWS FSBP ElastiCache.3):
     * the queue holds hits not yet recorded. Default true (two nodes); false keeps one node.
     */
    automaticFailover?: boolean;
    /** Tags for every resource. Default none. */
    tags?: Tags;
    /** Extra arguments merged over the replication group's (receives the component's `ignoreChanges` and `customTimeouts`). Default none. */
    replicationGroup?: ChildOverride<aws.elasticache.ReplicationGroupArgs>;
}

/** The port Redis listens on (ElastiCache's default). */
export const REDIS_PORT = 6379;

/** A Redis replication group for QueuedTracking, private and encrypted, reachable only from linked security groups. */
export class Cache extends pulumi.ComponentResource {
    /** The ElastiCache replication group. */
    readonly replicationGroup: aws.elasticache.ReplicationGroup;
    /** The cache's security group: link clients to it with `allowTcp` on `port`. */
    readonly securityGroupId: pulumi.Output<string>;
    /** The primary endpoint's host name. */
    readonly host: pulumi.Output<string>;
    /** `REDIS_PORT`. */
    readonly port: number;
    /** Ids of the member cache clusters (the CloudWatch `CacheClusterId` dimension): ElastiCache names them `<group id>-001`, `-002`, …. */
    readonly memberClusterIds: string[];

    constructor(name: string, args: CacheArgs, opts?: pulumi.ComponentResourceOptions) {
        const r = resolveCacheComponentArgs(args);
        super("matomo:aws:Cache", name, {}, opts);
        const tags = r.tags ?? {};
        const sg = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            { vpcId: args.vpcId, description: "Matomo queued tracking: Redis from the node groups only", tags: { ...tags, Name: `${name}-redis` } },
            childOpts(this),
        );
        const subnets = new aws.elasticache.SubnetGroup(
            `${name}-subnets`,
            // A name of our own, not Pulumi's autoname: ElastiCache takes only letters, digits and hyphens, which a component name need not be.
            {
                name: physicalName(name, "subnets", NAME_LIMITS.cacheSubnetGroupName),
                subnetIds: args.subnetIds,
                description: "Matomo queued tracking: private subnets",
                tags,
            },
            childOpts(this),
        );
        this.replicationGroup = new aws.elasticache.ReplicationGroup(
            `${name}-redis`,
            withOverride<aws.elasticache.ReplicationGroupArgs>(
                {
                    replicationGroupId: physicalName(name, "redis", NAME_LIMITS.replicationGroupId),
                    description: "Matomo QueuedTracking queue",
                    engine: "redis",
                    engineVersion: r.engineVersion,
                    nodeType: r.nodeType,
                    numCacheClusters: r.automaticFailover ? 2 : 1,
                    automaticFailoverEnabled: r.automaticFailover,
                    multiAzEnabled: r.automaticFailover,
                    port: REDIS_PORT,
                    subnetGroupName: subnets.name,
                    securityGroupIds: [sg.id],
                    atRestEncryptionEnabled: true,
                    transitEncryptionEnabled: true,
                    transitEncryptionMode: r.transitEncryption,
                    autoMinorVersionUpgrade: true,
                    snapshotRetentionLimit: 1,
                    tags,
                },
                args.replicationGroup,
            ),
            primaryChildOpts(this, opts, args.replicationGroup),
        );
        this.securityGroupId = sg.id;
        this.host = this.replicationGroup.primaryEndpointAddress;
        const groupId = physicalName(name, "redis", NAME_LIMITS.replicationGroupId);
        this.memberClusterIds = Array.from({ length: r.automaticFailover ? 2 : 1 }, (_, i) => `${groupId}-${String(i + 1).padStart(3, "0")}`);
        this.port = REDIS_PORT;
        this.registerOutputs({ host: this.host, securityGroupId: this.securityGroupId });
    }
}
