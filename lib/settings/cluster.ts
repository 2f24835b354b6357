/**
 * `MatomoClusterArgs` (and the AWS-only knobs of `MatomoCluster`) as one schema, and the resolver
 * that fills every default. Pure: it runs before any resource exists, so a typo or an impossible
 * size fails the program with every mistake listed by the path the user wrote.
 */
import type { Input } from "@pulumi/pulumi";
import { renderedConfigKeys } from "../config/render";
import { defaultDownloadUrl, defaultQueuedTrackingDownloadUrl, MATOMO_VERSION, QUEUED_TRACKING_VERSION } from "../release";
import type {
    AlarmThresholdArgs,
    ObservabilityArgs,
    Architecture,
    ExistingDatabaseArgs,
    FirstSiteArgs,
    MailArgs,
    MatomoClusterArgs,
    MatomoReleaseArgs,
    PrivacyArgs,
    QueuedTrackingArgs,
    ResolvedMail,
    ResolvedQueuedTracking,
    ResolvedSettings,
    SuperUserArgs,
    TrackerGroupArgs,
    UiGroupArgs,
} from "./args";
import {
    cacheComponentOnlyFields,
    childOverride,
    checkCertificateAndDns,
    CERTIFICATE_OR_ZONE,
    accessLogs,
    databaseComponentOnlyFields,
    existingNetwork,
    ingressCidrs,
    loadBalancerComponentOnlyFields,
    networkChoice,
    networkHints,
    newDatabaseFields,
    newNetworkFields,
    nodeGroupComponentOnlyFields,
    resolveNewDatabase,
    secretsComponentOnlyFields,
} from "./components";
import { InvalidArgumentError, type ArgumentPath } from "./errors";
import { ALWAYS_LOCKED_KEYS, extraConfigSchema } from "./extraConfig";
import * as f from "./fields";
import { Checker, boolean, defaultsOf, eitherThis, integer, integerOneOf, object, oneOf, optional, plainList, required, text, validate, withDefault, type Field, type ObjectOut, type Schema } from "./schema";

/** The first Matomo release whose `proxy_scheme_headers` setting the rendered config relies on. */
export const MINIMUM_MATOMO_VERSION = "5.7.0";

const OLD_SHAPE_DATABASE = "an existing database is given as database: { existing: { host, username, passwordSecretArn, … } }";

const existingDatabase = object({
    host: required(f.databaseHost),
    port: withDefault(f.port, 3306),
    name: withDefault(f.databaseName, "matomo"),
    username: required(f.mysqlUsername),
    passwordSecretArn: required(f.secretArn),
    passwordSecretKmsKeyArn: optional(f.kmsKeyArn, "none: the secret uses the account's aws/secretsmanager key"),
    tablesPrefix: withDefault(f.tablesPrefix, "matomo_"),
    tls: withDefault(boolean, true),
} satisfies Record<keyof ExistingDatabaseArgs, unknown>);

const database = object(
    { existing: optional(existingDatabase, "none: create an RDS instance"), ...newDatabaseFields, tablesPrefix: withDefault(f.tablesPrefix, "matomo_") },
    (d, c, path, given): ResolvedSettings["database"] | undefined => {
        if (d.existing !== undefined) {
            const mixed = [...given].find((k) => k !== "existing");
            if (mixed !== undefined) return c.fail([...path, mixed], (d as Record<string, unknown>)[mixed], "not with 'existing' (these settings are for a database this library creates)");
            const e = d.existing;
            return {
                kind: "existing",
                host: e.host,
                port: e.port,
                name: e.name,
                username: e.username,
                passwordSecretArn: e.passwordSecretArn,
                ...(e.passwordSecretKmsKeyArn !== undefined ? { passwordSecretKmsKeyArn: e.passwordSecretKmsKeyArn } : {}),
                tablesPrefix: e.tablesPrefix,
                tls: e.tls,
            };
        }
        const engine = resolveNewDatabase(d, c, path, "database.");
        return engine && { kind: "new", ...engine, tablesPrefix: d.tablesPrefix, port: 3306, tls: true };
    },
    "an object",
    { host: OLD_SHAPE_DATABASE, passwordSecretArn: OLD_SHAPE_DATABASE, tls: OLD_SHAPE_DATABASE, port: OLD_SHAPE_DATABASE },
);

