/**
 * The arguments of each standalone component (`Network`, `Database`, `Cache`, `LoadBalancer`,
 * `NodeGroup`, `Secrets` in lib/aws), as schemas built from the same rules as the cluster's.
 * A component validates its own arguments through these, and its errors name the paths as written
 * for that component (`allocatedStorageGiB`, not `database.allocatedStorageGiB`).
 */
import type { Input } from "@pulumi/pulumi";
import type { Architecture, DatabaseEngine, ExistingNetworkArgs, NatGatewayStrategy, ResolvedNewDatabase } from "./args";
import type { ArgumentPath } from "./errors";
import { rdsGp3Problems } from "../model/awsLimits";
import * as f from "./fields";
import { allowUnsafeField, checkProtections } from "./protections";
import {
    Checker,
    boolean,
    doc,
    named,
    defaultsOf,
    eitherThis,
    input,
    type ObjectOut,
    integer,
    list,
    object,
    oneOf,
    opaqueObject,
    optional,
    pattern,
    plainList,
    required,
    text,
    validate,
    withDefault,
    type Schema,
} from "./schema";

/** `{ args?, opts? }` of a child resource: passed to it as given (its provider checks `args`). */
export const childOverride: Schema<{ args?: Record<string, unknown>; opts?: Record<string, unknown> }> = {
    ...object(
        {
            args: optional(opaqueObject<Record<string, unknown>>("an object of the child resource's arguments")),
            opts: optional(opaqueObject<Record<string, unknown>>("an object of resource options")),
        },
        undefined,
        "{ args?, opts? } (arguments and options merged over ours, shallow)",
    ),
    collapsed: true,
};

/** A child's override, typed for TypeScript by the child's own AWS SDK arguments (`aws.ec2.VpcArgs`); the other languages have none. */
function childOverrideOf(sdkArgs: string): typeof childOverride {
    return named(
        {
            tsText: `ChildOverride<${sdkArgs}>`,
            imports: [
                { name: "aws", from: "@pulumi/aws", namespace: true },
                { name: "ChildOverride", from: "aws/options" },
            ],
        },
        childOverride,
    );
}

const securityGroupIds = list(f.securityGroupId, { unique: true, acceptsOutput: false });

// ---------------------------------------------------------------- Network

export const existingNetworkFields = {
    vpcId: doc("`vpc-…`, or an Output of one.", required(f.vpcId)),
    publicSubnetIds: doc(
        "In different zones: the load balancer lives here. A list of `subnet-…` ids (each may be an Output), or an Output of the whole list (e.g. another stack's output), which is then checked by AWS rather than here.",
        required(f.subnetIds),
    ),
    privateSubnetIds: doc(
        "In different zones, with outbound internet (NAT): nodes and database live here. Same forms as `publicSubnetIds`; no id may be in both.",
        required(f.subnetIds),
    ),
};

/** A subnet given as both public and private would put the load balancer beside the nodes. */
export const existingNetwork = named(
    { ts: "ExistingNetworkArgs", ml: "ExistingNetwork", doc: "A VPC the user already has." },
    object(existingNetworkFields, (n, c, path) => {
        const pub = n.publicSubnetIds;
        const priv = n.privateSubnetIds;
        if (Array.isArray(pub) && Array.isArray(priv)) {
            const publicIds = new Set(pub.filter((id): id is string => typeof id === "string"));
            for (const [i, id] of priv.entries()) {
                if (typeof id === "string" && publicIds.has(id))
                    return c.fail([...path, "privateSubnetIds", i], id, "a subnet that is not also in publicSubnetIds");
            }
        }
        return n as ExistingNetworkArgs;
    }),
);

export const newNetworkFields = {
    vpcCidr: doc("IPv4 range of the new VPC.", withDefault(f.vpcCidr, "10.80.0.0/16")),
    availabilityZoneCount: doc("Availability zones to spread subnets over.", withDefault(integer(2, 6), 2)),
    natGateways: doc(
        "`onePerAz` keeps package and release downloads working when one zone fails; `single` saves one NAT gateway's hourly charge per extra zone.",
        withDefault(
            named(
                {
                    ts: "NatGatewayStrategy",
                    ml: "NatGatewayStrategy",
                    doc: "NAT gateways of a new VPC: one per availability zone (survives a zone failure) or a `single` shared one.",
                },
                oneOf(["onePerAz", "single"] as const),
            ),
            "onePerAz" as NatGatewayStrategy,
        ),
    ),
    vpcEndpoints: doc(
        'VPC endpoints for the AWS services nodes call: an S3 gateway endpoint (no charge) and interface endpoints for Secrets Manager, SSM, Session Manager and CloudWatch (billed per zone and hour). Without them nodes reach these services through NAT (docs/aws.md, "What nodes reach").',
        withDefault(boolean, false),
    ),
};

