/**
 * The argument types users write (`MatomoClusterArgs` and its parts) and the resolved settings the
 * renderers and components read. Every rule about their values lives in the schema (`./cluster.ts`,
 * `./fields.ts`); the TSDoc here says the defaults, and `test/docs.test.ts` checks the docs agree.
 */
import type { Input } from "@pulumi/pulumi";

export type Architecture = "arm64" | "x86_64";
export type DatabaseEngine = "mysql" | "mariadb";
export type NatGatewayStrategy = "onePerAz" | "single";
/** A value `extraConfig` may set: written as an INI scalar, or as `key[] = …` lines for an array. */
export type IniValue = string | number | boolean | string[];

/** A VPC this library creates. */
export interface NewNetworkArgs {
    /** IPv4 range of the new VPC. Default `10.80.0.0/16`. Prefix /16 to /22. */
    vpcCidr?: string;
    /** Availability zones to spread subnets over. Default 2, allowed 2 to 6. */
    availabilityZoneCount?: number;
    /**
     * `onePerAz` (default) keeps package and release downloads working when one zone fails;
     * `single` saves one NAT gateway's hourly charge per extra zone.
     */
    natGateways?: NatGatewayStrategy;
}

/** A VPC the user already has. */
export interface ExistingNetworkArgs {
    /** `vpc-…`, or an Output of one. */
    vpcId: Input<string>;
    /**
     * At least 2, in different zones: the load balancer lives here. A list of `subnet-…` ids (each
     * may be an Output), or an Output of the whole list (e.g. another stack's output), which is
     * then checked by AWS rather than here.
     */
    publicSubnetIds: Input<Input<string>[]>;
    /** At least 2, in different zones, with outbound internet (NAT): nodes and database live here. Same forms as `publicSubnetIds`; no id may be in both. */
    privateSubnetIds: Input<Input<string>[]>;
}

/** `network`: settings of a new VPC, or `{ existing: {...} }` for yours (never both). */
export type ClusterNetworkArgs = NewNetworkArgs | { existing: ExistingNetworkArgs };

export interface TrackerGroupArgs {
    /** Default `c7g.large` (2 vCPU, 4 GiB, Graviton): tracking is CPU-bound PHP with a small working set. */
    instanceType?: string;
    /** Default 2, at least 1. */
    minSize?: number;
    /** Default 6, at least `minSize`, at most 100. */
    maxSize?: number;
    /**
     * Size of the group when it is created; between `minSize` and `maxSize`. Default `minSize`.
     * After that the group's scaling policy owns the size (later changes here are ignored).
     */
    desiredCapacity?: number;
    /**
     * Average CPU percent the group scales out and in to keep (target tracking, between `minSize`
     * and `maxSize`). Default 60, allowed 10 to 90.
     */
    targetCpuUtilization?: number;
}

export interface UiGroupArgs {
    /** Default `m7g.large` (2 vCPU, 8 GiB, Graviton): archiving wants memory. */
    instanceType?: string;
    /** 1 (default) or 2, as Matomo's FAQ describes; the archiving lock keeps two from archiving at once. */
    count?: number;
}

/** An RDS database this library creates. */
export interface NewDatabaseArgs {
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
    /** Default `matomo_`. */
    tablesPrefix?: string;
}

/** A MySQL-compatible database the user already runs. */
export interface ExistingDatabaseArgs {
    host: Input<string>;
    /** Default 3306. */
    port?: number;
    /** Schema name. Default `matomo`. */
    name?: string;
    username: string;
    /** Secrets Manager secret holding the password, either plain or as JSON `{"password": …}` (RDS's format). */
    passwordSecretArn: Input<string>;
    /**
     * ARN of the customer-managed KMS key that secret is encrypted with (a key ARN, not an alias: IAM
     * grants on keys). The nodes get `kms:Decrypt` on it through Secrets Manager. Default none: the
     * secret uses the account's `aws/secretsmanager` key, which needs no grant.
     */
    passwordSecretKmsKeyArn?: Input<string>;
    /** Default `matomo_`. */
    tablesPrefix?: string;
    /** Connect with TLS. Default true. */
    tls?: boolean;
}

/** `database`: settings of a new RDS instance, or `{ existing: {...} }` for yours (never both). */
export type ClusterDatabaseArgs = NewDatabaseArgs | { existing: ExistingDatabaseArgs };

