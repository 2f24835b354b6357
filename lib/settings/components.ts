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

export const networkComponent = object(
    {
        existing: optional(existingNetwork, "none: create a VPC"),
        ...newNetworkFields,
        tags: optional(f.tags, "none"),
        vpc: optional(childOverride, "none"),
    },
    (v, c, path, given) => {
        const plan = networkChoice(v, c, path, given);
        return plan && { plan, tags: v.tags, vpc: v.vpc };
    },
    "an object",
    networkHints,
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

export const databaseParameter = object({
    name: required(pattern("a parameter name (letters, digits, _ and -)", /^[A-Za-z0-9_.-]{1,128}$/)),
    value: required(text("a parameter value")),
    applyMethod: optional(oneOf(["immediate", "pending-reboot"] as const), "RDS's for the parameter"),
});

export const databaseComponentOnlyFields = {
    allowedSecurityGroupIds: optional(securityGroupIds, "none"),
    finalSnapshot: withDefault(boolean, true),
    requireTls: withDefault(boolean, true),
    kmsKeyId: optional(f.kmsKeyReference, "the account's aws/rds key"),
    instance: optional(childOverride, "none"),
    replica: optional(childOverride, "none"),
    allowUnsafe: allowUnsafeField("database"),
    extraParameters: optional(
        plainList(databaseParameter, {}, "a list of { name, value, applyMethod? } (RDS parameters, after ours; one of the same name replaces ours)"),
        "none",
    ),
    // Observability (AWS FSBP RDS.9 and RDS.6; docs/observability.md).
    logExports: withDefault(plainList(f.rdsLogExport, { unique: true }, "a list of 'audit', 'error', 'general', 'slowquery'"), ["error", "slowquery"] as (
        "audit" | "error" | "general" | "slowquery"
    )[]),
    monitoringIntervalSeconds: withDefault(f.rdsMonitoringInterval, 60 as (typeof f.RDS_MONITORING_INTERVALS)[number]),
};

export const databaseComponent = object(
    {
        vpcId: required(f.vpcId),
        subnetIds: required(f.subnetIds),
        ...newDatabaseFields,
        ...databaseComponentOnlyFields,
        // The cluster passes overrides.secrets.kmsKeyId here: one key for every secret it creates.
        secretKmsKeyId: optional(f.kmsKeyReference, "the account's aws/secretsmanager key"),
        tags: optional(f.tags, "none"),
    },
    (v, c, path) => {
        const engine = resolveNewDatabase(v, c, path, "");
        if (!checkProtections("database", v, c, path)) return undefined;
        return engine && { ...v, ...engine };
    },
);

export function resolveDatabaseComponentArgs(args: unknown) {
    return validate("Database", databaseComponent, args);
}

// ---------------------------------------------------------------- Cache

export const cacheComponentOnlyFields = {
    engineVersion: withDefault(pattern("a Redis engine version such as 7.1", /^\d+\.\d+$/), "7.1"),
    transitEncryption: withDefault(oneOf(["preferred", "required"] as const), "required" as "preferred" | "required"),
    // A replica in another zone that takes over on failure (AWS FSBP ElastiCache.3): the queue holds unrecorded hits.
    automaticFailover: withDefault(boolean, true),
    replicationGroup: optional(childOverride, "none"),
    allowUnsafe: allowUnsafeField("cache"),
};

export const cacheComponent = object(
    {
        vpcId: required(f.vpcId),
        subnetIds: required(f.subnetIds),
        nodeType: withDefault(f.cacheNodeType, "cache.t4g.small"),
        ...cacheComponentOnlyFields,
        tags: optional(f.tags, "none"),
    },
    (v, c, path) => (checkProtections("cache", v, c, path) ? v : undefined),
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
    idleTimeoutSeconds: withDefault(f.idleTimeoutSeconds, 60),
    // AWS FSBP ELB.6: `pulumi destroy` must turn it off first (docs/observability.md).
    deletionProtection: withDefault(boolean, true),
    loadBalancer: optional(childOverride, "none"),
    targetGroup: optional(childOverride, "none"),
    allowUnsafe: allowUnsafeField("loadBalancer"),
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

export const loadBalancerComponent = object(
    {
        vpcId: required(f.vpcId),
        subnetIds: required(f.subnetIds),
        domain: required(f.hostname),
        certificateArn: eitherThis(f.acmCertificateArn, "hostedZoneId", CERTIFICATE_OR_ZONE, "none: either this or hostedZoneId"),
        hostedZoneId: optional(f.hostedZoneId, "none", true),
        createDnsRecord: optional(boolean, "true when hostedZoneId is given"),
        ingressCidrs: withDefault(ingressCidrs, ["0.0.0.0/0"]),
        healthCheckPath: required(pattern("an absolute URL path such as /matomo-health.php", /^\/[A-Za-z0-9._~/-]*$/)),
        healthCheck: withDefault(f.healthCheck, defaultsOf(f.healthCheck)),
        stickyTrackers: withDefault(boolean, false),
        accessLogs: optional(accessLogs, "off"),
        ...loadBalancerComponentOnlyFields,
        tags: optional(f.tags, "none"),
    },
    (v, c, path) => {
        const dns = checkCertificateAndDns(c, path, v);
        if (!checkProtections("loadBalancer", v, c, path)) return undefined;
        return dns && { ...v, ...dns };
    },
);

export function resolveLoadBalancerComponentArgs(args: unknown) {
    return validate("LoadBalancer", loadBalancerComponent, args);
}

// ---------------------------------------------------------------- DebianImage

const debianImageComponent = object({
    architecture: withDefault(f.architecture, "arm64" as Architecture),
    generation: withDefault(f.imageGeneration, 1),
    tags: optional(f.tags, "none"),
});

export function resolveDebianImageComponentArgs(args: unknown) {
    return validate("DebianImage", debianImageComponent, args);
}

// ---------------------------------------------------------------- NodeGroup

export const nodeGroupComponentOnlyFields = {
    rootVolumeGiB: withDefault(f.rootVolumeGiB, 20),
    rootDeviceName: optional(f.devicePath, "the AMI's root device, or /dev/xvda for a given amiId"),
    launchTemplate: optional(childOverride, "none"),
    autoScalingGroup: optional(childOverride, "none"),
    allowUnsafe: allowUnsafeField("nodeGroup"),
};

/** Base64 (what a launch template's `userData` takes). */
const base64Text = input(pattern("base64 text", /^[A-Za-z0-9+/]*={0,2}$/));

export const nodeGroupComponent = object(
    {
        role: required(oneOf(["tracker", "ui"] as const)),
        vpcId: required(f.vpcId),
        subnetIds: required(f.subnetIds),
        instanceType: required(f.instanceType),
        minSize: required(f.groupSize),
        maxSize: required(f.groupSize),
        desiredCapacity: optional(f.groupSize, "minSize"),
        targetCpuUtilization: optional(f.targetCpuUtilization, "none: the group keeps desiredCapacity"),
        architecture: withDefault(f.architecture, "arm64" as Architecture),
        amiId: optional(f.amiId, "the latest official Debian 12 image for architecture"),
        amiGeneration: withDefault(f.imageGeneration, 1),
        userData: required(base64Text),
        configSha256: required(input(f.sha256)),
        targetGroupArns: required(plainList(f.targetGroupArn)),
        secretArns: required(plainList(f.secretArn)),
        secretKmsKeyArns: optional(plainList(f.kmsKeyArn), "none"),
        logGroupArns: optional(plainList(f.logGroupArn), "none: the nodes write to no log group"),
        metricNamespace: optional(
            pattern("a CloudWatch namespace such as Matomo (not AWS/…)", /^(?!AWS\/)[A-Za-z0-9._/#:-]{1,255}$/),
            "none: the nodes publish no metrics",
        ),
        bundleObjectArn: optional(
            input(pattern("an S3 object ARN (arn:<partition>:s3:::<bucket>/<key>)", /^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/.+$/)),
            "none",
        ),
        healthCheckGracePeriodSeconds: withDefault(f.healthCheckGracePeriodSeconds, 900),
        instanceRefresh: withDefault(f.instanceRefresh, defaultsOf(f.instanceRefresh)),
        ...nodeGroupComponentOnlyFields,
        tags: optional(f.nodeGroupTags, "none"),
    },
    (v, c, path) => {
        const desiredCapacity = f.checkGroupSizes(c, path, v, "");
        if (desiredCapacity === undefined) return undefined;
        if (!f.checkArchitecture(c, [...path, "instanceType"], v.instanceType, v.architecture, "architecture")) return undefined;
        if (!checkProtections("nodeGroup", v, c, path)) return undefined;
        return { ...v, desiredCapacity };
    },
);

export function resolveNodeGroupComponentArgs(args: unknown) {
    return validate("NodeGroup", nodeGroupComponent, args);
}

// ---------------------------------------------------------------- Secrets

export const secretsComponentOnlyFields = {
    kmsKeyId: optional(f.kmsKeyReference, "the account's aws/secretsmanager key"),
    recoveryWindowInDays: withDefault(
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
    secret: optional(childOverride, "none"),
    allowUnsafe: allowUnsafeField("secrets"),
};

export const secretsComponent = object(
    {
        ...secretsComponentOnlyFields,
        generateSalt: withDefault(boolean, true),
        databaseUsers: optional(
            object({
                names: required(object({ app: required(input(f.mysqlUsername)), tracker: required(input(f.mysqlUsername)) })),
                passwordVersion: withDefault(f.passwordVersion, 1),
            }),
            "none",
        ),
        tags: optional(f.tags, "none"),
    },
    (v, c, path) => (checkProtections("secrets", v, c, path) ? v : undefined),
);

export function resolveSecretsComponentArgs(args: unknown) {
    return validate("Secrets", secretsComponent, args);
}
