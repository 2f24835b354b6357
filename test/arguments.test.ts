/**
 * Issue 8: arguments users can trust. Every typo and wrong type is refused with our error, listing
 * every problem by the path the user wrote for that component; text that reaches the nodes is one
 * printable line; extraConfig cannot set what provisioning owns or smuggle secrets in plain text.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import {
    InvalidArgumentError,
    isLockedConfigKey,
    resolveClusterComponentArgs,
    resolveDatabaseComponentArgs,
    resolveLoadBalancerComponentArgs,
    resolveNetworkComponentArgs,
    resolveNodeGroupComponentArgs,
    resolveSecretsComponentArgs,
    resolveCacheComponentArgs,
    resolveSettings,
    type MatomoClusterArgs,
} from "../lib/settings";
import { renderConfig } from "../lib/config";

const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666";
const SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:smtp-AbCdEf";
const BASE: MatomoClusterArgs = { domain: "analytics.example.com", certificateArn: CERT, superUser: { email: "ops@example.com" } };

/** The error a call throws; fails the test if it throws anything else or nothing. */
function refusal(call: () => unknown): InvalidArgumentError {
    try {
        call();
    } catch (e) {
        assert.ok(e instanceof InvalidArgumentError, `expected InvalidArgumentError, got ${e instanceof Error ? e.stack : String(e)}`);
        assert.ok(pulumi.InputPropertiesError.isInstance(e), "it is also Pulumi's InputPropertiesError");
        return e;
    }
    assert.fail("expected the arguments to be refused");
}

