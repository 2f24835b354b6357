/**
 * The argument types of the multi-language surface: what Pulumi's component analyzer
 * (`@pulumi/pulumi/provider/experimental`) turns into `schema.json`, and so what Python, Go, C#,
 * Java and YAML programs write. The analyzer takes interfaces, string enums declared as
 * `as const` objects, `Input<>`, lists and string-keyed maps; it refuses unions (other than with
 * `undefined`), intersections and inline object types. So each type is the TypeScript one
 * re-shaped only where it has to be:
 *
 * - string unions become enums of the same values;
 * - `network` and `database`, a union of "new" or `{ existing }` for TypeScript, are one object
 *   with an optional `existing` (the shared schema already refuses both at once);
 * - `extraConfig` is a map of strings, with lists and secret references in two maps beside it.
 *
 * `MatomoCluster`'s arguments and their parts are generated, with the TypeScript ones, from the
 * settings schema (`./args.generated.ts`, `npm run generate`): each field's type, documentation
 * and default come from its one definition there, and its multi-language shape too (the enum
 * names, `Field.multiLanguage` for `extraConfig`). The standalone components' arguments below are
 * still written out by hand. Values reach the same validation (`lib/settings`) as TypeScript's.
 * `test/multilang.test.ts` fails when a TypeScript argument has no counterpart here and is not
 * listed as TypeScript-only (`./typescriptOnly.ts`).
 */
import type { Input } from "@pulumi/pulumi";
import type { AccessLogs, Architecture, DatabaseEngine, ExistingNetwork, HealthCheck, InstanceRefresh, NatGatewayStrategy } from "./args.generated";

export * from "./args.generated";

/** A node group's role. */
export const NodeRole = { Tracker: "tracker", Ui: "ui" } as const;
export type NodeRole = (typeof NodeRole)[keyof typeof NodeRole];

/** When RDS applies a parameter. */
export const ParameterApplyMethod = { Immediate: "immediate", PendingReboot: "pending-reboot" } as const;
export type ParameterApplyMethod = (typeof ParameterApplyMethod)[keyof typeof ParameterApplyMethod];

/** ElastiCache in-transit encryption mode. */
export const TransitEncryption = { Preferred: "preferred", Required: "required" } as const;
export type TransitEncryption = (typeof TransitEncryption)[keyof typeof TransitEncryption];

export const DatabaseLogExport = { Audit: "audit", Error: "error", General: "general", Slowquery: "slowquery" } as const;
export type DatabaseLogExport = (typeof DatabaseLogExport)[keyof typeof DatabaseLogExport];

// ---------------------------------------------------------------- the standalone components

/** One RDS parameter, after the library's own. */
export interface DatabaseParameter {
    /** Parameter name. Required. */
    name: string;
    /** Value. Required. */
    value: string;
    /** Default RDS's for the parameter. */
    applyMethod?: ParameterApplyMethod;
}

/** `Network`'s arguments: a new VPC, or `existing` for yours. */
export interface NetworkArgs {
    /** Use this VPC and these subnets instead of creating any; the new-VPC fields are then refused. Default: create a VPC. */
    existing?: ExistingNetwork;
    /** IPv4 range of the new VPC. Default `10.80.0.0/16`; prefix /16 to /22. */
    vpcCidr?: string;
    /** Zones to spread subnets over. Default 2, allowed 2 to 6. */
    availabilityZoneCount?: number;
    /** `onePerAz` (default): a NAT gateway per zone; `single`: one NAT gateway for all private subnets (cheaper, one zone's outage cuts outbound traffic). */
    natGateways?: NatGatewayStrategy;
    /** VPC endpoints for the AWS services nodes call (S3 gateway; Secrets Manager, SSM, Session Manager, CloudWatch interface endpoints). Default false. */
    vpcEndpoints?: boolean;
    /** Tags for every resource. Default none. */
    tags?: Record<string, string>;
}

