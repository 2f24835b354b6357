/**
 * Property tests of the argument schema (issue 8): malformed arguments of every shape, generated
 * from the schemas themselves — a wrong type at every path, an unknown key in every object, a
 * control character in every string — are refused with our error only, naming paths that exist
 * in the input (or required ones that are missing), and nothing is built or rendered. And every
 * string the text rule accepts survives cloud-init's own YAML loader inside real user data.
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import fc from "fast-check";
import {
    InvalidArgumentError,
    clusterComponentArgsSchema,
    resolveClusterComponentArgs,
    resolveDatabaseComponentArgs,
    resolveLoadBalancerComponentArgs,
    resolveNetworkComponentArgs,
    resolveNodeGroupComponentArgs,
    resolveCacheComponentArgs,
    resolveSecretsComponentArgs,
    textProblem,
    type ArgumentPath,
    type Schema,
} from "../lib/settings";
import { databaseComponent, loadBalancerComponent, networkComponent, nodeGroupComponent, cacheComponent, secretsComponent } from "../lib/settings/components";
import { MatomoCluster } from "../lib/aws/cluster";
import { installMockRuntime } from "../lib/plan/mockRuntime";
import { renderBoth, settingsWith } from "./provision/fixtures";
import { requireTools } from "./support/tools";

const SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:smtp-AbCdEf";
const VPC = "vpc-0a1b2c3d";
const SUBNETS = ["subnet-0000000a", "subnet-0000000b"];

/** Valid arguments that set (nearly) every field, so every path has a value to spoil. */
const CLUSTER: Record<string, unknown> = {
    preset: "large",
    domain: "analytics.example.com",
    additionalTrustedHosts: ["stats.example.com"],
    hostedZoneId: "Z0123456789ABCDEFGHIJ",
    createDnsRecord: true,
    ingressCidrs: ["203.0.113.0/24"],
    network: { vpcCidr: "10.80.0.0/16", availabilityZoneCount: 3, natGateways: "single" },
    architecture: "arm64",
    amiId: "ami-0a1b2c3d",
    amiGeneration: 2,
    trackers: { instanceType: "c7g.large", minSize: 2, maxSize: 4, desiredCapacity: 3, targetCpuUtilization: 50 },
    ui: { instanceType: "m7g.large", count: 2 },
    database: {
        engine: "mysql",
        engineVersion: "8.4",
        instanceClass: "db.m7g.large",
        allocatedStorageGiB: 400,
        maxAllocatedStorageGiB: 500,
        iops: 12000,
        storageThroughput: 500,
        restoreFromSnapshot: "rds:matomo-db-2026-11-24-03-10",
        passwordVersion: 2,
        backupRetentionDays: 7,
        multiAz: true,
        readReplica: true,
        deletionProtection: false,
        name: "matomo",
        username: "matomo",
        tablesPrefix: "m_",
    },
    salt: { existingSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:old-salt-AbCdEf" },
    queuedTracking: {
        enabled: true,
        nodeType: "cache.t4g.small",
        pluginVersion: "5.2.0",
        pluginDownloadUrl: "https://mirror.example.com/qt.zip",
        pluginSha256: "c".repeat(64),
        numQueueWorkers: 2,
        numRequestsToProcess: 50,
    },
    plugins: [
        { name: "HeatmapSessionRecording", version: "5.2.3", sha256: "e".repeat(64) },
        { name: "CustomAlerts", version: "5.0.4", sha256: "f".repeat(64), downloadUrl: "https://mirror.example.com/CustomAlerts-5.0.4.zip" },
    ],
    marketplace: {
        licenseKey: { secretArn: SECRET, jsonKey: "key", kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" },
    },
    matomo: { version: "5.10.0", downloadUrl: "https://mirror.example.com/matomo.tar.gz", sha256: "a".repeat(64) },
    superUser: { login: "admin", email: "ops@example.com" },
    firstSite: { name: "Shop", url: "https://shop.example.com", timezone: "Europe/Berlin" },
    maintenanceMode: false,
    trackingEnabled: true,
    enforceCronArchiving: true,
    mail: {
        host: "smtp.example.com",
        port: 465,
        encryption: "ssl",
        username: "matomo",
        password: { secretArn: SECRET, jsonKey: "password" },
        fromAddress: "matomo@example.com",
        fromName: "Analytics",
    },
    privacy: { anonymizeIp: true },
    extraConfig: { General: { login_allowlist_ip: ["10.0.0.0/8"], some_flag: 1 }, mail: { defaultHostnameIfEmpty: "example.com" } },
    tags: { team: "analytics" },
    archiving: {
        schedule: "*/30 0-5,22-23 * * 1-5",
        scheduledTasksSchedule: "35 * * * *",
        concurrentRequestsPerWebsite: 2,
        forcePeriods: ["day", "week"],
        maxWebsitesToProcess: 50,
        maxArchivesToProcess: 1000,
        timeoutSeconds: 3600,
    },
    instanceRefresh: { minHealthyPercentage: 90, maxHealthyPercentage: 180, instanceWarmupSeconds: 60 },
    healthCheckGracePeriodSeconds: 600,
    healthCheck: { intervalSeconds: 10, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 2 },
    accessLogs: { bucket: "my-logs", prefix: "alb" },
    overrides: {
        database: { finalSnapshot: false, requireTls: true, extraParameters: [{ name: "long_query_time", value: "2" }] },
        loadBalancer: { idleTimeoutSeconds: 120 },
        trackers: { rootVolumeGiB: 30 },
    },
};

const CLUSTER_EXISTING: Record<string, unknown> = {
    ...CLUSTER,
    network: { existing: { vpcId: VPC, publicSubnetIds: SUBNETS, privateSubnetIds: ["subnet-0000000c", "subnet-0000000d"] } },
    database: {
        existing: {
            host: "db.example.com",
            port: 3307,
            name: "stats",
            username: "matomo_app",
            passwordSecretArn: SECRET,
            passwordSecretKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            tablesPrefix: "m_",
            tls: false,
        },
    },
    salt: { existingSecretArn: SECRET, jsonKey: "salt", kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" },
    adopt: { installedPlugins: ["CoreHome", "Monolog", "QueuedTracking", "CustomAlerts"], activatedPlugins: ["CoreHome", "Monolog", "CustomAlerts"] },
};

interface Target {
    name: string;
    schema: Schema<unknown>;
    base: Record<string, unknown>;
    resolve: (args: unknown) => unknown;
}

const TARGETS: Target[] = [
    { name: "MatomoCluster (new network and database)", schema: clusterComponentArgsSchema, base: CLUSTER, resolve: resolveClusterComponentArgs },
    { name: "MatomoCluster (existing network and database)", schema: clusterComponentArgsSchema, base: CLUSTER_EXISTING, resolve: resolveClusterComponentArgs },
    {
        name: "Network",
        schema: networkComponent,
        base: { vpcCidr: "10.1.0.0/22", availabilityZoneCount: 2, natGateways: "onePerAz", tags: { a: "b" } },
        resolve: resolveNetworkComponentArgs,
    },
    {
        name: "Database",
        schema: databaseComponent,
        base: {
            vpcId: VPC,
            subnetIds: SUBNETS,
            engine: "mariadb",
            engineVersion: "10.11",
            allocatedStorageGiB: 50,
            finalSnapshot: true,
            extraParameters: [{ name: "a", value: "b", applyMethod: "immediate" }],
            tags: { a: "b" },
        },
        resolve: resolveDatabaseComponentArgs,
    },
    {
        name: "Cache",
        schema: cacheComponent,
        base: { vpcId: VPC, subnetIds: SUBNETS, nodeType: "cache.t4g.micro", engineVersion: "7.1", transitEncryption: "preferred" },
        resolve: resolveCacheComponentArgs,
    },
    {
        name: "LoadBalancer",
        schema: loadBalancerComponent,
        base: {
            vpcId: VPC,
            subnetIds: SUBNETS,
            domain: "a.example.com",
            certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc",
            healthCheckPath: "/h",
            healthCheck: { intervalSeconds: 30 },
            accessLogs: { bucket: "logs" },
            idleTimeoutSeconds: 60,
        },
        resolve: resolveLoadBalancerComponentArgs,
    },
    {
        name: "NodeGroup",
        schema: nodeGroupComponent,
        base: {
            role: "tracker",
            vpcId: VPC,
            subnetIds: SUBNETS,
            instanceType: "c7g.large",
            minSize: 1,
            maxSize: 3,
            userData: "I2Nsb3VkLWNvbmZpZw==",
            configSha256: "b".repeat(64),
            targetGroupArns: [],
            secretArns: [SECRET],
            instanceRefresh: { minHealthyPercentage: 100 },
            rootVolumeGiB: 20,
        },
        resolve: resolveNodeGroupComponentArgs,
    },
    {
        name: "Secrets",
        schema: secretsComponent,
        base: { recoveryWindowInDays: 7, kmsKeyId: "alias/matomo", tags: { a: "b" } },
        resolve: resolveSecretsComponentArgs,
    },
];

/** Every argument path a schema declares (object fields, depth first), with its schema. */
function slots(schema: Schema<unknown>, path: (string | number)[] = []): { path: (string | number)[]; schema: Schema<unknown> }[] {
    return Object.entries(schema.fields ?? {}).flatMap(([name, field]) => {
        const here = [...path, name];
        // A list of objects (plugins): its first item's fields too (the base arguments give one).
        const item = field.schema.kind === "list" && field.schema.item?.kind === "object" ? field.schema.item : undefined;
        return [
            { path: here, schema: field.schema },
            ...slots(field.schema, here),
            ...(item ? [{ path: [...here, 0], schema: item }, ...slots(item, [...here, 0])] : []),
        ];
    });
}

/** Every object path (where an unknown key can go). */
function objectPaths(schema: Schema<unknown>): (string | number)[][] {
    return [
        [],
        ...slots(schema)
            .filter((s) => s.schema.kind === "object")
            .map((s) => s.path),
    ];
}

/** Paths of every string in a value (list items and record values included). */
function stringPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
    if (typeof value === "string") return [path];
    if (Array.isArray(value)) return value.flatMap((v, i) => stringPaths(v, [...path, i]));
    if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => stringPaths(v, [...path, k]));
    return [];
}

const clone = (v: Record<string, unknown>) => JSON.parse(JSON.stringify(v)) as Record<string, unknown>;

/** Set a value at a path, creating plain objects on the way. */
function setAt(root: Record<string, unknown>, path: readonly (string | number)[], value: unknown): void {
    let node = root as Record<string | number, unknown>;
    path.slice(0, -1).forEach((segment) => {
        const next = node[segment];
        if (next === null || typeof next !== "object") node[segment] = {};
        node = node[segment] as Record<string | number, unknown>;
    });
    Object.defineProperty(node, path[path.length - 1], { value, enumerable: true, writable: true, configurable: true });
}

function has(root: unknown, path: ArgumentPath): boolean {
    let node = root;
    for (const segment of path) {
        if (node === null || typeof node !== "object" || !Object.hasOwn(node, segment)) return false;
        node = (node as Record<string | number, unknown>)[segment];
    }
    return true;
}

/** Values of every JavaScript kind; the generator picks those a slot's kind does not accept. */
const anyValue = fc.oneof(
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.constantFrom(NaN, Infinity, -1, 0, 1e21),
    fc.boolean(),
    fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.string(), { maxKeys: 2 }),
    fc.constantFrom<unknown>(() => 1, Symbol("s"), new Date(0), new Map(), 10n, /x/, Object.create(null)),
);