/** `path → allowed` of every problem, for compact assertions. */
function problems(e: InvalidArgumentError): Record<string, string> {
    return Object.fromEntries(
        e.problems.map((p) => [
            p.path
                .map((s) => (typeof s === "number" ? `[${s}]` : s))
                .join(".")
                .replace(/\.\[/g, "["),
            p.allowed,
        ]),
    );
}

const cluster = (extra: Record<string, unknown>) => refusal(() => resolveSettings({ ...BASE, ...extra } as MatomoClusterArgs));

describe("arguments: every problem of a call at once", () => {
    it("lists each bad argument on its own line, in our format, and as InputPropertiesError errors", () => {
        const e = cluster({ trackers: { minSize: 0 }, database: { allocatedStorageGiB: 10 }, tags: "x", ingressCidrs: ["10.0.0.0/8", "10.0.0.0/8"] });
        assert.deepEqual(Object.keys(problems(e)).sort(), ["database.allocatedStorageGiB", "ingressCidrs[1]", "tags", "trackers.minSize"]);
        const lines = e.message.split("\n");
        assert.equal(lines[0], "MatomoCluster: 4 invalid arguments:");
        assert.ok(lines.includes(`  MatomoCluster: invalid argument 'trackers.minSize' = 0: a whole number from 1 to 100`), e.message);
        assert.ok(
            lines.includes(
                `  MatomoCluster: invalid argument 'tags' = "x": an object of tag key → string value (AWS allows 50 tags on a resource and the library adds up to 3, so at most 47)`,
            ),
            e.message,
        );
        assert.deepEqual(
            e.errors.map((x) => x.propertyPath),
            e.problems.map((p) =>
                p.path
                    .map((s) => (typeof s === "number" ? `[${s}]` : s))
                    .join(".")
                    .replace(/\.\[/g, "["),
            ),
        );
    });

    it("reports a missing certificate-or-zone together with the other problems", () => {
        assert.deepEqual(Object.keys(problems(cluster({ certificateArn: undefined, tags: "x" }))).sort(), ["certificateArn", "tags"]);
    });

    it("names the top-level AWS knob the user wrote, not a node group's internal path", () => {
        const e = refusal(() =>
            resolveClusterComponentArgs({
                ...BASE,
                instanceRefresh: { minHealthyPercentage: 50, maxHealthyPercentage: 200 },
                healthCheckGracePeriodSeconds: -1,
            }),
        );
        assert.deepEqual(problems(e), {
            "instanceRefresh.maxHealthyPercentage": "at most 100 above minHealthyPercentage (50)",
            healthCheckGracePeriodSeconds: "a whole number from 0 to 7200",
        });
        assert.match(e.message, /^MatomoCluster: 2 invalid arguments/);
    });
});

describe("arguments: standalone components validate through the same rules and name themselves", () => {
    const vpcId = "vpc-0a1b2c3d";
    const subnetIds = ["subnet-0000000a", "subnet-0000000b"];

    it("Database: a satisfiable storage range, paths as the component's own", () => {
        const e = refusal(() => resolveDatabaseComponentArgs({ vpcId, subnetIds, allocatedStorageGiB: 60000, username: "a_very_long_user_name" }));
        assert.equal(e.component, "Database");
        assert.match(e.message, /Database: invalid argument 'allocatedStorageGiB' = 60000: a whole number from 20 to 59578/);
        assert.deepEqual(Object.keys(problems(e)), ["allocatedStorageGiB", "username"]);
        const c = refusal(() => resolveDatabaseComponentArgs({ vpcId, subnetIds, allocatedStorageGiB: 200, maxAllocatedStorageGiB: 210 }));
        assert.match(c.message, /'maxAllocatedStorageGiB' = 210: .*at least 220 \(110 % of allocatedStorageGiB \(200\)/);
    });

    it("NodeGroup: may be empty (min 0), unlike the cluster's trackers (min 1)", () => {
        const ok = resolveNodeGroupComponentArgs({
            role: "tracker",
            vpcId,
            subnetIds,
            instanceType: "c7g.large",
            minSize: 0,
            maxSize: 2,
            userData: "",
            configSha256: "a".repeat(64),
            targetGroupArns: [],
            secretArns: [],
        });
        assert.equal(ok.desiredCapacity, 0);
        const e = refusal(() =>
            resolveNodeGroupComponentArgs({
                role: "tracker",
                vpcId,
                subnetIds,
                instanceType: "c7g.large",
                minSize: 3,
                maxSize: 2,
                userData: "",
                configSha256: "a".repeat(64),
                targetGroupArns: [],
                secretArns: [],
            }),
        );
        assert.equal(e.component, "NodeGroup");
        assert.deepEqual(problems(e), { minSize: "at most maxSize (2)" });
        const refresh = refusal(() =>
            resolveNodeGroupComponentArgs({
                role: "ui",
                vpcId,
                subnetIds,
                instanceType: "m7g.large",
                minSize: 1,
                maxSize: 1,
                userData: "",
                configSha256: "a".repeat(64),
                targetGroupArns: [],
                secretArns: [],
                instanceRefresh: { minHealthyPercentage: 50, maxHealthyPercentage: 200 },
            }),
        );
        assert.match(refresh.message, /^NodeGroup: invalid argument 'instanceRefresh\.maxHealthyPercentage'/);
    });

    it("LoadBalancer, Network, Cache, Secrets: their own names and paths", () => {
        assert.match(
            refusal(() =>
                resolveLoadBalancerComponentArgs({
                    vpcId,
                    subnetIds,
                    domain: "a.example.com",
                    healthCheckPath: "/h",
                    healthCheck: { intervalSeconds: 5, timeoutSeconds: 5 },
                    idleTimeoutSeconds: 0,
                }),
            ).message,
            /^LoadBalancer: 3 invalid arguments:\n.*'certificateArn' = undefined: give 'certificateArn'.*\n.*'healthCheck\.timeoutSeconds' = 5: less than intervalSeconds \(5\)\n.*'idleTimeoutSeconds' = 0: a whole number from 1 to 4000$/,
        );
        assert.match(
            refusal(() => resolveLoadBalancerComponentArgs({ vpcId, subnetIds, domain: "a.example.com", healthCheckPath: "/h" })).message,
            /^LoadBalancer: invalid argument 'certificateArn' = undefined: give 'certificateArn'/,
        );
        assert.match(refusal(() => resolveNetworkComponentArgs({ vpcCidr: "10.0.0.0/8" })).message, /^Network: invalid argument 'vpcCidr' = "10\.0\.0\.0\/8"/);
        assert.match(refusal(() => resolveCacheComponentArgs({ vpcId, subnetIds, nodeType: "t4g.small" })).message, /^Cache: invalid argument 'nodeType'/);
        assert.match(
            refusal(() => resolveSecretsComponentArgs({ recoveryWindowInDays: 3 })).message,
            /^Secrets: invalid argument 'recoveryWindowInDays' = 3: 0 \(delete at once\) or 7 to 30/,
        );
    });
});

describe("arguments: unknown keys are refused at every level, with a guess", () => {
    const cases: [string, Record<string, unknown>, string, RegExp][] = [
        ["trackers.minsize", { trackers: { minsize: 4 } }, "trackers.minsize", /did you mean 'minSize'/],
        ["database.multiAZ", { database: { multiAZ: true } }, "database.multiAZ", /did you mean 'multiAz'/],
        ["network.natGateway", { network: { natGateway: "single" } }, "network.natGateway", /did you mean 'natGateways'/],
        ["superUser.emial", { superUser: { emial: "ops@example.com", email: "ops@example.com" } }, "superUser.emial", /did you mean 'email'/],
        [
            "network.existing.vpcID",
            {
                network: {
                    existing: {
                        vpcID: "vpc-0a1b2c3d",
                        publicSubnetIds: ["subnet-0000000a", "subnet-0000000b"],
                        privateSubnetIds: ["subnet-0000000c", "subnet-0000000d"],
                    },
                },
            },
            "network.existing.vpcID",
            /did you mean 'vpcId'/,
        ],
        ["mail.pasword", { mail: { host: "smtp.example.com", pasword: "x" } }, "mail.pasword", /did you mean 'password'/],
    ];
    for (const [title, extra, path, guess] of cases) {
        it(title, () => {
            const e = cluster(extra);
            assert.ok(Object.hasOwn(problems(e), path), e.message);
            assert.match(problems(e)[path], guess);
        });
    }

    it("overrides.databse, at the AWS level", () => {
        const e = refusal(() => resolveClusterComponentArgs({ ...BASE, overrides: { databse: {} } } as never));
        assert.match(problems(e)["overrides.databse"], /did you mean 'database'/);
    });

    it("an existing VPC or database is never guessed from key presence: the old shape is refused with the new one named", () => {
        const e = cluster({
            network: {
                vpcId: "vpc-0a1b2c3d",
                publicSubnetIds: ["subnet-0000000a", "subnet-0000000b"],
                privateSubnetIds: ["subnet-0000000c", "subnet-0000000d"],
            },
            database: { host: "db.example.com" },
        });
        assert.match(problems(e)["network.vpcId"], /network: \{ existing: \{ vpcId, publicSubnetIds, privateSubnetIds \} \}/);
        assert.match(problems(e)["database.host"], /database: \{ existing: \{ host/);
    });

    it("existing and new-resource settings together are refused", () => {
        const existing = {
            vpcId: "vpc-0a1b2c3d",
            publicSubnetIds: ["subnet-0000000a", "subnet-0000000b"],
            privateSubnetIds: ["subnet-0000000c", "subnet-0000000d"],
        };
        assert.match(problems(cluster({ network: { existing, natGateways: "single" } }))["network.natGateways"], /not with 'existing'/);
        const db = { host: "db.example.com", username: "matomo", passwordSecretArn: SECRET };
        assert.match(problems(cluster({ database: { existing: db, multiAz: true } }))["database.multiAz"], /not with 'existing'/);
    });

    it("the secret RDS manages for a master password is a Secrets Manager ARN: RDS names it rds!db-<uuid>, a prefix no user-made name can have", () => {
        const rdsSecret = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0-AbCdEf";
        const existing = { host: "db.example.com", username: "matomo", passwordSecretArn: rdsSecret };
        assert.doesNotThrow(() => resolveSettings({ ...BASE, database: { existing }, salt: { generateNew: true } } as MatomoClusterArgs));
        // Secrets Manager's own names allow no '!': only the managing service's prefix has one.
        const bad = { ...existing, passwordSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:matomo!db-AbCdEf" };
        assert.match(
            problems(cluster({ database: { existing: bad }, salt: { generateNew: true } }))["database.existing.passwordSecretArn"],
            /a Secrets Manager ARN/,
        );
    });
});

describe("arguments: wrong types get our error, never a TypeError; null means not set", () => {
    const wrong: [string, Record<string, unknown>, string][] = [
        ["network: a string", { network: "vpc-1" }, "network"],
        ["network: a number", { network: 5 }, "network"],
        ["additionalTrustedHosts: a string", { additionalTrustedHosts: "x" }, "additionalTrustedHosts"],
        ["queuedTracking: true (meant as 'on')", { queuedTracking: true }, "queuedTracking"],
        ["matomo: a version string", { matomo: "5.11.0" }, "matomo"],
        ["tags: a string", { tags: "x" }, "tags"],
        ["certificateArn: a number", { certificateArn: 5 }, "certificateArn"],
        ["amiId: a number", { amiId: 5 }, "amiId"],
        ["amiId: an object", { amiId: { id: "ami-1" } }, "amiId"],
        ["trackers: a list", { trackers: [] }, "trackers"],
        ["extraConfig: a list", { extraConfig: [] }, "extraConfig"],
        ["superUser: a string", { superUser: "ops@example.com" }, "superUser"],
        ["amiGeneration: 0", { amiGeneration: 0 }, "amiGeneration"],
        ["amiGeneration: 1.5", { amiGeneration: 1.5 }, "amiGeneration"],
        ["privacy.anonymizeIp: a string", { privacy: { anonymizeIp: "yes" } }, "privacy.anonymizeIp"],
        ["a list item that is null", { additionalTrustedHosts: [null] }, "additionalTrustedHosts[0]"],
    ];
    for (const [title, extra, path] of wrong) {
        it(title, () => assert.ok(Object.hasOwn(problems(cluster(extra)), path), `${path} named`));
    }

    it("null is 'not set' everywhere a default exists", () => {
        const s = resolveSettings({
            ...BASE,
            network: null,
            trackers: null,
            tags: null,
            amiId: null,
            matomo: { version: null },
            database: { engine: null },
        } as never);
        assert.equal(s.network.kind, "new");
        assert.equal(s.trackers.minSize, 2);
        assert.equal(s.amiId, undefined);
        assert.ok(s.database.kind === "new" && s.database.engine === "mysql");
    });

    it("keys named like Object.prototype members are ordinary names (extraConfig sections, tag keys)", () => {
        const s = resolveSettings({
            ...BASE,
            extraConfig: { constructor: { toString: "x" }, toString: { valueOf: 1 } },
            tags: { constructor: "c", hasOwnProperty: "h" },
        });
        assert.deepEqual(Object.keys(s.extraConfig), ["constructor", "toString"]);
        assert.equal(s.extraConfig.constructor.toString, "x");
        assert.deepEqual({ ...s.tags }, { constructor: "c", hasOwnProperty: "h" });
        // A `__proto__` key (JSON.parse makes one) is named, not silently dropped or turned into a prototype.
        const proto = cluster({ tags: JSON.parse('{"__proto__":"p"}') as Record<string, string> }).problems;
        assert.deepEqual(
            proto.map((p) => [p.path, p.allowed]),
            [[["tags", "__proto__"], "any key but __proto__"]],
        );
        const text = renderConfig(s, { databaseHost: "db.example.com" }).text;
        assert.match(text, /^\[constructor\]\ntoString = "x"$/m);
        // Unknown keys spelled like prototype members are refused like any other.
        assert.ok(Object.hasOwn(problems(cluster(JSON.parse('{"__proto__":{"x":1},"constructor":1}') as Record<string, unknown>)), "constructor"));
    });
});

describe("arguments: the issue's wrong values", () => {
    const existingNetwork = (publicSubnetIds: unknown, privateSubnetIds: unknown) => ({
        network: { existing: { vpcId: "vpc-0a1b2c3d", publicSubnetIds, privateSubnetIds } },
    });
    const cases: [string, Record<string, unknown>, string, RegExp][] = [
        ["duplicate ingressCidrs", { ingressCidrs: ["203.0.113.0/24", "198.51.100.0/24", "203.0.113.0/24"] }, "ingressCidrs[2]", /not a repeat of item \[0\]/],
        ["vpcCidr in 0.0.0.0/8", { network: { vpcCidr: "0.0.0.0/16" } }, "network.vpcCidr", /outside 0\.0\.0\.0\/8/],
        ["vpcCidr in 127.0.0.0/8", { network: { vpcCidr: "127.0.0.0/16" } }, "network.vpcCidr", /127\.0\.0\.0\/8/],
        ["vpcCidr in 169.254.0.0/16", { network: { vpcCidr: "169.254.0.0/16" } }, "network.vpcCidr", /169\.254\.0\.0\/16/],
        ["vpcCidr in 224.0.0.0/4", { network: { vpcCidr: "239.1.0.0/16" } }, "network.vpcCidr", /224\.0\.0\.0\/4/],
        ["vpcCidr in 240.0.0.0/4", { network: { vpcCidr: "250.0.0.0/16" } }, "network.vpcCidr", /240\.0\.0\.0\/4/],
        [
            "the same subnet public and private",
            existingNetwork(["subnet-0000000a", "subnet-0000000b"], ["subnet-0000000c", "subnet-0000000a"]),
            "network.existing.privateSubnetIds[1]",
            /not also in publicSubnetIds/,
        ],
        [
            "the same subnet twice in one tier",
            existingNetwork(["subnet-0000000a", "subnet-0000000a"], ["subnet-0000000c", "subnet-0000000d"]),
            "network.existing.publicSubnetIds[1]",
            /not a repeat/,
        ],
        [
            "a subnet id of the wrong form",
            existingNetwork(["subnet-0000000a", "sn-1"], ["subnet-0000000c", "subnet-0000000d"]),
            "network.existing.publicSubnetIds[1]",
            /subnet- id/,
        ],
        [
            "null where an ARN belongs (a required one)",
            { database: { existing: { host: "db.example.com", username: "matomo", passwordSecretArn: null } } },
            "database.existing.passwordSecretArn",
            /required: a Secrets Manager ARN/,
        ],
        ["an AMI id of the wrong form", { amiId: "debian-12" }, "amiId", /ami- id/],
        ["Matomo older than 5.7.0 (proxy_scheme_headers)", { matomo: { version: "5.6.2" } }, "matomo.version", /5\.7\.0 or later/],
    ];
    for (const [title, extra, path, allowed] of cases) {
        it(title, () => {
            const p = problems(cluster(extra));
            assert.ok(Object.hasOwn(p, path), `${path} in ${JSON.stringify(p)}`);
            assert.match(p[path], allowed);
        });
    }

    it("accepts the edges: 5.7.0, a 10.x /16, public ranges outside the unusable ones", () => {
        assert.equal(resolveSettings({ ...BASE, matomo: { version: "5.7.0" } }).matomo.version, "5.7.0");
        for (const vpcCidr of ["10.0.0.0/16", "172.31.0.0/16", "1.0.0.0/16", "223.255.252.0/22"]) {
            assert.equal(resolveSettings({ ...BASE, network: { vpcCidr } }).network.kind, "new", vpcCidr);
        }
    });
});

describe("arguments: Outputs where another stack's values belong", () => {
    it("takes an Output of a whole subnet list, and Outputs as items, skipping string checks only for Outputs", () => {
        const s = resolveSettings({
            ...BASE,
            network: {
                existing: {
                    vpcId: pulumi.output("vpc-0a1b2c3d"),
                    publicSubnetIds: pulumi.output(["subnet-0000000a", "subnet-0000000b"]),
                    privateSubnetIds: [pulumi.output("subnet-0000000c"), "subnet-0000000d"],
                },
            },
        });
        assert.equal(s.network.kind, "existing");
        // An object that merely looks like a string is not an Output.
        const fake = { toString: () => "vpc-0a1b2c3d" };
        assert.ok(
            Object.hasOwn(
                problems(
                    cluster({
                        network: {
                            existing: {
                                vpcId: fake,
                                publicSubnetIds: ["subnet-0000000a", "subnet-0000000b"],
                                privateSubnetIds: ["subnet-0000000c", "subnet-0000000d"],
                            },
                        },
                    }),
                ),
                "network.existing.vpcId",
            ),
        );
    });
});

describe("arguments: text that reaches the nodes is one printable line", () => {
    const controls: [string, string][] = [
        ["NUL", "\u0000"],
        ["ESC", "\u001b"],
        ["tab", "\t"],
        ["newline", "\n"],
        ["DEL", "\u007f"],
        ["NEL", "\u0085"],
        ["C1 CSI", "\u009b"],
        ["line separator", "\u2028"],
        ["paragraph separator", "\u2029"],
        ["BOM", "\ufeff"],
        ["unpaired surrogate", "\ud800"],
    ];
    for (const [name, ch] of controls) {
        it(`refuses ${name} in a site name, an e-mail, a URL, an ARN and an extraConfig value`, () => {
            const e = cluster({
                firstSite: { name: `Shop${ch}`, url: `https://shop.example.com/${ch}` },
                superUser: { email: `ops${ch}@example.com` },
                certificateArn: `${CERT}${ch}`,
                extraConfig: { General: { login_allowlist_ip: [`10.0.0.0/8${ch}`], some_text: `a${ch}b` } },
            });
            assert.deepEqual(Object.keys(problems(e)).sort(), [
                "certificateArn",
                "extraConfig.General.login_allowlist_ip[0]",
                "extraConfig.General.some_text",
                "firstSite.name",
                "firstSite.url",
                "superUser.email",
            ]);
            assert.match(problems(e)["firstSite.name"], /single line of printable text/);
        });
    }

    it("refuses a {{secret:…}} placeholder anywhere, so a node never fills a real secret into user text", () => {
        const e = cluster({ extraConfig: { General: { x: "{{secret:database_password}}" } }, firstSite: { name: "{{secret:salt}}" } });
        assert.match(problems(e)["extraConfig.General.x"], /'\{\{secret:' is reserved/);
        assert.ok(Object.hasOwn(problems(e), "firstSite.name"));
    });
});

describe("arguments: extraConfig", () => {
    it("locks the plugin sections and the installer and trusted-host switches", () => {
        const e = cluster({
            extraConfig: {
                Plugins: { Plugins: ["Foo"] },
                PluginsInstalled: { PluginsInstalled: ["Foo"] },
                General: { installation_in_progress: 1, enable_trusted_host_check: 0 },
            },
        });
        assert.deepEqual(Object.keys(problems(e)).sort(), [
            "extraConfig.General.enable_trusted_host_check",
            "extraConfig.General.installation_in_progress",
            "extraConfig.Plugins",
            "extraConfig.PluginsInstalled",
        ]);
    });

    it("takes a secret reference as a value, and refuses secret-named keys in plain text", () => {
        const s = resolveSettings({ ...BASE, extraConfig: { CustomAlerts: { smtp_password: { secretArn: SECRET, jsonKey: "password" } } } });
        assert.deepEqual({ ...s.extraConfig.CustomAlerts }, { smtp_password: { secretArn: SECRET, jsonKey: "password" } });
        const e = cluster({
            extraConfig: {
                CustomAlerts: { smtp_password: "hunter2" },
                // redisPassword is the renderer's now (the Redis AUTH token); the plugin's Sentinel password is a secret-named key it leaves open.
                QueuedTracking: { sentinelPassword: "x" },
                General: { license_key: "abc", api_token: "t" },
            },
        });
        for (const path of [
            "extraConfig.CustomAlerts.smtp_password",
            "extraConfig.QueuedTracking.sentinelPassword",
            "extraConfig.General.license_key",
            "extraConfig.General.api_token",
        ]) {
            assert.match(problems(e)[path], /never as plain text/, path);
        }
    });

    it("checks a reference's keys, ARN, jsonKey and KMS key", () => {
        const e = cluster({
            extraConfig: {
                a: {
                    one: { secretArn: SECRET, jsonkey: "x" },
                    two: { secretArn: "not-an-arn" },
                    three: { secretArn: SECRET, jsonKey: "a b" },
                    four: { secretArn: SECRET, kmsKeyArn: "alias/x" },
                },
            },
        });
        assert.deepEqual(Object.keys(problems(e)).sort(), [
            "extraConfig.a.four.kmsKeyArn",
            "extraConfig.a.one.jsonkey",
            "extraConfig.a.three.jsonKey",
            "extraConfig.a.two.secretArn",
        ]);
    });

    it("still locks every key the earlier hand-kept list locked", () => {
        const before: Record<string, string[]> = {
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
        for (const [section, keys] of Object.entries(before)) for (const key of keys) assert.ok(isLockedConfigKey(section, key), `${section}.${key}`);
    });

    it("locks every key the renderer writes (a key it starts writing is locked without a second list)", () => {
        const variants = [
            resolveSettings(BASE),
            resolveSettings({ ...BASE, database: { readReplica: true }, queuedTracking: { enabled: true, pluginSha256: "c".repeat(64) } }),
            resolveSettings({
                ...BASE,
                database: { existing: { host: "db.example.com", username: "matomo", passwordSecretArn: SECRET, tls: false } },
                salt: { generateNew: true },
                maintenanceMode: true,
                enforceCronArchiving: true,
                trackingEnabled: false,
            }),
            resolveSettings({ ...BASE, mail: { host: "smtp.example.com", username: "u", password: { secretArn: SECRET } }, privacy: { anonymizeIp: false } }),
        ];
        for (const s of variants) {
            const text = renderConfig(s, {
                databaseHost: "db.example.com",
                databaseReaderHost: "reader.example.com",
                redis: { host: "redis.example.com", port: 6379 },
            }).text;
            let section = "";
            for (const line of text.split("\n")) {
                const header = /^\[(.+)\]$/.exec(line);
                if (header) section = header[1];
                const entry = /^([A-Za-z0-9_]+)(\[\])? = /.exec(line);
                if (entry) assert.ok(isLockedConfigKey(section, entry[1]), `[${section}] ${entry[1]} is rendered but not locked`);
            }
        }
    });
});

describe("arguments: mail and privacy", () => {
    it("resolves mail with STARTTLS on 587, noreply@<domain> and 'Matomo'", () => {
        const s = resolveSettings({ ...BASE, mail: { host: "smtp.example.com" } });
        assert.deepEqual(s.mail, { host: "smtp.example.com", port: 587, encryption: "tls", fromAddress: "noreply@analytics.example.com", fromName: "Matomo" });
        assert.deepEqual(s.privacy, { anonymizeIp: true });
        assert.equal(s.amiGeneration, 1);
        assert.equal(resolveSettings(BASE).mail, undefined);
    });

    it("needs a password reference with a username, and never a plain password", () => {
        assert.match(problems(cluster({ mail: { host: "smtp.example.com", username: "u" } }))["mail.password"], /required with 'username'/);
        assert.match(problems(cluster({ mail: { host: "smtp.example.com", username: "u", password: "p" } }))["mail.password"], /secret reference/);
        assert.match(problems(cluster({ mail: { host: "smtp.example.com", password: { secretArn: SECRET } } }))["mail.username"], /required with 'password'/);
        assert.ok(Object.hasOwn(problems(cluster({ mail: { host: "smtp.example.com", encryption: "starttls", port: 0 } })), "mail.encryption"));
    });
});