/** `Database`'s arguments: a new RDS instance's settings (as the cluster's `database`, but for `tablesPrefix`) and its network. */
export interface DatabaseArgs {
    /** `mysql` (default) or `mariadb`. */
    engine?: DatabaseEngine;
    /**
     * Major version. Default `8.4` for mysql, `11.4` for mariadb. Allowed: mysql 8.4; mariadb 10.11, 11.4.
     * Versions past RDS standard support are refused: a new MySQL 8.0 instance is enrolled in paid
     * RDS Extended Support, and MariaDB 10.6's standard support ended 2026-08-31.
     */
    engineVersion?: string;
    /** Default `db.m7g.xlarge` (4 vCPU, 16 GiB, Graviton): the FAQ's "multi-core, 16G memory" master. */
    instanceClass?: string;
    /** gp3 storage in GiB. Default 100, allowed 20 to 59578 (so the autoscaling ceiling, ≥ 110 %, fits RDS's 65536). */
    allocatedStorageGiB?: number;
    /**
     * Storage autoscaling ceiling in GiB. Default 1000, or 26 % above `allocatedStorageGiB` when that
     * is larger (rounded up). At least 110 % of `allocatedStorageGiB` (rounded up; RDS refuses less), at most 65536.
     */
    maxAllocatedStorageGiB?: number;
    /** Days of automated backups. Default 14, allowed 1 to 35 (0 would disable backups and is refused). */
    backupRetentionDays?: number;
    /** Standby in a second zone. Default false (it doubles the database cost). */
    multiAz?: boolean;
    /** A read replica, written into config as `[database_reader]`. Default false. */
    readReplica?: boolean;
    /** Default true: `pulumi destroy` cannot drop the analytics data by accident. */
    deletionProtection?: boolean;
    /** Schema name. Default `matomo`. */
    name?: string;
    /** Master user name. Default `matomo`. */
    username?: string;
    /**
     * gp3 IOPS. Default RDS's baseline: 3,000 below 400 GiB (where RDS refuses a value), 12,000 from
     * 400 GiB. Allowed 12,000 to 64,000, only with `allocatedStorageGiB` of 400 or more.
     */
    iops?: number;
    /**
     * gp3 throughput in MiB/s. Default RDS's baseline: 125 below 400 GiB (where RDS refuses a value),
     * 500 from 400 GiB. Allowed 500 to 4,000, only with `allocatedStorageGiB` of 400 or more.
     */
    storageThroughput?: number;
    /**
     * Create the instance from this DB snapshot (identifier, `rds:…` automated snapshot, or ARN; an
     * ARN for a snapshot shared from another account) instead of empty. Default none. The snapshot
     * brings the data, the master user name and the schema name: `username` and `name` must be the
     * ones it was taken with (the defaults are, for a snapshot of a cluster made by this library).
     * The password is this library's (set on the instance right after the restore). See the restore
     * runbook in docs/aws.md: the salt must be the one the data was written with.
     */
    restoreFromSnapshot?: string;
    /**
     * Raise (2, 3, …) to rotate the master password: a new one is generated, set on the instance,
     * stored as a new version of the password secret, and both node groups roll to read it. Default 1.
     */
    passwordVersion?: number;
    /** The VPC. Required. */
    vpcId: Input<string>;
    /** Private subnets in at least 2 zones. */
    subnetIds: Input<Input<string>[]>;
    /** Security groups admitted on the database port (ingress rules on the database's group). Default none: link them with `allowTcp`. */
    allowedSecurityGroupIds?: Input<string>[];
    /** Take a final snapshot when the database is deleted. Default true. */
    finalSnapshot?: boolean;
    /** Refuse unencrypted connections (`require_secure_transport`). Default true. */
    requireTls?: boolean;
    /** KMS key for storage encryption. Default the account's `aws/rds` key. */
    kmsKeyId?: Input<string>;
    /** KMS key for the master credential's secret. Default the account's `aws/secretsmanager` key. */
    secretKmsKeyId?: Input<string>;
    /** Tags for every resource. Default none. */
    tags?: Record<string, string>;
    /** More parameters, appended after ours (a parameter of the same name replaces ours). Default none. */
    extraParameters?: DatabaseParameter[];
    /** Logs published to CloudWatch Logs (AWS FSBP RDS.9). Default `error` and `slowquery`. */
    logExports?: DatabaseLogExport[];
    /** Enhanced monitoring interval in seconds (AWS FSBP RDS.6): 0, 1, 5, 10, 15, 30 or 60. Default 60; 0 turns it off. */
    monitoringIntervalSeconds?: number;
}