/** A value kept in AWS Secrets Manager; nodes read it at boot with their instance role. */
export interface SecretReference {
    /** ARN of the Secrets Manager secret. */
    secretArn: Input<string>;
    /** When the secret string is a JSON object, the key to take. Default: the whole string. */
    jsonKey?: string;
    /** Customer-managed KMS key ARN the secret is encrypted with (nodes get kms:Decrypt via Secrets Manager). Default none. */
    kmsKeyArn?: Input<string>;
}

export interface ResolvedSecretReference {
    secretArn: Input<string>;
    jsonKey?: string;
    kmsKeyArn?: Input<string>;
}

/** Outgoing mail (Matomo's `[mail]`): password resets, scheduled reports, alerts. */
export interface MailArgs {
    /** SMTP server host name. Required. */
    host: string;
    /** Default 587, or 465 with `encryption: "ssl"`. */
    port?: number;
    /** "tls" (STARTTLS, default), "ssl" (implicit TLS, usually port 465) or "none". */
    encryption?: "tls" | "ssl" | "none";
    /** SMTP login. Default none (no authentication). */
    username?: string;
    /** Required when `username` is given; never plain text. */
    password?: SecretReference;
    /** Sender address (`[General] noreply_email_address`). Default `noreply@<domain>`. */
    fromAddress?: string;
    /** Sender name (`[General] noreply_email_name`). Default "Matomo". */
    fromName?: string;
}

export interface ResolvedMail {
    host: string;
    port: number;
    encryption: "tls" | "ssl" | "none";
    username?: string;
    password?: ResolvedSecretReference;
    fromAddress: string;
    fromName: string;
}

/**
 * Privacy choices Matomo's installer offers on its last page, applied by the unattended install.
 * (Matomo 5's installer offers no Do Not Track choice; that stays Matomo's default, off.)
 */
export interface PrivacyArgs {
    /**
     * Anonymise visitor IP addresses (PrivacyManager's IP anonymiser, 2 bytes masked). Default true,
     * as Matomo's installer proposes: its box is pre-checked.
     */
    anonymizeIp?: boolean;
}

export interface QueuedTrackingArgs {
    /**
     * Default false. When true: Redis, the QueuedTracking plugin on every node (downloaded and
     * checked against `pluginSha256`), activated and configured to queue every tracking request in
     * Redis; the ui nodes' cron processes the queue; sticky sessions on the tracker group.
     */
    enabled?: boolean;
    /** ElastiCache node type. Default `cache.t4g.small`. */
    nodeType?: string;
    /** QueuedTracking plugin release, x.y.z. Default `QUEUED_TRACKING_VERSION` (`lib/release.ts`). */
    pluginVersion?: string;
    /**
     * Where nodes download the plugin zip (https only). Default the Matomo Marketplace:
     * `https://plugins.matomo.org/api/2.0/plugins/QueuedTracking/download/<pluginVersion>`.
     * Override to use a mirror; the zip must hold `QueuedTracking/plugin.json`.
     */
    pluginDownloadUrl?: string;
    /**
     * sha256 of the zip at `pluginDownloadUrl`, 64 hex digits. Required when `enabled`: nodes refuse
     * a zip with any other checksum. Get it once from a machine you trust:
     * `curl -fsSL <pluginDownloadUrl> | sha256sum`.
     */
    pluginSha256?: string;
    /**
     * The plugin's `numQueueWorkers`: how many queues requests are spread over, each processed by
     * its own `queuedtracking:process --queue-id=<n>` cron job on the ui nodes. Default 1, at most
     * 16. The plugin's advice: keep 1 when you track with User IDs.
     */
    numQueueWorkers?: number;
    /** The plugin's `numRequestsToProcess`: requests taken from a queue in one batch. Default 25 (the plugin's), 1 to 1000. */
    numRequestsToProcess?: number;
}

export interface MatomoReleaseArgs {
    /** Default the pinned release (see `lib/release.ts`). Format x.y.z. */
    version?: string;
    /** Default Matomo's own download URL for `version`; override to mirror it (https only). */
    downloadUrl?: string;
    /**
     * sha256 of the archive at `downloadUrl`, 64 hex digits. When given, nodes check it instead of the
     * release signature (useful for a mirror without `.asc`). Default: verify Matomo's signature.
     */
    sha256?: string;
}

export interface SuperUserArgs {
    /** Default `admin`. 2 to 100 characters of letters, digits, `_`, `-`, `.`, `@`. */
    login?: string;
    /** Required: Matomo mails password resets and reports here. */
    email: string;
}