export type NetworkPlan =
    | { kind: "existing"; existing: ExistingNetworkArgs }
    | { kind: "new"; vpcCidr: string; availabilityZoneCount: number; natGateways: NatGatewayStrategy; vpcEndpoints: boolean };

/** `existing` or the new-VPC fields, never both: a typo must not silently pick the other kind. */
export function networkChoice(
    v: { existing?: ExistingNetworkArgs; vpcCidr: string; availabilityZoneCount: number; natGateways: NatGatewayStrategy; vpcEndpoints: boolean },
    c: Checker,
    path: ArgumentPath,
    given: ReadonlySet<string>,
): NetworkPlan | undefined {
    if (v.existing !== undefined) {
        const mixed = Object.keys(newNetworkFields).find((k) => given.has(k));
        if (mixed !== undefined)
            return c.fail([...path, mixed], (v as Record<string, unknown>)[mixed], "not with 'existing' (these settings are for a VPC this library creates)");
        return { kind: "existing", existing: v.existing };
    }
    return { kind: "new", vpcCidr: v.vpcCidr, availabilityZoneCount: v.availabilityZoneCount, natGateways: v.natGateways, vpcEndpoints: v.vpcEndpoints };
}

const OLD_SHAPE_NETWORK = "an existing VPC is given as network: { existing: { vpcId, publicSubnetIds, privateSubnetIds } }";
export const networkHints = { vpcId: OLD_SHAPE_NETWORK, publicSubnetIds: OLD_SHAPE_NETWORK, privateSubnetIds: OLD_SHAPE_NETWORK };

export const networkComponent = named(
    { ts: "NetworkArgs", ml: "NetworkArgs", component: "Network", doc: "The arguments of `Network`: a new VPC's layout, or `existing` for yours." },
    object(
        {
            existing: doc(
                "Use this VPC and these subnets instead of creating any; the new-VPC fields are then refused.",
                optional(existingNetwork, "none: create a VPC"),
            ),
            ...newNetworkFields,
            tags: doc("Tags for every resource.", optional(f.tags, "none")),
            vpc: doc("Extra arguments merged over the VPC's.", optional(childOverrideOf("aws.ec2.VpcArgs"), "none")),
        },
        (v, c, path, given) => {
            const plan = networkChoice(v, c, path, given);
            return plan && { plan, tags: v.tags, vpc: v.vpc };
        },
        "an object",
        networkHints,
    ),
);

export function resolveNetworkComponentArgs(args: unknown) {
    return validate("Network", networkComponent, args);
}

// ---------------------------------------------------------------- Database