/** `Cache`'s arguments. */
export interface CacheArgs {
    /** The VPC. Required. */
    vpcId: Input<string>;
    /** Private subnets. */
    subnetIds: Input<Input<string>[]>;
    /** Default `cache.t4g.small`. */
    nodeType?: string;
    /** Default `7.1`. */
    engineVersion?: string;
    /**
     * In-transit encryption. Default `required`: ElastiCache refuses plain connections, so the AUTH
     * token never crosses the network in the clear. `preferred` also accepts plain connections (only
     * for clients that cannot use TLS yet); `MatomoCluster` refuses it with QueuedTracking, whose
     * nodes connect over TLS (a `tls://` host).
     */
    transitEncryption?: TransitEncryption;
    /** A replica in a second zone that takes over when the primary fails (AWS FSBP ElastiCache.3). Default true (two nodes); false keeps one node. */
    automaticFailover?: boolean;
    /** Tags for every resource. Default none. */
    tags?: Record<string, string>;
}

/** `LoadBalancer`'s arguments. */
export interface LoadBalancerArgs {
    /** The VPC. Required. */
    vpcId: Input<string>;
    /** Public subnets in at least 2 zones. */
    subnetIds: Input<Input<string>[]>;
    /** The host name served. */
    domain: string;
    /** ACM certificate for `domain`. Either this or `hostedZoneId`. */
    certificateArn?: Input<string>;
    /** Route 53 zone: a DNS-validated certificate is issued there when no `certificateArn` is given, and the alias record goes there. */
    hostedZoneId?: Input<string>;
    /** Create the alias `domain` → load balancer in `hostedZoneId`. Default true when `hostedZoneId` is given. */
    createDnsRecord?: boolean;
    /** Ranges admitted on 80 and 443. Default `["0.0.0.0/0"]`. */
    ingressCidrs?: string[];
    /** Path both target groups health-check. Required (the provisioning's readiness endpoint). */
    healthCheckPath: string;
    /** Target group health checks. Defaults: every 15 s, 5 s timeout, 2 to turn healthy, 3 to turn unhealthy. */
    healthCheck?: HealthCheck;
    /** Sticky sessions on the tracker group (QueuedTracking wants them). Default false. */
    stickyTrackers?: boolean;
    /** Write access logs to this S3 bucket (its policy must let Elastic Load Balancing write). Default off. */
    accessLogs?: AccessLogs;
    /** Refuse to delete the load balancer (AWS FSBP ELB.6); turn it off before `pulumi destroy`. Default true. */
    deletionProtection?: boolean;
    /** Default 60 s; up to 4000. Long UI reports may want more. */
    idleTimeoutSeconds?: number;
    /** Tags for every resource. Default none. */
    tags?: Record<string, string>;
}