function fits(kind: Schema<unknown>["kind"], value: unknown): boolean {
    const plain =
        value !== null &&
        typeof value === "object" &&
        !Array.isArray(value) &&
        [Object.prototype, null].includes(Object.getPrototypeOf(value) as object | null);
    switch (kind) {
        case "string":
            return typeof value === "string";
        case "number":
            return typeof value === "number";
        case "boolean":
            return typeof value === "boolean";
        case "list":
            return Array.isArray(value);
        case "object":
        case "record":
        case "opaque":
            return plain;
        default:
            return true;
    }
}

const CONTROL = fc.constantFrom(
    "\u0000",
    "\u0007",
    "\t",
    "\n",
    "\r",
    "\u001b",
    "\u007f",
    "\u0085",
    "\u009b",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\ufffe",
    "\ud800",
    "{{secret:salt}}",
);

type Mutation = { kind: "type" | "key" | "control"; apply: (args: Record<string, unknown>) => void };

function mutations(target: Target): fc.Arbitrary<Mutation> {
    const typed = slots(target.schema).filter((s) => s.schema.kind !== "union");
    const wrongType = fc
        .tuple(fc.constantFrom(...typed), anyValue)
        .filter(([s, v]) => !fits(s.schema.kind, v))
        .map(([s, v]): Mutation => ({ kind: "type", apply: (a) => setAt(a, s.path, v) }));
    const unknownKey = fc
        .tuple(
            fc.constantFrom(...objectPaths(target.schema)),
            fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom("constructor", "toString", "__proto__", "hasOwnProperty", "valueOf")),
            anyValue,
        )
        .filter(([path, key]) => {
            const schema = path.reduce<Schema<unknown> | undefined>((s, k) => (typeof k === "number" ? s?.item : s?.fields?.[k]?.schema), target.schema);
            return schema?.fields !== undefined && !Object.hasOwn(schema.fields, key);
        })
        .map(([path, key, v]): Mutation => ({ kind: "key", apply: (a) => setAt(a, [...path, key], v) }));
    const strings = stringPaths(target.base);
    const control = fc.tuple(fc.constantFrom(...strings), CONTROL, fc.nat()).map(([path, ch, at]): Mutation => ({
        kind: "control",
        apply: (a) => {
            const original = path.reduce<unknown>((n, k) => (n as Record<string | number, unknown>)[k], a) as string;
            const i = at % (original.length + 1);
            setAt(a, path, original.slice(0, i) + ch + original.slice(i));
        },
    }));
    return fc.oneof(wrongType, unknownKey, control);
}

