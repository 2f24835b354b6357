/**
 * The argument types users write (`MatomoClusterArgs` and its parts) and the resolved settings the
 * renderers and components read. Every rule about their values lives in the schema (`./cluster.ts`,
 * `./fields.ts`); the TSDoc here says the defaults, and `test/docs.test.ts` checks the docs agree.
 */
import type { Input } from "@pulumi/pulumi";
import type { BundledPluginName } from "../release";

export type { BundledPluginName };

/** CPU architecture of the nodes: `arm64` (Graviton, the default) or `x86_64`. */
export type Architecture = "arm64" | "x86_64";
/** The RDS engine of a database this library creates: `mysql` (the default) or `mariadb`. */
export type DatabaseEngine = "mysql" | "mariadb";
/** NAT gateways of a new VPC: one per availability zone (the default, survives a zone failure) or a `single` shared one. */
export type NatGatewayStrategy = "onePerAz" | "single";
/** Sizing presets for ≤10M, ~100M and ~1B hits a month (README.md, "Sizing presets"). */
export type Preset = "small" | "reference" | "large";
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
    /**
     * VPC endpoints for the AWS services nodes call: an S3 gateway endpoint (no charge) and interface endpoints for
     * Secrets Manager, SSM, Session Manager and CloudWatch (billed per zone and hour). Default false: through NAT
     * (docs/aws.md, "What nodes reach").
     */
    vpcEndpoints?: boolean;
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
export type ClusterNetworkArgs =
    | NewNetworkArgs
    | {
          /** Your VPC and subnets; nothing network-wide is created. Default none: a new VPC. */
          existing: ExistingNetworkArgs;
      };

/** `trackers`: the autoscaling group that serves only the tracking endpoints. */
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

/** `ui`: the node(s) that serve the UI and API and alone run archiving. */
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
}

