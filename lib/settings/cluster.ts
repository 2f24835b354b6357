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
    Architecture,
    MatomoClusterArgs,
    PluginArgs,
    ResolvedGeoIp,
    ResolvedMail,
    ResolvedPlugin,
    ResolvedQueuedTracking,
    ResolvedSettings,
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
    doc,
    named,
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

const existingDatabase = named(
    { ts: "ExistingDatabaseArgs", ml: "ExistingDatabase", doc: "A MySQL-compatible database the user already runs." },
    object({
        host: doc("Host name (or address) the nodes connect to.", required(f.databaseHost)),
        port: doc("Port; an Output (e.g. an `aws.rds.Instance`'s `port`) is checked when it resolves.", withDefault(input(f.port), 3306)),
        name: doc("Schema name.", withDefault(input(f.databaseName), "matomo")),
        username: doc(
            "The admin user the ui nodes install, upgrade and manage Matomo's two database users with (no node runs Matomo as it): every privilege on the schema with GRANT OPTION, and CREATE USER.",
            required(input(f.mysqlUsername)),
        ),
        passwordSecretArn: doc(
            'Secrets Manager secret holding the password, either plain or as JSON `{"password": …}` (RDS\'s format).',
            required(f.secretArn),
        ),
        passwordSecretKmsKeyArn: doc(
            "ARN of the customer-managed KMS key that secret is encrypted with (a key ARN, not an alias: IAM grants on keys). The nodes get `kms:Decrypt` on it through Secrets Manager; a secret under the account's `aws/secretsmanager` key needs no grant.",
            optional(f.kmsKeyArn, "none: the secret uses the account's aws/secretsmanager key"),
        ),
        tablesPrefix: doc("Matomo's table prefix.", withDefault(f.tablesPrefix, "matomo_")),
        tls: doc("Connect with TLS.", withDefault(boolean, true)),
    }),
);

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
    named(
        {
            ts: "ClusterDatabaseArgs",
            ml: "ClusterDatabase",
            doc: "`database`: settings of a new RDS instance, or `{ existing: {...} }` for yours (never both).",
            newOrExisting: { name: "NewDatabaseArgs", doc: "An RDS database this library creates." },
        },
        object(
            {
                existing: doc(
                    "Your database; no RDS instance is created, and the new-database fields are refused.",
                    optional(existingDatabase, "none: create an RDS instance"),
                ),
                ...newDatabaseFields,
                // The preset's sizes, with the rules and documentation of the standalone Database's fields.
                instanceClass: { ...newDatabaseFields.instanceClass, ...fromPreset(f.rdsInstanceClass, preset, (p) => p.database.instanceClass) },
                allocatedStorageGiB: {
                    ...newDatabaseFields.allocatedStorageGiB,
                    ...fromPreset(f.allocatedStorageGiB, preset, (p) => p.database.allocatedStorageGiB),
                },
                iops: { ...newDatabaseFields.iops, defaultText: presetOptionalText((p) => p.database.iops, "RDS's gp3 baseline for the size") },
                storageThroughput: {
                    ...newDatabaseFields.storageThroughput,
                    defaultText: presetOptionalText((p) => p.database.storageThroughput, "RDS's gp3 baseline for the size"),
                },
                multiAz: { ...newDatabaseFields.multiAz, ...fromPreset(boolean, preset, (p) => p.database.multiAz) },
                readReplica: { ...newDatabaseFields.readReplica, ...fromPreset(boolean, preset, (p) => p.database.readReplica) },
                tablesPrefix: doc("Matomo's table prefix.", withDefault(f.tablesPrefix, "matomo_")),
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
    ),
);

/** The docs' words for a preset value that may be "none" (RDS's own baseline); applied in the database's resolve. */
function presetOptionalText<T>(pick: (p: PresetSizes) => T | undefined, none: string): string {
    const words = PRESETS.map((name) => `${name} ${pick(PRESET_SIZES[name]) === undefined ? "none" : `\`${JSON.stringify(pick(PRESET_SIZES[name]))}\``}`).join(
        ", ",
    );
    return `by preset, from 400 GiB of storage: ${words} (none: ${none})`;
}

const network = named(
    {
        ts: "ClusterNetworkArgs",
        ml: "ClusterNetwork",
        doc: "`network`: settings of a new VPC, or `{ existing: {...} }` for yours (never both).",
        newOrExisting: { name: "NewNetworkArgs", doc: "A VPC this library creates." },
    },
    object(
        {
            existing: doc(
                "Your VPC and subnets; nothing network-wide is created, and the new-VPC fields are refused.",
                optional(existingNetwork, "none: create a VPC"),
            ),
            ...newNetworkFields,
        },
        (n, c, path, given): ResolvedSettings["network"] | undefined => {
            const plan = networkChoice(n, c, path, given);
            if (plan === undefined) return undefined;
            return plan.kind === "existing" ? { kind: "existing", ...plan.existing } : plan;
        },
        "an object",
        networkHints,
    ),
);

const trackersFor = onePerPreset((preset: Preset) =>
    named(
        { ts: "TrackerGroupArgs", ml: "TrackerGroup", doc: "`trackers`: the autoscaling group that serves only the tracking endpoints." },
        object({
            instanceType: doc(
                "EC2 instance type of the tracker nodes, of `architecture`: tracking is CPU-bound PHP with a small working set.",
                optional(
                    f.instanceType,
                    byPreset((p) => p.trackers.instanceType),
                ),
            ),
            minSize: doc(
                "Fewest tracker nodes.",
                fromPreset(integer(1, 100), preset, (p) => p.trackers.minSize),
            ),
            maxSize: doc(
                "Most tracker nodes, at least `minSize`.",
                optional(integer(1, 100), `${byPreset((p) => p.trackers.maxSize)}, or minSize when larger`),
            ),
            desiredCapacity: doc(
                "Size of the group when it is created; between `minSize` and `maxSize`. After that the group's scaling policy owns the size (later changes here are ignored).",
                optional(integer(1, 100), "minSize (the size at creation; the scaling policy owns it afterwards)"),
            ),
            targetCpuUtilization: doc(
                "Average CPU percent the group scales out and in to keep (target tracking, between `minSize` and `maxSize`).",
                withDefault(f.targetCpuUtilization, 60),
            ),
        }),
    ),
);

const uiFor = onePerPreset((preset: Preset) =>
    named(
        { ts: "UiGroupArgs", ml: "UiGroup", doc: "`ui`: the node(s) that serve the UI and API and alone run archiving." },
        object({
            instanceType: doc(
                "EC2 instance type of the ui nodes, of `architecture`: archiving wants memory.",
                optional(
                    f.instanceType,
                    byPreset((p) => p.ui.instanceType),
                ),
            ),
            count: doc(
                "Number of ui nodes, as Matomo's FAQ describes; the archiving lock keeps two from archiving at once.",
                fromPreset(integerOneOf([1, 2] as const, "1 or 2 (Matomo's FAQ: one UI/archiving server, which can be doubled)"), preset, (p) => p.ui.count),
            ),
        }),
    ),
);

/** The fields that name QueuedTracking's release; left out when `plugins` lists it. */
const QUEUED_TRACKING_RELEASE_FIELDS = ["pluginVersion", "pluginDownloadUrl", "pluginSha256"] as const;

/** QueuedTracking's Redis wiring, and its plugin release when given here (checked against `plugins` by the cluster). */
type CheckedQueuedTracking = ResolvedQueuedTracking & {
    release: { version: string; downloadUrl: string; sha256?: string };
    releaseGiven: (typeof QUEUED_TRACKING_RELEASE_FIELDS)[number][];
};

const queuedTrackingFor = onePerPreset((preset: Preset) =>
    named(
        {
            ts: "QueuedTrackingArgs",
            ml: "QueuedTracking",
            doc: "`queuedTracking`: queue tracking requests in Redis (the QueuedTracking plugin) instead of writing them to the database at once.",
        },
        object(
            {
                enabled: doc(
                    "When true: Redis, the QueuedTracking plugin on every node (downloaded and checked against `pluginSha256`), activated and configured to queue every tracking request in Redis; the ui nodes' cron processes the queue; sticky sessions on the tracker group.",
                    fromPreset(boolean, preset, (p) => p.queuedTracking.enabled),
                ),
                nodeType: doc(
                    "ElastiCache node type.",
                    fromPreset(f.cacheNodeType, preset, (p) => p.queuedTracking.nodeType),
                ),
                pluginVersion: doc(
                    "QueuedTracking plugin release (`QUEUED_TRACKING_VERSION` in `lib/release.ts` unless given).",
                    withDefault(f.releaseVersion, QUEUED_TRACKING_VERSION),
                ),
                pluginDownloadUrl: doc(
                    "Where nodes download the plugin zip (https only), by default from the Matomo Marketplace. Override to use a mirror; the zip must hold `QueuedTracking/plugin.json`.",
                    optional(f.httpsUrl, "https://plugins.matomo.org/api/2.0/plugins/QueuedTracking/download/<pluginVersion>"),
                ),
                pluginSha256: doc(
                    "sha256 of the zip at `pluginDownloadUrl`. When QueuedTracking is listed in `plugins`, its entry gives version, sha256 and URL, and the three `plugin…` fields here must be left out. Nodes refuse a zip with any other checksum. Get it once from a machine you trust: `curl -fsSL <pluginDownloadUrl> | sha256sum`.",
                    optional(f.sha256, "required when enabled, unless plugins lists QueuedTracking", true),
                ),
                numQueueWorkers: doc(
                    "The plugin's `numQueueWorkers`: how many queues requests are spread over, each drained by its own worker on every ui node (a supervised `queuedtracking:process` loop; the plugin lets one worker at a time work on a queue). Without `peakRequestsPerSecond` or a preset's, 1. The plugin's advice: keep 1 when you track with User IDs.",
                    optional(integer(1, MAX_QUEUE_WORKERS), "⌈peakRequestsPerSecond / 300⌉"),
                ),
                peakRequestsPerSecond: doc(
                    'Peak tracking requests per second the queue must keep up with; sizes `numQueueWorkers` at 300 requests per second per worker (70 % of the 427 one worker drained in a measurement, see README "QueuedTracking capacity").',
                    optional(
                        integer(1, 100_000),
                        byPreset((p) => p.queuedTracking.peakRequestsPerSecond),
                    ),
                ),
                forceProcessAfterSeconds: doc(
                    "The longest a queue holding fewer than `numRequestsToProcess` requests waits before its worker processes them anyway (`--force-num-requests-process-at-once=1`), in seconds. The plugin itself takes a queue only once it holds a full batch, so on a quiet site hits would otherwise wait for the next ones. A hit then waits at most this + 5 s + two worker runs (docs/provisioning.md, *QueuedTracking*).",
                    withDefault(integer(5, 3600), 60),
                ),
                numRequestsToProcess: doc(
                    "The plugin's `numRequestsToProcess`: requests taken from a queue in one batch (the default is the plugin's).",
                    withDefault(integer(1, 1000), 25),
                ),
            },
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
    ),
);

// ---- geoIp: the location database on every node (docs/runtime-files.md).
const maxmind = named(
    { ts: "MaxMindArgs", ml: "MaxMind", doc: "`geoIp.maxmind`: the MaxMind account a `maxmind` location database is downloaded with." },
    object(
        {
            accountId: doc("MaxMind account ID.", required(text("a MaxMind account ID (1 to 20 digits)", (v) => /^[0-9]{1,20}$/.test(v)))),
            licenseKey: doc("MaxMind license key: a secret reference, never plain text.", required(f.secretReference)),
            edition: doc(
                "Edition ID.",
                withDefault(
                    named({ ml: "MaxMindEdition", doc: "MaxMind database editions." }, oneOf(MAXMIND_EDITIONS)),
                    "GeoLite2-City" as (typeof MAXMIND_EDITIONS)[number],
                ),
            ),
        },
        undefined,
        "an object { accountId, licenseKey, edition? }",
    ),
);
const geoIp = named(
    {
        ts: "GeoIpArgs",
        ml: "GeoIp",
        doc: "The location database every node (tracker and ui) installs at boot and refreshes daily, and the `geoip2php` provider Matomo then locates visitors with at tracking time (docs/runtime-files.md).",
    },
    object(
        {
            provider: doc(
                "`dbip-lite`: DB-IP's free IP to City Lite, the database Matomo's installer sets up itself (monthly). `maxmind`: a MaxMind edition with `maxmind`'s account and license key. `off`: no database; Matomo keeps its default provider (the browser's language).",
                withDefault(
                    named({ ml: "GeoIpProvider", doc: "Where visitor locations come from." }, oneOf(["dbip-lite", "maxmind", "off"] as const)),
                    "dbip-lite" as "dbip-lite" | "maxmind" | "off",
                ),
            ),
            downloadUrl: doc(
                "dbip-lite only: where nodes download it (https), with `{month}` for the year and month (UTC, `2026-11`).",
                optional(
                    text(
                        "an https:// URL without spaces or quotes, holding {month} once (the year and month it is for)",
                        (v) => /^https:\/\/[^\s"'\\]+$/.test(v) && v.split("{month}").length === 2,
                    ),
                    DBIP_LITE_URL_TEMPLATE,
                ),
            ),
            maxmind: doc("The MaxMind account.", optional(maxmind, 'required with provider "maxmind"', true)),
        },
        (g, c, path): ResolvedGeoIp | undefined => {
            if (g.provider !== "dbip-lite" && g.downloadUrl !== undefined)
                return c.fail([...path, "downloadUrl"], g.downloadUrl, 'only with provider "dbip-lite"');
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
    ),
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

const plugin = named(
    {
        ts: "PluginArgs",
        ml: "Plugin",
        doc: 'A Matomo plugin that is not part of Matomo\'s release (a Marketplace plugin, free or premium, or your own), installed with exactly the same code on every node. See docs/provisioning.md "Plugins".',
    },
    object(
        {
            name: doc(
                "The plugin's name as Matomo spells it: its directory under `plugins/` and its namespace (Matomo's `Plugin\\Manager::isValidPluginName`); not a plugin Matomo's release ships.",
                required(f.pluginName),
            ),
            version: doc("Release; the archive's `plugin.json` must name this version.", required(f.releaseVersion)),
            sha256: doc(
                "sha256 of the zip at `downloadUrl`: nodes refuse any other archive before unpacking it. Get it once from a machine you trust: `curl -fsSL <downloadUrl> | sha256sum` (premium: `curl -fsSL --data-urlencode access_token=<license key> <downloadUrl> | sha256sum`).",
                required(f.sha256),
            ),
            downloadUrl: doc(
                "Where nodes download the zip (https only). Override for a mirror or your own plugin; the zip must hold `<name>/plugin.json`.",
                optional(f.httpsUrl, "the Matomo Marketplace: https://plugins.matomo.org/api/2.0/plugins/<name>/download/<version>"),
            ),
        },
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
    ),
);

/** At most this many plugins (ten fit user data with room; the list is in the provisioning bundle). */
export const MAX_PLUGINS = 50;

/**
 * `bundledPlugins`: names of plugins the release ships inactive (lib/release.ts), each once. A
 * typo is refused here, naming the allowed names: `plugin:activate` of an unknown name exits 0
 * ("Cannot find plugin files"), so a node would not notice.
 */
const bundledPlugins = plainList(
    named(
        {
            ts: "BundledPluginName",
            from: "release",
            ml: "BundledPlugin",
            doc: "Plugins Matomo's release ships inactive (lib/release.ts BUNDLED_INACTIVE_PLUGINS).",
        },
        oneOf(BUNDLED_INACTIVE_PLUGINS, " (plugins Matomo's release ships inactive; Marketplace plugins go in plugins)"),
    ),
    { unique: true, max: BUNDLED_INACTIVE_PLUGINS.length },
    `a list of bundled plugins, each once: any of ${BUNDLED_INACTIVE_PLUGINS.map((n) => `'${n}'`).join(", ")}`,
);

const marketplace = named(
    { ts: "MarketplaceArgs", ml: "Marketplace", doc: "The Matomo Marketplace, for premium plugins." },
    object({
        licenseKey: doc(
            "Your Marketplace license key, as a secret reference (never the key itself). Nodes read it at boot and send it as Matomo's own Marketplace client does (form field `access_token`, by POST), only to the Marketplace's download endpoint, never to a `downloadUrl` you give.",
            optional(f.secretReference, "none: free plugins only"),
        ),
    }),
);

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

const matomo = named(
    { ts: "MatomoReleaseArgs", ml: "MatomoRelease", doc: "`matomo`: which Matomo release every node installs, and from where." },
    object(
        {
            version: doc("The Matomo release (the default is pinned in `lib/release.ts`).", withDefault(f.releaseVersion, MATOMO_VERSION)),
            downloadUrl: doc(
                "Where nodes download the release; override to mirror it (https only).",
                optional(f.httpsUrl, "Matomo's download URL for version"),
            ),
            sha256: doc(
                "sha256 of the archive at `downloadUrl`. When given, nodes check it instead of the release signature (useful for a mirror without `.asc`).",
                optional(f.sha256, "none: verify Matomo's release signature"),
            ),
        },
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
    ),
);

const superUser = named(
    {
        ts: "SuperUserArgs",
        ml: "SuperUser",
        doc: "`superUser`: the Matomo super user the unattended install creates (its password is generated into Secrets Manager).",
    },
    object(
        {
            login: doc("Login name.", withDefault(f.login, "admin")),
            email: doc("E-mail address: Matomo mails password resets and reports here.", required(f.email)),
        },
        undefined,
        "an object with at least 'email' (the Matomo super user's address)",
    ),
);

const firstSite = named(
    { ts: "FirstSiteArgs", ml: "FirstSite", doc: "`firstSite`: the website the unattended install creates (Matomo's installer requires one)." },
    object({
        name: doc("Site name.", optional(f.siteName, "the domain")),
        url: doc("Site URL.", optional(f.httpUrl, "https://<domain>")),
        timezone: doc("Site time zone.", withDefault(f.timezone, "UTC")),
    }),
);

const smtpHost = text("an SMTP server hostname or IPv4 address", (v) => f.isHostOrIp(v));
const mail = named(
    { ts: "MailArgs", ml: "Mail", doc: "Outgoing mail (Matomo's `[mail]`): password resets, scheduled reports, alerts." },
    object(
        {
            host: doc("SMTP server host name.", required(input(smtpHost))),
            port: doc("SMTP port.", optional(f.port, '587; 465 with encryption "ssl"')),
            encryption: doc(
                "`tls` (STARTTLS), `ssl` (implicit TLS, usually port 465) or `none`.",
                withDefault(
                    named({ ml: "MailEncryption", doc: "SMTP transport security." }, oneOf(["tls", "ssl", "none"] as const)),
                    "tls" as "tls" | "ssl" | "none",
                ),
            ),
            username: doc(
                "SMTP login.",
                optional(
                    text("an SMTP login of 1 to 255 characters", (v) => v.length >= 1 && v.length <= 255),
                    "none: no authentication",
                ),
            ),
            password: doc(
                "The SMTP password, as a secret reference.",
                optional(f.secretReference, "required with username; a reference, never plain text", true),
            ),
            fromAddress: doc("Sender address (`[General] noreply_email_address`).", optional(f.email, "noreply@<domain>")),
            fromName: doc(
                "Sender name (`[General] noreply_email_name`).",
                withDefault(
                    text("1 to 100 characters", (v) => v.length >= 1 && v.length <= 100),
                    "Matomo",
                ),
            ),
        },
        (m, c, path) => {
            if (m.username !== undefined && m.password === undefined)
                return c.fail([...path, "password"], undefined, "required with 'username': a secret reference { secretArn, jsonKey? }");
            if (m.username === undefined && m.password !== undefined)
                return c.fail([...path, "username"], undefined, "required with 'password' (the SMTP login)");
            // Implicit TLS has its own well-known port (465, RFC 8314); STARTTLS and plain submission use 587.
            return { ...m, port: m.port ?? (m.encryption === "ssl" ? 465 : 587) };
        },
    ),
);

/** Build instance types by architecture: the smallest current general-purpose size with 2 vCPUs and 4 GiB (apt and PHP's maintainer scripts are CPU-bound). */
export const NODE_IMAGE_BUILD_INSTANCE_TYPE: Record<Architecture, string> = { arm64: "c7g.large", x86_64: "c7i.large" };

const nodeImage = named(
    {
        ts: "NodeImageArgs",
        ml: "NodeImage",
        doc: "The node image: by default every node boots Debian's image and installs packages and Matomo at first boot (minutes). With `prebuilt`, the library bakes an image with EC2 Image Builder from that same Debian image and the same provisioning scripts (packages, the verified release, the plugins; nothing of this deployment's secrets or config), and both groups boot it. See docs/provisioning.md, \"Booting from a pre-built image\".",
    },
    object({
        prebuilt: doc(
            "Bake and boot a pre-built image. The first `pulumi up` then waits for an image build (about 15 to 25 minutes, paid build instance time and the image's snapshot storage), and every change of Matomo's release or the plugin list bakes a new one before nodes roll.",
            withDefault(boolean, false),
        ),
        generation: doc(
            "Raise it to bake again from the same inputs (Debian's security updates of the baked packages); rolls both groups.",
            withDefault(f.imageGeneration, 1),
        ),
        buildInstanceType: doc(
            "EC2 instance type of the build instance, matching `architecture`.",
            optional(f.instanceType, "c7g.large (arm64) or c7i.large (x86_64)"),
        ),
    }),
);

const privacy = named(
    {
        ts: "PrivacyArgs",
        ml: "Privacy",
        doc: "Privacy choices Matomo's installer offers on its last page, applied by the unattended install. (Matomo 5's installer offers no Do Not Track choice; that stays Matomo's default, off.)",
    },
    object({
        anonymizeIp: doc(
            "Anonymise visitor IP addresses (PrivacyManager's IP anonymiser, 2 bytes masked), on as Matomo's installer proposes: its box is pre-checked.",
            withDefault(boolean, true),
        ),
    }),
);

const portableFieldsFor = onePerPreset((preset: Preset) => ({
    preset: doc(
        "Sizes for a traffic class: `small` (≤10M hits a month), `reference` (~100M, the FAQ's layout, the sizes this library always had) or `large` (~1B). It sets the trackers' type, minSize and maxSize, the ui type and count, the database class, storage, IOPS, throughput, Multi-AZ and read replica, and QueuedTracking (on for `large`), its Redis node type and queue workers; any of those given explicitly wins over the preset.",
        withDefault(
            named(
                { ts: "Preset", ml: "Preset", doc: 'Sizing presets for ≤10M, ~100M and ~1B hits a month (README.md, "Sizing presets").' },
                oneOf(PRESETS, " (≤10M, ~100M, ~1B hits a month; see the README's sizing table)"),
            ),
            DEFAULT_PRESET as Preset,
        ),
    ),
    domain: doc("Hostname Matomo is served at, e.g. `analytics.example.com`.", required(input(f.hostname))),
    additionalTrustedHosts: doc("More hostnames Matomo accepts (`trusted_hosts[]`).", withDefault(plainList(f.hostname, { unique: true }), [] as string[])),
    certificateArn: doc(
        "ARN of an ACM certificate for `domain` in the stack's region.",
        eitherThis(f.acmCertificateArn, "hostedZoneId", CERTIFICATE_OR_ZONE, "none: either this or hostedZoneId"),
    ),
    hostedZoneId: doc(
        "Route 53 zone for `domain`: used to issue and DNS-validate a certificate when no ARN is given, and for the alias record.",
        optional(f.hostedZoneId, "none", true),
    ),
    createDnsRecord: doc("Create a Route 53 alias `domain` → load balancer.", optional(boolean, "true when hostedZoneId is given")),
    ingressCidrs: doc("IPv4 ranges that may reach the load balancer (trackers are public by nature).", withDefault(ingressCidrs, ["0.0.0.0/0"])),
    network: doc("The VPC: a new one, or `{ existing: {...} }` for yours.", optional(network, "a new VPC with the defaults of its fields")),
    architecture: doc("CPU architecture of every node (`arm64`: Graviton).", withDefault(f.architecture, "arm64" as Architecture)),
    amiId: doc(
        "AMI for every node.",
        optional(f.amiId, "the official Debian 12 image for architecture, newest at the first pulumi up, then kept (see amiGeneration)"),
    ),
    amiGeneration: doc("Bump to replace every node with a freshly booted one (same config).", withDefault(f.imageGeneration, 1)),
    nodeImage: doc(
        "A pre-built node image (EC2 Image Builder), so a scaled-out node only writes config and joins.",
        optional(nodeImage, "off: nodes install packages and Matomo at first boot"),
    ),
    trackers: doc("The tracker group, sized by `preset` unless given.", optional(trackersFor(preset), "see its fields")),
    ui: doc("The ui/archiving node(s), sized by `preset` unless given.", optional(uiFor(preset), "see its fields")),
    database: doc(
        "The database: a new RDS instance, or `{ existing: {...} }` for yours.",
        optional(databaseFor(preset), "a new RDS instance with the defaults of its fields"),
    ),
    queuedTracking: doc(
        "QueuedTracking with Redis.",
        optional(
            queuedTrackingFor(preset),
            byPreset((p) => (p.queuedTracking.enabled ? "on" : "off")),
        ),
    ),
    geoIp: doc("The location database nodes install.", optional(geoIp, "DB-IP's city lite database, refreshed daily on every node")),
    plugins: doc(
        "Plugins beyond Matomo's release, each name once. Every node installs them (sha256-checked before unpacking); one ui node activates them under the provisioning lock. Adding, upgrading or removing one rolls both groups; a removed plugin is deactivated first. QueuedTracking may be listed here too (with `queuedTracking.enabled`, which wires its Redis).",
        withDefault(plainList(plugin, { max: MAX_PLUGINS }, "a list of plugins"), [] as PluginArgs[]),
    ),
    bundledPlugins: doc(
        "Plugins Matomo's release ships but leaves inactive, to activate. Nothing is downloaded (their code comes with `matomo.version`); one ui node activates them under the provisioning lock, once, and records it like `plugins`; a name taken out is deactivated. Adding or removing one rolls both groups.",
        withDefault(bundledPlugins, [] as BundledPluginName[]),
    ),
    marketplace: doc("The Matomo Marketplace (a license key for premium plugins).", optional(marketplace, "none")),
    matomo: doc("The Matomo release.", optional(matomo, "the pinned release, verified by signature")),
    superUser: doc("The super user the install creates.", required(superUser)),
    firstSite: doc("The first website.", optional(firstSite, "see its fields")),
    maintenanceMode: doc("`[General] maintenance_mode`.", withDefault(boolean, false)),
    trackingEnabled: doc("`[Tracker] record_statistics`: false stops recording hits.", withDefault(boolean, true)),
    enforceCronArchiving: doc(
        "`[General] browser_archiving_disabled_enforce`. False: cron archives all standard periods, and only the ui nodes may still archive a custom date range or new segment on demand. True refuses even that (such reports stay empty until cron has run).",
        withDefault(boolean, false),
    ),
    mail: doc("Outgoing mail; without it Matomo cannot send password resets or reports.", optional(mail, "none: Matomo sends no mail")),
    privacy: doc("Privacy defaults.", optional(privacy, "see its fields")),
    extraConfig: {
        ...doc(
            "More config.ini.php settings, by section. Keys the layout renders or depends on are refused; a value may be a `SecretReference`, which nodes fill in at boot (secret-like keys must be one).",
            optional(
                extraConfigSchema(() => lockedConfigKeys()),
                "none",
            ),
        ),
        // The analyzer takes no union of values: other languages give strings, lists and secret references in a map each (lib/multilang/convert.ts joins them).
        multiLanguage: {
            extraConfig: {
                type: "{ [section: string]: { [key: string]: string } }",
                doc: "More config.ini.php settings, section → key → value, each written as a quoted INI string. Keys the layout renders or depends on are refused; secret-like keys must go in `extraConfigSecrets`.",
            },
            extraConfigLists: {
                type: "{ [section: string]: { [key: string]: string[] } }",
                doc: "More config.ini.php settings whose value is a list (`key[] = …` lines), section → key → values.",
            },
            extraConfigSecrets: {
                type: "{ [section: string]: { [key: string]: SecretReference } }",
                doc: "More config.ini.php settings whose value nodes read from Secrets Manager at boot, section → key → reference.",
            },
        },
    },
    extraConfigAllowUnsafe: doc(
        '`extraConfig` settings that weaken Matomo\'s own protections (`Tracker.debug`, `General.cors_domains` with `*` …), each as `Section.key`, that you accept anyway; any other such setting is refused with its reason (README, "config.ini.php").',
        optional(
            plainList(text("Section.key"), { unique: true }, "a list of Section.key names"),
            "none: an extraConfig setting that weakens Matomo's protections is refused",
        ),
    ),
    tags: doc("Tags for every resource.", optional(f.clusterTags, "none (a matomo:cluster tag is always added)")),
    salt: doc(
        "Matomo's salt.",
        optional(salt, "generated; with database.existing or database.restoreFromSnapshot the old one is required (existingSecretArn) unless generateNew"),
    ),
    adopt: doc("The old plugin sections of a Matomo you adopt.", optional(adopt, "none")),
    archiving: doc("The archiving cron.", optional(archiving, "see its fields")),
}));

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
export const clusterArgsSchema = named(
    {
        ts: "MatomoClusterArgs",
        doc: "The portable arguments of `MatomoCluster` (shared by every language and the config importer): only `domain`, a certificate source and `superUser` are required. A TypeScript program writes `MatomoClusterComponentArgs`, which is these and the AWS-only knobs.",
    },
    perPreset((preset) => object(portableFieldsFor(preset), resolvePortable, "an object of MatomoClusterArgs")),
);

/** Resolve every default and validate; throws one `InvalidArgumentError` listing every bad argument. */
export function resolveSettings(args: MatomoClusterArgs): ResolvedSettings {
    return validate("MatomoCluster", clusterArgsSchema, args);
}

// ---------------------------------------------------------------- AWS-only knobs of MatomoCluster

/**
 * A child's fields the cluster lets a user override, typed for TypeScript as that child's own arguments
 * (`Pick<DatabaseArgs, …>`, from the same keys the schema checks, so the two cannot drift).
 */
function childArgs<S extends Schema<unknown>>(args: string, keys: readonly string[], schema: S): S {
    return named(
        {
            tsText: `Pick<${args}, ${keys.map((k) => JSON.stringify(k)).join(" | ")}>`,
            imports: [{ name: args, from: "aws/componentArgs.generated" }],
        },
        schema,
    );
}

/** Each child's overrides, checked against its protections where the user wrote them (`overrides.<child>.allowUnsafe` is the escape). */
function guarded(component: ProtectedComponent, args: string, fields: Record<string, Field<unknown>>) {
    return childArgs(
        args,
        Object.keys(fields),
        object(optionalFields(fields), (v, c, path) => (checkProtections(component, v, c, path) ? v : undefined)),
    );
}

const overrides = named(
    {
        ts: "MatomoClusterOverrides",
        inAws: true,
        doc: "Per-child overrides: extra arguments merged over what the cluster computed, for what we didn't foresee.",
    },
    object({
        network: doc(
            "The `Network` component's VPC override (a new VPC only).",
            optional(childArgs("NetworkArgs", ["vpc"], object({ vpc: optional(childOverride, "none") })), "none"),
        ),
        secrets: doc(
            "The `Secrets` component's secret override, KMS key and recovery window.",
            optional(guarded("secrets", "SecretsArgs", secretsComponentOnlyFields), "none"),
        ),
        database: doc(
            "The `Database` component's instance and replica overrides, extra parameters, KMS key, final snapshot, TLS requirement, more security groups admitted, log exports and enhanced monitoring (a new database only).",
            optional(guarded("database", "DatabaseArgs", databaseComponentOnlyFields), "none"),
        ),
        cache: doc(
            "The `Cache` component's replication group override, engine version, transit encryption and automatic failover (with QueuedTracking).",
            optional(guarded("cache", "CacheArgs", cacheComponentOnlyFields), "none"),
        ),
        loadBalancer: doc(
            "The `LoadBalancer` component's load balancer and target group overrides, idle timeout and deletion protection.",
            optional(guarded("loadBalancer", "LoadBalancerArgs", loadBalancerComponentOnlyFields), "none"),
        ),
        trackers: doc(
            "The tracker `NodeGroup`'s launch template and group overrides and root volume.",
            optional(guarded("nodeGroup", "NodeGroupArgs", nodeGroupComponentOnlyFields), "none"),
        ),
        ui: doc(
            "The ui `NodeGroup`'s launch template and group overrides and root volume.",
            optional(guarded("nodeGroup", "NodeGroupArgs", nodeGroupComponentOnlyFields), "none"),
        ),
    }),
);

/** Overrides pass only what the user set (the component fills its own defaults). */
function optionalFields(fields: Record<string, Field<unknown>>): Record<string, Field<unknown> & { readonly _out?: unknown }> {
    const out: Record<string, Field<unknown>> = {};
    for (const [k, field] of Object.entries(fields))
        out[k] = optional(field.schema, field.defaultText ?? (field.default !== undefined ? `\`${JSON.stringify(field.default)}\`` : undefined));
    return out;
}