describe("arguments (property): malformed arguments of every shape are refused with our error only", () => {
    for (const target of TARGETS) {
        it(`${target.name}: the base arguments are valid`, () => {
            target.resolve(clone(target.base));
        });

        it(`${target.name}: 1 to 4 spoilt paths → InvalidArgumentError naming paths that exist (or required ones missing)`, () => {
            fc.assert(
                fc.property(fc.array(mutations(target), { minLength: 1, maxLength: 4 }), (spoils) => {
                    const args = clone(target.base);
                    // Control characters first: a later wrong type may replace the string they went into.
                    const order = { control: 0, type: 1, key: 2 };
                    for (const spoil of [...spoils].sort((a, b) => order[a.kind] - order[b.kind])) spoil.apply(args);
                    let error: unknown;
                    try {
                        target.resolve(args);
                    } catch (e) {
                        error = e;
                    }
                    assert.ok(
                        error instanceof InvalidArgumentError,
                        `expected InvalidArgumentError, got ${error instanceof Error ? error.stack : String(error)}`,
                    );
                    for (const p of error.problems) {
                        const missing = p.value === undefined && has(args, p.path.slice(0, -1)) && !has(args, p.path);
                        const givenAsNull = p.value === null && has(args, p.path);
                        assert.ok(
                            has(args, p.path) || missing || givenAsNull,
                            `reported path ${JSON.stringify(p.path)} is neither in the input nor a missing argument`,
                        );
                    }
                }),
                { numRuns: 150 },
            );
        });
    }

    it("MatomoCluster: nothing is created (no resource, no rendering) for malformed arguments", () => {
        const target = TARGETS[0];
        fc.assert(
            fc.property(mutations(target), (spoil) => {
                const rt = installMockRuntime();
                const args = clone(target.base);
                spoil.apply(args);
                assert.throws(() => new MatomoCluster("bad", args as never), InvalidArgumentError);
                assert.equal(rt.resources.length, 0);
            }),
            { numRuns: 40 },
        );
    });
});

