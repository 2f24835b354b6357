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
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { resolveClusterComponentArgs, withKnownValues, HiddenValue, InvalidArgumentError, type MatomoClusterArgs, type ResolvedSettings } from "../settings";
import { renderConfig, fillSecretPlaceholders, configSecretReferences, databaseUserNames, secretValueFromString, type RenderedConfig } from "../config";
import {
    renderProvisioningBundle,
    renderUserData,
    HEALTH_CHECK_PATH,
    TRACKER_HEALTH_CHECK_GRACE_SECONDS,
    USER_DATA_LIMIT_BYTES,
    trackerUnreadSecretNames,
    type BundleInput,
    type NodeRole,
    type SecretRef,
    type UserDataInput,
} from "../provision";
import { largestUserDataBytes } from "../provision/budget";
import { Network, type NetworkArgs } from "./network";
import { Secrets, type SecretsArgs } from "./secrets";
import { Database, type DatabaseArgs } from "./database";
import { Cache, REDIS_PORT, type CacheArgs } from "./cache";
import { LoadBalancer, type AccessLogsArgs, type HealthCheckArgs, type LoadBalancerArgs } from "./loadBalancer";
import { NodeGroup, NODE_EGRESS_PORTS, type InstanceRefreshArgs, type NodeGroupArgs } from "./nodeGroup";
import { DebianImage } from "./image";
import { ProvisioningBucket } from "./provisioningBucket";
import { NodeImage } from "./nodeImage";
import { allowTcp } from "./securityGroups";
import { clusterTags } from "./options";
import { checkRegions, stackRegion } from "./region";
import { createAccessLogBucket } from "./albLogs";
import { logServerAccess } from "./s3AccessLogs";
import { createLogGroups, logGroupNames, provisioningNamespace } from "./logs";
import { createMonitoring } from "./monitoring";
import { physicalName } from "./naming";
import { LOG_SOURCES, METRICS_NAMESPACE, type LogSource, type NodeObservability } from "../provision";
import type { ObservabilityArgs } from "../settings";
import type { ResolvedObservability } from "../settings/cluster";

/** Per-child overrides: extra arguments merged over what the cluster computed, for what we didn't foresee. */
export interface MatomoClusterOverrides {
    /** The `Network` component's VPC override (a new VPC only). Default none. */
    network?: Pick<NetworkArgs, "vpc">;
    /** The `Secrets` component's secret override, KMS key and recovery window. Default none. */
    secrets?: Pick<SecretsArgs, "secret" | "kmsKeyId" | "recoveryWindowInDays" | "allowUnsafe">;
    /** The `Database` component's instance and replica overrides, extra parameters, KMS key, final snapshot, TLS requirement, more security groups admitted, log exports and enhanced monitoring (a new database only). Default none. */
    database?: Pick<
        DatabaseArgs,
        | "instance"
        | "replica"
        | "extraParameters"
        | "kmsKeyId"
        | "finalSnapshot"
        | "requireTls"
        | "allowedSecurityGroupIds"
        | "logExports"
        | "monitoringIntervalSeconds"
        | "allowUnsafe"
    >;
    /** The `Cache` component's replication group override, engine version, transit encryption and automatic failover (with QueuedTracking). Default none. */
    cache?: Pick<CacheArgs, "replicationGroup" | "engineVersion" | "transitEncryption" | "automaticFailover" | "allowUnsafe">;
    /** The `LoadBalancer` component's load balancer and target group overrides, idle timeout and deletion protection. Default none. */
    loadBalancer?: Pick<LoadBalancerArgs, "loadBalancer" | "targetGroup" | "idleTimeoutSeconds" | "deletionProtection" | "allowUnsafe">;
    /** The tracker `NodeGroup`'s launch template and group overrides and root volume. Default none. */
    trackers?: Pick<NodeGroupArgs, "launchTemplate" | "autoScalingGroup" | "rootVolumeGiB" | "rootDeviceName" | "allowUnsafe">;
    /** The ui `NodeGroup`'s launch template and group overrides and root volume. Default none. */
    ui?: Pick<NodeGroupArgs, "launchTemplate" | "autoScalingGroup" | "rootVolumeGiB" | "rootDeviceName" | "allowUnsafe">;
}