export const newDatabaseFields = {
    engine: doc("The RDS engine.", withDefault(f.engine, "mysql" as DatabaseEngine)),
    engineVersion: doc(
        "Major version. Versions past RDS standard support are refused: a new MySQL 8.0 instance is enrolled in paid RDS Extended Support, and MariaDB 10.6's standard support ended 2026-08-31.",
        optional(f.engineVersion, "8.4 for mysql, 11.4 for mariadb"),
    ),
    instanceClass: doc(
        "RDS instance class; the reference's db.m7g.xlarge (4 vCPU, 16 GiB, Graviton) is the FAQ's \"multi-core, 16G memory\" master.",
        withDefault(f.rdsInstanceClass, "db.m7g.xlarge"),
    ),
    allocatedStorageGiB: doc(
        "gp3 storage in GiB, at most 59578 so the autoscaling ceiling (≥ 110 %) fits RDS's 65536.",
        withDefault(f.allocatedStorageGiB, 100),
    ),
    maxAllocatedStorageGiB: doc(
        "Storage autoscaling ceiling in GiB (rounded up; RDS refuses less than 110 % of `allocatedStorageGiB`).",
        optional(f.maxAllocatedStorageGiB, "1000, or 26 % above a larger allocatedStorageGiB"),
    ),
    backupRetentionDays: doc("Days of automated backups.", withDefault(f.backupRetentionDays, 14)),
    multiAz: doc("Standby in a second zone (it doubles the database cost).", withDefault(boolean, false)),
    readReplica: doc("A read replica, written into config as `[database_reader]`.", withDefault(boolean, false)),
    deletionProtection: doc("RDS deletion protection: `pulumi destroy` cannot drop the analytics data by accident.", withDefault(boolean, true)),
    name: doc("Schema name.", withDefault(f.databaseName, "matomo")),
    username: doc("Master user name.", withDefault(f.rdsMasterUsername, "matomo")),
    iops: doc(
        "Provisioned gp3 IOPS, only with `allocatedStorageGiB` of 400 or more (below, RDS refuses a value and its baseline of 3,000 applies; from 400 GiB the baseline is 12,000).",
        optional(f.gp3Iops, "RDS's gp3 baseline: 3000 below 400 GiB, 12000 from there"),
    ),
    storageThroughput: doc(
        "Provisioned gp3 throughput in MiB/s, only with `allocatedStorageGiB` of 400 or more (below, RDS refuses a value and its baseline of 125 applies; from 400 GiB the baseline is 500).",
        optional(f.gp3ThroughputMiBps, "RDS's gp3 baseline: 125 MiB/s below 400 GiB, 500 from there"),
    ),
    restoreFromSnapshot: doc(
        "Create the instance from this DB snapshot (identifier, `rds:…` automated snapshot, or ARN; an ARN for a snapshot shared from another account) instead of empty. The snapshot brings the data, the master user name and the schema name: `username` and `name` must be the ones it was taken with (the defaults are, for a snapshot of a cluster made by this library). The password is this library's (set on the instance right after the restore). See the restore runbook in docs/aws.md: the salt must be the one the data was written with.",
        optional(f.dbSnapshotIdentifier, "none: a new, empty database"),
    ),
    passwordVersion: doc(
        "Raise (2, 3, …) to rotate the master password: a new one is generated, set on the instance, stored as a new version of the password secret, and both node groups roll to read it.",
        withDefault(f.passwordVersion, 1),
    ),
};

/** The engine settings of a new RDS database, shared by the cluster's and the standalone Database's resolved forms. */
export type ResolvedDatabaseEngine = Omit<ResolvedNewDatabase, "kind" | "tablesPrefix" | "port" | "tls">;

/** Engine version by engine, storage ceiling by allocation: the cross-field rules of a new database. `prefix` is how the user reaches these fields. */
export function resolveNewDatabase(d: ObjectOut<typeof newDatabaseFields>, c: Checker, path: ArgumentPath, prefix: string): ResolvedDatabaseEngine | undefined {
    const engineVersion = d.engineVersion ?? f.DEFAULT_ENGINE_VERSION[d.engine];
    if (!f.checkEngineVersion(c, [...path, "engineVersion"], d.engine, engineVersion)) return undefined;
    const maxAllocatedStorageGiB = f.resolveMaxAllocatedStorage(
        c,
        [...path, "maxAllocatedStorageGiB"],
        d.allocatedStorageGiB,
        d.maxAllocatedStorageGiB,
        `${prefix}allocatedStorageGiB`,
    );
    if (maxAllocatedStorageGiB === undefined) return undefined;
    // Below 400 GiB RDS refuses any provisioned gp3 performance; the rule is written once, with its source, in the limits data.
    const gp3 = rdsGp3Problems(d.allocatedStorageGiB, d.iops, d.storageThroughput);
    for (const p of gp3) c.fail([...path, p.field], d[p.field], `${p.allowed}; ${prefix}allocatedStorageGiB is ${d.allocatedStorageGiB}`);
    if (gp3.length > 0) return undefined;
    return { ...d, engineVersion, maxAllocatedStorageGiB };
}

export const databaseParameter = named(
    { ts: "DatabaseParameter", ml: "DatabaseParameter", doc: "A DB parameter group entry: a MySQL/MariaDB system variable and its value, as RDS takes them." },
    object({
        name: doc("The parameter's name, e.g. `long_query_time`.", required(pattern("a parameter name (letters, digits, _ and -)", /^[A-Za-z0-9_.-]{1,128}$/))),
        value: doc("Its value, as text.", required(text("a parameter value"))),
        applyMethod: doc(
            "When RDS applies it: `immediate` (dynamic parameters) or `pending-reboot` (static ones).",
            optional(
                named({ ml: "ParameterApplyMethod", doc: "When RDS applies a parameter." }, oneOf(["immediate", "pending-reboot"] as const)),
                "RDS's for the parameter",
            ),
        ),
    }),
);

