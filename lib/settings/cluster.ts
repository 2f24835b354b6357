/**
 * `MatomoClusterArgs` (and the AWS-only knobs of `MatomoCluster`) as one schema, and the resolver
 * that fills every default. Pure: it runs before any resource exists, so a typo or an impossible
 * size fails the program with every mistake listed by the path the user wrote.
 */
import type { Input } from "@pulumi/pulumi";
import { Output } from "@pulumi/pulumi/output";
import { RENDERED_CONFIG_KEYS } from "../config/ownedKeys";
import { DBIP_CITY_FILE, DBIP_LITE_URL_TEMPLATE, MAXMIND_EDITIONS, MAXMIND_URL_TEMPLATE } from "../geoip";
import {
    BUNDLED_INACTIVE_PLUGINS,
    BUNDLED_PLUGINS,
    type BundledPluginName,
    defaultDownloadUrl,
    defaultQueuedTrackingDownloadUrl,
    marketplaceDownloadUrl,
    MATOMO_VERSION,
    QUEUED_TRACKING_VERSION,
} from "../release";
import { MAX_QUEUE_WORKERS, queueWorkersForPeak, WORKER_SIZING_PER_SECOND } from "./queueSizing";
import type {
    AlarmThresholdArgs,
    ObservabilityArgs,
    Architecture,
    ExistingDatabaseArgs,
    FirstSiteArgs,
    GeoIpArgs,
    MailArgs,
    MaxMindArgs,
    MatomoClusterArgs,
    MarketplaceArgs,
    MatomoReleaseArgs,
    PluginArgs,
    PrivacyArgs,
    NodeImageArgs,
    QueuedTrackingArgs,
    ResolvedGeoIp,
    ResolvedMail,
    ResolvedPlugin,
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
import { ALWAYS_LOCKED_KEYS, checkSecretNames, checkUnsafeConfig, extraConfigSchema } from "./extraConfig";
import { checkProtections, type ProtectedComponent } from "./protections";
import * as f from "./fields";
import { RDS_GP3 } from "../model/awsLimits";
import { byPreset, databaseAlarmDefaults, DEFAULT_PRESET, PRESET_SIZES, PRESETS, type Preset, type PresetSizes } from "./presets";
import { adopt, archiving, resolveSalt, salt } from "./adopt";
import {
    Checker,
    boolean,
    defaultsOf,
    eitherThis,
    input,
    integer,
    integerOneOf,
    isPlainObject,
    object,
    oneOf,
    optional,
    plainList,
    required,
    text,
    validate,
    withDefault,
    type Field,
    type ObjectOut,
    type Schema,
    whenKnown,
} from "./schema";
import { derived, domainRules, fromDomain } from "./domain";

/** The first Matomo release whose `proxy_scheme_headers` setting the rendered config relies on. */
export const MINIMUM_MATOMO_VERSION = "5.7.0";

const OLD_SHAPE_DATABASE = "an existing database is given as database: { existing: { host, username, passwordSecretArn, … } }";

const existingDatabase = object({
    host: required(f.databaseHost),
    port: withDefault(input(f.port), 3306),
    name: withDefault(input(f.databaseName), "matomo"),
    username: required(input(f.mysqlUsername)),
    passwordSecretArn: required(f.secretArn),
    passwordSecretKmsKeyArn: optional(f.kmsKeyArn, "none: the secret uses the account's aws/secretsmanager key"),
    tablesPrefix: withDefault(f.tablesPrefix, "matomo_"),
    tls: withDefault(boolean, true),
} satisfies Record<keyof ExistingDatabaseArgs, unknown>);

/** A schema (or field set) built once per preset, when first asked for. */
function onePerPreset<T>(make: (preset: Preset) => T): (preset: Preset) => T {
    const made = new Map<Preset, T>();
    return (preset) => {
        if (!made.has(preset)) made.set(preset, make(preset));
        return made.get(preset)!;
    };
}

/** A default that comes from the preset: the value for this preset, and the docs' words for all of them. */
function fromPreset<T>(schema: Schema<T>, preset: Preset, pick: (p: PresetSizes) => T): Field<T> & { readonly _out?: T } {
    return { schema, default: pick(PRESET_SIZES[preset]), defaultText: byPreset(pick) };
}

const databaseFor = onePerPreset((preset: Preset) =>
    object(
        {
            existing: optional(existingDatabase, "none: create an RDS instance"),
            ...newDatabaseFields,
            instanceClass: fromPreset(f.rdsInstanceClass, preset, (p) => p.database.instanceClass),
            allocatedStorageGiB: fromPreset(f.allocatedStorageGiB, preset, (p) => p.database.allocatedStorageGiB),
            iops: optional(
                f.gp3Iops,
                presetOptionalText((p) => p.database.iops, "RDS's gp3 baseline for the size"),
            ),
            storageThroughput: optional(
                f.gp3ThroughputMiBps,
                presetOptionalText((p) => p.database.storageThroughput, "RDS's gp3 baseline for the size"),
            ),
            multiAz: fromPreset(boolean, preset, (p) => p.database.multiAz),
            readReplica: fromPreset(boolean, preset, (p) => p.database.readReplica),
            tablesPrefix: withDefault(f.tablesPrefix, "matomo_"),
        },
        (d, c, path, given): ResolvedSettings["database"] | undefined => {
            if (d.existing !== undefined) {
                const mixed = [...given].find((k) => k !== "existing");
                if (mixed !== undefined)
                    return c.fail(
                        [...path, mixed],
                        (d as Record<string, unknown>)[mixed],
                        "not with 'existing' (these settings are for a database this library creates)",
                    );
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
            // The preset's provisioned gp3 performance needs its storage (RDS refuses it below 400 GiB):
            // with a smaller allocation given explicitly, RDS's baseline applies instead.
            const sized = PRESET_SIZES[preset].database;
            const provisioned = d.allocatedStorageGiB >= RDS_GP3.thresholdGiB;
            const engine = resolveNewDatabase(
                {
                    ...d,
                    iops: d.iops ?? (provisioned ? sized.iops : undefined),
                    storageThroughput: d.storageThroughput ?? (provisioned ? sized.storageThroughput : undefined),
                },
                c,
                path,
                "database.",
            );
            return engine && { kind: "new", ...engine, tablesPrefix: d.tablesPrefix, port: 3306, tls: true };
        },
        "an object",
        { host: OLD_SHAPE_DATABASE, passwordSecretArn: OLD_SHAPE_DATABASE, tls: OLD_SHAPE_DATABASE, port: OLD_SHAPE_DATABASE },
    ),
);

/** The docs' words for a preset value that may be "none" (RDS's own baseline); applied in the database's resolve. */
function presetOptionalText<T>(pick: (p: PresetSizes) => T | undefined, none: string): string {
    const words = PRESETS.map((name) => `${name} ${pick(PRESET_SIZES[name]) === undefined ? "none" : `\`${JSON.stringify(pick(PRESET_SIZES[name]))}\``}`).join(
        ", ",
    );
    return `by preset, from 400 GiB of storage: ${words} (none: ${none})`;
}

const network = object(
    { existing: optional(existingNetwork, "none: create a VPC"), ...newNetworkFields },
    (n, c, path, given): ResolvedSettings["network"] | undefined => {
        const plan = networkChoice(n, c, path, given);
        if (plan === undefined) return undefined;
        return plan.kind === "existing" ? { kind: "existing", ...plan.existing } : plan;
    },
    "an object",
    networkHints,
);

const trackersFor = onePerPreset((preset: Preset) =>
    object({
        instanceType: optional(
            f.instanceType,
            byPreset((p) => p.trackers.instanceType),
        ),
        minSize: fromPreset(integer(1, 100), preset, (p) => p.trackers.minSize),
        maxSize: optional(integer(1, 100), `${byPreset((p) => p.trackers.maxSize)}, or minSize when larger`),
        desiredCapacity: optional(integer(1, 100), "minSize (the size at creation; the scaling policy owns it afterwards)"),
        targetCpuUtilization: withDefault(f.targetCpuUtilization, 60),
    } satisfies Record<keyof TrackerGroupArgs, unknown>),
);

const uiFor = onePerPreset((preset: Preset) =>
    object({
        instanceType: optional(
            f.instanceType,
            byPreset((p) => p.ui.instanceType),
        ),
        count: fromPreset(integerOneOf([1, 2] as const, "1 or 2 (Matomo's FAQ: one UI/archiving server, which can be doubled)"), preset, (p) => p.ui.count),
    } satisfies Record<keyof UiGroupArgs, unknown>),
);

/** The fields that name QueuedTracking's release; left out when `plugins` lists it. */
const QUEUED_TRACKING_RELEASE_FIELDS = ["pluginVersion", "pluginDownloadUrl", "pluginSha256"] as const;

/** QueuedTracking's Redis wiring, and its plugin release when given here (checked against `plugins` by the cluster). */
type CheckedQueuedTracking = ResolvedQueuedTracking & {
    release: { version: string; downloadUrl: string; sha256?: string };
    releaseGiven: (typeof QUEUED_TRACKING_RELEASE_FIELDS)[number][];
};

const queuedTrackingFor = onePerPreset((preset: Preset) =>
    object(
        {
            enabled: fromPreset(boolean, preset, (p) => p.queuedTracking.enabled),
            nodeType: fromPreset(f.cacheNodeType, preset, (p) => p.queuedTracking.nodeType),
            pluginVersion: withDefault(f.releaseVersion, QUEUED_TRACKING_VERSION),
            pluginDownloadUrl: optional(f.httpsUrl, "https://plugins.matomo.org/api/2.0/plugins/QueuedTracking/download/<pluginVersion>"),
            pluginSha256: optional(f.sha256, "required when enabled, unless plugins lists QueuedTracking", true),
            numQueueWorkers: optional(integer(1, MAX_QUEUE_WORKERS), "⌈peakRequestsPerSecond / 300⌉"),
            peakRequestsPerSecond: optional(
                integer(1, 100_000),
                byPreset((p) => p.queuedTracking.peakRequestsPerSecond),
            ),
            forceProcessAfterSeconds: withDefault(integer(5, 3600), 60),
            numRequestsToProcess: withDefault(integer(1, 1000), 25),
        } satisfies Record<keyof QueuedTrackingArgs, unknown>,
        (q, c, path, given): CheckedQueuedTracking | undefined => {
            // Everything given is checked even when disabled, so a typo shows before it matters.
            if (!queuedTrackingLine(q.pluginVersion)) return c.fail([...path, "pluginVersion"], q.pluginVersion, QUEUED_TRACKING_LINE);
            const release = {
                version: q.pluginVersion,
                downloadUrl: q.pluginDownloadUrl ?? defaultQueuedTrackingDownloadUrl(q.pluginVersion),
                ...(q.pluginSha256 !== undefined ? { sha256: q.pluginSha256.toLowerCase() } : {}),
            };
            const releaseGiven = QUEUED_TRACKING_RELEASE_FIELDS.filter((k) => given.has(k));
            const peak = q.peakRequestsPerSecond ?? PRESET_SIZES[preset].queuedTracking.peakRequestsPerSecond;
            const numQueueWorkers = q.numQueueWorkers ?? queueWorkersForPeak(peak);
            if (numQueueWorkers > MAX_QUEUE_WORKERS) {
                return c.fail(
                    [...path, "peakRequestsPerSecond"],
                    peak,
                    `at most ${MAX_QUEUE_WORKERS * WORKER_SIZING_PER_SECOND} (${MAX_QUEUE_WORKERS} queues, the plugin's most, at ${WORKER_SIZING_PER_SECOND} requests per second each)`,
                );
            }
            if (!q.enabled) return { enabled: false, nodeType: q.nodeType, release, releaseGiven };
            return {
                enabled: true,
                nodeType: q.nodeType,
                numQueueWorkers,
                numRequestsToProcess: q.numRequestsToProcess,
                forceProcessAfterSeconds: q.forceProcessAfterSeconds,
                release,
                releaseGiven,
            };
        },
    ),
);