/** AWS-only knobs beside the portable `MatomoClusterArgs`. */
export interface MatomoClusterAwsArgs {
    /** How fast a config change rolls the node groups. Defaults: 100 % healthy minimum, 200 % maximum, 120 s warmup. */
    instanceRefresh?: InstanceRefreshArgs;
    /**
     * Seconds after launch before failed health checks count, both groups. Default 900 for ui
     * nodes (first boot installs packages and Matomo) and 2400 for trackers (that, plus up to 30
     * minutes waiting for a ui node's install or core:update during an upgrade).
     */
    healthCheckGracePeriodSeconds?: number;
    /** Target group health checks. Defaults: every 15 s, 5 s timeout, 2 to turn healthy, 3 to turn unhealthy. */
    healthCheck?: HealthCheckArgs;
    /** Load balancer access logs to an S3 bucket you own (with Elastic Load Balancing's write policy). Default: a bucket the library creates (`observability.createAccessLogBucket`). */
    accessLogs?: AccessLogsArgs;
    /** Log groups, node metrics, alarms to SNS, the dashboard, the access log bucket (docs/observability.md). Default on, with the defaults of its fields. */
    observability?: ObservabilityArgs;
    /** Per-child overrides. Default none. */
    overrides?: MatomoClusterOverrides;
}

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
        const o = extra.overrides ?? {};
        const tags = clusterTags(settings.tags, name);
        // protect/provider(s)/transforms flow to children through `parent`; these two are passed on explicitly.
        const childOptions: pulumi.ComponentResourceOptions = {
            parent: this,
            ...(opts?.ignoreChanges ? { ignoreChanges: opts.ignoreChanges } : {}),
            ...(opts?.customTimeouts ? { customTimeouts: opts.customTimeouts } : {}),
        };

        const net = settings.network;
        this.network = new Network(
            `${name}-network`,
            net.kind === "existing"
                ? { existing: { vpcId: net.vpcId, publicSubnetIds: net.publicSubnetIds, privateSubnetIds: net.privateSubnetIds }, tags }
                : {
                      vpcCidr: net.vpcCidr,
                      availabilityZoneCount: net.availabilityZoneCount,
                      natGateways: net.natGateways,
                      vpcEndpoints: net.vpcEndpoints,
                      tags,
                      ...o.network,
                  },
            childOptions,
        );

        const db = settings.database;
        // The users Matomo runs as (lib/config/databaseUsers.ts); the ui creates them with the admin credential.
        this.secrets = new Secrets(
            `${name}-secrets`,
            {
                tags,
                generateSalt: settings.salt.kind === "generated",
                databaseUsers: {
                    // The schema's name may come from another resource (database.existing.name as an Output).
                    names: databaseUserNamesOf(db.name, db.tablesPrefix),
                    passwordVersion: db.kind === "new" ? db.passwordVersion : 1,
                },
                ...o.secrets,
            },
            childOptions,
        );
        const databaseUsers = this.secrets.databaseUsers!;
        // One key for every secret the cluster creates (the Secrets component's and the master credential's).
        const secretsKey = (o.secrets?.secret?.args?.kmsKeyId ?? o.secrets?.kmsKeyId) as pulumi.Input<string> | undefined;
        // The salt: the one generated above, or an adopted Matomo's kept in the user's secret (read
        // here only for the rendered config, a secret output; nodes read it themselves at boot).
        const salt = settings.salt;
        const saltSecret: { arn: pulumi.Output<string>; jsonKey?: string; value: pulumi.Output<string> } =
            salt.kind === "existing"
                ? {
                      arn: pulumi.output(salt.secretArn),
                      ...(salt.jsonKey !== undefined ? { jsonKey: salt.jsonKey } : {}),
                      value: pulumi.secret(
                          aws.secretsmanager
                              .getSecretVersionOutput({ secretId: salt.secretArn }, { parent: this })
                              .secretString.apply((v) => secretValueFromString(v, salt.jsonKey)),
                      ),
                  }
                : { arn: this.secrets.saltSecretArn!, value: this.secrets.salt! };

        let databaseHost: pulumi.Output<string>;
        // `versionId`: the secret's current version, carried in user data so a new password rolls both groups.
        let databaseSecret: { arn: pulumi.Output<string>; jsonKey?: string; versionId: pulumi.Output<string> };
        if (db.kind === "new") {
            this.database = new Database(
                `${name}-database`,
                {
                    vpcId: this.network.vpcId,
                    subnetIds: this.network.privateSubnetIds,
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
                    ...(secretsKey !== undefined ? { secretKmsKeyId: secretsKey } : {}),
                    tags,
                    ...o.database,
                },
                childOptions,
            );
            databaseHost = this.database.address;
            this.databaseReaderHost = this.database.readerAddress;
            databaseSecret = { arn: this.database.passwordSecretArn, jsonKey: "password", versionId: this.database.passwordSecretVersionId };
            this.databaseSecurityGroupId = this.database.securityGroupId;
        } else {
            databaseHost = pulumi.output(db.host);
            // The admin credential's secret (password plain or as RDS's JSON): only its version is read here.
            const current = aws.secretsmanager.getSecretVersionOutput({ secretId: db.passwordSecretArn }, { parent: this });
            // After you rotate it, the next `pulumi up` sees the new version and rolls the groups.
            databaseSecret = { arn: pulumi.output(db.passwordSecretArn), jsonKey: "password", versionId: current.versionId };
        }

        if (settings.queuedTracking.enabled) {
            this.cache = new Cache(
                `${name}-cache`,
                { vpcId: this.network.vpcId, subnetIds: this.network.privateSubnetIds, nodeType: settings.queuedTracking.nodeType, tags, ...o.cache },
                childOptions,
            );
        }

        const obs = extra.observability;
        let accessLogs = extra.accessLogs;
        let albLogBucket: aws.s3.Bucket | undefined;
        if (accessLogs === undefined && obs.createAccessLogBucket) {
            const created = createAccessLogBucket(
                name,
                { expirationDays: obs.accessLogExpirationDays, forceDestroy: obs.accessLogBucketForceDestroy, tags },
                this,
            );
            albLogBucket = created.bucket;
            accessLogs = { bucket: created.writableBucketName };
        }
        this.accessLogBucket = accessLogs && pulumi.output(accessLogs.bucket);
        // Log groups exist before any node boots: the agent never creates one (retention and KMS stay ours).
        const logGroups = obs.enabled ? createLogGroups(name, { retentionDays: obs.logRetentionDays, kmsKeyArn: obs.logKmsKeyArn, tags }, this) : undefined;
        // One name per project, stack and cluster (naming.ts): the metrics' Cluster dimension and the dashboard's name, so two stacks never mix.
        const monitoringName = physicalName(name, "matomo", 255);
        const nodeObservability: NodeObservability | undefined = obs.enabled
            ? {
                  logGroups: logGroupNames(name),
                  cluster: monitoringName,
                  ...(obs.metricsEndpointUrl !== undefined ? { metricsEndpointUrl: obs.metricsEndpointUrl } : {}),
              }
            : undefined;
        this.logGroupNames = nodeObservability?.logGroups;

        this.loadBalancer = new LoadBalancer(
            `${name}-lb`,
            {
                vpcId: this.network.vpcId,
                subnetIds: this.network.publicSubnetIds,
                domain: settings.domain,
                certificateArn: settings.certificate.kind === "arn" ? settings.certificate.arn : undefined,
                hostedZoneId: settings.hostedZoneId,
                createDnsRecord: settings.createDnsRecord,
                ingressCidrs: settings.ingressCidrs,
                healthCheckPath: HEALTH_CHECK_PATH,
                healthCheck: extra.healthCheck,
                stickyTrackers: settings.queuedTracking.enabled,
                accessLogs,
                tags,
                ...o.loadBalancer,
            },
            childOptions,
        );

        // The settings as the renderers read them: every argument given as an Output resolved (and checked).
        const knownSettings = withKnownValues(settings);
        // One config for every node: rendered once, from the database host(s) once they are known.
        const config: pulumi.Output<RenderedConfig> = pulumi
            .all([knownSettings, databaseHost, this.databaseReaderHost ?? pulumi.output(undefined), this.cache?.host ?? pulumi.output(undefined)])
            .apply(([known, host, reader, redisHost]) =>
                renderConfig(known, {
                    databaseHost: host,
                    ...(reader !== undefined ? { databaseReaderHost: reader } : {}),
                    ...(redisHost !== undefined ? { redis: { host: redisHost, port: REDIS_PORT } } : {}),
                }),
            );
        this.configIniPhp = config.apply((c) => c.text);
        this.configSha256 = config.apply((c) => c.sha256);
        // Secrets the user gave by reference (mail.password, extraConfig values): every node reads
        // them, since every node has the same config. Read here only for the secret output below.
        const references = configSecretReferences(settings);
        const referenceValues = pulumi.all(
            references.map((r) =>
                aws.secretsmanager
                    .getSecretVersionOutput({ secretId: r.reference.secretArn }, { parent: this })
                    .secretString.apply((v) => [r.name, secretValueFromString(v, r.reference.jsonKey)] as const),
            ),
        );
        this.configIniPhpRendered = pulumi.secret(
            pulumi
                .all([
                    this.configIniPhp,
                    databaseUsers.app.username,
                    databaseUsers.app.password,
                    saltSecret.value,
                    referenceValues,
                    this.cache?.authToken ?? pulumi.output(undefined),
                ])
                .apply(([text, appUser, password, saltValue, refs, redisPassword]) =>
                    fillSecretPlaceholders(text, {
                        ...Object.fromEntries(refs),
                        database_username: appUser,
                        database_password: password,
                        salt: saltValue,
                        ...(redisPassword !== undefined ? { redis_password: redisPassword } : {}),
                    }),
                ),
        );

        const region = aws.getRegionOutput({}, { parent: this }).region;
        // Each role reads exactly the secrets its boot reads. Trackers (the internet-facing nodes): their
        // own database user's, the salt, and the user's referenced secrets but the SMTP password (the
        // config is the same on every node; trackers send no mail). Never the admin credential, the
        // app user's, or the super user's password.
        const trackerUnread = trackerUnreadSecretNames(settings);
        const referencedSecretArns = references.filter((r) => !trackerUnread.includes(r.name)).map((r) => pulumi.output(r.reference.secretArn));
        const uiOnlySecretArns = references.filter((r) => trackerUnread.includes(r.name)).map((r) => pulumi.output(r.reference.secretArn));
        // The MaxMind license key: every node downloads the location database itself (docs/runtime-files.md).
        const geoIpKey = settings.geoIp.provider === "maxmind" ? settings.geoIp.licenseKey : undefined;
        if (geoIpKey !== undefined) referencedSecretArns.push(pulumi.output(geoIpKey.secretArn));
        // The Marketplace license key: read by every node that downloads a premium plugin (each node
        // installs every plugin), and by none when no plugin downloads with it.
        const license = settings.plugins.some((p) => p.licensed) ? settings.marketplace.licenseKey : undefined;
        const secretArnsOf = (role: NodeRole): pulumi.Input<string>[] => [
            saltSecret.arn,
            ...(role === "ui"
                ? [databaseSecret.arn, databaseUsers.app.arn, databaseUsers.tracker.arn, this.secrets.superUserPasswordSecretArn, ...uiOnlySecretArns]
                : [databaseUsers.tracker.arn]),
            // The Redis AUTH token: trackers enqueue, the ui processes the queue and publishes its backlog.
            ...(this.cache ? [this.cache.authTokenSecretArn] : []),
            ...referencedSecretArns,
            ...(license !== undefined ? [license.secretArn] : []),
        ];
        // Customer-managed keys of those secrets: the nodes need kms:Decrypt on them (the default aws/secretsmanager key needs no grant).
        // As with the secrets, per role: the ui alone for the admin credential's and the SMTP password's keys.
        const secretKmsKeyArns: pulumi.Input<string>[] = [];
        const uiOnlyKmsKeyArns: pulumi.Input<string>[] = [];
        if (secretsKey !== undefined) secretKmsKeyArns.push(kmsKeyArn(secretsKey, this));
        if (db.kind === "existing" && db.passwordSecretKmsKeyArn !== undefined) uiOnlyKmsKeyArns.push(db.passwordSecretKmsKeyArn);
        if (salt.kind === "existing" && salt.kmsKeyArn !== undefined) secretKmsKeyArns.push(salt.kmsKeyArn);
        for (const r of references)
            if (r.reference.kmsKeyArn !== undefined) (trackerUnread.includes(r.name) ? uiOnlyKmsKeyArns : secretKmsKeyArns).push(r.reference.kmsKeyArn);
        if (geoIpKey?.kmsKeyArn !== undefined) secretKmsKeyArns.push(geoIpKey.kmsKeyArn);
        if (license?.kmsKeyArn !== undefined) secretKmsKeyArns.push(license.kmsKeyArn);
        const secretKmsKeyArnsOf = (role: NodeRole) => (role === "ui" ? [...secretKmsKeyArns, ...uiOnlyKmsKeyArns] : secretKmsKeyArns);
        const geoIpKeyRef = pulumi
            .output(geoIpKey?.secretArn)
            .apply((arn): SecretRef | undefined =>
                arn === undefined || geoIpKey === undefined
                    ? undefined
                    : { secretArn: arn, ...(geoIpKey.jsonKey !== undefined ? { jsonKey: geoIpKey.jsonKey } : {}) },
            );
        const referencedSecretRefs = pulumi.all(
            references.map((r) =>
                pulumi
                    .output(r.reference.secretArn)
                    .apply((arn) => [r.name, { secretArn: arn, ...(r.reference.jsonKey !== undefined ? { jsonKey: r.reference.jsonKey } : {}) }] as const),
            ),
        );
        const nodeInput = (role: NodeRole): pulumi.Output<BundleInput> =>
            pulumi
                .all([
                    pulumi.all([knownSettings, config]),
                    region,
                    databaseSecret.arn,
                    saltSecret.arn,
                    this.secrets.superUserPasswordSecretArn,
                    referencedSecretRefs,
                    geoIpKeyRef,
                    pulumi.all([
                        license?.secretArn,
                        databaseSecret.versionId,
                        databaseUsers.app.arn,
                        databaseUsers.app.versionId,
                        databaseUsers.tracker.arn,
                        databaseUsers.tracker.versionId,
                        this.cache?.authTokenSecretArn,
                    ]),
                ])
                .apply(
                    ([
                        [known, c],
                        r,
                        dbArn,
                        saltArn,
                        superArn,
                        refArns,
                        geoIpKeyArn,
                        [licenseArn, dbVersion, appArn, appVersion, trackerArn, trackerVersion, redisTokenArn],
                    ]) => {
                        const own = role === "ui" ? appArn : trackerArn;
                        const secrets: UserDataInput["secrets"] = {
                            database_username: { secretArn: own, jsonKey: "username" },
                            database_password: { secretArn: own, jsonKey: "password" },
                            ...(role === "ui"
                                ? {
                                      databaseUsers: {
                                          adminUsername: known.database.username,
                                          adminPassword: { secretArn: dbArn, ...(databaseSecret.jsonKey ? { jsonKey: databaseSecret.jsonKey } : {}) },
                                          appSecretArn: appArn,
                                          trackerSecretArn: trackerArn,
                                      },
                                  }
                                : {}),
                            salt: { secretArn: saltArn, ...(saltSecret.jsonKey !== undefined ? { jsonKey: saltSecret.jsonKey } : {}) },
                            superuser_password: { secretArn: superArn },
                            ...(redisTokenArn !== undefined ? { redis_password: { secretArn: redisTokenArn } } : {}),
                            references: Object.fromEntries(refArns) as Record<string, SecretRef>,
                            ...(geoIpKeyArn !== undefined ? { geoip_license_key: geoIpKeyArn } : {}),
                            ...(licenseArn !== undefined
                                ? { marketplaceLicenseKey: { secretArn: licenseArn, ...(license?.jsonKey !== undefined ? { jsonKey: license.jsonKey } : {}) } }
                                : {}),
                        };
                        return {
                            role,
                            settings: known,
                            config: c,
                            region: r,
                            secrets,
                            // A new password of any credential the role reads rolls it (the ui sets all three: admin, app, tracker).
                            databasePasswordVersion: role === "ui" ? [dbVersion, appVersion, trackerVersion].join(",") : trackerVersion,
                            ...(nodeObservability ? { observability: nodeObservability } : {}),
                        };
                    },
                );
        // Each role's scripts and rendered files, stored as one versioned S3 object; user data names
        // that exact version and its sha256 (docs/provisioning.md, "The provisioning bundle").
        const inputs = { tracker: nodeInput("tracker"), ui: nodeInput("ui") };
        this.provisioningBucket = new ProvisioningBucket(
            `${name}-provisioning`,
            {
                bundles: {
                    tracker: inputs.tracker.apply((i) => renderProvisioningBundle(i).content.toString("base64")),
                    ui: inputs.ui.apply((i) => renderProvisioningBundle(i).content.toString("base64")),
                },
                tags,
            },
            childOptions,
        );
        // S3 server access logs (FSBP S3.9) of the buckets made here, kept or deleted on destroy like the load balancer's logs.
        if (obs.enabled) {
            logServerAccess(
                name,
                {
                    sources: [
                        { bucket: this.provisioningBucket.bucket, what: "provisioning" },
                        ...(albLogBucket ? [{ bucket: albLogBucket, what: "alb-logs" }] : []),
                    ],
                    expirationDays: obs.accessLogExpirationDays,
                    forceDestroy: obs.accessLogBucketForceDestroy,
                    tags,
                },
                this,
            );
        }
        const userData = (role: NodeRole) => {
            const stored = this.provisioningBucket.bundles[role];
            return pulumi
                .all([inputs[role], this.provisioningBucket.bucketName, stored.versionId])
                .apply(([input, bucket, versionId]) => renderUserData({ ...input, bundle: { bucket, key: stored.key, versionId } }));
        };

        // One image for both groups: a given one as is, or Debian's, resolved once and kept until `amiGeneration` is raised.
        this.image =
            settings.amiId === undefined
                ? new DebianImage(`${name}-image`, { architecture: settings.architecture, generation: settings.amiGeneration, tags }, childOptions)
                : undefined;
        // nodeImage.prebuilt: both groups boot an image baked from that one (lib/aws/nodeImage.ts).
        this.nodeImage = settings.nodeImage.prebuilt
            ? new NodeImage(
                  `${name}-node-image`,
                  {
                      settings,
                      parentImageId: (settings.amiId ?? this.image?.imageId)!,
                      vpcId: this.network.vpcId,
                      subnetId: this.network.privateSubnetIds.apply((ids) => ids[0]),
                      bucketName: this.provisioningBucket.bucketName,
                      bucketArn: this.provisioningBucket.bucket.arn,
                      tags,
                  },
                  childOptions,
              )
            : undefined;
        this.nodeImageId = this.nodeImage?.imageId;
        const amiId = this.nodeImage?.imageId ?? settings.amiId ?? this.image?.imageId;

        const nodeGroup = (
            role: NodeRole,
            sizes: { instanceType: string; minSize: number; maxSize: number; desiredCapacity: number; targetCpuUtilization?: number },
            targetGroupArn: pulumi.Output<string>,
            rollAfter?: NodeGroup,
        ) => {
            const rendered = userData(role);
            const own = role === "tracker" ? o.trackers : o.ui;
            return new NodeGroup(
                `${name}-${role}`,
                {
                    role,
                    vpcId: this.network.vpcId,
                    subnetIds: this.network.privateSubnetIds,
                    ...sizes,
                    architecture: settings.architecture,
                    amiId,
                    userData: rendered.apply((u) => u.base64),
                    configSha256: rendered.apply((u) => u.configSha256),
                    targetGroupArns: [targetGroupArn],
                    secretArns: secretArnsOf(role),
                    secretKmsKeyArns: secretKmsKeyArnsOf(role),
                    ...(logGroups
                        ? {
                              logGroupArns: (Object.keys(LOG_SOURCES) as LogSource[])
                                  .filter((source) => (LOG_SOURCES[source].roles as readonly NodeRole[]).includes(role))
                                  .map((source) => logGroups[source].arn),
                              // Only the ui nodes publish metrics (archiving, deep check, queues).
                              ...(role === "ui" ? { metricNamespace: METRICS_NAMESPACE } : {}),
                          }
                        : {}),
                    bundleObjectArn: this.provisioningBucket.bundles[role].objectArn,
                    healthCheckGracePeriodSeconds: extra.healthCheckGracePeriodSeconds ?? (role === "tracker" ? TRACKER_HEALTH_CHECK_GRACE_SECONDS : undefined),
                    instanceRefresh: extra.instanceRefresh,
                    tags,
                    ...own,
                    // Pulumi updates this group only after `rollAfter`'s (see the upgrade order below).
                    ...(rollAfter !== undefined
                        ? { autoScalingGroup: { ...own?.autoScalingGroup, opts: { dependsOn: [rollAfter.autoScalingGroup], ...own?.autoScalingGroup?.opts } } }
                        : {}),
                },
                childOptions,
            );
        };
        // Upgrade order. A tracker never checks the database's version (Matomo's check is in
        // FrontController, which tracking requests do not pass through), so an old tracker keeps
        // recording against an updated schema, while new code against an old schema could write
        // columns that do not exist yet. So the schema is updated first, by the new ui node's
        // core:update under the provisioning lock, and a new tracker serves only once the database
        // reports its release (it waits, unhealthy, up to INSTALL_WAIT_SECONDS; its group's grace
        // period covers that wait, so the group does not replace it meanwhile, and the refresh's
        // minimum healthy percentage keeps every old tracker serving). The provider starts an
        // instance refresh and does not wait for it, so `dependsOn` only makes the ui's refresh
        // start first; the order itself is the trackers' wait.
        this.ui = nodeGroup("ui", { instanceType: settings.ui.instanceType, ...uiSizes(settings.ui.count) }, this.loadBalancer.uiTargetGroup.arn);
        this.trackers = nodeGroup("tracker", settings.trackers, this.loadBalancer.trackerTargetGroup.arn, this.ui);

        // The flows the layout needs, each as an egress/ingress pair between two groups.
        for (const [role, group] of [
            ["tracker", this.trackers],
            ["ui", this.ui],
        ] as const) {
            allowTcp(
                `${name}-alb-to-${role}`,
                { from: this.loadBalancer.securityGroupId, to: group.securityGroupId, port: 80, description: `HTTP to the ${role} nodes`, tags },
                { parent: this },
            );
            if (this.database) {
                allowTcp(
                    `${name}-${role}-to-db`,
                    { from: group.securityGroupId, to: this.database.securityGroupId, port: 3306, description: `MySQL from the ${role} nodes`, tags },
                    { parent: this },
                );
            } else if (pulumi.Output.isInstance(db.port) || !NODE_EGRESS_PORTS.includes(db.port as number)) {
                // On 80 or 443 the nodes' own egress to 0.0.0.0/0 already allows it; EC2 refuses a duplicate rule.
                // A port known only later gets its rule, so it must not be one of those (refused when it resolves).
                const port = pulumi.Output.isInstance(db.port) ? outputDatabasePort(db.port) : db.port;
                new aws.vpc.SecurityGroupEgressRule(
                    `${name}-${role}-to-db`,
                    {
                        securityGroupId: group.securityGroupId,
                        cidrIpv4: "0.0.0.0/0",
                        ipProtocol: "tcp",
                        fromPort: port,
                        toPort: port,
                        description: "MySQL to the existing database",
                        tags,
                    },
                    { parent: this },
                );
            }
            if (this.cache) {
                allowTcp(
                    `${name}-${role}-to-redis`,
                    { from: group.securityGroupId, to: this.cache.securityGroupId, port: REDIS_PORT, description: `Redis from the ${role} nodes`, tags },
                    { parent: this },
                );
            }
        }

        // Mail leaves from the ui nodes only (password resets, scheduled reports; trackers run no
        // scheduled tasks here), and node egress is otherwise 80 and 443 alone.
        if (settings.mail !== undefined && !NODE_EGRESS_PORTS.includes(settings.mail.port)) {
            const port = settings.mail.port;
            new aws.vpc.SecurityGroupEgressRule(
                `${name}-ui-to-smtp`,
                {
                    securityGroupId: this.ui.securityGroupId,
                    cidrIpv4: "0.0.0.0/0",
                    ipProtocol: "tcp",
                    fromPort: port,
                    toPort: port,
                    description: "SMTP to the mail server",
                    tags,
                },
                { parent: this },
            );
        }

        if (obs.enabled) {
            this.dashboardName = monitoringName;
            const monitoring = createMonitoring(
                name,
                this.dashboardName,
                {
                    observability: obs,
                    tags,
                    resources: {
                        cluster: monitoringName,
                        loadBalancer: this.loadBalancer.loadBalancer.arnSuffix,
                        targetGroups: { tracker: this.loadBalancer.trackerTargetGroup.arnSuffix, ui: this.loadBalancer.uiTargetGroup.arnSuffix },
                        ...(this.database && db.kind === "new"
                            ? {
                                  database: {
                                      instance: this.database.instance.identifier,
                                      ...(this.database.replica ? { replica: this.database.replica.identifier } : {}),
                                      instanceClass: db.instanceClass,
                                  },
                              }
                            : {}),
                        ...(this.cache ? { redisClusters: this.cache.memberClusterIds } : {}),
                        ...(settings.queuedTracking.enabled ? { queues: settings.queuedTracking.numQueueWorkers } : {}),
                        provisioningNamespace: provisioningNamespace(name),
                    },
                },
                this,
            );
            this.alarmTopicArn = monitoring.topicArn;
        }

        this.url = pulumi.output(this.loadBalancer.url);
        this.loadBalancerDnsName = this.loadBalancer.dnsName;
        this.databaseHost = databaseHost;
        this.databasePasswordSecretArn = databaseSecret.arn;
        this.saltSecretArn = saltSecret.arn;
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
        this.databasePort = this.database ? this.database.port : pulumi.output(db.port);
        if (this.cache) {
            this.redisHost = this.cache.host;
            this.redisPort = pulumi.output(this.cache.port);
        }
        this.trackerInstanceRoleName = this.trackers.role.name;
        this.uiInstanceRoleName = this.ui.role.name;
        this.natGatewayPublicIps = this.network.natGatewayPublicIps;
        this.registerOutputs({
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
        });
    }
}