// ---------------------------------------------------------------- observability: logs, metrics, alarms

/** Alarm thresholds (docs/observability.md says why each default). */
const alarmThresholds = named(
    { ts: "AlarmThresholdArgs", ml: "AlarmThresholds", doc: "Alarm thresholds; each alarm's period and evaluation are in docs/observability.md." },
    object({
        loadBalancer5xxPercent: doc(
            "Load balancer 5xx responses (its own and the targets') as a percent of requests, over 2 × 5 minutes.",
            withDefault(integer(1, 100), 5),
        ),
        trackerResponseSeconds: doc("Trackers' p95 target response time in seconds, over 3 × 5 minutes.", withDefault(integer(1, 60), 1)),
        uiResponseSeconds: doc("ui nodes' p95 target response time in seconds (reports can be slow), over 3 × 5 minutes.", withDefault(integer(1, 600), 10)),
        databaseCpuPercent: doc("Database average CPU percent, over 3 × 5 minutes.", withDefault(integer(1, 100), 80)),
        databaseFreeStorageGiB: doc("Database free storage in GiB (storage autoscaling grows it; this says it could not).", withDefault(integer(1, 65536), 10)),
        databaseFreeableMemoryMiB: doc(
            "Database freeable memory in MiB.",
            optional(
                integer(1, 1048576),
                `1/32 of the database class's memory, ${byPreset((p) => databaseAlarmDefaults(p.database.instanceClass).databaseFreeableMemoryMiB)}; 512 for a class outside the m and r families`,
            ),
        ),
        databaseConnections: doc(
            "Database connections; the default is about 80 % of RDS MySQL's default max_connections ({DBInstanceClassMemory/12582880}).",
            optional(
                integer(1, 100000),
                `1,000 per 16 GiB of the database class's memory, ${byPreset((p) => databaseAlarmDefaults(p.database.instanceClass).databaseConnections)}; 1000 for a class outside the m and r families`,
            ),
        ),
        replicaLagSeconds: doc("Read replica lag in seconds.", withDefault(integer(1, 86400), 300)),
        redisMemoryPercent: doc("Redis memory used, percent of the node's.", withDefault(integer(1, 100), 80)),
        queueBacklogRequests: doc("Requests waiting in one QueuedTracking queue, held for 10 minutes.", withDefault(integer(1, 100000000), 10000)),
    }),
);