export const databaseComponentOnlyFields = {
    allowedSecurityGroupIds: doc(
        "Security groups admitted on the database port (ingress rules on the database's group); or link them with `allowTcp`.",
        optional(securityGroupIds, "none"),
    ),
    finalSnapshot: doc("Take a final snapshot when the database is deleted.", withDefault(boolean, true)),
    requireTls: doc("Refuse unencrypted connections (`require_secure_transport`).", withDefault(boolean, true)),
    kmsKeyId: doc("KMS key for storage encryption.", optional(f.kmsKeyReference, "the account's aws/rds key")),
    instance: doc(
        "Extra arguments merged over the master instance's (receives the component's `ignoreChanges` and `customTimeouts`).",
        optional(childOverrideOf("aws.rds.InstanceArgs"), "none"),
    ),
    replica: doc("Extra arguments merged over the read replica's.", optional(childOverrideOf("aws.rds.InstanceArgs"), "none")),
    allowUnsafe: doc(
        'Protections this component\'s overrides may weaken, each by its path in these arguments (e.g. `"instance.args.publiclyAccessible"`); an override that weakens any other is refused with its reason (docs/aws.md, "Overrides that weaken a protection").',
        allowUnsafeField("database"),
    ),
    extraParameters: doc(
        "More parameters, appended after ours (a parameter of the same name replaces ours).",
        optional(
            plainList(databaseParameter, {}, "a list of { name, value, applyMethod? } (RDS parameters, after ours; one of the same name replaces ours)"),
            "none",
        ),
    ),
    // Observability (AWS FSBP RDS.9 and RDS.6; docs/observability.md).
    logExports: doc(
        "Logs published to CloudWatch Logs (AWS FSBP RDS.9).",
        withDefault(plainList(f.rdsLogExport, { unique: true }, "a list of 'audit', 'error', 'general', 'slowquery'"), ["error", "slowquery"] as (
            "audit" | "error" | "general" | "slowquery"
        )[]),
    ),
    monitoringIntervalSeconds: doc(
        "Enhanced monitoring interval in seconds (AWS FSBP RDS.6).",
        withDefault(f.rdsMonitoringInterval, 60 as (typeof f.RDS_MONITORING_INTERVALS)[number]),
    ),
};

export const databaseComponent = named(
    {
        ts: "DatabaseArgs",
        ml: "DatabaseArgs",
        component: "Database",
        doc: "The arguments of `Database`: a new RDS instance's settings, as the cluster's `database` has them (but for `tablesPrefix`), and its network.",
    },
    object(
        {
            vpcId: doc("VPC the database's security group is created in.", required(f.vpcId)),
            subnetIds: doc("Private subnets in at least 2 zones.", required(f.subnetIds)),
            ...newDatabaseFields,
            ...databaseComponentOnlyFields,
            // The cluster passes overrides.secrets.kmsKeyId here: one key for every secret it creates.
            secretKmsKeyId: doc(
                "KMS key for the master credential's secret; the cluster passes `overrides.secrets.kmsKeyId`.",
                optional(f.kmsKeyReference, "the account's aws/secretsmanager key"),
            ),
            tags: doc("Tags for every resource.", optional(f.tags, "none")),
        },
        (v, c, path) => {
            const engine = resolveNewDatabase(v, c, path, "");
            if (!checkProtections("database", v, c, path)) return undefined;
            return engine && { ...v, ...engine };
        },
    ),
);

export function resolveDatabaseComponentArgs(args: unknown) {
    return validate("Database", databaseComponent, args);
}

// ---------------------------------------------------------------- Cache

