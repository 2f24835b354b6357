/**
 * MatomoCluster: Matomo's load-balanced reference layout from one `MatomoClusterArgs`.
 *
 *   internet ─► LoadBalancer (public subnets, 443; 80 → 301)
 *                 ├─ tracker paths ─► NodeGroup "tracker" (private subnets) ─┐
 *                 └─ everything else ► NodeGroup "ui" (archiving cron)  ────┼─► Database (MySQL master, 3306)
 *                                                                           └─► Cache (Redis, with QueuedTracking)
 *
 * Both node groups get user data rendered from the same config text, so they carry the same
 * config sha256; any settings change that touches the config rolls both groups.
 */
import * as pulumi from "@pulumi/pulumi";
import { resolveClusterComponentArgs, HiddenValue, InvalidArgumentError, type MatomoClusterArgs, type ResolvedSettings } from "../settings";
import { USER_DATA_LIMIT_BYTES, type LogSource } from "../provision";
import { largestUserDataBytes } from "../provision/budget";
import type { Network } from "./network";
import type { Secrets } from "./secrets";
import type { Database } from "./database";
import type { Cache } from "./cache";
import type { LoadBalancer } from "./loadBalancer";
import type { NodeGroup } from "./nodeGroup";
import type { DebianImage } from "./image";
import type { ProvisioningBucket } from "./provisioningBucket";
import type { NodeImage } from "./nodeImage";
import { clusterTags } from "./options";
import { checkRegions, stackRegion } from "./region";
import type { ClusterContext } from "./clusterContext";
import { createClusterSecrets, nodeSecretAccess } from "./clusterSecrets";
import { createCache, createDatabase, createLoadBalancer, createNetwork } from "./clusterInfrastructure";
import { createClusterMonitoring, createLogging, logClusterBucketAccess } from "./clusterObservability";
import { renderClusterConfig } from "./clusterConfig";
import { createNodeGroups, createNodeImages, createProvisioningBucket, nodeInputs } from "./clusterNodes";
import { allowClusterFlows } from "./clusterFlows";
import type { MatomoClusterAwsArgs, MatomoClusterOverrides } from "./clusterArgs.generated";
import type { ResolvedObservability } from "../settings/cluster";

export { uiSizes } from "./clusterNodes";

// Generated from the schema (lib/settings/cluster.ts, `awsFields`) with the other argument types.
export type { MatomoClusterAwsArgs, MatomoClusterOverrides };

/** The arguments of `MatomoCluster`: the portable `MatomoClusterArgs` and the AWS-only `MatomoClusterAwsArgs`. */
export type MatomoClusterComponentArgs = MatomoClusterArgs & MatomoClusterAwsArgs;

/** Matomo's load-balanced layout on AWS: load balancer, tracker and ui node groups, database, optional Redis, one config on every node. */
export class MatomoCluster extends pulumi.ComponentResource {
    /** The arguments with every default filled in, as validated: what the config and user data were rendered from. */
    readonly settings: ResolvedSettings;
    /** The VPC (created, or yours). */
    readonly network: Network;
    /** The salt and super user password secrets. */
    readonly secrets: Secrets;
    /** Undefined when an existing database was given. */
    readonly database?: Database;
    /** Present when QueuedTracking is enabled. */
    readonly cache?: Cache;
    /** The HTTPS load balancer. */
    readonly loadBalancer: LoadBalancer;
    /** The tracker node group. */
    readonly trackers: NodeGroup;
    /** The ui/archiving node group. */
    readonly ui: NodeGroup;
    /** The kept Debian image both groups boot; undefined when `amiId` was given. */
    readonly image?: DebianImage;
    /** The pre-built image both groups boot (an internal child, not a public component). */
    private readonly nodeImage?: NodeImage;
    /** The AMI id of the pre-built image both groups boot; only with `nodeImage.prebuilt`. */
    readonly nodeImageId?: pulumi.Output<string>;
    /** The private, versioned S3 bucket holding each role's provisioning bundle. */
    readonly provisioningBucket: ProvisioningBucket;