const network = object({ existing: optional(existingNetwork, "none: create a VPC"), ...newNetworkFields }, (n, c, path, given): ResolvedSettings["network"] | undefined => {
    const plan = networkChoice(n, c, path, given);
    if (plan === undefined) return undefined;
    return plan.kind === "existing" ? { kind: "existing", ...plan.existing } : plan;
}, "an object", networkHints);

const trackers = object({
    instanceType: optional(f.instanceType, "c7g.large (c7i.large on x86_64)"),
    minSize: withDefault(integer(1, 100), 2),
    maxSize: optional(integer(1, 100), "6, or minSize when larger"),
    desiredCapacity: optional(integer(1, 100), "minSize (the size at creation; the scaling policy owns it afterwards)"),
    targetCpuUtilization: withDefault(f.targetCpuUtilization, 60),
} satisfies Record<keyof TrackerGroupArgs, unknown>);

const ui = object({
    instanceType: optional(f.instanceType, "m7g.large (m7i.large on x86_64)"),
    count: withDefault(integerOneOf([1, 2] as const, "1 or 2 (Matomo's FAQ: one UI/archiving server, which can be doubled)"), 1 as 1 | 2),
} satisfies Record<keyof UiGroupArgs, unknown>);

const queuedTracking = object(
    {
        enabled: withDefault(boolean, false),
        nodeType: withDefault(f.cacheNodeType, "cache.t4g.small"),
        pluginVersion: withDefault(f.releaseVersion, QUEUED_TRACKING_VERSION),
        pluginDownloadUrl: optional(f.httpsUrl, "https://plugins.matomo.org/api/2.0/plugins/QueuedTracking/download/<pluginVersion>"),
        pluginSha256: optional(f.sha256, "required when enabled", true),
        numQueueWorkers: withDefault(integer(1, 16), 1),
        numRequestsToProcess: withDefault(integer(1, 1000), 25),
    } satisfies Record<keyof QueuedTrackingArgs, unknown>,
    (q, c, path): ResolvedQueuedTracking | undefined => {
        // Everything given is checked even when disabled, so a typo shows before it matters.
        if (Number(q.pluginVersion.split(".")[0]) !== 5) {
            return c.fail([...path, "pluginVersion"], q.pluginVersion, "a 5.x release (the plugin's 5.x line is the one for Matomo 5)");
        }
        const downloadUrl = q.pluginDownloadUrl ?? defaultQueuedTrackingDownloadUrl(q.pluginVersion);
        if (!q.enabled) return { enabled: false, nodeType: q.nodeType };
        if (q.pluginSha256 === undefined) {
            return c.fail(
                [...path, "pluginSha256"],
                undefined,
                `required when QueuedTracking is enabled: the sha256 of the plugin zip, which nodes check before installing it. ` +
                    `Get it from a machine you trust: curl -fsSL ${downloadUrl} | sha256sum`,
            );
        }
        return {
            enabled: true,
            nodeType: q.nodeType,
            plugin: { version: q.pluginVersion, downloadUrl, sha256: q.pluginSha256.toLowerCase() },
            numQueueWorkers: q.numQueueWorkers,
            numRequestsToProcess: q.numRequestsToProcess,
        };
    },
);

const matomo = object(
    {
        version: withDefault(f.releaseVersion, MATOMO_VERSION),
        downloadUrl: optional(f.httpsUrl, "Matomo's download URL for version"),
        sha256: optional(f.sha256, "none: verify Matomo's release signature"),
    } satisfies Record<keyof MatomoReleaseArgs, unknown>,
    (m, c, path): ResolvedSettings["matomo"] | undefined => {
        if (!f.versionAtLeast(m.version, MINIMUM_MATOMO_VERSION)) {
            return c.fail([...path, "version"], m.version, `Matomo ${MINIMUM_MATOMO_VERSION} or later (earlier releases ignore proxy_scheme_headers, which this layout relies on behind the load balancer)`);
        }
        const downloadUrl = m.downloadUrl ?? defaultDownloadUrl(m.version);
        // A mirror without a sha256 is verified like the original: its `.asc` must sit beside the archive.
        return { version: m.version, downloadUrl, verification: m.sha256 !== undefined ? { kind: "sha256", sha256: m.sha256.toLowerCase() } : { kind: "signature" } };
    },
);