export const cacheComponentOnlyFields = {
    engineVersion: doc("Redis engine version.", withDefault(pattern("a Redis engine version such as 7.1", /^\d+\.\d+$/), "7.1")),
    transitEncryption: doc(
        "In-transit encryption. `required`: ElastiCache refuses plain connections, so the AUTH token never crosses the network in the clear. `preferred` also accepts plain connections (only for clients that cannot use TLS yet); `MatomoCluster` refuses it with QueuedTracking, whose nodes connect over TLS (a `tls://` host).",
        withDefault(
            named({ ml: "TransitEncryption", doc: "ElastiCache in-transit encryption mode." }, oneOf(["preferred", "required"] as const)),
            "required" as "preferred" | "required",
        ),
    ),
    // A replica in another zone that takes over on failure (AWS FSBP ElastiCache.3): the queue holds unrecorded hits.
    automaticFailover: doc(
        "A replica in a second zone that takes over when the primary fails (AWS FSBP ElastiCache.3): the queue holds hits not yet recorded. True: two nodes; false keeps one node.",
        withDefault(boolean, true),
    ),
    replicationGroup: doc(
        "Extra arguments merged over the replication group's (receives the component's `ignoreChanges` and `customTimeouts`).",
        optional(childOverrideOf("aws.elasticache.ReplicationGroupArgs"), "none"),
    ),
    allowUnsafe: doc(
        'Protections this component\'s overrides may weaken, each by its path in these arguments (e.g. `"replicationGroup.args.atRestEncryptionEnabled"`); an override that weakens any other is refused with its reason (docs/aws.md, "Overrides that weaken a protection").',
        allowUnsafeField("cache"),
    ),
};

export const cacheComponent = named(
    { ts: "CacheArgs", ml: "CacheArgs", component: "Cache", doc: "The arguments of `Cache`." },
    object(
        {
            vpcId: doc("VPC the cache's security group is created in.", required(f.vpcId)),
            subnetIds: doc("Private subnets.", required(f.subnetIds)),
            nodeType: doc("ElastiCache node type.", withDefault(f.cacheNodeType, "cache.t4g.small")),
            ...cacheComponentOnlyFields,
            tags: doc("Tags for every resource.", optional(f.tags, "none")),
        },
        (v, c, path) => (checkProtections("cache", v, c, path) ? v : undefined),
    ),
);

export function resolveCacheComponentArgs(args: unknown) {
    return validate("Cache", cacheComponent, args);
}

// ---------------------------------------------------------------- LoadBalancer

export const accessLogs = named(
    { ts: "AccessLogsArgs", ml: "AccessLogs", doc: "Where the load balancer writes its access logs." },
    object({
        bucket: doc("S3 bucket name; its policy must let Elastic Load Balancing write.", required(f.s3BucketName)),
        prefix: doc("Key prefix within the bucket (none: the bucket's root).", optional(f.s3Prefix, "none")),
    }),
);

export const loadBalancerComponentOnlyFields = {
    idleTimeoutSeconds: doc("Idle timeout in seconds; long UI reports may want more.", withDefault(f.idleTimeoutSeconds, 60)),
    // AWS FSBP ELB.6: `pulumi destroy` must turn it off first (docs/observability.md).
    deletionProtection: doc("Refuse to delete the load balancer (AWS FSBP ELB.6); turn it off before `pulumi destroy`.", withDefault(boolean, true)),
    loadBalancer: doc(
        "Extra arguments merged over the load balancer's (receives the component's `ignoreChanges` and `customTimeouts`).",
        optional(childOverrideOf("aws.lb.LoadBalancerArgs"), "none"),
    ),
    targetGroup: doc("Extra arguments merged over both target groups'.", optional(childOverrideOf("aws.lb.TargetGroupArgs"), "none")),
    allowUnsafe: doc(
        'Protections this component\'s overrides may weaken, each by its path in these arguments (e.g. `"loadBalancer.args.xffHeaderProcessingMode"`); an override that weakens any other is refused with its reason (docs/aws.md, "Overrides that weaken a protection").',
        allowUnsafeField("loadBalancer"),
    ),
};

export const ingressCidrs = plainList(input(f.ipv4Cidr), { min: 1, unique: true }, 'a non-empty list of IPv4 CIDR blocks, e.g. ["0.0.0.0/0"]');

/** Either a certificate or a zone to issue one in (checked by presence, with every other problem). */
export const CERTIFICATE_OR_ZONE = "give 'certificateArn' (an existing ACM certificate) or 'hostedZoneId' (a Route 53 zone to issue and validate one in)";