/** A MySQL-compatible database the user already runs. */
export interface ExistingDatabaseArgs {
    /** Host name (or address) the nodes connect to. Required. */
    host: Input<string>;
    /** Default 3306. An Output (e.g. an `aws.rds.Instance`'s `port`) is checked when it resolves. */
    port?: Input<number>;
    /** Schema name. Default `matomo`. */
    name?: Input<string>;
    /**
     * The admin user the ui nodes install, upgrade and manage Matomo's two database users with (no
     * node runs Matomo as it): every privilege on the schema with GRANT OPTION, and CREATE USER. Required.
     */
    username: Input<string>;
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
export type ClusterDatabaseArgs =
    | NewDatabaseArgs
    | {
          /** Your database; no RDS instance is created. Default none: a new RDS instance. */
          existing: ExistingDatabaseArgs;
      };

/** A value kept in AWS Secrets Manager; nodes read it at boot with their instance role. */
export interface SecretReference {
    /** ARN of the Secrets Manager secret. */
    secretArn: Input<string>;
    /** When the secret string is a JSON object, the key to take. Default: the whole string. */
    jsonKey?: string;
    /** Customer-managed KMS key ARN the secret is encrypted with (nodes get kms:Decrypt via Secrets Manager). Default none. */
    kmsKeyArn?: Input<string>;
}

/** A `SecretReference` after validation, as the renderers and components read it. */
export interface ResolvedSecretReference {
    /** ARN of the Secrets Manager secret. */
    secretArn: Input<string>;
    /** The JSON key to take from the secret string; absent: the whole string. */
    jsonKey?: string;
    /** The customer-managed KMS key the nodes need `kms:Decrypt` on; absent: the account's default key. */
    kmsKeyArn?: Input<string>;
}

/** Outgoing mail (Matomo's `[mail]`): password resets, scheduled reports, alerts. */
export interface MailArgs {
    /** SMTP server host name. Required. */
    host: Input<string>;
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

/** `mail` with its defaults filled in: what config.ini.php's `[mail]` section is rendered from. */
export interface ResolvedMail {
    /** SMTP server host name. */
    host: Input<string>;
    /** SMTP port (587, or 465 for `ssl`, unless given). */
    port: number;
    /** `tls` (STARTTLS), `ssl` (implicit TLS) or `none`. */
    encryption: "tls" | "ssl" | "none";
    /** SMTP login; absent: no authentication. */
    username?: string;
    /** The SMTP password's secret, filled in on the node at boot. */
    password?: ResolvedSecretReference;
    /** Sender address (`noreply@<domain>` unless given). */
    fromAddress: Input<string>;
    /** Sender name (`Matomo` unless given). */
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

/** `queuedTracking`: queue tracking requests in Redis (the QueuedTracking plugin) instead of writing them to the database at once. */
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
     * sha256 of the zip at `pluginDownloadUrl`, 64 hex digits. Required when `enabled`, unless
     * QueuedTracking is listed in `plugins` (then its entry gives version, sha256 and URL, and the
     * three `plugin…` fields here must be left out). Nodes refuse a zip with any other checksum. Get it once from a machine you trust:
     * `curl -fsSL <pluginDownloadUrl> | sha256sum`.
     */
    pluginSha256?: string;
    /**
     * The plugin's `numQueueWorkers`: how many queues requests are spread over, each drained by its
     * own worker on every ui node (a supervised `queuedtracking:process` loop; the plugin lets one
     * worker at a time work on a queue). Default ⌈`peakRequestsPerSecond` / 300⌉ when that is
     * given, else 1; at most 16. The plugin's advice: keep 1 when you track with User IDs.
     */
    numQueueWorkers?: number;
    /**
     * Peak tracking requests per second the queue must keep up with; sizes `numQueueWorkers` at
     * 300 requests per second per worker (70 % of the 427 one worker drained in a measurement, see
     * README "QueuedTracking capacity"). Default none (one queue).
     */
    peakRequestsPerSecond?: number;
    /**
     * The longest a queue holding fewer than `numRequestsToProcess` requests waits before its worker
     * processes them anyway (`--force-num-requests-process-at-once=1`), in seconds. The plugin
     * itself takes a queue only once it holds a full batch, so on a quiet site hits would otherwise
     * wait for the next ones. Default 60, 5 to 3600. A hit then waits at most this + 5 s + two
     * worker runs (docs/provisioning.md, *QueuedTracking*).
     */
    forceProcessAfterSeconds?: number;
    /** The plugin's `numRequestsToProcess`: requests taken from a queue in one batch. Default 25 (the plugin's), 1 to 1000. */
    numRequestsToProcess?: number;
}

/**
 * The location database every node (tracker and ui) installs at boot and refreshes daily, and
 * the `geoip2php` provider Matomo then locates visitors with at tracking time (docs/runtime-files.md).
 */
export interface GeoIpArgs {
    /**
     * Default `"dbip-lite"`: DB-IP's free IP to City Lite, the database Matomo's installer sets up
     * itself (monthly). `"maxmind"`: a MaxMind edition with `maxmind`'s account and license key.
     * `"off"`: no database; Matomo keeps its default provider (the browser's language).
     */
    provider?: "dbip-lite" | "maxmind" | "off";
    /**
     * dbip-lite only: where nodes download it (https), with `{month}` for the year and month (UTC,
     * `2026-11`). Default `https://download.db-ip.com/free/dbip-city-lite-{month}.mmdb.gz`.
     */
    downloadUrl?: string;
    /** Required with `provider: "maxmind"`. */
    maxmind?: MaxMindArgs;
}

/** `geoIp.maxmind`: the MaxMind account a `maxmind` location database is downloaded with. */
export interface MaxMindArgs {
    /** MaxMind account ID (digits). Required. */
    accountId: string;
    /** MaxMind license key: a secret reference, never plain text. Required. */
    licenseKey: SecretReference;
    /** Edition ID. Default `GeoLite2-City`; also `GeoIP2-City`, `GeoLite2-Country`, `GeoIP2-Country`. */
    edition?: "GeoLite2-City" | "GeoIP2-City" | "GeoLite2-Country" | "GeoIP2-Country";
}

/** `geoIp` resolved: which location database the nodes install, from where, and under which file name. */
export type ResolvedGeoIp =
    | {
          /** No location database: Matomo keeps its default provider. */
          provider: "off";
      }
    | {
          /** DB-IP's free city database. */
          provider: "dbip-lite";
          /** Download URL template, `{month}` still in it (nodes fill it in). */
          downloadUrl: string;
          /** File name under Matomo's `misc/` that the `geoip2php` provider reads. */
          file: string;
      }
    | {
          /** A MaxMind edition, downloaded with the account's license key. */
          provider: "maxmind";
          /** MaxMind account ID. */
          accountId: string;
          /** The license key's secret. */
          licenseKey: ResolvedSecretReference;
          /** MaxMind edition ID, e.g. `GeoLite2-City`. */
          edition: string;
          /** MaxMind's download URL for `edition`. */
          downloadUrl: string;
          /** File name under Matomo's `misc/` that the `geoip2php` provider reads. */
          file: string;
      };

/**
 * A Matomo plugin that is not part of Matomo's release (a Marketplace plugin, free or premium, or
 * your own), installed with exactly the same code on every node. See docs/provisioning.md "Plugins".
 */
export interface PluginArgs {
    /**
     * The plugin's name as Matomo spells it: its directory under `plugins/` and its namespace.
     * Required. A letter, then up to 59 letters, digits or `_` (Matomo's
     * `Plugin\Manager::isValidPluginName`); not a plugin Matomo's release ships.
     */
    name: string;
    /** Release, x.y.z. Required: the archive's `plugin.json` must name this version. */
    version: string;
    /**
     * sha256 of the zip at `downloadUrl`, 64 hex digits. Required: nodes refuse any other archive
     * before unpacking it. Get it once from a machine you trust: `curl -fsSL <downloadUrl> | sha256sum`
     * (premium: `curl -fsSL --data-urlencode access_token=<license key> <downloadUrl> | sha256sum`).
     */
    sha256: string;
    /**
     * Where nodes download the zip (https only). Default the Matomo Marketplace's download endpoint,
     * `https://plugins.matomo.org/api/2.0/plugins/<name>/download/<version>`. Override for a mirror or
     * your own plugin; the zip must hold `<name>/plugin.json`.
     */
    downloadUrl?: string;
}

/** The Matomo Marketplace, for premium plugins. */
export interface MarketplaceArgs {
    /**
     * Your Marketplace license key, as a secret reference (never the key itself). Default none: only
     * free plugins download. Nodes read it at boot and send it as Matomo's own Marketplace client
     * does (form field `access_token`, by POST), only to the Marketplace's download endpoint, never
     * to a `downloadUrl` you give.
     */
    licenseKey?: SecretReference;
}

/** `matomo`: which Matomo release every node installs, and from where. */
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

/** `superUser`: the Matomo super user the unattended install creates (its password is generated into Secrets Manager). */
export interface SuperUserArgs {
    /** Default `admin`. 2 to 100 characters of letters, digits, `_`, `-`, `.`, `@`. */
    login?: string;
    /** Required: Matomo mails password resets and reports here. */
    email: string;
}

/** `firstSite`: the website the unattended install creates (Matomo's installer requires one). */
export interface FirstSiteArgs {
    /** Default the cluster's domain. */
    name?: string;
    /** Default `https://<domain>`. */
    url?: string;
    /** Default `UTC`. */
    timezone?: string;
}

/**
 * `salt`: Matomo's `[General] salt`. Matomo hashes every API `token_auth` with it
 * (plugins/UsersManager/Model.php `hashTokenAuth`: sha512 of token and salt), so a Matomo you
 * adopt must keep its old one, or every existing token stops working.
 */
export interface SaltArgs {
    /**
     * Secrets Manager secret holding the salt of the Matomo whose database you adopt (its old
     * config.ini.php's `[General] salt`; `npm run import-config` prints the command that stores it).
     * Default none: the library generates one. Required with `database.existing` unless `generateNew`.
     */
    existingSecretArn?: Input<string>;
    /** When that secret string is a JSON object, the key to take. Default: the whole string. */
    jsonKey?: string;
    /** Customer-managed KMS key ARN that secret is encrypted with (nodes get kms:Decrypt via Secrets Manager). Default none. */
    kmsKeyArn?: Input<string>;
    /**
     * With `database.existing`: true to generate a new salt, for an existing database that holds no
     * Matomo yet (or whose API tokens you accept to lose). Default false.
     */
    generateNew?: boolean;
}

/** `salt` resolved: generated by the library, or read from your secret. */
export type ResolvedSalt =
    | {
          /** The library generates the salt (a `random` resource, kept in Secrets Manager). */
          kind: "generated";
      }
    | {
          /** The salt is read at boot from your secret. */
          kind: "existing";
          /** ARN of the secret holding the old salt. */
          secretArn: Input<string>;
          /** JSON key to take from the secret string; absent: the whole string. */
          jsonKey?: string;
          /** KMS key the secret is encrypted with; absent: the account's default key. */
          kmsKeyArn?: Input<string>;
      };

/**
 * `adopt`: the plugin sections of the Matomo whose database you adopt, as its old config.ini.php
 * has them (`npm run import-config` prints them). The first ui node stores them for every node when
 * it finds an installed Matomo with no plugin sections stored by this library yet; once stored,
 * these arguments are not read again.
 */
export interface AdoptArgs {
    /** `[PluginsInstalled] PluginsInstalled[]`, in order. Required (Matomo writes it on every install). */
    installedPlugins: string[];
    /**
     * `[Plugins] Plugins[]`, in order. Default none: the old config had no `[Plugins]` section, so the
     * release's `global.ini.php` list applies (Matomo writes the section only when it differs).
     * Matomo writes the section whole, so it always holds Monolog; a list without it is refused.
     */
    activatedPlugins?: string[];
}

/** `core:archive` periods (`--force-periods`). */
export type ArchivePeriod = "day" | "week" | "month" | "year" | "range";

/** The ui nodes' archiving cron (`core:archive`) and scheduled tasks. */
export interface ArchivingArgs {
    /** cron schedule (minute hour day-of-month month day-of-week, UTC) of `core:archive`. Default `5 * * * *` (hourly, as Matomo advises). */
    schedule?: string;
    /** cron schedule of `scheduled-tasks:run`. Default `35 * * * *`. */
    scheduledTasksSchedule?: string;
    /** `--concurrent-requests-per-website`: archiving requests run in parallel per site. Default 3 (Matomo's), allowed 1 to 8. */
    concurrentRequestsPerWebsite?: number;
    /** `--force-periods`: archive only these periods. Default all (the option is not passed). */
    forcePeriods?: ArchivePeriod[];
    /** `--max-websites-to-process` per run. Default no limit. */
    maxWebsitesToProcess?: number;
    /** `--max-archives-to-process` per run. Default no limit. */
    maxArchivesToProcess?: number;
    /** Stop a `core:archive` run after this many seconds (`timeout`; the next slot continues). Default none, allowed 300 to 172800. */
    timeoutSeconds?: number;
}

/** `archiving` resolved: what the ui nodes' cron file is rendered from; an absent option is not passed to `core:archive`. */
export interface ResolvedArchiving {
    /** cron schedule of `core:archive`. */
    schedule: string;
    /** cron schedule of `scheduled-tasks:run`. */
    scheduledTasksSchedule: string;
    /** `--concurrent-requests-per-website`. */
    concurrentRequestsPerWebsite?: number;
    /** `--force-periods`. */
    forcePeriods?: ArchivePeriod[];
    /** `--max-websites-to-process`. */
    maxWebsitesToProcess?: number;
    /** `--max-archives-to-process`. */
    maxArchivesToProcess?: number;
    /** Seconds after which a run is stopped. */
    timeoutSeconds?: number;
}

/**
 * The node image: by default every node boots Debian's image and installs packages and Matomo at
 * first boot (minutes). With `prebuilt`, the library bakes an image with EC2 Image Builder from
 * that same Debian image and the same provisioning scripts (packages, the verified release, the
 * plugins; nothing of this deployment's secrets or config), and both groups boot it. See
 * docs/provisioning.md, "Booting from a pre-built image".
 */
export interface NodeImageArgs {
    /**
     * Bake and boot a pre-built image. Default `false`: the first `pulumi up` then waits for an image
     * build (about 15 to 25 minutes, paid build instance time and the image's snapshot storage), and
     * every change of Matomo's release or the plugin list bakes a new one before nodes roll.
     */
    prebuilt?: boolean;
    /** Raise it to bake again from the same inputs (Debian's security updates of the baked packages); rolls both groups. Default 1, a whole number ≥ 1. */
    generation?: number;
    /** EC2 instance type of the build instance, matching `architecture`. Default `c7g.large` (arm64) or `c7i.large` (x86_64). */
    buildInstanceType?: string;
}

/** `NodeImageArgs` with every default filled in. */
export interface ResolvedNodeImage {
    /** Whether both groups boot a baked image. */
    prebuilt: boolean;
    /** Raised to bake again from the same inputs. */
    generation: number;
    /** The build instance's EC2 type. */
    buildInstanceType: string;
}

/**
 * The portable arguments of `MatomoCluster` (shared by every language and the config importer): only
 * `domain`, a certificate source and `superUser` are required. A TypeScript program writes
 * `MatomoClusterComponentArgs`, which is these and the AWS-only knobs.
 */
export interface MatomoClusterArgs {
    /**
     * Sizes for a traffic class: `small` (≤10M hits a month), `reference` (~100M, the FAQ's layout)
     * or `large` (~1B). Default `reference`, the sizes this library always had. It sets the trackers'
     * type, minSize and maxSize, the ui type and count, the database class, storage, IOPS,
     * throughput, Multi-AZ and read replica, and QueuedTracking (on for `large`), its Redis node type
     * and queue workers; any of those given explicitly wins over the preset.
     */
    preset?: Preset;
    /** Hostname Matomo is served at, e.g. `analytics.example.com`. Required. */
    domain: Input<string>;
    /** More hostnames Matomo accepts (`trusted_hosts[]`). Default none. */
    additionalTrustedHosts?: string[];
    /** ARN of an ACM certificate for `domain` in the stack's region. Either this or `hostedZoneId`; default none. */
    certificateArn?: Input<string>;
    /** Route 53 zone for `domain`: used to issue and DNS-validate a certificate when no ARN is given, and for the alias record. Default none. */
    hostedZoneId?: Input<string>;
    /** Create a Route 53 alias `domain` → load balancer. Default true when `hostedZoneId` is given. */
    createDnsRecord?: boolean;
    /** IPv4 ranges that may reach the load balancer. Default `["0.0.0.0/0"]` (trackers are public by nature). */
    ingressCidrs?: Input<string>[];
    /** Default: a new VPC with the defaults of `NewNetworkArgs`; `{ existing: {...} }` uses yours. */
    network?: ClusterNetworkArgs;
    /** CPU architecture of every node. Default `arm64` (Graviton). */
    architecture?: Architecture;
    /** AMI for every node. Default the official Debian 12 image for `architecture`, the newest at the first `pulumi up`, then kept until `amiGeneration` is raised. */
    amiId?: Input<string>;
    /** Bump to replace every node with a freshly booted one (same config). Default 1, a whole number ≥ 1. */
    amiGeneration?: number;
    /** A pre-built node image (EC2 Image Builder), so a scaled-out node only writes config and joins. Default off (see `NodeImageArgs`). */
    nodeImage?: NodeImageArgs;
    /** The tracker group. Default: sized by `preset` (see `TrackerGroupArgs`). */
    trackers?: TrackerGroupArgs;
    /** The ui/archiving node(s). Default: sized by `preset` (see `UiGroupArgs`). */
    ui?: UiGroupArgs;
    /** Default: a new RDS MySQL with the defaults of `NewDatabaseArgs`; `{ existing: {...} }` uses yours. */
    database?: ClusterDatabaseArgs;
    /** QueuedTracking with Redis. Default: off, except with `preset: "large"`. */
    queuedTracking?: QueuedTrackingArgs;
    /** Default: DB-IP's city lite database on every node, refreshed daily (see `GeoIpArgs`). */
    geoIp?: GeoIpArgs;
    /**
     * Plugins beyond Matomo's release, at most 50, each name once. Default none. Every node installs
     * them (sha256-checked before unpacking); one ui node activates them under the provisioning lock.
     * Adding, upgrading or removing one rolls both groups; a removed plugin is deactivated first.
     * QueuedTracking may be listed here too (with `queuedTracking.enabled`, which wires its Redis).
     */
    plugins?: PluginArgs[];
    /**
     * Plugins Matomo's release ships but leaves inactive, to activate: any of `DBStats`,
     * `MobileAppMeasurable`, `TagManager`, each once. Default none. Nothing is downloaded (their
     * code comes with `matomo.version`); one ui node activates them under the provisioning lock,
     * once, and records it like `plugins`; a name taken out is deactivated. Adding or removing one
     * rolls both groups.
     */
    bundledPlugins?: BundledPluginName[];
    /** The Matomo Marketplace (a license key for premium plugins). Default none. */
    marketplace?: MarketplaceArgs;
    /** The Matomo release. Default: the release pinned in `lib/release.ts`, verified by its signature. */
    matomo?: MatomoReleaseArgs;
    /** The super user the install creates. Required (its `email`). */
    superUser: SuperUserArgs;
    /** The first website. Default: named after `domain`, at `https://<domain>`, in UTC. */
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
     * a value may be a `SecretReference`, which nodes fill in at boot (secret-like keys must be one). Default none.
     */
    extraConfig?: Record<string, Record<string, IniValue | SecretReference>>;
    /**
     * `extraConfig` settings that weaken Matomo's own protections (`Tracker.debug`,
     * `General.cors_domains` with `*` …), each as `Section.key`, that you accept anyway. Default
     * none: such a setting is refused with its reason (README, "config.ini.php").
     */
    extraConfigAllowUnsafe?: string[];
    /** Tags for every resource. Default none (a `matomo:cluster` tag is always added). */
    tags?: Record<string, Input<string>>;
    /** Matomo's salt. Default: generated; with `database.existing` the old one is required (see `SaltArgs`). */
    salt?: SaltArgs;
    /** The old plugin sections of a Matomo you adopt. Default none. */
    adopt?: AdoptArgs;
    /** The archiving cron. Default: `core:archive` hourly at :05, scheduled tasks at :35. */
    archiving?: ArchivingArgs;
}

/** A new VPC, with its defaults filled in. */
export interface ResolvedNewNetwork {
    /** Marks a VPC the library creates. */
    kind: "new";
    /** IPv4 range of the VPC. */
    vpcCidr: string;
    /** Availability zones the subnets span. */
    availabilityZoneCount: number;
    /** One NAT gateway per zone, or a single one. */
    natGateways: NatGatewayStrategy;
    /** VPC endpoints for the AWS services nodes call. */
    vpcEndpoints: boolean;
}

/** Your VPC and subnets, as given. */
export interface ResolvedExistingNetwork extends ExistingNetworkArgs {
    /** Marks a VPC the library only uses. */
    kind: "existing";
}

/** A new RDS instance, with the preset's sizes and every default filled in (see `NewDatabaseArgs` for each field). */
export interface ResolvedNewDatabase {
    /** Marks a database the library creates. */
    kind: "new";
    /** `mysql` or `mariadb`. */
    engine: DatabaseEngine;
    /** Engine major version. */
    engineVersion: string;
    /** RDS instance class. */
    instanceClass: string;
    /** gp3 storage at creation, GiB. */
    allocatedStorageGiB: number;
    /** Storage autoscaling ceiling, GiB. */
    maxAllocatedStorageGiB: number;
    /** Days of automated backups. */
    backupRetentionDays: number;
    /** Standby in a second zone. */
    multiAz: boolean;
    /** A read replica is created and written into config as `[database_reader]`. */
    readReplica: boolean;
    /** RDS deletion protection. */
    deletionProtection: boolean;
    /** Schema name. */
    name: string;
    /** Master user name. */
    username: string;
    /** Matomo's table prefix. */
    tablesPrefix: string;
    /** Port the instance listens on (3306). */
    port: number;
    /** Nodes connect with TLS (always, for a database the library creates). */
    tls: boolean;
    /** Provisioned gp3 IOPS; absent: RDS's baseline. */
    iops?: number;
    /** Provisioned gp3 throughput, MiB/s; absent: RDS's baseline. */
    storageThroughput?: number;
    /** The DB snapshot the instance is restored from; absent: created empty. */
    restoreFromSnapshot?: string;
    /** Generation of the master password; raising it rotates the password. */
    passwordVersion: number;
}

/** Your database, with the defaults of `ExistingDatabaseArgs` filled in. */
export interface ResolvedExistingDatabase {
    /** Marks a database the library only connects to. */
    kind: "existing";
    /** Host name or address. */
    host: Input<string>;
    /** Port. */
    port: Input<number>;
    /** Schema name. */
    name: Input<string>;
    /** The user Matomo connects as. */
    username: Input<string>;
    /** Secret holding the password. */
    passwordSecretArn: Input<string>;
    /** Customer-managed KMS key of that secret; absent: the account's default key. */
    passwordSecretKmsKeyArn?: Input<string>;
    /** Matomo's table prefix. */
    tablesPrefix: string;
    /** Connect with TLS. */
    tls: boolean;
}

/** Every default filled in; what the renderers and components read. */
export interface ResolvedSettings {
    /** The sizing preset the defaults were taken from. */
    preset: Preset;
    /** Hostname Matomo is served at. */
    domain: Input<string>;
    /** `domain` followed by `additionalTrustedHosts`: config's `trusted_hosts[]` (a repeat of an Output domain dropped once it is known). */
    trustedHosts: Input<string>[];
    /** Where the load balancer's certificate comes from. */
    certificate:
        | {
              /** The certificate ARN you gave. */
              kind: "arn";
              /** ARN of the ACM certificate. */
              arn: Input<string>;
          }
        | {
              /** A certificate the library requests and validates through Route 53. */
              kind: "dns";
              /** The zone the validation records go in. */
              hostedZoneId: Input<string>;
          };
    /** Route 53 zone of `domain`, when given. */
    hostedZoneId?: Input<string>;
    /** Whether the alias record `domain` → load balancer is created. */
    createDnsRecord: boolean;
    /** IPv4 ranges that may reach the load balancer. */
    ingressCidrs: Input<string>[];
    /** A VPC to create or yours. */
    network: ResolvedNewNetwork | ResolvedExistingNetwork;
    /** CPU architecture of every node. */
    architecture: Architecture;
    /** AMI for every node; absent: the newest official Debian 12 image for `architecture`. */
    amiId?: Input<string>;
    /** Raised to replace every node. */
    amiGeneration: number;
    /** The node image: Debian's, or one baked by EC2 Image Builder. */
    nodeImage: ResolvedNodeImage;
    /** The tracker group's type, sizes and scaling target. */
    trackers: Required<TrackerGroupArgs>;
    /** The ui group: instance type and 1 or 2 nodes. */
    ui: {
        /** EC2 instance type. */
        instanceType: string;
        /** Number of ui nodes. */
        count: 1 | 2;
    };
    /** A database to create or yours. */
    database: ResolvedNewDatabase | ResolvedExistingDatabase;
    /** Whether tracking requests are queued in Redis, and how the queues are worked. */
    queuedTracking: ResolvedQueuedTracking;
    /** The location database nodes install. */
    geoIp: ResolvedGeoIp;
    /** Every plugin nodes install and the ui activates, QueuedTracking included when enabled, in the order given. */
    plugins: ResolvedPlugin[];
    /** The bundled plugins the ui activates (no download), in the order given. */
    bundledPlugins: BundledPluginName[];
    /** The Marketplace. */
    marketplace: {
        /** The license key's secret, for premium plugins; absent: free plugins only. */
        licenseKey?: ResolvedSecretReference;
    };
    /** The Matomo release every node installs. */
    matomo: {
        /** Release, x.y.z. */
        version: string;
        /** Where nodes download the release archive. */
        downloadUrl: string;
        /** How nodes check the archive before unpacking it. */
        verification:
            | {
                  /** Against Matomo's release signature (`.asc`). */
                  kind: "signature";
              }
            | {
                  /** Against a sha256 you gave. */
                  kind: "sha256";
                  /** 64 hex digits. */
                  sha256: string;
              };
    };
    /** The super user the install creates. */
    superUser: {
        /** Login name. */
        login: string;
        /** E-mail address. */
        email: string;
    };
    /** The website the install creates. */
    firstSite: {
        /** Site name. */
        name: Input<string>;
        /** Site URL. */
        url: Input<string>;
        /** Site time zone. */
        timezone: string;
    };
    /** `[General] maintenance_mode`. */
    maintenanceMode: boolean;
    /** `[Tracker] record_statistics`. */
    trackingEnabled: boolean;
    /** `[General] browser_archiving_disabled_enforce`. */
    enforceCronArchiving: boolean;
    /** Outgoing mail; absent: no `[mail]` section. */
    mail?: ResolvedMail;
    /** Privacy choices the unattended install applies. */
    privacy: {
        /** Anonymise visitor IP addresses. */
        anonymizeIp: boolean;
    };
    /** Read with `Object.hasOwn`: a section or key named `constructor` is just a name. */
    extraConfig: Record<string, Record<string, IniValue | ResolvedSecretReference>>;
    /** Tags for every resource (the `matomo:cluster` tag is added when resources are created). */
    tags: Record<string, Input<string>>;
    /** Matomo's salt: generated, or your secret. */
    salt: ResolvedSalt;
    /** The adopted Matomo's plugin sections; absent: nothing adopted. */
    adopt?: {
        /** `[PluginsInstalled] PluginsInstalled[]`, in order. */
        installedPlugins: string[];
        /** `[Plugins] Plugins[]`, in order; absent: the release's list. */
        activatedPlugins?: string[];
    };
    /** The archiving cron. */
    archiving: ResolvedArchiving;
}

/** A plugin every node installs, with its download URL resolved. */
export interface ResolvedPlugin {
    /** Plugin name as Matomo spells it. */
    name: string;
    /** Release, x.y.z. */
    version: string;
    /** Lower case. */
    sha256: string;
    /** Where nodes download the zip. */
    downloadUrl: string;
    /** True when the download goes to the Marketplace's own endpoint with the license key (`marketplace.licenseKey`). */
    licensed: boolean;
}

/** QueuedTracking's Redis wiring; its plugin release is one entry of `ResolvedSettings.plugins`. */
export type ResolvedQueuedTracking =
    | {
          /** No Redis and no queue: hits are written to the database at once. */
          enabled: false;
          /** The ElastiCache node type the arguments or preset name; no cache is created while disabled. */
          nodeType: string;
      }
    | {
          /** Redis and the plugin's queue are on. */
          enabled: true;
          /** ElastiCache node type. */
          nodeType: string;
          /** Number of queues, each with one worker per ui node. */
          numQueueWorkers: number;
          /** Requests a worker takes from a queue in one batch. */
          numRequestsToProcess: number;
          /** Seconds a partly filled queue waits before it is processed anyway. */
          forceProcessAfterSeconds: number;
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
    /**
     * Database freeable memory in MiB. Default 1/32 of the database class's memory (512 on the
     * reference's 16 GiB db.m7g.xlarge, 256 on small's db.m7g.large, 2048 on large's db.r7g.2xlarge);
     * 512 for a class outside the m and r families.
     */
    databaseFreeableMemoryMiB?: number;
    /**
     * Database connections. Default 1000 per 16 GiB of the database class's memory, about 80 % of
     * RDS MySQL's default max_connections ({DBInstanceClassMemory/12582880}): 500 on small's class,
     * 1000 on the reference's, 4000 on large's; 1000 for a class outside the m and r families.
     */
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
    /** The alarms' thresholds, each overridable (docs/observability.md lists them with their reasons). Default the documented ones; the database's connection and memory thresholds follow its class. */
    thresholds?: AlarmThresholdArgs;
    /** Create the S3 bucket for the load balancer's access logs (unless `accessLogs` names yours). Default true. */
    createAccessLogBucket?: boolean;
    /** Days access logs stay in the created bucket (1 to 3650). Default 90. */
    accessLogExpirationDays?: number;
    /** `pulumi destroy` empties and deletes the created access-log bucket (the logs are lost). Default false: destroy leaves the bucket, its logs and its settings in the account (docs/aws.md, "Destroying a cluster"). */
    accessLogBucketForceDestroy?: boolean;
    /** https URL of a CloudWatch (monitoring) interface VPC endpoint without private DNS, for node metrics. Default the region's endpoint. */
    metricsEndpointUrl?: string;
}