const superUser = object(
    { login: withDefault(f.login, "admin"), email: required(f.email) } satisfies Record<keyof SuperUserArgs, unknown>,
    undefined,
    "an object with at least 'email' (the Matomo super user's address)",
);

const firstSite = object({
    name: optional(f.siteName, "the domain"),
    url: optional(f.httpUrl, "https://<domain>"),
    timezone: withDefault(f.timezone, "UTC"),
} satisfies Record<keyof FirstSiteArgs, unknown>);

const smtpHost = text("an SMTP server hostname or IPv4 address", (v) => f.isHostOrIp(v));
const mail = object(
    {
        host: required(smtpHost),
        port: optional(f.port, "587; 465 with encryption \"ssl\""),
        encryption: withDefault(oneOf(["tls", "ssl", "none"] as const), "tls" as "tls" | "ssl" | "none"),
        username: optional(text("an SMTP login of 1 to 255 characters", (v) => v.length >= 1 && v.length <= 255), "none: no authentication"),
        password: optional(f.secretReference, "required with username; a reference, never plain text", true),
        fromAddress: optional(f.email, "noreply@<domain>"),
        fromName: withDefault(text("1 to 100 characters", (v) => v.length >= 1 && v.length <= 100), "Matomo"),
    } satisfies Record<keyof MailArgs, unknown>,
    (m, c, path) => {
        if (m.username !== undefined && m.password === undefined) return c.fail([...path, "password"], undefined, "required with 'username': a secret reference { secretArn, jsonKey? }");
        if (m.username === undefined && m.password !== undefined) return c.fail([...path, "username"], undefined, "required with 'password' (the SMTP login)");
        // Implicit TLS has its own well-known port (465, RFC 8314); STARTTLS and plain submission use 587.
        return { ...m, port: m.port ?? (m.encryption === "ssl" ? 465 : 587) };
    },
);

const privacy = object({ anonymizeIp: withDefault(boolean, true) } satisfies Record<keyof PrivacyArgs, unknown>);

const portableFields = {
    domain: required(f.hostname),
    additionalTrustedHosts: withDefault(plainList(f.hostname, { unique: true }), [] as string[]),
    certificateArn: eitherThis(f.acmCertificateArn, "hostedZoneId", CERTIFICATE_OR_ZONE, "none: either this or hostedZoneId"),
    hostedZoneId: optional(f.hostedZoneId, "none", true),
    createDnsRecord: optional(boolean, "true when hostedZoneId is given"),
    ingressCidrs: withDefault(ingressCidrs, ["0.0.0.0/0"]),
    network: optional(network, "a new VPC with the defaults of its fields"),
    architecture: withDefault(f.architecture, "arm64" as Architecture),
    amiId: optional(f.amiId, "the official Debian 12 image for architecture, newest at the first pulumi up, then kept (see amiGeneration)"),
    amiGeneration: withDefault(f.imageGeneration, 1),
    trackers: optional(trackers, "see its fields"),
    ui: optional(ui, "see its fields"),
    database: optional(database, "a new RDS instance with the defaults of its fields"),
    queuedTracking: optional(queuedTracking, "off"),
    matomo: optional(matomo, "the pinned release, verified by signature"),
    superUser: required(superUser),
    firstSite: optional(firstSite, "see its fields"),
    maintenanceMode: withDefault(boolean, false),
    trackingEnabled: withDefault(boolean, true),
    enforceCronArchiving: withDefault(boolean, false),
    mail: optional(mail, "none: Matomo sends no mail"),
    privacy: optional(privacy, "see its fields"),
    extraConfig: optional(extraConfigSchema(() => lockedConfigKeys()), "none"),
    tags: optional(f.tags, "none (a matomo:cluster tag is always added)"),
} satisfies Record<keyof MatomoClusterArgs, unknown>;