export interface FirstSiteArgs {
    /** Default the cluster's domain. */
    name?: string;
    /** Default `https://<domain>`. */
    url?: string;
    /** Default `UTC`. */
    timezone?: string;
}

export interface MatomoClusterArgs {
    /** Hostname Matomo is served at, e.g. `analytics.example.com`. Required. */
    domain: string;
    /** More hostnames Matomo accepts (`trusted_hosts[]`). Default none. */
    additionalTrustedHosts?: string[];
    /** ARN of an ACM certificate for `domain` in the stack's region. Either this or `hostedZoneId`. */
    certificateArn?: Input<string>;
    /** Route 53 zone for `domain`: used to issue and DNS-validate a certificate when no ARN is given, and for the alias record. */
    hostedZoneId?: Input<string>;
    /** Create a Route 53 alias `domain` → load balancer. Default true when `hostedZoneId` is given. */
    createDnsRecord?: boolean;
    /** IPv4 ranges that may reach the load balancer. Default `["0.0.0.0/0"]` (trackers are public by nature). */
    ingressCidrs?: string[];
    /** Default: a new VPC with the defaults of `NewNetworkArgs`; `{ existing: {...} }` uses yours. */
    network?: ClusterNetworkArgs;
    /** CPU architecture of every node. Default `arm64` (Graviton). */
    architecture?: Architecture;
    /** AMI for every node. Default the official Debian 12 image for `architecture`, the newest at the first `pulumi up`, then kept until `amiGeneration` is raised. */
    amiId?: Input<string>;
    /** Bump to replace every node with a freshly booted one (same config). Default 1, a whole number ≥ 1. */
    amiGeneration?: number;
    trackers?: TrackerGroupArgs;
    ui?: UiGroupArgs;
    /** Default: a new RDS MySQL with the defaults of `NewDatabaseArgs`; `{ existing: {...} }` uses yours. */
    database?: ClusterDatabaseArgs;
    queuedTracking?: QueuedTrackingArgs;
    matomo?: MatomoReleaseArgs;
    superUser: SuperUserArgs;
    firstSite?: FirstSiteArgs;
    /** `[General] maintenance_mode`. Default false. */
    maintenanceMode?: boolean;
    /** `[Tracker] record_statistics`: false stops recording hits. Default true. */
    trackingEnabled?: boolean;
    /**
     * `[General] browser_archiving_disabled_enforce`. Default false: cron archives all standard
     * periods, and only the ui nodes may still archive a custom date range or new segment on
     * demand. True refuses even that (such reports stay empty until cron has run).
     */
    enforceCronArchiving?: boolean;
    /** Outgoing mail. Default none: Matomo cannot send password resets or reports. */
    mail?: MailArgs;
    /** Privacy defaults. Default: IP anonymization on, Do Not Track respected. */
    privacy?: PrivacyArgs;
    /**
     * More config.ini.php settings, by section. Keys the layout renders or depends on are refused;
     * a value may be a `SecretReference`, which nodes fill in at boot (secret-like keys must be one).
     */
    extraConfig?: Record<string, Record<string, IniValue | SecretReference>>;
    /** Tags for every resource. Default none (a `matomo:cluster` tag is always added). */
    tags?: Record<string, string>;
}

export interface ResolvedNewNetwork {
    kind: "new";
    vpcCidr: string;
    availabilityZoneCount: number;
    natGateways: NatGatewayStrategy;
}

export interface ResolvedExistingNetwork extends ExistingNetworkArgs {
    kind: "existing";
}

export interface ResolvedNewDatabase {
    kind: "new";
    engine: DatabaseEngine;
    engineVersion: string;
    instanceClass: string;
    allocatedStorageGiB: number;
    maxAllocatedStorageGiB: number;
    backupRetentionDays: number;
    multiAz: boolean;
    readReplica: boolean;
    deletionProtection: boolean;
    name: string;
    username: string;
    tablesPrefix: string;
    port: number;
    tls: boolean;
}

export interface ResolvedExistingDatabase {
    kind: "existing";
    host: Input<string>;
    port: number;
    name: string;
    username: string;
    passwordSecretArn: Input<string>;
    passwordSecretKmsKeyArn?: Input<string>;
    tablesPrefix: string;
    tls: boolean;
}