describe("arguments (property): accepted text survives cloud-init's YAML loader", () => {
    it("every generated string the text rule accepts round-trips through real user data parsed by cloud-init's util.load_yaml", function () {
        requireTools("cloud-init");
        // Arbitrary code points, plus the characters YAML treats specially, near the edges of the rule.
        const tricky = fc.constantFrom(
            "\u2028",
            "\u2029",
            "\u0085",
            "\ufeff",
            "\u00a0",
            "\ud7ff",
            "\ue000",
            "\ufffd",
            "\u{10ffff}",
            "\u{1f600}",
            "#",
            ": ",
            "- ",
            "'",
            '"',
            "\\",
            "$",
            ";",
            "|",
            ">",
            "%",
            "@",
            "`",
            "{",
            "}",
            "[",
            "]",
            "&",
            "*",
            "!",
        );
        const piece = fc.oneof(fc.string({ unit: "binary", maxLength: 8 }), tricky);
        const samples = fc.sample(
            fc.array(piece, { minLength: 1, maxLength: 6 }).map((parts) => parts.join("")),
            { numRuns: 400, seed: 8 },
        );
        const accepted = [...new Set(samples.filter((s) => textProblem(s) === undefined && s.length > 0))];
        assert.ok(accepted.length > 100, `enough accepted samples (${accepted.length})`);
        // Each accepted string as an extraConfig value in the config every node writes, inside the ui node's user data.
        const documents = accepted.map((value) => {
            const userData = renderBoth(settingsWith({ extraConfig: { CustomSection: { value } } })).ui.text;
            // Escaped as Matomo reads it: `&` as `&amp;amp;` (it html_entity_decode's twice), then `\ " $` with a backslash.
            return { userData, expectedLine: `value = "${value.replace(/&/g, "&amp;amp;").replace(/[\\"$]/g, (c) => `\\${c}`)}"` };
        });
        // The control: the same pipeline with a U+2028 forced past validation comes back broken, so the check can fail.
        const unchecked = settingsWith();
        unchecked.extraConfig = { CustomSection: { value: "a\u2028b" } };
        documents.push({ userData: renderBoth(unchecked).ui.text, expectedLine: 'value = "a\u2028b"' });
        const dir = mkdtempSync(join(tmpdir(), "args8-yaml-"));
        writeFileSync(join(dir, "docs.json"), JSON.stringify(documents.map((d) => d.userData)), "utf8");
        const python = `
import json, sys
from cloudinit import util
docs = json.load(open(sys.argv[1], encoding="utf-8"))
out = []
for text in docs:
    cfg = util.load_yaml(text)
    if cfg is None:
        out.append(None); continue
    out.append([f["content"] for f in cfg["write_files"] if f["path"].endswith("config.ini.php.template")])
print(json.dumps(out))
`;
        const parsed = JSON.parse(execFileSync("/usr/bin/python3", ["-c", python, join(dir, "docs.json")], { encoding: "utf8", maxBuffer: 1 << 30 })) as (
            string[] | null
        )[];
        const control = parsed.pop() ?? null;
        const controlDoc = documents.pop()!;
        assert.ok(
            control === null || !control.some((c) => c.split("\n").includes(controlDoc.expectedLine)),
            "U+2028 does not survive cloud-init's loader as one line",
        );
        documents.forEach((d, i) => {
            assert.ok(parsed[i] !== null, `cloud-init could not load the user data for ${JSON.stringify(accepted[i])}`);
            const contents = parsed[i]!;
            assert.ok(contents.length >= 1, "the config is among the written files");
            assert.ok(
                contents.some((c) => c.split("\n").includes(d.expectedLine)),
                `value ${JSON.stringify(accepted[i])} comes back as one line of config.ini.php`,
            );
        });
    });
});