/**
 * The ARN of a KMS key given as Secrets Manager takes it (key id, key ARN, alias name or alias ARN):
 * IAM grants on the key's ARN, never on an alias, so anything but a key ARN is looked up.
 */
function kmsKeyArn(keyId: pulumi.Input<string>, parent: pulumi.Resource): pulumi.Output<string> {
    return pulumi
        .output(keyId)
        .apply((id): pulumi.Output<string> =>
            /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\//.test(id) ? pulumi.output(id) : aws.kms.getKeyOutput({ keyId: id }, { parent }).arn,
        );
}

/**
 * An existing database's port given as an Output: it gets its own egress rule, decided before the
 * value is known, so a port the nodes' own egress already allows (EC2 refuses the duplicate) is
 * refused when it resolves, before the rule is created.
 */
function outputDatabasePort(port: pulumi.Output<number>): pulumi.Output<number> {
    return port.apply((p) => {
        if (NODE_EGRESS_PORTS.includes(p))
            throw new InvalidArgumentError(
                "MatomoCluster",
                ["database", "existing", "port"],
                p,
                `a port other than ${NODE_EGRESS_PORTS.join(" and ")} when given as an Output (the nodes' egress already allows those; give it as a plain number)`,
            );
        return p;
    });
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
 * The ui group: `count` nodes, and one spare place above. AWS documents a group going above its
 * maximum size only while it rebalances Availability Zones ("the system can temporarily exceed the
 * specified maximum capacity of a group by a 10% margin during a rebalancing activity"), not for an
 * instance refresh, whose maximum healthy percentage is "a percentage of the desired capacity". With
 * `maxSize = count` and 100 % to stay healthy, the refresh could not launch the replacement before
 * stopping the old node. Nothing else raises the group above `count`: the ui group has no scaling
 * policy, and its desired capacity stays `count`.
 */
export function uiSizes(count: number): { minSize: number; maxSize: number; desiredCapacity: number } {
    return { minSize: count, maxSize: count + 1, desiredCapacity: count };
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

/** The two database users' names (lib/config/databaseUsers.ts), from a schema name that may be an Output. */
function databaseUserNamesOf(schema: pulumi.Input<string>, tablesPrefix: string): { app: pulumi.Output<string>; tracker: pulumi.Output<string> } {
    const names = pulumi.output(schema).apply((s) => databaseUserNames(s, tablesPrefix));
    return { app: names.apply((n) => n.app), tracker: names.apply((n) => n.tracker) };
}