/** A DNS record needs the zone. Shared by the cluster and LoadBalancer. */
export function checkCertificateAndDns(
    c: Checker,
    path: ArgumentPath,
    v: { certificateArn?: Input<string>; hostedZoneId?: Input<string>; createDnsRecord?: boolean },
): { createDnsRecord: boolean } | undefined {
    const createDnsRecord = v.createDnsRecord ?? v.hostedZoneId !== undefined;
    if (createDnsRecord && v.hostedZoneId === undefined)
        return c.fail([...path, "createDnsRecord"], true, "needs 'hostedZoneId' (the Route 53 zone the record goes into)");
    return { createDnsRecord };
}

export const loadBalancerComponent = named(
    { ts: "LoadBalancerArgs", ml: "LoadBalancerArgs", component: "LoadBalancer", doc: "The arguments of `LoadBalancer`." },
    object(
        {
            vpcId: doc("VPC the load balancer's security group and target groups are created in.", required(f.vpcId)),
            subnetIds: doc("Public subnets in at least 2 zones.", required(f.subnetIds)),
            domain: doc(
                "The host name served (an Output is checked when it resolves, before the certificate and record that use it).",
                required(input(f.hostname)),
            ),
            certificateArn: doc(
                "ACM certificate for `domain`.",
                eitherThis(f.acmCertificateArn, "hostedZoneId", CERTIFICATE_OR_ZONE, "none: either this or hostedZoneId"),
            ),
            hostedZoneId: doc(
                "Route 53 zone: a DNS-validated certificate is issued there when no `certificateArn` is given, and the alias record goes there.",
                optional(f.hostedZoneId, "none", true),
            ),
            createDnsRecord: doc("Create the alias `domain` → load balancer in `hostedZoneId`.", optional(boolean, "true when hostedZoneId is given")),
            ingressCidrs: {
                ...doc("Ranges admitted on 80 and 443.", withDefault(ingressCidrs, ["0.0.0.0/0"])),
                // Plain strings for the other languages, as the standalone component always took them (the cluster's take Inputs).
                multiLanguage: { ingressCidrs: { type: "string[]" } },
            },
            healthCheckPath: doc(
                "Path both target groups health-check (the provisioning's readiness endpoint).",
                required(pattern("an absolute URL path such as /matomo-health.php", /^\/[A-Za-z0-9._~/-]*$/)),
            ),
            healthCheck: doc("The nodes' health check.", withDefault(f.healthCheck, defaultsOf(f.healthCheck))),
            stickyTrackers: doc("Sticky sessions on the tracker group (QueuedTracking wants them).", withDefault(boolean, false)),
            accessLogs: doc("Write access logs to this S3 bucket (its policy must let Elastic Load Balancing write).", optional(accessLogs, "off")),
            ...loadBalancerComponentOnlyFields,
            tags: doc("Tags for every resource.", optional(f.tags, "none")),
        },
        (v, c, path) => {
            const dns = checkCertificateAndDns(c, path, v);
            if (!checkProtections("loadBalancer", v, c, path)) return undefined;
            return dns && { ...v, ...dns };
        },
    ),
);

export function resolveLoadBalancerComponentArgs(args: unknown) {
    return validate("LoadBalancer", loadBalancerComponent, args);
}

// ---------------------------------------------------------------- DebianImage

export const debianImageComponent = named(
    { ts: "DebianImageArgs", ml: "DebianImageArgs", component: "DebianImage", doc: "The arguments of `DebianImage`; every one is optional." },
    object({
        architecture: doc("CPU architecture of the image.", withDefault(f.architecture, "arm64" as Architecture)),
        generation: doc("Raise it to move to the newest image (rolls every node using it).", withDefault(f.imageGeneration, 1)),
        tags: doc("Tags for the parameter.", optional(f.tags, "none")),
    }),
);

export function resolveDebianImageComponentArgs(args: unknown) {
    return validate("DebianImage", debianImageComponent, args);
}

// ---------------------------------------------------------------- NodeGroup