/** `NodeGroup`'s arguments. */
export interface NodeGroupArgs {
    /** `tracker` or `ui`: names, tags and the target group's purpose. Required. */
    role: NodeRole;
    /** The VPC. Required. */
    vpcId: Input<string>;
    /** Private subnets in at least 2 zones. */
    subnetIds: Input<Input<string>[]>;
    /** EC2 instance type, of `architecture`. Required. */
    instanceType: string;
    /** Smallest size of the group, 1 to 100. Required. */
    minSize: number;
    /** Largest size of the group, at least `minSize`, at most 100. Required. */
    maxSize: number;
    /** Default `minSize`. With `targetCpuUtilization`, only the size at creation (the policy owns it afterwards). */
    desiredCapacity?: number;
    /**
     * Average CPU percent to keep with a target-tracking scaling policy between `minSize` and
     * `maxSize`. Default none: the group keeps `desiredCapacity`.
     */
    targetCpuUtilization?: number;
    /** Default `arm64`. */
    architecture?: Architecture;
    /** Default the official Debian 12 image for `architecture`, resolved once and kept (see `amiGeneration`). Used as is when given. */
    amiId?: Input<string>;
    /** Without `amiId`: raise it to move to Debian's newest image (rolls the group). Default 1. */
    amiGeneration?: number;
    /** Root device of the AMI. Default `/dev/xvda` (Debian's). */
    rootDeviceName?: Input<string>;
    /** Root volume size in GiB. Default 20. */
    rootVolumeGiB?: number;
    /** User data, base64-encoded. */
    userData: Input<string>;
    /** sha256 of the config the user data writes: tagged on the template and its instances. */
    configSha256: Input<string>;
    /** Target groups the nodes register in. */
    targetGroupArns: Input<string>[];
    /** Secrets Manager ARNs the nodes may read (`secretsmanager:GetSecretValue` on exactly these). */
    secretArns: Input<string>[];
    /**
     * ARNs of customer-managed KMS keys those secrets are encrypted with: the nodes get `kms:Decrypt`
     * on them, only through Secrets Manager in the stack's region (`kms:ViaService`). Default none.
     */
    secretKmsKeyArns?: Input<string>[];
    /**
     * ARN of the S3 object holding this role's provisioning bundle (`arn:<partition>:s3:::<bucket>/<key>`):
     * the nodes get `s3:GetObject` and `s3:GetObjectVersion` on exactly it. Default none.
     */
    bundleObjectArn?: Input<string>;
    /** Seconds after launch before failed ELB health checks count. Default 900 (first boot installs packages and Matomo). */
    healthCheckGracePeriodSeconds?: number;
    /** How fast a change rolls the group. Defaults: 100 % healthy minimum, 200 % maximum, 120 s warmup. */
    instanceRefresh?: InstanceRefresh;
    /** Log groups the nodes' CloudWatch agent writes to (streams in exactly these). Default none. */
    logGroupArns?: Input<string>[];
    /** The one CloudWatch namespace the nodes may publish metrics to (`cloudwatch:namespace` condition). Default none. */
    metricNamespace?: string;
    /** Tags for every resource (propagated to instances by the group). Default none. */
    tags?: Record<string, string>;
}

/** `Secrets`' arguments. */
export interface SecretsArgs {
    /** KMS key for the secrets. Default the account's `aws/secretsmanager` key. */
    kmsKeyId?: Input<string>;
    /** Days a deleted secret can be restored. Default 7; allowed 0 (delete at once) or 7 to 30. */
    recoveryWindowInDays?: number;
    /** Tags for every resource. Default none. */
    tags?: Record<string, string>;
    /** Generate and keep a salt. Default true; false when the salt is an existing secret (an adopted Matomo's). */
    generateSalt?: boolean;
    /** The database users Matomo runs as: a secret each, JSON `{"username", "password"}`. Default none. */
    databaseUsers?: DatabaseUsersArgs;
}

/** The database users `Secrets` keeps credentials for. */
export interface DatabaseUsersArgs {
    /** The two user names. Required. */
    names: DatabaseUserNamesArgs;
    /** Raise (2, 3, …) to generate new passwords. Default 1. */
    passwordVersion?: number;
}

/** The two database user names. */
export interface DatabaseUserNamesArgs {
    /** The ui nodes' user. Required. */
    app: string;
    /** The tracker nodes' user. Required. */
    tracker: string;
}

/** `DebianImage`'s arguments. */
export interface DebianImageArgs {
    /** Default `arm64`. */
    architecture?: Architecture;
    /** Raise it to move to the newest image (rolls every node using it). Default 1; a whole number ≥ 1. */
    generation?: number;
    /** Tags for the parameter. Default none. */
    tags?: Record<string, string>;
}

/** Each role's provisioning bundle, base64 of the tar.gz bytes. */
export interface ProvisioningBundles {
    /** The tracker role's bundle. Required. */
    tracker: Input<string>;
    /** The ui role's bundle. Required. */
    ui: Input<string>;
}

/** `ProvisioningBucket`'s arguments. */
export interface ProvisioningBucketArgs {
    /** Each role's bundle, base64 of the tar.gz bytes (`renderProvisioningBundle(...).content`). */
    bundles: ProvisioningBundles;
    /** Tags for every resource. Default none. */
    tags?: Record<string, string>;
}