/** Sub-objects that are optional with defaults of their own: resolved from `{}` when not given. */
function filled<T>(schema: Schema<T>, value: T | undefined): T {
    return value ?? defaultsOf(schema);
}

type PortableChecked = ObjectOut<typeof portableFields>;

function resolvePortable(v: PortableChecked, c: Checker, path: ArgumentPath): ResolvedSettings | undefined {
    const domain = v.domain.toLowerCase();
    const trustedHosts = [domain, ...v.additionalTrustedHosts.map((h) => h.toLowerCase()).filter((h) => h !== domain)];
    const dns = checkCertificateAndDns(c, path, v);
    const certificate: ResolvedSettings["certificate"] | undefined =
        v.certificateArn !== undefined ? { kind: "arn", arn: v.certificateArn } : v.hostedZoneId !== undefined ? { kind: "dns", hostedZoneId: v.hostedZoneId } : undefined;

    const arch = v.architecture;
    const t = filled(trackers, v.trackers);
    const trackerType = t.instanceType ?? f.defaultInstanceType("c7g.large", arch);
    const archOk = f.checkArchitecture(c, [...path, "trackers", "instanceType"], trackerType, arch, "architecture");
    const maxSize = t.maxSize ?? Math.max(6, t.minSize);
    const desiredCapacity = f.checkGroupSizes(c, [...path, "trackers"], { minSize: t.minSize, maxSize, desiredCapacity: t.desiredCapacity }, "trackers.");
    const u = filled(ui, v.ui);
    const uiType = u.instanceType ?? f.defaultInstanceType("m7g.large", arch);
    const uiOk = f.checkArchitecture(c, [...path, "ui", "instanceType"], uiType, arch, "architecture");

    const m = v.mail;
    const resolvedMail: ResolvedMail | undefined = m && {
        host: m.host,
        port: m.port,
        encryption: m.encryption,
        ...(m.username !== undefined ? { username: m.username } : {}),
        ...(m.password !== undefined ? { password: m.password } : {}),
        fromAddress: m.fromAddress ?? `noreply@${domain}`,
        fromName: m.fromName,
    };
    const site = filled(firstSite, v.firstSite);
    if (site.name === undefined && domain.length > 90) return c.fail([...path, "firstSite", "name"], undefined, "1 to 90 characters: give a name, the domain is too long to be one");

    if (!dns || !certificate || !archOk || !uiOk || desiredCapacity === undefined) return undefined;
    return {
        domain,
        trustedHosts,
        certificate,
        ...(v.hostedZoneId !== undefined ? { hostedZoneId: v.hostedZoneId } : {}),
        createDnsRecord: dns.createDnsRecord,
        ingressCidrs: [...v.ingressCidrs],
        network: filled(network, v.network),
        architecture: arch,
        ...(v.amiId !== undefined ? { amiId: v.amiId } : {}),
        amiGeneration: v.amiGeneration,
        trackers: { instanceType: trackerType, minSize: t.minSize, maxSize, desiredCapacity, targetCpuUtilization: t.targetCpuUtilization },
        ui: { instanceType: uiType, count: u.count },
        database: filled(database, v.database),
        queuedTracking: filled(queuedTracking, v.queuedTracking),
        matomo: filled(matomo, v.matomo),
        superUser: v.superUser,
        firstSite: { name: site.name ?? domain, url: site.url ?? `https://${domain}`, timezone: site.timezone },
        maintenanceMode: v.maintenanceMode,
        trackingEnabled: v.trackingEnabled,
        enforceCronArchiving: v.enforceCronArchiving,
        ...(resolvedMail !== undefined ? { mail: resolvedMail } : {}),
        privacy: filled(privacy, v.privacy),
        extraConfig: v.extraConfig ?? {},
        tags: v.tags ?? {},
    };
}

/** The portable arguments' schema: what `resolveSettings` checks. */
export const clusterArgsSchema = object(portableFields, resolvePortable, "an object of MatomoClusterArgs");

/** Resolve every default and validate; throws one `InvalidArgumentError` listing every bad argument. */
export function resolveSettings(args: MatomoClusterArgs): ResolvedSettings {
    return validate("MatomoCluster", clusterArgsSchema, args);
}