export const nodeGroupComponentOnlyFields = {
    rootVolumeGiB: doc("Root volume size in GiB.", withDefault(f.rootVolumeGiB, 20)),
    rootDeviceName: doc("Root device of the AMI.", optional(f.devicePath, "the AMI's root device, or /dev/xvda for a given amiId")),
    launchTemplate: doc("Extra arguments merged over the launch template's.", optional(childOverrideOf("aws.ec2.LaunchTemplateArgs"), "none")),
    autoScalingGroup: doc(
        "Extra arguments merged over the autoscaling group's (receives the component's `ignoreChanges` and `customTimeouts`).",
        optional(childOverrideOf("aws.autoscaling.GroupArgs"), "none"),
    ),
    allowUnsafe: doc(
        'Protections this component\'s overrides may weaken, each by its path in these arguments (e.g. `"launchTemplate.args.metadataOptions"`); an override that weakens any other is refused with its reason (docs/aws.md, "Overrides that weaken a protection").',
        allowUnsafeField("nodeGroup"),
    ),
};

/** Base64 (what a launch template's `userData` takes). */
const base64Text = input(pattern("base64 text", /^[A-Za-z0-9+/]*={0,2}$/));

export const nodeGroupComponent = named(
    {
        ts: "NodeGroupArgs",
        ml: "NodeGroupArgs",
        component: "NodeGroup",
        doc: "The arguments of `NodeGroup`: the cluster computes them; standalone use passes rendered user data and the config hash.",
    },
    object(
        {
            role: doc(
                "`tracker` or `ui`: names, tags and the target group's purpose.",
                required(named({ ml: "NodeRole", doc: "A node group's role." }, oneOf(["tracker", "ui"] as const))),
            ),
            vpcId: doc("VPC the group's security group is created in.", required(f.vpcId)),
            subnetIds: doc("Private subnets in at least 2 zones.", required(f.subnetIds)),
            instanceType: doc("EC2 instance type; its architecture must match `architecture`.", required(f.instanceType)),
            minSize: doc("Fewest nodes.", required(f.groupSize)),
            maxSize: doc("Most nodes, at least `minSize`.", required(f.groupSize)),
            desiredCapacity: doc(
                "Size of the group; with `targetCpuUtilization`, only the size at creation (the policy owns it afterwards).",
                optional(f.groupSize, "minSize"),
            ),
            targetCpuUtilization: doc(
                "Average CPU percent to keep with a target-tracking scaling policy between `minSize` and `maxSize`.",
                optional(f.targetCpuUtilization, "none: the group keeps desiredCapacity"),
            ),
            architecture: doc("CPU architecture of the nodes.", withDefault(f.architecture, "arm64" as Architecture)),
            amiId: doc(
                "AMI of the nodes, used as is when given; without it the official Debian 12 image, resolved once and kept (see `amiGeneration`).",
                optional(f.amiId, "the latest official Debian 12 image for architecture"),
            ),
            amiGeneration: doc("Without `amiId`: raise it to move to Debian's newest image (rolls the group).", withDefault(f.imageGeneration, 1)),
            userData: doc("User data, base64-encoded.", required(base64Text)),
            configSha256: doc("sha256 of the config the user data writes: tagged on the template and its instances.", required(input(f.sha256))),
            targetGroupArns: doc("Target groups the nodes register in.", required(plainList(f.targetGroupArn))),
            secretArns: doc("Secrets Manager ARNs the nodes may read (`secretsmanager:GetSecretValue` on exactly these).", required(plainList(f.secretArn))),
            secretKmsKeyArns: doc(
                "ARNs of customer-managed KMS keys those secrets are encrypted with: the nodes get `kms:Decrypt` on them, only through Secrets Manager in the stack's region (`kms:ViaService`).",
                optional(plainList(f.kmsKeyArn), "none"),
            ),
            logGroupArns: doc(
                "Log groups the nodes' CloudWatch agent writes to (streams in exactly these).",
                optional(plainList(f.logGroupArn), "none: the nodes write to no log group"),
            ),
            metricNamespace: doc(
                "The one CloudWatch namespace the nodes may publish metrics to (`cloudwatch:namespace` condition).",
                optional(
                    pattern("a CloudWatch namespace such as Matomo (not AWS/…)", /^(?!AWS\/)[A-Za-z0-9._/#:-]{1,255}$/),
                    "none: the nodes publish no metrics",
                ),
            ),
            bundleObjectArn: doc(
                "ARN of the S3 object holding this role's provisioning bundle (`arn:<partition>:s3:::<bucket>/<key>`): the nodes get `s3:GetObject` and `s3:GetObjectVersion` on exactly it.",
                optional(
                    input(pattern("an S3 object ARN (arn:<partition>:s3:::<bucket>/<key>)", /^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/.+$/)),
                    "none",
                ),
            ),
            healthCheckGracePeriodSeconds: doc(
                "Seconds after launch before failed ELB health checks count (first boot installs packages and Matomo).",
                withDefault(f.healthCheckGracePeriodSeconds, 900),
            ),
            instanceRefresh: doc("How a template change rolls the group.", withDefault(f.instanceRefresh, defaultsOf(f.instanceRefresh))),
            ...nodeGroupComponentOnlyFields,
            tags: doc("Tags for every resource (propagated to instances by the group).", optional(f.nodeGroupTags, "none")),
        },
        (v, c, path) => {
            const desiredCapacity = f.checkGroupSizes(c, path, v, "");
            if (desiredCapacity === undefined) return undefined;
            if (!f.checkArchitecture(c, [...path, "instanceType"], v.instanceType, v.architecture, "architecture")) return undefined;
            if (!checkProtections("nodeGroup", v, c, path)) return undefined;
            return { ...v, desiredCapacity };
        },
    ),
);

export function resolveNodeGroupComponentArgs(args: unknown) {
    return validate("NodeGroup", nodeGroupComponent, args);
}

// ---------------------------------------------------------------- Secrets

export const secretsComponentOnlyFields = {
    kmsKeyId: doc("KMS key for the secrets.", optional(f.kmsKeyReference, "the account's aws/secretsmanager key")),
    recoveryWindowInDays: doc(
        "Days a deleted secret can be restored.",
        withDefault(
            {
                ...integer(0, 30),
                allowed: "0 (delete at once) or 7 to 30 days (Secrets Manager limit)",
                check(value: unknown, c: Checker, path: ArgumentPath) {
                    return typeof value === "number" && Number.isInteger(value) && (value === 0 || (value >= 7 && value <= 30))
                        ? value
                        : c.fail(path, value, "0 (delete at once) or 7 to 30 days (Secrets Manager limit)");
                },
            } as Schema<number>,
            7,
        ),
    ),
    secret: doc("Extra arguments merged over every secret's.", optional(childOverrideOf("aws.secretsmanager.SecretArgs"), "none")),
    allowUnsafe: doc(
        'Protections this component\'s overrides may weaken, each by its path in these arguments (e.g. `"secret.args.policy"`); an override that weakens any other is refused with its reason (docs/aws.md, "Overrides that weaken a protection").',
        allowUnsafeField("secrets"),
    ),
};

/** A database user's name: an Output in TypeScript (the names derive from the schema's name), a plain string in the other languages' types. */
const databaseUserName = named({ mlText: "string" }, input(f.mysqlUsername));

export const secretsComponent = named(
    { ts: "SecretsArgs", ml: "SecretsArgs", component: "Secrets", doc: "The arguments of `Secrets`; every one is optional." },
    object(
        {
            ...secretsComponentOnlyFields,
            generateSalt: doc("Generate and keep a salt; false when the salt is an existing secret (an adopted Matomo's).", withDefault(boolean, true)),
            databaseUsers: doc(
                'The database users Matomo runs as: a secret each, JSON `{"username", "password"}`, the password regenerated when `passwordVersion` is raised.',
                optional(
                    named(
                        { ts: "DatabaseUsersArgs", ml: "DatabaseUsersArgs", doc: "The database users `Secrets` keeps credentials for." },
                        object({
                            names: doc(
                                "The two user names (`databaseUserNames`); Outputs when the schema's name is one.",
                                required(
                                    named(
                                        { ts: "DatabaseUserNamesArgs", ml: "DatabaseUserNamesArgs", doc: "The two database user names." },
                                        object({
                                            app: doc("The ui nodes' user (UI, API, archiving).", required(databaseUserName)),
                                            tracker: doc("The tracker nodes' user (recording visits only).", required(databaseUserName)),
                                        }),
                                    ),
                                ),
                            ),
                            passwordVersion: doc(
                                "Raise (2, 3, …) to generate new passwords, as `database.passwordVersion` does.",
                                withDefault(f.passwordVersion, 1),
                            ),
                        }),
                    ),
                    "none",
                ),
            ),
            tags: doc("Tags for every resource.", optional(f.tags, "none")),
        },
        (v, c, path) => (checkProtections("secrets", v, c, path) ? v : undefined),
    ),
);

export function resolveSecretsComponentArgs(args: unknown) {
    return validate("Secrets", secretsComponent, args);
}