export const observability = named(
    { ts: "ObservabilityArgs", ml: "Observability", doc: "Logs, metrics, alarms and the dashboard (docs/observability.md)." },
    object({
        enabled: doc("Log groups, the CloudWatch agent on the nodes, node metrics, alarms and the dashboard.", withDefault(boolean, true)),
        logRetentionDays: doc("Days the log groups keep events.", withDefault(f.logRetentionDays, 30 as (typeof f.LOG_RETENTION_DAYS)[number])),
        logKmsKeyArn: doc(
            "KMS key ARN the log groups are encrypted with (its key policy must admit logs.<region>.amazonaws.com).",
            optional(f.kmsKeyArn, "none: CloudWatch Logs' own encryption"),
        ),
        alarmTopicArn: doc("Alarms notify this SNS topic of yours.", optional(f.snsTopicArn, "a topic the library creates")),
        alarmEmail: doc(
            "An e-mail address subscribed to the created topic (AWS mails a confirmation link).",
            optional(f.email, "none (subscribe to the topic yourself)"),
        ),
        alarmTopicKmsKeyId: doc(
            "KMS key of the created topic; its key policy must let cloudwatch.amazonaws.com use it.",
            optional(f.alarmTopicKmsKeyReference, "none (see docs/observability.md: CloudWatch cannot publish to a topic under the AWS-managed aws/sns key)"),
        ),
        archivingHeartbeatHours: doc("Alarm when no `core:archive` run succeeded for this many hours.", withDefault(integer(2, 168), 3)),
        thresholds: doc(
            "The alarms' thresholds, each overridable (docs/observability.md lists them with their reasons); the database's connection and memory thresholds follow its class.",
            withDefault(alarmThresholds, defaultsOf(alarmThresholds)),
        ),
        createAccessLogBucket: doc("Create the S3 bucket for the load balancer's access logs (unless `accessLogs` names yours).", withDefault(boolean, true)),
        accessLogExpirationDays: doc("Days access logs stay in the created bucket.", withDefault(integer(1, 3650), 90)),
        accessLogBucketForceDestroy: doc(
            '`pulumi destroy` empties and deletes the created access-log bucket (the logs are lost). False: destroy leaves the bucket, its logs and its settings in the account (docs/aws.md, "Destroying a cluster").',
            withDefault(boolean, false),
        ),
        metricsEndpointUrl: doc(
            "https URL of a CloudWatch (monitoring) interface VPC endpoint without private DNS, for node metrics.",
            optional(f.metricsEndpointUrl, "the region's CloudWatch endpoint"),
        ),
    }),
);

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
    instanceRefresh: doc("How fast a config change rolls the node groups.", optional(f.instanceRefresh, "see its fields")),
    healthCheckGracePeriodSeconds: doc(
        "Seconds after launch before failed health checks count, both groups. Trackers wait longer: up to 30 minutes for a ui node's install or core:update during an upgrade.",
        optional(
            f.healthCheckGracePeriodSeconds,
            "900 on ui (first boot installs packages and Matomo), 2400 on trackers (also their wait for the ui's core:update in an upgrade)",
        ),
    ),
    healthCheck: doc("Target group health checks.", optional(f.healthCheck, "see its fields (path: the provisioning's HEALTH_CHECK_PATH)")),
    accessLogs: doc(
        "Load balancer access logs to an S3 bucket you own (with Elastic Load Balancing's write policy).",
        optional(accessLogs, "a bucket the library creates (observability.createAccessLogBucket)"),
    ),
    observability: doc(
        "Log groups, node metrics, alarms to SNS, the dashboard, the access log bucket (docs/observability.md).",
        withDefault(observability, defaultsOf(observability)),
    ),
    overrides: doc(
        "Per-child overrides: extra arguments merged over what the cluster computed, for what we didn't foresee (TypeScript only).",
        optional(overrides, "none"),
    ),
};

/** The AWS-only knobs beside the portable arguments, as one object: what the generated `MatomoClusterAwsArgs` (lib/aws) is written from. */
export const clusterAwsArgsSchema = named({ ts: "MatomoClusterAwsArgs", doc: "AWS-only knobs beside the portable `MatomoClusterArgs`." }, object(awsFields));

/** `MatomoCluster`'s whole argument object: the portable settings and the AWS knobs, in one schema (so every problem is listed at once). */
export const clusterComponentArgsSchema = named(
    {
        ml: "MatomoClusterArgs",
        component: "MatomoCluster",
        doc: "`MatomoCluster`'s arguments from any language: the TypeScript `MatomoClusterArgs` and AWS knobs, field for field, but for `overrides` (TypeScript only) and `extraConfig`'s split into three maps.",
    },
    perPreset((preset) =>
        object(
            { ...portableFieldsFor(preset), ...awsFields },
            (v, c, path) => {
                const portable = Object.fromEntries(
                    Object.keys(portableFieldsFor(preset)).map((k) => [k, (v as Record<string, unknown>)[k]]),
                ) as PortableChecked;
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