// ---- geoIp: the location database on every node (docs/runtime-files.md).
const maxmind = object(
    {
        accountId: required(text("a MaxMind account ID (1 to 20 digits)", (v) => /^[0-9]{1,20}$/.test(v))),
        licenseKey: required(f.secretReference),
        edition: withDefault(oneOf(MAXMIND_EDITIONS), "GeoLite2-City" as (typeof MAXMIND_EDITIONS)[number]),
    } satisfies Record<keyof MaxMindArgs, unknown>,
    undefined,
    "an object { accountId, licenseKey, edition? }",
);
const geoIp = object(
    {
        provider: withDefault(oneOf(["dbip-lite", "maxmind", "off"] as const), "dbip-lite" as "dbip-lite" | "maxmind" | "off"),
        downloadUrl: optional(
            text(
                "an https:// URL without spaces or quotes, holding {month} once (the year and month it is for)",
                (v) => /^https:\/\/[^\s"'\\]+$/.test(v) && v.split("{month}").length === 2,
            ),
            DBIP_LITE_URL_TEMPLATE,
        ),
        maxmind: optional(maxmind, 'required with provider "maxmind"', true),
    } satisfies Record<keyof GeoIpArgs, unknown>,
    (g, c, path): ResolvedGeoIp | undefined => {
        if (g.provider !== "dbip-lite" && g.downloadUrl !== undefined) return c.fail([...path, "downloadUrl"], g.downloadUrl, 'only with provider "dbip-lite"');
        if (g.provider !== "maxmind" && g.maxmind !== undefined) return c.fail([...path, "maxmind"], "{…}", 'only with provider "maxmind"');
        if (g.provider === "off") return { provider: "off" };
        if (g.provider === "dbip-lite") return { provider: "dbip-lite", downloadUrl: g.downloadUrl ?? DBIP_LITE_URL_TEMPLATE, file: DBIP_CITY_FILE };
        if (g.maxmind === undefined)
            return c.fail([...path, "maxmind"], undefined, 'required with provider "maxmind": { accountId, licenseKey: { secretArn, jsonKey? } }');
        const m = g.maxmind;
        return {
            provider: "maxmind",
            accountId: m.accountId,
            licenseKey: m.licenseKey,
            edition: m.edition,
            downloadUrl: MAXMIND_URL_TEMPLATE.replace("{edition}", m.edition),
            file: `${m.edition}.mmdb`,
        };
    },
);

const QUEUED_TRACKING_LINE = "a 5.x release (the plugin's 5.x line is the one for Matomo 5)";
function queuedTrackingLine(version: string): boolean {
    return Number(version.split(".")[0]) === 5;
}

/**
 * Why a bundled plugin may not be listed. Marketplace and CorePluginsAdmin are the way Matomo
 * installs, updates and uploads plugin code from its UI; here that stays off
 * (`enable_plugins_admin = 0`, `enable_plugin_upload = 0`) and plugins change through `plugins`.
 */
function bundledReason(name: string): string {
    const ui =
        name === "Marketplace" || name === "CorePluginsAdmin"
            ? " It is the path by which Matomo installs, updates or uploads plugin code from its UI, which this layout keeps off (enable_plugins_admin = 0): plugins reach every node only through this list."
            : "";
    const activate = (BUNDLED_INACTIVE_PLUGINS as readonly string[]).includes(name) ? ` To activate it, list '${name}' in bundledPlugins.` : "";
    return `a plugin Matomo's release does not already ship: ${name} comes with Matomo itself (its code changes with matomo.version).${ui}${activate}`;
}

const plugin = object(
    {
        name: required(f.pluginName),
        version: required(f.releaseVersion),
        sha256: required(f.sha256),
        downloadUrl: optional(f.httpsUrl, "the Matomo Marketplace: https://plugins.matomo.org/api/2.0/plugins/<name>/download/<version>"),
    } satisfies Record<keyof PluginArgs, unknown>,
    (p, c, path) => {
        const bundled = BUNDLED_PLUGINS.find((b) => b.toLowerCase() === p.name.toLowerCase());
        if (bundled !== undefined) return c.fail([...path, "name"], p.name, bundledReason(bundled));
        // The layout wires QueuedTracking by its exact name (Redis, queue workers); another spelling would install a second, unwired copy.
        if (p.name !== "QueuedTracking" && p.name.toLowerCase() === "queuedtracking")
            return c.fail(
                [...path, "name"],
                p.name,
                "'QueuedTracking', spelt as Matomo's plugin is (plugin names are the same ignoring case, and this one needs its Redis wiring)",
            );
        if (p.name === "QueuedTracking" && !queuedTrackingLine(p.version)) return c.fail([...path, "version"], p.version, QUEUED_TRACKING_LINE);
        return p;
    },
    "a plugin { name, version, sha256, downloadUrl? }",
);

/** At most this many plugins (ten fit user data with room; the list is in the provisioning bundle). */
export const MAX_PLUGINS = 50;

/**
 * `bundledPlugins`: names of plugins the release ships inactive (lib/release.ts), each once. A
 * typo is refused here, naming the allowed names: `plugin:activate` of an unknown name exits 0
 * ("Cannot find plugin files"), so a node would not notice.
 */
const bundledPlugins = plainList(
    oneOf(BUNDLED_INACTIVE_PLUGINS, " (plugins Matomo's release ships inactive; Marketplace plugins go in plugins)"),
    { unique: true, max: BUNDLED_INACTIVE_PLUGINS.length },
    `a list of bundled plugins, each once: any of ${BUNDLED_INACTIVE_PLUGINS.map((n) => `'${n}'`).join(", ")}`,
);

const marketplace = object({ licenseKey: optional(f.secretReference, "none: free plugins only") } satisfies Record<keyof MarketplaceArgs, unknown>);

/**
 * The plugin list nodes install: the user's entries in order, then QueuedTracking's release from
 * `queuedTracking` when it is enabled and not listed. Names are unique ignoring case (PHP class
 * names, hence plugin namespaces, are case-insensitive).
 */
function resolvePlugins(
    given: readonly { name: string; version: string; sha256: string; downloadUrl?: string }[],
    q: CheckedQueuedTracking,
    licensed: boolean,
    c: Checker,
    path: ArgumentPath,
    preset: Preset,
): ResolvedPlugin[] | undefined {
    const before = c.problems.length;
    const seen = new Map<string, number>();
    given.forEach((p, i) => {
        const first = seen.get(p.name.toLowerCase());
        if (first !== undefined)
            c.fail(
                [...path, "plugins", i, "name"],
                p.name,
                `a plugin not listed before: plugins[${first}] is ${given[first].name} already (each plugin once${given[first].name !== p.name ? "; plugin names differ in more than case" : ""})`,
            );
        else seen.set(p.name.toLowerCase(), i);
    });
    const listed = given.findIndex((p) => p.name === "QueuedTracking");
    if (listed >= 0 && !q.enabled) {
        c.fail(
            [...path, "plugins", listed, "name"],
            "QueuedTracking",
            "a plugin that works without more wiring: QueuedTracking needs its Redis; set queuedTracking.enabled (it creates the Redis and the queue workers) and keep this entry to pin its release",
        );
    }
    if (listed >= 0 && q.enabled) {
        const value = { pluginVersion: q.release.version, pluginDownloadUrl: q.release.downloadUrl, pluginSha256: q.release.sha256 };
        for (const k of q.releaseGiven)
            c.fail(
                [...path, "queuedTracking", k],
                value[k],
                `left out: plugins[${listed}] gives QueuedTracking's release; give version, sha256 and downloadUrl in one place`,
            );
    }
    if (listed < 0 && q.enabled && q.release.sha256 === undefined) {
        c.fail(
            [...path, "queuedTracking", "pluginSha256"],
            undefined,
            `required when QueuedTracking is enabled${PRESET_SIZES[preset].queuedTracking.enabled ? ` (preset '${preset}' enables it; queuedTracking.enabled: false turns it off)` : ""}: the sha256 of the plugin zip, which nodes check before installing it. ` +
                `Get it from a machine you trust: curl -fsSL ${q.release.downloadUrl} | sha256sum (or list QueuedTracking in plugins)`,
        );
    }
    if (c.problems.length > before) return undefined;
    const resolved = given.map((p) => {
        const downloadUrl = p.downloadUrl ?? marketplaceDownloadUrl(p.name, p.version);
        return { name: p.name, version: p.version, sha256: p.sha256.toLowerCase(), downloadUrl, licensed: licensed && p.downloadUrl === undefined };
    });
    if (listed < 0 && q.enabled) {
        resolved.push({
            name: "QueuedTracking",
            version: q.release.version,
            sha256: q.release.sha256!,
            downloadUrl: q.release.downloadUrl,
            licensed: licensed && !q.releaseGiven.includes("pluginDownloadUrl"),
        });
    }
    return resolved;
}

const matomo = object(
    {
        version: withDefault(f.releaseVersion, MATOMO_VERSION),
        downloadUrl: optional(f.httpsUrl, "Matomo's download URL for version"),
        sha256: optional(f.sha256, "none: verify Matomo's release signature"),
    } satisfies Record<keyof MatomoReleaseArgs, unknown>,
    (m, c, path): ResolvedSettings["matomo"] | undefined => {
        if (!f.versionAtLeast(m.version, MINIMUM_MATOMO_VERSION)) {
            return c.fail(
                [...path, "version"],
                m.version,
                `Matomo ${MINIMUM_MATOMO_VERSION} or later (earlier releases ignore proxy_scheme_headers, which this layout relies on behind the load balancer)`,
            );
        }
        const downloadUrl = m.downloadUrl ?? defaultDownloadUrl(m.version);
        // A mirror without a sha256 is verified like the original: its `.asc` must sit beside the archive.
        return {
            version: m.version,
            downloadUrl,
            verification: m.sha256 !== undefined ? { kind: "sha256", sha256: m.sha256.toLowerCase() } : { kind: "signature" },
        };
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
        host: required(input(smtpHost)),
        port: optional(f.port, '587; 465 with encryption "ssl"'),
        encryption: withDefault(oneOf(["tls", "ssl", "none"] as const), "tls" as "tls" | "ssl" | "none"),
        username: optional(
            text("an SMTP login of 1 to 255 characters", (v) => v.length >= 1 && v.length <= 255),
            "none: no authentication",
        ),
        password: optional(f.secretReference, "required with username; a reference, never plain text", true),
        fromAddress: optional(f.email, "noreply@<domain>"),
        fromName: withDefault(
            text("1 to 100 characters", (v) => v.length >= 1 && v.length <= 100),
            "Matomo",
        ),
    } satisfies Record<keyof MailArgs, unknown>,
    (m, c, path) => {
        if (m.username !== undefined && m.password === undefined)
            return c.fail([...path, "password"], undefined, "required with 'username': a secret reference { secretArn, jsonKey? }");
        if (m.username === undefined && m.password !== undefined) return c.fail([...path, "username"], undefined, "required with 'password' (the SMTP login)");
        // Implicit TLS has its own well-known port (465, RFC 8314); STARTTLS and plain submission use 587.
        return { ...m, port: m.port ?? (m.encryption === "ssl" ? 465 : 587) };
    },
);

/** Build instance types by architecture: the smallest current general-purpose size with 2 vCPUs and 4 GiB (apt and PHP's maintainer scripts are CPU-bound). */
export const NODE_IMAGE_BUILD_INSTANCE_TYPE: Record<Architecture, string> = { arm64: "c7g.large", x86_64: "c7i.large" };

const nodeImage = object({
    prebuilt: withDefault(boolean, false),
    generation: withDefault(f.imageGeneration, 1),
    buildInstanceType: optional(f.instanceType, "c7g.large (arm64) or c7i.large (x86_64)"),
} satisfies Record<keyof NodeImageArgs, unknown>);

const privacy = object({ anonymizeIp: withDefault(boolean, true) } satisfies Record<keyof PrivacyArgs, unknown>);

const portableFieldsFor = onePerPreset(
    (preset: Preset) =>
        ({
            preset: withDefault(oneOf(PRESETS, " (≤10M, ~100M, ~1B hits a month; see the README's sizing table)"), DEFAULT_PRESET as Preset),
            domain: required(input(f.hostname)),
            additionalTrustedHosts: withDefault(plainList(f.hostname, { unique: true }), [] as string[]),
            certificateArn: eitherThis(f.acmCertificateArn, "hostedZoneId", CERTIFICATE_OR_ZONE, "none: either this or hostedZoneId"),
            hostedZoneId: optional(f.hostedZoneId, "none", true),
            createDnsRecord: optional(boolean, "true when hostedZoneId is given"),
            ingressCidrs: withDefault(ingressCidrs, ["0.0.0.0/0"]),
            network: optional(network, "a new VPC with the defaults of its fields"),
            architecture: withDefault(f.architecture, "arm64" as Architecture),
            amiId: optional(f.amiId, "the official Debian 12 image for architecture, newest at the first pulumi up, then kept (see amiGeneration)"),
            amiGeneration: withDefault(f.imageGeneration, 1),
            nodeImage: optional(nodeImage, "off: nodes install packages and Matomo at first boot"),
            trackers: optional(trackersFor(preset), "see its fields"),
            ui: optional(uiFor(preset), "see its fields"),
            database: optional(databaseFor(preset), "a new RDS instance with the defaults of its fields"),
            queuedTracking: optional(
                queuedTrackingFor(preset),
                byPreset((p) => (p.queuedTracking.enabled ? "on" : "off")),
            ),
            geoIp: optional(geoIp, "DB-IP's city lite database, refreshed daily on every node"),
            plugins: withDefault(plainList(plugin, { max: MAX_PLUGINS }, "a list of plugins"), [] as PluginArgs[]),
            bundledPlugins: withDefault(bundledPlugins, [] as BundledPluginName[]),
            marketplace: optional(marketplace, "none"),
            matomo: optional(matomo, "the pinned release, verified by signature"),
            superUser: required(superUser),
            firstSite: optional(firstSite, "see its fields"),
            maintenanceMode: withDefault(boolean, false),
            trackingEnabled: withDefault(boolean, true),
            enforceCronArchiving: withDefault(boolean, false),
            mail: optional(mail, "none: Matomo sends no mail"),
            privacy: optional(privacy, "see its fields"),
            extraConfig: optional(
                extraConfigSchema(() => lockedConfigKeys()),
                "none",
            ),
            extraConfigAllowUnsafe: optional(
                plainList(text("Section.key"), { unique: true }, "a list of Section.key names"),
                "none: an extraConfig setting that weakens Matomo's protections is refused",
            ),
            tags: optional(f.clusterTags, "none (a matomo:cluster tag is always added)"),
            salt: optional(
                salt,
                "generated; with database.existing or database.restoreFromSnapshot the old one is required (existingSecretArn) unless generateNew",
            ),
            adopt: optional(adopt, "none"),
            archiving: optional(archiving, "see its fields"),
        }) satisfies Record<keyof MatomoClusterArgs, unknown>,
);

type PortableFields = ReturnType<typeof portableFieldsFor>;

/** Sub-objects that are optional with defaults of their own: resolved from `{}` when not given. */
function filled<T>(schema: Schema<T>, value: T | undefined): T {
    return value ?? defaultsOf(schema);
}

type PortableChecked = ObjectOut<PortableFields>;

/**
 * One schema per preset, the preset's values as the defaults; the argument object is checked by
 * the one its `preset` names (the reference's when that is missing or wrong, which its own check
 * then reports). Docs and property tests read the reference's fields, whose defaults name every preset.
 */
function perPreset<T>(make: (preset: Preset) => Schema<T>): Schema<T> {
    const schemas = Object.fromEntries(PRESETS.map((p) => [p, make(p)])) as Record<Preset, Schema<T>>;
    const reference = schemas[DEFAULT_PRESET];
    return {
        ...reference,
        check(value, c, path) {
            const named = isPlainObject(value) ? value.preset : undefined;
            const preset = typeof named === "string" && (PRESETS as readonly string[]).includes(named) ? (named as Preset) : DEFAULT_PRESET;
            return schemas[preset].check(value, c, path);
        },
    };
}

function resolvePortable(v: PortableChecked, c: Checker, path: ArgumentPath): ResolvedSettings | undefined {
    const preset = PRESET_SIZES[v.preset];
    // An Output domain is lowercased and its rules run when it resolves; what it names is then an Output too.
    const domain = whenKnown(v.domain, c, (d, checker) => domainRules(d, v.firstSite?.name !== undefined, checker, path));
    const additionalHosts = v.additionalTrustedHosts.map((h) => h.toLowerCase());
    const dns = checkCertificateAndDns(c, path, v);
    const certificate: ResolvedSettings["certificate"] | undefined =
        v.certificateArn !== undefined
            ? { kind: "arn", arn: v.certificateArn }
            : v.hostedZoneId !== undefined
              ? { kind: "dns", hostedZoneId: v.hostedZoneId }
              : undefined;

    const arch = v.architecture;
    const t = filled(trackersFor(v.preset), v.trackers);
    const trackerType = t.instanceType ?? preset.trackers.instanceType[arch];
    const archOk = f.checkArchitecture(c, [...path, "trackers", "instanceType"], trackerType, arch, "architecture");
    const maxSize = t.maxSize ?? Math.max(preset.trackers.maxSize, t.minSize);
    const desiredCapacity = f.checkGroupSizes(c, [...path, "trackers"], { minSize: t.minSize, maxSize, desiredCapacity: t.desiredCapacity }, "trackers.");
    const u = filled(uiFor(v.preset), v.ui);
    const uiType = u.instanceType ?? preset.ui.instanceType[arch];
    const uiOk = f.checkArchitecture(c, [...path, "ui", "instanceType"], uiType, arch, "architecture");
    const buildType = v.nodeImage?.buildInstanceType ?? NODE_IMAGE_BUILD_INSTANCE_TYPE[arch];
    const buildOk = f.checkArchitecture(c, [...path, "nodeImage", "buildInstanceType"], buildType, arch, "architecture");

    const site = filled(firstSite, v.firstSite);

    const resolvedDatabase = filled(databaseFor(v.preset), v.database);
    const resolvedSalt = resolveSalt(
        c,
        path,
        v.salt,
        resolvedDatabase.kind === "existing"
            ? "database.existing"
            : resolvedDatabase.restoreFromSnapshot !== undefined
              ? "database.restoreFromSnapshot"
              : undefined,
    );
    // The preset may turn QueuedTracking on, whose plugin checksum only the user can give: checked here, where the problem is reported.
    const q = v.queuedTracking ?? queuedTrackingFor(v.preset).check({}, c, [...path, "queuedTracking"]);
    const licenseKey = v.marketplace?.licenseKey;
    const plugins = q && resolvePlugins(v.plugins, q, licenseKey !== undefined, c, path, v.preset);

    const extraConfig = v.extraConfig ?? {};
    const configSafe = checkUnsafeConfig(extraConfig, v.extraConfigAllowUnsafe ?? [], c, path);
    const namesOk = checkSecretNames(extraConfig, v.mail?.password !== undefined, c, path);
    // Matomo's SQL dialect follows the engine of a database this library creates (the renderer writes it).
    const schemaOk =
        resolvedDatabase.kind !== "new" ||
        !Object.hasOwn(extraConfig.database ?? {}, "schema") ||
        c.fail(
            [...path, "extraConfig", "database", "schema"],
            extraConfig.database.schema,
            `not set for a database this library creates: database.engine decides it ('${resolvedDatabase.engine}'${resolvedDatabase.engine === "mariadb" ? ", written as schema = Mariadb" : ""}); set it only with database.existing`,
        ) === true;

    if (
        domain === undefined ||
        !configSafe ||
        !namesOk ||
        !schemaOk ||
        !dns ||
        !certificate ||
        !archOk ||
        !uiOk ||
        !buildOk ||
        desiredCapacity === undefined ||
        !resolvedSalt ||
        q === undefined ||
        plugins === undefined
    )
        return undefined;
    const m = v.mail;
    const resolvedMail: ResolvedMail | undefined = m && {
        host: m.host,
        port: m.port,
        encryption: m.encryption,
        ...(m.username !== undefined ? { username: m.username } : {}),
        ...(m.password !== undefined ? { password: m.password } : {}),
        fromAddress: m.fromAddress ?? derived(domain, fromDomain.fromAddress),
        fromName: m.fromName,
    };
    return {
        preset: v.preset,
        domain,
        // Before an Output domain is known its repeats cannot be dropped: withKnownValues does it.
        trustedHosts: Output.isInstance(domain) ? [domain, ...additionalHosts] : fromDomain.trustedHosts(domain, additionalHosts),
        certificate,
        ...(v.hostedZoneId !== undefined ? { hostedZoneId: v.hostedZoneId } : {}),
        createDnsRecord: dns.createDnsRecord,
        ingressCidrs: [...v.ingressCidrs],
        network: filled(network, v.network),
        architecture: arch,
        ...(v.amiId !== undefined ? { amiId: v.amiId } : {}),
        amiGeneration: v.amiGeneration,
        nodeImage: { prebuilt: v.nodeImage?.prebuilt ?? false, generation: v.nodeImage?.generation ?? 1, buildInstanceType: buildType },
        trackers: { instanceType: trackerType, minSize: t.minSize, maxSize, desiredCapacity, targetCpuUtilization: t.targetCpuUtilization },
        ui: { instanceType: uiType, count: u.count },
        database: resolvedDatabase,
        queuedTracking: q.enabled
            ? {
                  enabled: true,
                  nodeType: q.nodeType,
                  numQueueWorkers: q.numQueueWorkers,
                  numRequestsToProcess: q.numRequestsToProcess,
                  forceProcessAfterSeconds: q.forceProcessAfterSeconds,
              }
            : { enabled: false, nodeType: q.nodeType },
        geoIp: filled(geoIp, v.geoIp),
        plugins,
        bundledPlugins: [...v.bundledPlugins],
        marketplace: licenseKey !== undefined ? { licenseKey } : {},
        matomo: filled(matomo, v.matomo),
        superUser: v.superUser,
        firstSite: { name: site.name ?? derived(domain, fromDomain.siteName), url: site.url ?? derived(domain, fromDomain.siteUrl), timezone: site.timezone },
        maintenanceMode: v.maintenanceMode,
        trackingEnabled: v.trackingEnabled,
        enforceCronArchiving: v.enforceCronArchiving,
        ...(resolvedMail !== undefined ? { mail: resolvedMail } : {}),
        privacy: filled(privacy, v.privacy),
        extraConfig: v.extraConfig ?? {},
        tags: v.tags ?? {},
        salt: resolvedSalt,
        ...(v.adopt !== undefined ? { adopt: v.adopt } : {}),
        archiving: filled(archiving, v.archiving),
    };
}

/** The portable arguments' schema: what `resolveSettings` checks. */
export const clusterArgsSchema = perPreset((preset) => object(portableFieldsFor(preset), resolvePortable, "an object of MatomoClusterArgs"));

/** Resolve every default and validate; throws one `InvalidArgumentError` listing every bad argument. */
export function resolveSettings(args: MatomoClusterArgs): ResolvedSettings {
    return validate("MatomoCluster", clusterArgsSchema, args);
}

// ---------------------------------------------------------------- AWS-only knobs of MatomoCluster

/** Each child's overrides, checked against its protections where the user wrote them (`overrides.<child>.allowUnsafe` is the escape). */
function guarded(component: ProtectedComponent, fields: Record<string, Field<unknown>>) {
    return object(optionalFields(fields), (v, c, path) => (checkProtections(component, v, c, path) ? v : undefined));
}

const overrides = object({
    network: optional(object({ vpc: optional(childOverride, "none") }), "none"),
    secrets: optional(guarded("secrets", secretsComponentOnlyFields), "none"),
    database: optional(guarded("database", databaseComponentOnlyFields), "none"),
    cache: optional(guarded("cache", cacheComponentOnlyFields), "none"),
    loadBalancer: optional(guarded("loadBalancer", loadBalancerComponentOnlyFields), "none"),
    trackers: optional(guarded("nodeGroup", nodeGroupComponentOnlyFields), "none"),
    ui: optional(guarded("nodeGroup", nodeGroupComponentOnlyFields), "none"),
});

/** Overrides pass only what the user set (the component fills its own defaults). */
function optionalFields(fields: Record<string, Field<unknown>>): Record<string, Field<unknown> & { readonly _out?: unknown }> {
    const out: Record<string, Field<unknown>> = {};
    for (const [k, field] of Object.entries(fields))
        out[k] = optional(field.schema, field.defaultText ?? (field.default !== undefined ? `\`${JSON.stringify(field.default)}\`` : undefined));
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
    databaseFreeableMemoryMiB: optional(
        integer(1, 1048576),
        `1/32 of the database class's memory, ${byPreset((p) => databaseAlarmDefaults(p.database.instanceClass).databaseFreeableMemoryMiB)}; 512 for a class outside the m and r families`,
    ),
    databaseConnections: optional(
        integer(1, 100000),
        `1,000 per 16 GiB of the database class's memory, ${byPreset((p) => databaseAlarmDefaults(p.database.instanceClass).databaseConnections)}; 1000 for a class outside the m and r families`,
    ),
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
    alarmTopicKmsKeyId: optional(
        f.alarmTopicKmsKeyReference,
        "none (see docs/observability.md: CloudWatch cannot publish to a topic under the AWS-managed aws/sns key)",
    ),
    archivingHeartbeatHours: withDefault(integer(2, 168), 3),
    thresholds: withDefault(alarmThresholds, defaultsOf(alarmThresholds)),
    createAccessLogBucket: withDefault(boolean, true),
    accessLogExpirationDays: withDefault(integer(1, 3650), 90),
    accessLogBucketForceDestroy: withDefault(boolean, false),
    metricsEndpointUrl: optional(f.metricsEndpointUrl, "the region's CloudWatch endpoint"),
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
    healthCheckGracePeriodSeconds: optional(
        f.healthCheckGracePeriodSeconds,
        "900 on ui (first boot installs packages and Matomo), 2400 on trackers (also their wait for the ui's core:update in an upgrade)",
    ),
    healthCheck: optional(f.healthCheck, "see its fields (path: the provisioning's HEALTH_CHECK_PATH)"),
    accessLogs: optional(accessLogs, "a bucket the library creates (observability.createAccessLogBucket)"),
    observability: withDefault(observability, defaultsOf(observability)),
    overrides: optional(overrides, "none"),
};

/** `MatomoCluster`'s whole argument object: the portable settings and the AWS knobs, in one schema (so every problem is listed at once). */
export const clusterComponentArgsSchema = perPreset((preset) =>
    object(
        { ...portableFieldsFor(preset), ...awsFields },
        (v, c, path) => {
            const portable = Object.fromEntries(Object.keys(portableFieldsFor(preset)).map((k) => [k, (v as Record<string, unknown>)[k]])) as PortableChecked;
            const settings = resolvePortable(portable, c, path);
            // The nodes connect over TLS with the AUTH token (docs/aws.md, QueuedTracking): a cache that also takes plain connections serves no client of ours.
            if (settings?.queuedTracking.enabled && (v.overrides?.cache as { transitEncryption?: string } | undefined)?.transitEncryption === "preferred") {
                return c.fail(
                    [...path, "overrides", "cache", "transitEncryption"],
                    "preferred",
                    "'required' (the default): with QueuedTracking every node connects to Redis over TLS with the AUTH token, and 'preferred' would also accept plain connections",
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
        },
        "an object of MatomoClusterArgs",
    ),
);

export function resolveClusterComponentArgs(args: unknown): { settings: ResolvedSettings; aws: ResolvedClusterAwsArgs } {
    return validate("MatomoCluster", clusterComponentArgsSchema, args);
}

// ---------------------------------------------------------------- keys extraConfig may not set

let locked: Readonly<Record<string, readonly string[]>> | undefined;

/** Every key the renderer writes (with everything on: lib/config/ownedKeys.ts), plus `ALWAYS_LOCKED_KEYS`, by section. */
export function lockedConfigKeys(): Readonly<Record<string, readonly string[]>> {
    if (locked === undefined) {
        const keys: Record<string, string[]> = {};
        for (const source of [RENDERED_CONFIG_KEYS, ALWAYS_LOCKED_KEYS]) {
            for (const [section, names] of Object.entries(source))
                keys[section] = [...new Set([...(Object.hasOwn(keys, section) ? keys[section] : []), ...names])];
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