// ---------------------------------------------------------------- AWS-only knobs of MatomoCluster

const overrides = object({
    network: optional(object({ vpc: optional(childOverride, "none") }), "none"),
    secrets: optional(object(optionalFields(secretsComponentOnlyFields)), "none"),
    database: optional(object(optionalFields(databaseComponentOnlyFields)), "none"),
    cache: optional(object(optionalFields(cacheComponentOnlyFields)), "none"),
    loadBalancer: optional(object(optionalFields(loadBalancerComponentOnlyFields)), "none"),
    trackers: optional(object(optionalFields(nodeGroupComponentOnlyFields)), "none"),
    ui: optional(object(optionalFields(nodeGroupComponentOnlyFields)), "none"),
});

/** Overrides pass only what the user set (the component fills its own defaults). */
function optionalFields(fields: Record<string, Field<unknown>>): Record<string, Field<unknown> & { readonly _out?: unknown }> {
    const out: Record<string, Field<unknown>> = {};
    for (const [k, field] of Object.entries(fields)) out[k] = optional(field.schema, field.defaultText ?? (field.default !== undefined ? `\`${JSON.stringify(field.default)}\`` : undefined));
    return out;
}

// ---------------------------------------------------------------- observability: logs, metrics, alarms

/** Alarm thresholds (docs/observability.md says why each default). */
const alarmThresholds = object({
    loadBalancer5xxPercent: withDefault(integer(1, 100), 5),
    trackerResponseSeconds: withDefault(integer(1, 60), 1),
    uiResponseSeconds: withDefault(integer(1, 600), 10),
    databaseCpuPercent: withDefault(integer(1, 100), 80),
    databaseFreeStorageGiB: withDefault(integer(1, 65536), 10),
    databaseFreeableMemoryMiB: withDefault(integer(1, 1048576), 512),
    databaseConnections: withDefault(integer(1, 100000), 1000),
    replicaLagSeconds: withDefault(integer(1, 86400), 300),
    redisMemoryPercent: withDefault(integer(1, 100), 80),
    queueBacklogRequests: withDefault(integer(1, 100000000), 10000),
} satisfies Record<keyof AlarmThresholdArgs, unknown>);

export const observability = object({
    enabled: withDefault(boolean, true),
    logRetentionDays: withDefault(f.logRetentionDays, 30 as (typeof f.LOG_RETENTION_DAYS)[number]),
    logKmsKeyArn: optional(f.kmsKeyArn, "none: CloudWatch Logs' own encryption"),
    alarmTopicArn: optional(f.snsTopicArn, "a topic the library creates"),
    alarmEmail: optional(f.email, "none (subscribe to the topic yourself)"),
    alarmTopicKmsKeyId: optional(f.kmsKeyReference, "none (see docs/observability.md: CloudWatch cannot publish to a topic under the AWS-managed aws/sns key)"),
    archivingHeartbeatHours: withDefault(integer(2, 168), 3),
    thresholds: withDefault(alarmThresholds, defaultsOf(alarmThresholds)),
    createAccessLogBucket: withDefault(boolean, true),
    accessLogExpirationDays: withDefault(integer(1, 3650), 90),
    metricsEndpointUrl: optional(f.httpsUrl, "the region's CloudWatch endpoint"),
} satisfies Record<keyof ObservabilityArgs, unknown>);

export type ResolvedObservability = typeof observability extends Schema<infer T> ? T : never;

export interface ResolvedClusterAwsArgs {
    instanceRefresh?: { minHealthyPercentage: number; maxHealthyPercentage: number; instanceWarmupSeconds: number };
    healthCheckGracePeriodSeconds?: number;
    healthCheck?: { intervalSeconds: number; timeoutSeconds: number; healthyThreshold: number; unhealthyThreshold: number };
    accessLogs?: { bucket: Input<string>; prefix?: Input<string> };
    observability: ResolvedObservability;
    overrides: Record<string, Record<string, unknown> | undefined>;
}

