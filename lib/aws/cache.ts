/**
 * Cache: the ElastiCache Redis that Matomo's QueuedTracking plugin queues tracking requests in.
 * Private subnets only, encrypted at rest and in transit (TLS required), every client
 * authenticated with an AUTH token generated here and kept in Secrets Manager, admitting port
 * 6379 only from the groups linked to it.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { resolveCacheComponentArgs } from "../settings";
import { ELASTICACHE_AUTH_TOKEN } from "../model/awsLimits";
import { physicalName, physicalPrefix, NAME_LIMITS } from "./naming";
import { childOpts, primaryChildOpts, withOverride } from "./options";

// Generated from the schema (lib/settings/components.ts) with every other argument type (npm run generate).
import type { CacheArgs } from "./componentArgs.generated";
export type { CacheArgs };

/** The port Redis listens on (ElastiCache's default). */
export const REDIS_PORT = 6379;

/**
 * The AUTH token's length and the non-alphanumerics it may use: a subset of what ElastiCache allows
 * (`ELASTICACHE_AUTH_TOKEN`), leaving out `&` and `$`, the two the config's escaping must rewrite,
 * so the token reads back the same through any INI reader. 64 characters also fit QueuedTracking's
 * `redisPassword` limit (100 in its older releases, 128 in 5.x).
 */
export const AUTH_TOKEN_LENGTH = 64;
export const AUTH_TOKEN_SPECIALS = "!#^<>-";

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
    /** ARN of the Secrets Manager secret holding the AUTH token: grant its read to the clients, and only to them. */
    readonly authTokenSecretArn: pulumi.Output<string>;
    /** The AUTH token (a Pulumi secret). */
    readonly authToken: pulumi.Output<string>;

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
        // The AUTH token: generated once, kept in Secrets Manager for the nodes to read at boot.
        if (AUTH_TOKEN_LENGTH < ELASTICACHE_AUTH_TOKEN.minLength || AUTH_TOKEN_LENGTH > ELASTICACHE_AUTH_TOKEN.maxLength)
            throw new Error("Cache: bad AUTH token length");
        const token = new random.RandomPassword(
            `${name}-auth-token`,
            { length: AUTH_TOKEN_LENGTH, special: true, overrideSpecial: AUTH_TOKEN_SPECIALS, minLower: 1, minUpper: 1, minNumeric: 1, minSpecial: 1 },
            childOpts(this),
        );
        const tokenSecret = new aws.secretsmanager.Secret(
            `${name}-auth-token`,
            {
                namePrefix: physicalPrefix(name, "redis-auth-token", NAME_LIMITS.secretNamePrefix),
                description: "Matomo QueuedTracking Redis AUTH token ([QueuedTracking] redisPassword)",
                recoveryWindowInDays: 7,
                tags,
            },
            childOpts(this),
        );
        new aws.secretsmanager.SecretVersion(`${name}-auth-token`, { secretId: tokenSecret.id, secretString: token.result }, childOpts(this));
        this.authTokenSecretArn = tokenSecret.arn;
        this.authToken = pulumi.secret(token.result);
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
                    // Set on create; on an existing group the provider modifies it in place (ElastiCache's
                    // ROTATE strategy, its default: CHANGELOG, upgrading to the AUTH token).
                    authToken: token.result,
                    authTokenUpdateStrategy: "ROTATE",
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
        this.registerOutputs({ host: this.host, securityGroupId: this.securityGroupId, authTokenSecretArn: this.authTokenSecretArn });
    }
}