    /** `https://<domain>`. */
    readonly url: pulumi.Output<string>;
    /** The load balancer's DNS name (point `domain` at it when the library does not create the record). */
    readonly loadBalancerDnsName: pulumi.Output<string>;
    /** sha256 of `configIniPhp`: the same in both roles' launch templates. */
    readonly configSha256: pulumi.Output<string>;
    /** config.ini.php with `{{secret:…}}` placeholders (no secret values): what user data carries. */
    readonly configIniPhp: pulumi.Output<string>;
    /** config.ini.php exactly as nodes write it, secrets filled in. A Pulumi secret. */
    readonly configIniPhpRendered: pulumi.Output<string>;
    /** Host name of the database master the nodes connect to. */
    readonly databaseHost: pulumi.Output<string>;
    /** Host name of the read replica, when there is one. */
    readonly databaseReaderHost?: pulumi.Output<string>;
    /** The secret holding the database password (created, or `database.existing.passwordSecretArn`). */
    readonly databasePasswordSecretArn: pulumi.Output<string>;
    /** The salt's secret: the one the library generated, or `salt.existingSecretArn`. */
    readonly saltSecretArn: pulumi.Output<string>;
    /** The secret holding the super user's initial password. */
    readonly superUserPasswordSecretArn: pulumi.Output<string>;
    /** The load balancer's security group. */
    readonly loadBalancerSecurityGroupId: pulumi.Output<string>;
    /** The tracker nodes' security group. */
    readonly trackerSecurityGroupId: pulumi.Output<string>;
    /** The ui nodes' security group. */
    readonly uiSecurityGroupId: pulumi.Output<string>;
    /** The database's security group; undefined when an existing database was given. */
    readonly databaseSecurityGroupId?: pulumi.Output<string>;
    /** Name of the trackers' auto scaling group (scaling, alarms, instance refresh). */
    readonly trackerAutoScalingGroupName: pulumi.Output<string>;
    /** Name of the ui nodes' auto scaling group. */
    readonly uiAutoScalingGroupName: pulumi.Output<string>;
    /** The VPC the cluster runs in. */
    readonly vpcId: pulumi.Output<string>;
    /** The load balancer's ARN (WAF web ACL association, alarms). */
    readonly loadBalancerArn: pulumi.Output<string>;
    /** The load balancer's canonical hosted zone id: with `loadBalancerDnsName`, for an alias record of your own. */
    readonly loadBalancerZoneId: pulumi.Output<string>;
    /** Target group of the tracker nodes (CloudWatch `TargetGroup` dimension comes from its ARN). */
    readonly trackerTargetGroupArn: pulumi.Output<string>;
    /** Target group of the ui nodes. */
    readonly uiTargetGroupArn: pulumi.Output<string>;
    /** Port of the database the nodes connect to (3306 for one this library creates). */
    readonly databasePort: pulumi.Output<number>;
    /** Primary endpoint of the QueuedTracking Redis. Only with `queuedTracking.enabled`. */
    readonly redisHost?: pulumi.Output<string>;
    /** Port of the QueuedTracking Redis. Only with `queuedTracking.enabled`. */
    readonly redisPort?: pulumi.Output<number>;
    /** IAM role names of the node instances: attach your own policies (CloudWatch agent, …) here. */
    readonly trackerInstanceRoleName: pulumi.Output<string>;
    /** IAM role name of the ui node instances. */
    readonly uiInstanceRoleName: pulumi.Output<string>;
    /** Public IPv4 addresses the nodes' outbound traffic leaves from (the NAT gateways'). Empty when you gave the network. */
    readonly natGatewayPublicIps: pulumi.Output<string[]>;
    /** The SNS topic the alarms notify (created, or yours). Only with `observability.enabled`. */
    readonly alarmTopicArn?: pulumi.Output<string>;
    /** The CloudWatch dashboard's name. Only with `observability.enabled`. */
    readonly dashboardName?: string;
    /** Log group names by source (nginx-access, nginx-error, php-fpm, matomo, provisioning, archiving). Only with `observability.enabled`. */
    readonly logGroupNames?: Record<LogSource, string>;
    /** Bucket the load balancer writes access logs to (created, or yours); undefined when off. */
    readonly accessLogBucket?: pulumi.Output<string>;