const awsFields = {
    instanceRefresh: optional(f.instanceRefresh, "see its fields"),
    healthCheckGracePeriodSeconds: optional(f.healthCheckGracePeriodSeconds, "900 (first boot installs packages and Matomo)"),
    healthCheck: optional(f.healthCheck, "see its fields (path: the provisioning's HEALTH_CHECK_PATH)"),
    accessLogs: optional(accessLogs, "a bucket the library creates (observability.createAccessLogBucket)"),
    observability: withDefault(observability, defaultsOf(observability)),
    overrides: optional(overrides, "none"),
};

/** `MatomoCluster`'s whole argument object: the portable settings and the AWS knobs, in one schema (so every problem is listed at once). */
export const clusterComponentArgsSchema = object({ ...portableFields, ...awsFields }, (v, c, path) => {
    const portable = Object.fromEntries(Object.keys(portableFields).map((k) => [k, (v as Record<string, unknown>)[k]])) as PortableChecked;
    const settings = resolvePortable(portable, c, path);
    // The plugin connects with phpredis's plain connect(host, port), without TLS (see docs/aws.md).
    if (settings?.queuedTracking.enabled && (v.overrides?.cache as { transitEncryption?: string } | undefined)?.transitEncryption === "required") {
        return c.fail(
            [...path, "overrides", "cache", "transitEncryption"],
            "required",
            "'preferred' (the default): the QueuedTracking plugin connects to Redis without TLS, so ElastiCache must also accept plain connections",
        );
    }
    if (settings === undefined) return undefined;
    const aws: ResolvedClusterAwsArgs = {
        ...(v.instanceRefresh !== undefined ? { instanceRefresh: v.instanceRefresh } : {}),
        ...(v.healthCheckGracePeriodSeconds !== undefined ? { healthCheckGracePeriodSeconds: v.healthCheckGracePeriodSeconds } : {}),
        ...(v.healthCheck !== undefined ? { healthCheck: v.healthCheck } : {}),
        ...(v.accessLogs !== undefined ? { accessLogs: v.accessLogs } : {}),
        observability: v.observability,
        overrides: (v.overrides ?? {}) as ResolvedClusterAwsArgs["overrides"],
    };
    return { settings, aws };
}, "an object of MatomoClusterArgs");

export function resolveClusterComponentArgs(args: unknown): { settings: ResolvedSettings; aws: ResolvedClusterAwsArgs } {
    return validate("MatomoCluster", clusterComponentArgsSchema, args);
}

// ---------------------------------------------------------------- keys extraConfig may not set

/**
 * Arguments that make the renderer write every section it can: a read replica, QueuedTracking,
 * mail with a login. What it writes for them is what `extraConfig` may not set.
 */
const EVERYTHING_RENDERED: MatomoClusterArgs = {
    domain: "analytics.example.com",
    hostedZoneId: "Z0123456789ABCDEFGHIJ",
    superUser: { email: "ops@example.com" },
    database: { readReplica: true },
    queuedTracking: { enabled: true, pluginSha256: "0".repeat(64) },
    mail: { host: "smtp.example.com", username: "matomo", password: { secretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:smtp-AbCdEf" } },
};

let locked: Readonly<Record<string, readonly string[]>> | undefined;

/** Every key the renderer writes (with everything on), plus `ALWAYS_LOCKED_KEYS`, by section. */
export function lockedConfigKeys(): Readonly<Record<string, readonly string[]>> {
    if (locked === undefined) {
        const rendered = renderedConfigKeys(resolveSettings(EVERYTHING_RENDERED), {
            databaseHost: "db.example.com",
            databaseReaderHost: "reader.example.com",
            redis: { host: "redis.example.com", port: 6379 },
        });
        const keys: Record<string, string[]> = {};
        for (const source of [rendered, ALWAYS_LOCKED_KEYS]) {
            for (const [section, names] of Object.entries(source)) keys[section] = [...new Set([...(Object.hasOwn(keys, section) ? keys[section] : []), ...names])];
        }
        locked = keys;
    }
    return locked;
}

/** Whether `extraConfig` may not set `section.key`. */
export function isLockedConfigKey(section: string, key: string): boolean {
    const keys = lockedConfigKeys();
    return Object.hasOwn(keys, section) && keys[section].includes(key);
}

export { InvalidArgumentError };
