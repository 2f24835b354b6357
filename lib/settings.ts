/**
 * MatomoClusterArgs → resolved, validated settings.
 *
 * Everything here is pure: no resource exists yet when `resolveSettings` runs, so a typo or an
 * impossible size fails the program before any cloud call, with an error that names the
 * argument, the bad value and what is allowed.
 */
import type { Input } from "@pulumi/pulumi";
import { defaultDownloadUrl, defaultQueuedTrackingDownloadUrl, MATOMO_VERSION, QUEUED_TRACKING_VERSION } from "./release";
import {
    isCidr,
    isHostname,
    isInstanceType,
    isGravitonInstanceType,
    cidrPrefixLength,
} from "./validation";

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
    vpcId: Input<string>;
    /** At least 2, in different zones: the load balancer lives here. */
    publicSubnetIds: Input<string>[];
    /** At least 2, in different zones, with outbound internet (NAT): nodes and database live here. */
    privateSubnetIds: Input<string>[];
}

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

/** What Matomo's installer asks on its last page ("default settings"), answered as a person would. */
export interface PrivacyArgs {
    /**
     * Anonymise visitors' IP addresses (PrivacyManager's IP anonymiser, 2 bytes masked). Default
     * true, the box Matomo's installer shows pre-checked; false stores every visitor's full address.
     */
    anonymizeIp?: boolean;
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
    /** Default: a new VPC with the defaults of `NewNetworkArgs`. */
    network?: NewNetworkArgs | ExistingNetworkArgs;
    /** CPU architecture of every node. Default `arm64` (Graviton). */
    architecture?: Architecture;
    /** AMI for every node, used as is. Default the official Debian 12 image for `architecture`, resolved once and kept. */
    amiId?: Input<string>;
    /** Without `amiId`: raise it (2, 3, …) to move every node to Debian's newest image (rolls both groups). Default 1. */
    amiGeneration?: number;
    trackers?: TrackerGroupArgs;
    ui?: UiGroupArgs;
    /** Default: a new RDS MySQL with the defaults of `NewDatabaseArgs`. */
    database?: NewDatabaseArgs | ExistingDatabaseArgs;
    queuedTracking?: QueuedTrackingArgs;
    matomo?: MatomoReleaseArgs;
    superUser: SuperUserArgs;
    firstSite?: FirstSiteArgs;
    /** Privacy defaults set at install. Default: Matomo's installer defaults (see `PrivacyArgs`). */
    privacy?: PrivacyArgs;
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
    /**
     * More config.ini.php settings, by section. Keys the layout depends on are refused. A value may
     * be a `SecretReference`: the config then holds a placeholder the nodes fill at boot.
     */
    extraConfig?: Record<string, Record<string, IniValue | SecretReference>>;
    /** Outgoing mail over SMTP (`[mail]`, `[General] noreply_email_*`). Default none: Matomo uses PHP's mail(). */
    mail?: MailArgs;
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
    privacy: { anonymizeIp: boolean };
    maintenanceMode: boolean;
    trackingEnabled: boolean;
    enforceCronArchiving: boolean;
    extraConfig: Record<string, Record<string, IniValue | ResolvedSecretReference>>;
    mail?: ResolvedMail;
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

/** Thrown for bad input; names the argument path, the value and what is allowed. */
export class InvalidArgumentError extends Error {
    constructor(
        readonly argument: string,
        readonly value: unknown,
        readonly allowed: string,
    ) {
        super(`MatomoCluster: invalid argument '${argument}' = ${describe(value)}: ${allowed}`);
        this.name = "InvalidArgumentError";
    }
}

function describe(value: unknown): string {
    if (value === undefined) return "undefined";
    if (typeof value === "string") return JSON.stringify(value);
    try {
        return JSON.stringify(value) ?? String(value);
    } catch {
        return String(value);
    }
}

/**
 * Config keys the load-balanced layout depends on. `extraConfig` may not set them: a user
 * override of, say, `multi_server_environment` would silently break the cluster.
 */
export const LOCKED_CONFIG_KEYS: Readonly<Record<string, readonly string[]>> = {
    database: ["host", "port", "username", "password", "dbname", "tables_prefix", "adapter", "charset", "collation", "enable_ssl", "ssl_ca"],
    database_reader: ["host", "port", "username", "password", "dbname", "tables_prefix", "adapter", "charset", "collation", "enable_ssl", "ssl_ca"],
    General: [
        "multi_server_environment",
        "session_save_handler",
        "salt",
        "trusted_hosts",
        "force_ssl",
        "assume_secure_protocol",
        "proxy_client_headers",
        "proxy_scheme_headers",
        "proxy_host_headers",
        "proxy_ip_read_last_in_list",
        "enable_installer",
        "enable_plugins_admin",
        "enable_auto_update",
        "enable_browser_archiving_triggering",
        "browser_archiving_disabled_enforce",
        "maintenance_mode",
    ],
    Tracker: ["record_statistics"],
    // QueuedTracking's system settings, rendered from `queuedTracking` (see lib/config/render.ts).
    QueuedTracking: [
        "backend",
        "useWhatRedisBackendType",
        "redisHost",
        "redisPort",
        "redisDatabase",
        "queueEnabled",
        "processDuringTrackingRequest",
        "numQueueWorkers",
        "numRequestsToProcess",
    ],
};

/** Major versions in RDS standard support (as of 2026-11); see `NewDatabaseArgs.engineVersion`. */
export const SUPPORTED_ENGINE_VERSIONS: Record<DatabaseEngine, readonly string[]> = {
    mysql: ["8.4"],
    mariadb: ["10.11", "11.4"],
};
const DEFAULT_ENGINE_VERSION: Record<DatabaseEngine, string> = { mysql: "8.4", mariadb: "11.4" };

const KNOWN_ARGS: readonly (keyof MatomoClusterArgs)[] = [
    "domain", "additionalTrustedHosts", "certificateArn", "hostedZoneId", "createDnsRecord", "ingressCidrs",
    "network", "architecture", "amiId", "amiGeneration", "trackers", "ui", "database", "queuedTracking", "matomo", "superUser",
    "firstSite", "privacy", "maintenanceMode", "trackingEnabled", "enforceCronArchiving", "extraConfig", "mail", "tags",
];

/** Resolve every default and validate; throws `InvalidArgumentError` on the first bad value. */
export function resolveSettings(args: MatomoClusterArgs): ResolvedSettings {
    if (args === null || typeof args !== "object") {
        throw new InvalidArgumentError("args", args, "an object of MatomoClusterArgs");
    }
    for (const key of Object.keys(args)) {
        if (!(KNOWN_ARGS as readonly string[]).includes(key)) {
            throw new InvalidArgumentError(key, (args as unknown as Record<string, unknown>)[key], `unknown argument; allowed: ${KNOWN_ARGS.join(", ")}`);
        }
    }

    const domain = requireHostname("domain", args.domain);
    const extraHosts = (args.additionalTrustedHosts ?? []).map((h, i) => requireHostname(`additionalTrustedHosts[${i}]`, h));
    const trustedHosts = [domain, ...extraHosts.filter((h) => h !== domain)];

    const certificate = resolveCertificate(args);
    const createDnsRecord = optionalBoolean("createDnsRecord", args.createDnsRecord, args.hostedZoneId !== undefined);
    if (createDnsRecord && args.hostedZoneId === undefined) {
        throw new InvalidArgumentError("createDnsRecord", true, "needs 'hostedZoneId' (the Route 53 zone the record goes into)");
    }

    const ingressCidrs = args.ingressCidrs ?? ["0.0.0.0/0"];
    if (!Array.isArray(ingressCidrs) || ingressCidrs.length === 0) {
        throw new InvalidArgumentError("ingressCidrs", ingressCidrs, "a non-empty list of IPv4 CIDR blocks, e.g. [\"0.0.0.0/0\"]");
    }
    ingressCidrs.forEach((c, i) => {
        if (!isCidr(c)) throw new InvalidArgumentError(`ingressCidrs[${i}]`, c, "an IPv4 CIDR block such as 203.0.113.0/24");
    });

    const architecture = oneOf("architecture", args.architecture ?? "arm64", ["arm64", "x86_64"] as const);
    const trackers = resolveTrackers(args.trackers ?? {}, architecture);
    const ui = resolveUi(args.ui ?? {}, architecture);
    const queuedTracking = resolveQueuedTracking(args.queuedTracking ?? {});

    return {
        domain,
        trustedHosts,
        certificate,
        hostedZoneId: args.hostedZoneId,
        createDnsRecord,
        ingressCidrs: [...ingressCidrs],
        network: resolveNetwork(args.network),
        architecture,
        amiId: args.amiId,
        amiGeneration: integerIn("amiGeneration", args.amiGeneration ?? 1, 1, 1000),
        trackers,
        ui,
        database: resolveDatabase(args.database),
        queuedTracking,
        matomo: resolveRelease(args.matomo ?? {}),
        superUser: resolveSuperUser(args.superUser),
        firstSite: resolveFirstSite(args.firstSite ?? {}, domain),
        privacy: { anonymizeIp: optionalBoolean("privacy.anonymizeIp", args.privacy?.anonymizeIp, true) },
        maintenanceMode: optionalBoolean("maintenanceMode", args.maintenanceMode, false),
        trackingEnabled: optionalBoolean("trackingEnabled", args.trackingEnabled, true),
        enforceCronArchiving: optionalBoolean("enforceCronArchiving", args.enforceCronArchiving, false),
        extraConfig: resolveExtraConfigWithReferences(args.extraConfig ?? {}, args.mail),
        ...(args.mail !== undefined && args.mail !== null ? { mail: resolveMail(args.mail, domain) } : {}),
        tags: resolveTags(args.tags ?? {}),
    };
}

function resolveCertificate(args: MatomoClusterArgs): ResolvedSettings["certificate"] {
    if (args.certificateArn !== undefined) {
        const arn = args.certificateArn;
        if (typeof arn === "string" && !/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/.test(arn)) {
            throw new InvalidArgumentError("certificateArn", arn, "an ACM certificate ARN, arn:aws:acm:<region>:<account>:certificate/<id>");
        }
        return { kind: "arn", arn };
    }
    if (args.hostedZoneId !== undefined) {
        const zone = args.hostedZoneId;
        if (typeof zone === "string" && !/^Z[A-Z0-9]{1,31}$/.test(zone)) {
            throw new InvalidArgumentError("hostedZoneId", zone, "a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ");
        }
        return { kind: "dns", hostedZoneId: zone };
    }
    throw new InvalidArgumentError(
        "certificateArn",
        undefined,
        "give 'certificateArn' (an existing ACM certificate) or 'hostedZoneId' (a Route 53 zone to issue and validate one in)",
    );
}

function resolveNetwork(network: MatomoClusterArgs["network"]): ResolvedSettings["network"] {
    if (network !== undefined && "vpcId" in network) {
        for (const field of ["publicSubnetIds", "privateSubnetIds"] as const) {
            const ids = network[field];
            if (!Array.isArray(ids) || ids.length < 2) {
                throw new InvalidArgumentError(`network.${field}`, ids, "at least 2 subnet ids, in different availability zones");
            }
        }
        return { kind: "existing", ...network };
    }
    const n = network ?? {};
    const vpcCidr = n.vpcCidr ?? "10.80.0.0/16";
    if (!isCidr(vpcCidr)) {
        throw new InvalidArgumentError("network.vpcCidr", vpcCidr, "an IPv4 CIDR block such as 10.80.0.0/16");
    }
    const prefix = cidrPrefixLength(vpcCidr);
    if (prefix < 16 || prefix > 22) {
        throw new InvalidArgumentError("network.vpcCidr", vpcCidr, "a prefix from /16 (AWS's largest VPC) to /22 (room for 4 subnets per zone)");
    }
    return {
        kind: "new",
        vpcCidr,
        availabilityZoneCount: integerIn("network.availabilityZoneCount", n.availabilityZoneCount ?? 2, 2, 6),
        natGateways: oneOf("network.natGateways", n.natGateways ?? "onePerAz", ["onePerAz", "single"] as const),
    };
}

function resolveTrackers(t: TrackerGroupArgs, architecture: Architecture): Required<TrackerGroupArgs> {
    const instanceType = requireInstanceType("trackers.instanceType", t.instanceType ?? defaultInstanceType("c7g.large", architecture), architecture);
    const minSize = integerIn("trackers.minSize", t.minSize ?? 2, 1, 100);
    const maxSize = integerIn("trackers.maxSize", t.maxSize ?? Math.max(6, minSize), 1, 100);
    if (minSize > maxSize) {
        throw new InvalidArgumentError("trackers.minSize", minSize, `at most trackers.maxSize (${maxSize})`);
    }
    const desiredCapacity = integerIn("trackers.desiredCapacity", t.desiredCapacity ?? minSize, minSize, maxSize);
    const targetCpuUtilization = integerIn("trackers.targetCpuUtilization", t.targetCpuUtilization ?? 60, 10, 90);
    return { instanceType, minSize, maxSize, desiredCapacity, targetCpuUtilization };
}

function resolveUi(u: UiGroupArgs, architecture: Architecture): ResolvedSettings["ui"] {
    const instanceType = requireInstanceType("ui.instanceType", u.instanceType ?? defaultInstanceType("m7g.large", architecture), architecture);
    const count = u.count ?? 1;
    if (count !== 1 && count !== 2) {
        throw new InvalidArgumentError("ui.count", count, "1 or 2 (Matomo's FAQ: one UI/archiving server, which can be doubled)");
    }
    return { instanceType, count };
}

/** The x86_64 twin of a Graviton default, so `architecture: "x86_64"` alone works. */
function defaultInstanceType(gravitonType: string, architecture: Architecture): string {
    return architecture === "arm64" ? gravitonType : gravitonType.replace(/^([a-z]+\d+)g\./, "$1i.");
}

function resolveDatabase(db: MatomoClusterArgs["database"]): ResolvedSettings["database"] {
    if (db !== undefined && "host" in db) {
        const host = db.host;
        if (typeof host === "string" && !isHostname(host) && !/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) {
            throw new InvalidArgumentError("database.host", host, "a hostname or IPv4 address");
        }
        if (db.passwordSecretArn === undefined) {
            throw new InvalidArgumentError("database.passwordSecretArn", undefined, "the ARN of a Secrets Manager secret holding the password");
        }
        const arn = db.passwordSecretArn;
        if (typeof arn === "string" && !/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/.test(arn)) {
            throw new InvalidArgumentError("database.passwordSecretArn", arn, "a Secrets Manager ARN, arn:aws:secretsmanager:<region>:<account>:secret:<name>");
        }
        const keyArn = db.passwordSecretKmsKeyArn;
        if (keyArn !== undefined && typeof keyArn !== "object" && (typeof keyArn !== "string" || !/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/.test(keyArn))) {
            throw new InvalidArgumentError("database.passwordSecretKmsKeyArn", keyArn, "a KMS key ARN, arn:aws:kms:<region>:<account>:key/<key id> (IAM grants on keys, not aliases)");
        }
        return {
            kind: "existing",
            host,
            ...(keyArn !== undefined ? { passwordSecretKmsKeyArn: keyArn } : {}),
            port: integerIn("database.port", db.port ?? 3306, 1, 65535),
            name: requireDatabaseName(db.name ?? "matomo"),
            username: requireMatching("database.username", db.username, /^[A-Za-z][A-Za-z0-9_]{0,31}$/, "1 to 32 letters, digits or _, starting with a letter"),
            passwordSecretArn: arn,
            tablesPrefix: requireTablesPrefix(db.tablesPrefix ?? "matomo_"),
            tls: optionalBoolean("database.tls", db.tls, true),
        };
    }
    const d = db ?? {};
    const engine = oneOf("database.engine", d.engine ?? "mysql", ["mysql", "mariadb"] as const);
    const engineVersion = oneOf("database.engineVersion", d.engineVersion ?? DEFAULT_ENGINE_VERSION[engine], SUPPORTED_ENGINE_VERSIONS[engine]);
    const instanceClass = requireMatching(
        "database.instanceClass",
        d.instanceClass ?? "db.m7g.xlarge",
        /^db\.[a-z][a-z0-9-]*\d[a-z0-9-]*\.(\d*(nano|micro|small|medium|large|xlarge))$/,
        "an RDS instance class such as db.m7g.xlarge",
    );
    // The largest allocation that still leaves room for RDS's 110 % autoscaling ceiling under 65536 GiB.
    const allocatedStorageGiB = integerIn("database.allocatedStorageGiB", d.allocatedStorageGiB ?? 100, 20, Math.floor((RDS_MAX_STORAGE_GIB * 100) / 110));
    const maxAllocatedStorageGiB = requireMaxAllocatedStorage(allocatedStorageGiB, d.maxAllocatedStorageGiB);
    return {
        kind: "new",
        engine,
        engineVersion,
        instanceClass,
        allocatedStorageGiB,
        maxAllocatedStorageGiB,
        backupRetentionDays: integerIn("database.backupRetentionDays", d.backupRetentionDays ?? 14, 1, 35),
        multiAz: optionalBoolean("database.multiAz", d.multiAz, false),
        readReplica: optionalBoolean("database.readReplica", d.readReplica, false),
        deletionProtection: optionalBoolean("database.deletionProtection", d.deletionProtection, true),
        name: requireDatabaseName(d.name ?? "matomo"),
        // RDS MySQL master user names: 1 to 16 characters, letters, digits and _, starting with a letter.
        username: requireMatching("database.username", d.username ?? "matomo", /^[A-Za-z][A-Za-z0-9_]{0,15}$/, "1 to 16 letters, digits or _, starting with a letter (RDS limit)"),
        tablesPrefix: requireTablesPrefix(d.tablesPrefix ?? "matomo_"),
        port: 3306,
        tls: true,
    };
}

/** RDS storage autoscaling refuses a ceiling below 110 % of the allocated storage ("Invalid max storage size"). */
export function minimumMaxAllocatedStorageGiB(allocatedStorageGiB: number): number {
    // Whole-number arithmetic: 200 * 1.1 is 220.00000000000003 in floating point.
    return Math.ceil((allocatedStorageGiB * 110) / 100);
}

/** The default ceiling: 1000 GiB, or 26 % above a larger allocation. */
export function defaultMaxAllocatedStorageGiB(allocatedStorageGiB: number): number {
    return Math.min(RDS_MAX_STORAGE_GIB, Math.max(1000, Math.ceil((allocatedStorageGiB * 126) / 100)));
}

/** RDS for MySQL and MariaDB: at most 64 TiB of gp3 storage. */
const RDS_MAX_STORAGE_GIB = 65536;

/** `database.maxAllocatedStorageGiB`: default or given, at least 110 % of the allocation, at most RDS's 65536. */
export function requireMaxAllocatedStorage(allocatedStorageGiB: number, value: unknown): number {
    const minimum = minimumMaxAllocatedStorageGiB(allocatedStorageGiB);
    const ceiling = value ?? defaultMaxAllocatedStorageGiB(allocatedStorageGiB);
    if (typeof ceiling !== "number" || !Number.isInteger(ceiling) || ceiling < minimum || ceiling > RDS_MAX_STORAGE_GIB) {
        throw new InvalidArgumentError(
            "database.maxAllocatedStorageGiB",
            ceiling,
            `a whole number of GiB at least ${minimum} (110 % of database.allocatedStorageGiB (${allocatedStorageGiB}), RDS storage autoscaling's minimum) and at most ${RDS_MAX_STORAGE_GIB}`,
        );
    }
    return ceiling;
}

function requireDatabaseName(name: unknown): string {
    // RDS MySQL DBName: 1 to 64 letters, digits or _, starting with a letter.
    return requireMatching("database.name", name, /^[A-Za-z][A-Za-z0-9_]{0,63}$/, "1 to 64 letters, digits or _, starting with a letter");
}

function requireTablesPrefix(prefix: unknown): string {
    return requireMatching("database.tablesPrefix", prefix, /^[A-Za-z0-9_]{0,20}$/, "up to 20 letters, digits or _");
}

function resolveQueuedTracking(q: QueuedTrackingArgs): ResolvedQueuedTracking {
    const enabled = optionalBoolean("queuedTracking.enabled", q.enabled, false);
    const nodeType = requireMatching(
        "queuedTracking.nodeType",
        q.nodeType ?? "cache.t4g.small",
        /^cache\.[a-z][a-z0-9-]*\d[a-z0-9-]*\.(\d*(micro|small|medium|large|xlarge))$/,
        "an ElastiCache node type such as cache.t4g.small",
    );
    // Everything given is checked even when disabled, so a typo shows before it matters.
    const version = requireMatching("queuedTracking.pluginVersion", q.pluginVersion ?? QUEUED_TRACKING_VERSION, /^\d+\.\d+\.\d+$/, "a plugin release number x.y.z such as 5.2.0");
    if (Number(version.split(".")[0]) !== 5) {
        throw new InvalidArgumentError("queuedTracking.pluginVersion", version, "a 5.x release (the plugin's 5.x line is the one for Matomo 5)");
    }
    const downloadUrl = q.pluginDownloadUrl ?? defaultQueuedTrackingDownloadUrl(version);
    if (typeof downloadUrl !== "string" || !/^https:\/\/[^\s"'\\]+$/.test(downloadUrl)) {
        throw new InvalidArgumentError("queuedTracking.pluginDownloadUrl", downloadUrl, "an https:// URL without spaces or quotes");
    }
    const sha256 =
        q.pluginSha256 === undefined
            ? undefined
            : requireMatching("queuedTracking.pluginSha256", q.pluginSha256, /^[0-9a-fA-F]{64}$/, "64 hexadecimal digits (the zip's sha256)").toLowerCase();
    const numQueueWorkers = integerIn("queuedTracking.numQueueWorkers", q.numQueueWorkers ?? 1, 1, 16);
    const numRequestsToProcess = integerIn("queuedTracking.numRequestsToProcess", q.numRequestsToProcess ?? 25, 1, 1000);
    if (!enabled) return { enabled, nodeType };
    if (sha256 === undefined) {
        throw new InvalidArgumentError(
            "queuedTracking.pluginSha256",
            undefined,
            `required when QueuedTracking is enabled: the sha256 of the plugin zip, which nodes check before installing it. ` +
                `Get it from a machine you trust: curl -fsSL ${downloadUrl} | sha256sum`,
        );
    }
    return { enabled, nodeType, plugin: { version, downloadUrl, sha256 }, numQueueWorkers, numRequestsToProcess };
}

function resolveRelease(m: MatomoReleaseArgs): ResolvedSettings["matomo"] {
    const version = requireMatching("matomo.version", m.version ?? MATOMO_VERSION, /^\d+\.\d+\.\d+$/, "a release number x.y.z such as 5.10.0");
    const [major, minor] = version.split(".").map(Number);
    if (major < 5 || (major === 5 && minor < 7)) {
        // Matomo reads [General] proxy_scheme_headers (how nodes behind the ALB learn the request was https) from 5.7.0 on.
        throw new InvalidArgumentError("matomo.version", version, "Matomo 5.7.0 or later (earlier releases ignore proxy_scheme_headers, which this layout relies on)");
    }
    const downloadUrl = m.downloadUrl ?? defaultDownloadUrl(version);
    if (typeof downloadUrl !== "string" || !/^https:\/\/[^\s"'\\]+$/.test(downloadUrl)) {
        throw new InvalidArgumentError("matomo.downloadUrl", downloadUrl, "an https:// URL without spaces or quotes");
    }
    if (m.sha256 !== undefined) {
        const sha256 = requireMatching("matomo.sha256", m.sha256, /^[0-9a-fA-F]{64}$/, "64 hexadecimal digits").toLowerCase();
        return { version, downloadUrl, verification: { kind: "sha256", sha256 } };
    }
    // A mirror without a sha256 is verified like the original: its `.asc` must sit beside the archive.
    return { version, downloadUrl, verification: { kind: "signature" } };
}

function resolveSuperUser(s: SuperUserArgs | undefined): ResolvedSettings["superUser"] {
    if (s === undefined || s === null || typeof s !== "object") {
        throw new InvalidArgumentError("superUser", s, "an object with at least 'email' (the Matomo super user's address)");
    }
    return {
        login: requireMatching("superUser.login", s.login ?? "admin", /^[A-Za-z0-9_.@-]{2,100}$/, "2 to 100 letters, digits, _, -, . or @"),
        email: requireMatching("superUser.email", s.email, /^[^\s@"'\\]+@[^\s@"'\\]+\.[^\s@"'\\]+$/, "an e-mail address such as ops@example.com"),
    };
}

function resolveFirstSite(f: FirstSiteArgs, domain: string): ResolvedSettings["firstSite"] {
    const name = requireSingleLine("firstSite.name", f.name ?? domain);
    if (name.length === 0 || name.length > 90) {
        throw new InvalidArgumentError("firstSite.name", name, "1 to 90 characters");
    }
    return {
        name,
        url: requireMatching("firstSite.url", f.url ?? `https://${domain}`, /^https?:\/\/[^\s"'\\]+$/, "an http:// or https:// URL"),
        timezone: requireMatching("firstSite.timezone", f.timezone ?? "UTC", /^(UTC|[A-Za-z]+(\/[A-Za-z0-9_+-]+){1,2})$/, "UTC or an IANA time zone such as Europe/Berlin"),
    };
}

function resolveExtraConfig(extra: Record<string, Record<string, IniValue>>): Record<string, Record<string, IniValue>> {
    const resolved: Record<string, Record<string, IniValue>> = {};
    for (const [section, entries] of Object.entries(extra)) {
        if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(section)) {
            throw new InvalidArgumentError(`extraConfig.${section}`, section, "a section name of letters, digits and _");
        }
        if (entries === null || typeof entries !== "object" || Array.isArray(entries)) {
            throw new InvalidArgumentError(`extraConfig.${section}`, entries, "an object of key → value");
        }
        resolved[section] = {};
        for (const [key, value] of Object.entries(entries)) {
            const path = `extraConfig.${section}.${key}`;
            if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(key)) {
                throw new InvalidArgumentError(path, key, "a key of letters, digits and _ (arrays are given as a list value, not as key[])");
            }
            if (LOCKED_CONFIG_KEYS[section]?.includes(key)) {
                throw new InvalidArgumentError(path, value, "this key is set by the load-balanced layout and cannot be overridden; use the matching MatomoClusterArgs field if there is one");
            }
            resolved[section][key] = requireIniValue(path, value);
        }
    }
    return resolved;
}

function requireIniValue(path: string, value: unknown): IniValue {
    if (typeof value === "boolean") return value;
    if (typeof value === "number") {
        if (!Number.isFinite(value)) throw new InvalidArgumentError(path, value, "a finite number");
        return value;
    }
    if (typeof value === "string") return requireSingleLine(path, value);
    if (Array.isArray(value)) return value.map((v, i) => requireSingleLine(`${path}[${i}]`, v));
    throw new InvalidArgumentError(path, value, "a string, number, boolean or list of strings");
}

function resolveTags(tags: Record<string, string>): Record<string, string> {
    const resolved: Record<string, string> = {};
    for (const [key, value] of Object.entries(tags)) {
        // AWS tag limits: key 1-128, value 0-256 characters; the aws: prefix is reserved.
        if (key.length < 1 || key.length > 128 || key.toLowerCase().startsWith("aws:")) {
            throw new InvalidArgumentError(`tags.${key}`, key, "a key of 1 to 128 characters, not starting with the reserved 'aws:'");
        }
        if (typeof value !== "string" || value.length > 256) {
            throw new InvalidArgumentError(`tags.${key}`, value, "a string of at most 256 characters");
        }
        if (!/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u.test(key + value)) {
            throw new InvalidArgumentError(`tags.${key}`, value, "letters, digits, spaces and _ . : / = + - @ only (AWS's tag character set)");
        }
        resolved[key] = value;
    }
    return resolved;
}

function requireHostname(argument: string, value: unknown): string {
    if (typeof value !== "string" || !isHostname(value)) {
        throw new InvalidArgumentError(argument, value, "a fully qualified hostname such as analytics.example.com (no scheme, port or path)");
    }
    return value.toLowerCase();
}

function requireInstanceType(argument: string, value: unknown, architecture: Architecture): string {
    if (typeof value !== "string" || !isInstanceType(value)) {
        throw new InvalidArgumentError(argument, value, "an EC2 instance type such as c7g.large (family.size)");
    }
    const graviton = isGravitonInstanceType(value);
    if (graviton !== (architecture === "arm64")) {
        throw new InvalidArgumentError(
            argument,
            value,
            architecture === "arm64"
                ? "a Graviton (arm64) type such as c7g.large, because 'architecture' is arm64"
                : "an x86_64 type such as c7i.large, because 'architecture' is x86_64",
        );
    }
    return value;
}

function requireSingleLine(argument: string, value: unknown): string {
    if (typeof value !== "string") throw new InvalidArgumentError(argument, value, "a string");
    if (/[\r\n\0]/.test(value)) {
        throw new InvalidArgumentError(argument, value, "a single line: newlines and NUL cannot be written to config.ini.php safely");
    }
    return value;
}

function requireMatching(argument: string, value: unknown, pattern: RegExp, allowed: string): string {
    if (typeof value !== "string" || !pattern.test(value)) throw new InvalidArgumentError(argument, value, allowed);
    return value;
}

function integerIn(argument: string, value: unknown, min: number, max: number): number {
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
        throw new InvalidArgumentError(argument, value, `a whole number from ${min} to ${max}`);
    }
    return value;
}

function optionalBoolean(argument: string, value: unknown, fallback: boolean): boolean {
    if (value === undefined) return fallback;
    if (typeof value !== "boolean") throw new InvalidArgumentError(argument, value, "true or false");
    return value;
}

function oneOf<T extends string>(argument: string, value: unknown, allowed: readonly T[]): T {
    if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
        throw new InvalidArgumentError(argument, value, `one of ${allowed.map((a) => `'${a}'`).join(", ")}`);
    }
    return value as T;
}

// ─── Secret references and mail ──────────────────────────────────────────────────────────────
// The shapes agreed in INTERFACE-8.md, with a minimal resolver. (The schema rewrite of this file
// replaces this block; everything downstream reads only the resolved shapes.)

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

/** Outgoing mail through an SMTP server (Matomo's `[mail]` section). */
export interface MailArgs {
    /** SMTP server host name. Required. */
    host: string;
    /** Default 587 (465 with `encryption: "ssl"`). */
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

/** Keys `mail` renders; `extraConfig` may not set them when `mail` is given. */
const MAIL_OWNED_KEYS: Readonly<Record<string, readonly string[]>> = {
    mail: ["transport", "host", "port", "type", "username", "password", "encryption"],
    General: ["noreply_email_address", "noreply_email_name"],
};

/** Config keys whose value is a secret (by the end of their name: `login_password_recovery_email_address` is not one): refused as plain text, accepted as a `SecretReference`. */
const SECRET_KEY_PATTERN = /(password|passwd|secret|license_?key|token)$/i;

function isOutput(value: unknown): boolean {
    return value !== null && typeof value === "object" && (value as { __pulumiOutput?: unknown }).__pulumiOutput === true;
}

export function resolveSecretReference(path: string, value: unknown): ResolvedSecretReference {
    if (value === null || typeof value !== "object" || Array.isArray(value) || isOutput(value)) {
        throw new InvalidArgumentError(path, value, "a secret reference { secretArn, jsonKey?, kmsKeyArn? }");
    }
    const ref = value as Record<string, unknown>;
    for (const key of Object.keys(ref)) {
        if (!["secretArn", "jsonKey", "kmsKeyArn"].includes(key)) throw new InvalidArgumentError(`${path}.${key}`, ref[key], "unknown key; a secret reference has secretArn, jsonKey, kmsKeyArn");
    }
    const { secretArn, jsonKey, kmsKeyArn } = ref;
    if (!isOutput(secretArn) && (typeof secretArn !== "string" || !/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/.test(secretArn))) {
        throw new InvalidArgumentError(`${path}.secretArn`, secretArn, "a Secrets Manager ARN, arn:aws:secretsmanager:<region>:<account>:secret:<name>");
    }
    if (jsonKey !== undefined && (typeof jsonKey !== "string" || !/^[A-Za-z0-9_.-]{1,128}$/.test(jsonKey))) {
        throw new InvalidArgumentError(`${path}.jsonKey`, jsonKey, "1 to 128 letters, digits, _, . or -");
    }
    if (kmsKeyArn !== undefined && !isOutput(kmsKeyArn) && (typeof kmsKeyArn !== "string" || !/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/.test(kmsKeyArn))) {
        throw new InvalidArgumentError(`${path}.kmsKeyArn`, kmsKeyArn, "a KMS key ARN, arn:aws:kms:<region>:<account>:key/<key id>");
    }
    return {
        secretArn: secretArn as Input<string>,
        ...(jsonKey !== undefined ? { jsonKey: jsonKey as string } : {}),
        ...(kmsKeyArn !== undefined ? { kmsKeyArn: kmsKeyArn as Input<string> } : {}),
    };
}

/** `extraConfig` with secret references: plain values go through `resolveExtraConfig`, references are checked here. */
function resolveExtraConfigWithReferences(extra: unknown, mail: unknown): Record<string, Record<string, IniValue | ResolvedSecretReference>> {
    if (extra === null || typeof extra !== "object" || Array.isArray(extra)) throw new InvalidArgumentError("extraConfig", extra, "an object of section → { key → value }");
    const plain: Record<string, Record<string, IniValue>> = {};
    const references: [string, string, ResolvedSecretReference][] = [];
    for (const [section, entries] of Object.entries(extra as Record<string, unknown>)) {
        if (entries === null || typeof entries !== "object" || Array.isArray(entries)) {
            plain[section] = entries as Record<string, IniValue>; // refused with its path by resolveExtraConfig
            continue;
        }
        plain[section] = {};
        for (const [key, value] of Object.entries(entries as Record<string, unknown>)) {
            const path = `extraConfig.${section}.${key}`;
            if (mail !== undefined && mail !== null && MAIL_OWNED_KEYS[section]?.includes(key)) {
                throw new InvalidArgumentError(path, value, "set by the 'mail' argument; change it there");
            }
            if (LOCKED_CONFIG_KEYS[section]?.includes(key)) {
                plain[section][key] = value as IniValue; // refused as a key the layout owns, by resolveExtraConfig
                continue;
            }
            if (value !== null && typeof value === "object" && !Array.isArray(value)) {
                if (!("secretArn" in value)) throw new InvalidArgumentError(path, value, "a string, number, boolean, list of strings, or a secret reference { secretArn, jsonKey?, kmsKeyArn? }");
                if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(key)) throw new InvalidArgumentError(path, key, "a key of letters, digits and _");
                references.push([section, key, resolveSecretReference(path, value)]);
                continue;
            }
            if (typeof value === "string" && value.includes("{{secret:")) {
                throw new InvalidArgumentError(path, value, "no '{{secret:' placeholders; give a secret as { secretArn } instead");
            }
            if (SECRET_KEY_PATTERN.test(key) && value !== "" && (typeof value === "string" || Array.isArray(value))) {
                throw new InvalidArgumentError(path, "[redacted]", "a secret: give it as a Secrets Manager reference { secretArn, jsonKey? }, never as plain text (it would land in user data)");
            }
            plain[section][key] = value as IniValue;
        }
    }
    const resolved: Record<string, Record<string, IniValue | ResolvedSecretReference>> = resolveExtraConfig(plain);
    for (const [section, key, ref] of references) resolved[section][key] = ref;
    return resolved;
}

function resolveMail(mail: unknown, domain: string): ResolvedMail {
    if (typeof mail !== "object" || Array.isArray(mail) || mail === null) throw new InvalidArgumentError("mail", mail, "an object { host, port?, encryption?, username?, password?, fromAddress?, fromName? }");
    const m = mail as Record<string, unknown>;
    const known = ["host", "port", "encryption", "username", "password", "fromAddress", "fromName"];
    for (const key of Object.keys(m)) {
        if (!known.includes(key)) throw new InvalidArgumentError(`mail.${key}`, m[key], `unknown key; allowed: ${known.join(", ")}`);
    }
    if (typeof m.host !== "string" || (!isHostname(m.host) && !/^\d{1,3}(\.\d{1,3}){3}$/.test(m.host))) {
        throw new InvalidArgumentError("mail.host", m.host, "the SMTP server's hostname or IPv4 address, e.g. email-smtp.eu-west-1.amazonaws.com");
    }
    const encryption = oneOf("mail.encryption", m.encryption ?? "tls", ["tls", "ssl", "none"] as const);
    const port = integerIn("mail.port", m.port ?? (encryption === "ssl" ? 465 : 587), 1, 65535);
    if (m.username === undefined && m.password !== undefined) throw new InvalidArgumentError("mail.password", "[reference]", "only with 'mail.username' (no login, no password)");
    let login: { username: string; password: ResolvedSecretReference } | undefined;
    if (m.username !== undefined) {
        const username = requireSingleLine("mail.username", m.username);
        if (username.length === 0 || username.length > 256) throw new InvalidArgumentError("mail.username", username, "1 to 256 characters");
        if (typeof m.password === "string") throw new InvalidArgumentError("mail.password", "[redacted]", "a Secrets Manager reference { secretArn, jsonKey? }, never plain text (it would land in user data)");
        if (m.password === undefined) throw new InvalidArgumentError("mail.password", undefined, "required with 'mail.username': a Secrets Manager reference { secretArn, jsonKey? }");
        login = { username, password: resolveSecretReference("mail.password", m.password) };
    }
    const fromName = requireSingleLine("mail.fromName", m.fromName ?? "Matomo");
    if (fromName.length === 0 || fromName.length > 100) throw new InvalidArgumentError("mail.fromName", fromName, "1 to 100 characters");
    return {
        host: m.host.toLowerCase(),
        port,
        encryption,
        ...(login ?? {}),
        fromAddress: requireMatching("mail.fromAddress", m.fromAddress ?? `noreply@${domain}`, /^[^\s@"'\\]+@[^\s@"'\\]+\.[^\s@"'\\]+$/, "an e-mail address such as noreply@example.com"),
        fromName,
    };
}