    constructor(name: string, args: MatomoClusterComponentArgs, opts?: pulumi.ComponentResourceOptions) {
        // Everything is validated before the first resource exists.
        const { settings, aws: extra } = resolveClusterArgs(args);
        checkRegions("MatomoCluster", args, stackRegion(opts));
        super("matomo:aws:MatomoCluster", name, {}, opts);
        this.settings = settings;
        const step: ClusterContext = {
            name,
            settings,
            aws: extra,
            overrides: extra.overrides ?? {},
            tags: clusterTags(settings.tags, name),
            // protect/provider(s)/transforms flow to children through `parent`; these two are passed on explicitly.
            childOptions: {
                parent: this,
                ...(opts?.ignoreChanges ? { ignoreChanges: opts.ignoreChanges } : {}),
                ...(opts?.customTimeouts ? { customTimeouts: opts.customTimeouts } : {}),
            },
            parent: this,
        };

        // The steps, in the order their resources are made; each reads only what the earlier ones made.
        this.network = createNetwork(step);
        const secrets = createClusterSecrets(step);
        this.secrets = secrets.component;
        const db = createDatabase(step, this.network, secrets);
        this.database = db.database;
        this.databaseReaderHost = db.readerHost;
        this.databaseSecurityGroupId = db.database?.securityGroupId;
        this.cache = createCache(step, this.network);
        const logging = createLogging(step);
        this.accessLogBucket = logging.accessLogs && pulumi.output(logging.accessLogs.bucket);
        this.logGroupNames = logging.nodeObservability?.logGroups;
        this.loadBalancer = createLoadBalancer(step, this.network, logging.accessLogs);

        const config = renderClusterConfig(step, { database: db, cache: this.cache, secrets });
        this.configIniPhp = config.text;
        this.configSha256 = config.sha256;
        this.configIniPhpRendered = config.rendered;

        const access = nodeSecretAccess(step, { secrets, databaseSecret: db.secret, cache: this.cache, references: config.references });
        const inputs = nodeInputs(step, {
            config,
            secrets,
            databaseSecret: db.secret,
            cache: this.cache,
            ...(logging.nodeObservability ? { nodeObservability: logging.nodeObservability } : {}),
        });
        this.provisioningBucket = createProvisioningBucket(step, inputs);
        logClusterBucketAccess(step, this.provisioningBucket, logging);
        const images = createNodeImages(step, this.network, this.provisioningBucket);
        this.image = images.image;
        this.nodeImage = images.nodeImage;
        this.nodeImageId = this.nodeImage?.imageId;
        const groups = createNodeGroups(step, {
            network: this.network,
            loadBalancer: this.loadBalancer,
            bucket: this.provisioningBucket,
            inputs,
            access,
            amiId: images.amiId,
            ...(logging.logGroups ? { logGroups: logging.logGroups } : {}),
        });
        this.ui = groups.ui;
        this.trackers = groups.trackers;
        allowClusterFlows(step, { loadBalancer: this.loadBalancer, trackers: this.trackers, ui: this.ui, database: this.database, cache: this.cache });
        if (extra.observability.enabled) this.dashboardName = logging.monitoringName;
        this.alarmTopicArn = createClusterMonitoring(step, {
            monitoringName: logging.monitoringName,
            loadBalancer: this.loadBalancer,
            database: this.database,
            cache: this.cache,
        });

        this.url = pulumi.output(this.loadBalancer.url);
        this.loadBalancerDnsName = this.loadBalancer.dnsName;
        this.databaseHost = db.host;
        this.databasePasswordSecretArn = db.secret.arn;
        this.saltSecretArn = secrets.salt.arn;
        this.superUserPasswordSecretArn = this.secrets.superUserPasswordSecretArn;
        this.loadBalancerSecurityGroupId = this.loadBalancer.securityGroupId;
        this.trackerSecurityGroupId = this.trackers.securityGroupId;
        this.uiSecurityGroupId = this.ui.securityGroupId;
        this.trackerAutoScalingGroupName = this.trackers.groupName;
        this.uiAutoScalingGroupName = this.ui.groupName;
        this.vpcId = this.network.vpcId;
        this.loadBalancerArn = this.loadBalancer.loadBalancer.arn;
        this.loadBalancerZoneId = this.loadBalancer.zoneId;
        this.trackerTargetGroupArn = this.loadBalancer.trackerTargetGroup.arn;
        this.uiTargetGroupArn = this.loadBalancer.uiTargetGroup.arn;
        this.databasePort = this.database ? this.database.port : pulumi.output(settings.database.port);
        if (this.cache) {
            this.redisHost = this.cache.host;
            this.redisPort = pulumi.output(this.cache.port);
        }
        this.trackerInstanceRoleName = this.trackers.role.name;
        this.uiInstanceRoleName = this.ui.role.name;
        this.natGatewayPublicIps = this.network.natGatewayPublicIps;
        this.registerOutputs(this.outputs());
    }