/** Every default filled in; what the renderers and components read. */
export interface ResolvedSettings {
    domain: string;
    trustedHosts: string[];
    certificate: { kind: "arn"; arn: Input<string> } | { kind: "dns"; hostedZoneId: Input<string> };
    hostedZoneId?: Input<string>;
    createDnsRecord: boolean;
    ingressCidrs: string[];
    network: ResolvedNewNetwork | ResolvedExistingNetwork;
    architecture: Architecture;
    amiId?: Input<string>;
    amiGeneration: number;
    trackers: Required<TrackerGroupArgs>;
    ui: { instanceType: string; count: 1 | 2 };
    database: ResolvedNewDatabase | ResolvedExistingDatabase;
    queuedTracking: ResolvedQueuedTracking;
    matomo: { version: string; downloadUrl: string; verification: { kind: "signature" } | { kind: "sha256"; sha256: string } };
    superUser: { login: string; email: string };
    firstSite: { name: string; url: string; timezone: string };
    maintenanceMode: boolean;
    trackingEnabled: boolean;
    enforceCronArchiving: boolean;
    mail?: ResolvedMail;
    privacy: { anonymizeIp: boolean };
    /** Read with `Object.hasOwn`: a section or key named `constructor` is just a name. */
    extraConfig: Record<string, Record<string, IniValue | ResolvedSecretReference>>;
    tags: Record<string, string>;
}

export type ResolvedQueuedTracking =
    | { enabled: false; nodeType: string }
    | {
          enabled: true;
          nodeType: string;
          plugin: { version: string; downloadUrl: string; sha256: string };
          numQueueWorkers: number;
          numRequestsToProcess: number;
      };

/** Alarm thresholds; each alarm's period and evaluation are in docs/observability.md. */
export interface AlarmThresholdArgs {
    /** Load balancer 5xx responses (its own and the targets') as a percent of requests, over 2 × 5 minutes. Default 5. */
    loadBalancer5xxPercent?: number;
    /** Trackers' p95 target response time in seconds, over 3 × 5 minutes. Default 1. */
    trackerResponseSeconds?: number;
    /** ui nodes' p95 target response time in seconds (reports can be slow), over 3 × 5 minutes. Default 10. */
    uiResponseSeconds?: number;
    /** Database average CPU percent, over 3 × 5 minutes. Default 80. */
    databaseCpuPercent?: number;
    /** Database free storage in GiB (storage autoscaling grows it; this says it could not). Default 10. */
    databaseFreeStorageGiB?: number;
    /** Database freeable memory in MiB. Default 512. */
    databaseFreeableMemoryMiB?: number;
    /** Database connections (RDS MySQL's max_connections on 16 GiB is about 1,300). Default 1000. */
    databaseConnections?: number;
    /** Read replica lag in seconds. Default 300. */
    replicaLagSeconds?: number;
    /** Redis memory used, percent of the node's. Default 80. */
    redisMemoryPercent?: number;
    /** Requests waiting in one QueuedTracking queue, held for 10 minutes. Default 10000. */
    queueBacklogRequests?: number;
}

/** Logs, metrics, alarms and the dashboard (docs/observability.md). */
export interface ObservabilityArgs {
    /** Log groups, the CloudWatch agent on the nodes, node metrics, alarms and the dashboard. Default true. */
    enabled?: boolean;
    /** Days the log groups keep events: one of CloudWatch Logs' values (1, 3, 5, 7, 14, 30, 60, 90, …, 3653). Default 30. */
    logRetentionDays?: number;
    /** KMS key ARN the log groups are encrypted with (its key policy must admit logs.<region>.amazonaws.com). Default none. */
    logKmsKeyArn?: Input<string>;
    /** Alarms notify this SNS topic of yours. Default: a topic the library creates. */
    alarmTopicArn?: Input<string>;
    /** An e-mail address subscribed to the created topic (AWS mails a confirmation link). Default none. */
    alarmEmail?: string;
    /** KMS key of the created topic; its key policy must let cloudwatch.amazonaws.com use it. Default none. */
    alarmTopicKmsKeyId?: Input<string>;
    /** Alarm when no `core:archive` run succeeded for this many hours (2 to 168). Default 3. */
    archivingHeartbeatHours?: number;
    thresholds?: AlarmThresholdArgs;
    /** Create the S3 bucket for the load balancer's access logs (unless `accessLogs` names yours). Default true. */
    createAccessLogBucket?: boolean;
    /** Days access logs stay in the created bucket (1 to 3650). Default 90. */
    accessLogExpirationDays?: number;
    /** https URL of a CloudWatch (monitoring) interface VPC endpoint without private DNS, for node metrics. Default the region's endpoint. */
    metricsEndpointUrl?: string;
}