    /** The stack outputs, named as the properties above. */
    private outputs(): pulumi.Inputs {
        return {
            url: this.url,
            loadBalancerDnsName: this.loadBalancerDnsName,
            configSha256: this.configSha256,
            configIniPhp: this.configIniPhp,
            configIniPhpRendered: this.configIniPhpRendered,
            databaseHost: this.databaseHost,
            databaseReaderHost: this.databaseReaderHost,
            databasePasswordSecretArn: this.databasePasswordSecretArn,
            saltSecretArn: this.saltSecretArn,
            superUserPasswordSecretArn: this.superUserPasswordSecretArn,
            loadBalancerSecurityGroupId: this.loadBalancerSecurityGroupId,
            trackerSecurityGroupId: this.trackerSecurityGroupId,
            uiSecurityGroupId: this.uiSecurityGroupId,
            databaseSecurityGroupId: this.databaseSecurityGroupId,
            trackerAutoScalingGroupName: this.trackerAutoScalingGroupName,
            uiAutoScalingGroupName: this.uiAutoScalingGroupName,
            vpcId: this.vpcId,
            loadBalancerArn: this.loadBalancerArn,
            loadBalancerZoneId: this.loadBalancerZoneId,
            trackerTargetGroupArn: this.trackerTargetGroupArn,
            uiTargetGroupArn: this.uiTargetGroupArn,
            databasePort: this.databasePort,
            redisHost: this.redisHost,
            redisPort: this.redisPort,
            trackerInstanceRoleName: this.trackerInstanceRoleName,
            uiInstanceRoleName: this.uiInstanceRoleName,
            natGatewayPublicIps: this.natGatewayPublicIps,
            alarmTopicArn: this.alarmTopicArn,
            dashboardName: this.dashboardName,
            accessLogBucket: this.accessLogBucket,
            logGroupNames: this.logGroupNames,
            nodeImageId: this.nodeImageId,
        };
    }
}

/** The password in a secret string: RDS's JSON `{"password": …}` or the whole string. */
export function passwordFromSecretString(secretString: string): string {
    try {
        const parsed: unknown = JSON.parse(secretString);
        if (parsed !== null && typeof parsed === "object" && typeof (parsed as { password?: unknown }).password === "string") {
            return (parsed as { password: string }).password;
        }
    } catch {
        // not JSON: the whole string is the password
    }
    return secretString;
}

/**
 * Resolve and validate the portable settings and the AWS knobs together (one schema, so every
 * problem is listed at once), before any resource exists.
 */
export function resolveClusterArgs(args: MatomoClusterComponentArgs): {
    settings: ResolvedSettings;
    aws: MatomoClusterAwsArgs & { observability: ResolvedObservability };
} {
    const { settings, aws } = resolveClusterComponentArgs(args);
    // The user data is rendered later, inside an apply; its size is known now (see provision/budget.ts).
    const bytes = largestUserDataBytes(settings, aws.observability.enabled);
    for (const role of ["tracker", "ui"] as const) {
        if (bytes[role] > USER_DATA_LIMIT_BYTES) {
            const keys = Object.values(settings.extraConfig).reduce((n, entries) => n + Object.keys(entries).length, 0);
            throw new InvalidArgumentError(
                "MatomoCluster",
                "extraConfig",
                new HiddenValue(`(${keys} keys)`),
                `less: the ${role} nodes' user data would reach ${bytes[role]} bytes, over EC2's ${USER_DATA_LIMIT_BYTES}. Shorten extraConfig, give long values as secret references, or lower queuedTracking.numQueueWorkers`,
            );
        }
    }
    // The AWS knobs come back as given (checked), with the components' own defaults left to them.
    return { settings, aws: aws as MatomoClusterAwsArgs & { observability: ResolvedObservability } };
}
