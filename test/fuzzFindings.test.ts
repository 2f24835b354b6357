/**
 * Issue 18 item 5: what a hidden fuzz of the arguments found. Every bad input is refused at
 * construction with our InvalidArgumentError, naming the argument as the user wrote it; nothing
 * is accepted that fails later or does something else than asked.
 */
import { strict as assert } from "assert";
import fc from "fast-check";
import { InvalidArgumentError, resolveClusterComponentArgs, resolveSettings, type MatomoClusterArgs } from "../lib/settings";
import { renderConfig } from "../lib/config";
import { renderMetricsEnv } from "../lib/provision/observability";
import { joinExtraConfig, withMultiLanguagePaths } from "../lib/multilang/convert";
import { checkSetsChangedPlan, parseConfigSet } from "../lib/plan/configSet";
import { BASE_ARGS, buildCluster } from "./aws/harness";

const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666";
const SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:plugin-AbCdEf";
const BASE: MatomoClusterArgs = { domain: "analytics.example.com", certificateArn: CERT, superUser: { email: "ops@example.com" } };

function refusal(call: () => unknown): InvalidArgumentError {
    try {
        call();
    } catch (e) {
        assert.ok(e instanceof InvalidArgumentError, `expected InvalidArgumentError, got ${e instanceof Error ? e.stack : String(e)}`);
        return e;
    }
    assert.fail("expected the arguments to be refused");
}
const paths = (e: InvalidArgumentError) =>
    e.problems.map((p) =>
        p.path
            .map((s) => (typeof s === "number" ? `[${s}]` : `.${s}`))
            .join("")
            .slice(1)
            .replace(/\.\[/g, "["),
    );

describe("fuzz findings: our error, not a plain Error", () => {
    it("extraConfig.database.schema with a database this library creates", () => {
        const e = refusal(() => resolveSettings({ ...BASE, extraConfig: { database: { schema: "Mariadb" } } }));
        assert.deepEqual(paths(e), ["extraConfig.database.schema"]);
        assert.match(e.allowed, /database\.engine/);
        // With an existing database it stays the user's to state.
        const existing = resolveSettings({
            ...BASE,
            database: { existing: { host: "db.example.com", username: "matomo", passwordSecretArn: SECRET } },
            salt: { generateNew: true },
            extraConfig: { database: { schema: "Mariadb" } },
        });
        assert.match(renderConfig(existing, { databaseHost: "db.example.com" }).text, /schema = "Mariadb"/);
    });

    it("two secret references that would share a placeholder name ([a_b] c and [a] b_c)", () => {
        const e = refusal(() => resolveSettings({ ...BASE, extraConfig: { a_b: { c: { secretArn: SECRET } }, a: { b_c: { secretArn: SECRET } } } }));
        assert.deepEqual(paths(e), ["extraConfig.a.b_c"]);
        assert.match(e.allowed, /extraConfig\.a_b\.c/);
    });

    it("a secret reference whose placeholder name would pass 128 characters, and one just within", () => {
        // ref_<section>_<key>: 4 + 1 characters around them.
        const e = refusal(() => resolveSettings({ ...BASE, extraConfig: { S: { ["k".repeat(123)]: { secretArn: SECRET } } } }));
        assert.deepEqual(paths(e), [`extraConfig.S.${"k".repeat(123)}`]);
        assert.match(e.allowed, /128/);
        resolveSettings({ ...BASE, extraConfig: { S: { ["k".repeat(122)]: { secretArn: SECRET } } } });
    });
});

describe("fuzz findings: whatever the arguments accept, the renderer renders (property)", () => {
    it("extraConfig with secret references under short names of a, b and _ (colliding placeholders), long ones, and database.schema", () => {
        const name = fc.stringMatching(/^[ab][ab_]{0,3}$/);
        const long = fc.integer({ min: 100, max: 130 }).map((n) => "k".repeat(n));
        const entry = fc.tuple(fc.oneof(name, fc.constant("database")), fc.oneof(name, long, fc.constant("schema")), fc.boolean());
        fc.assert(
            fc.property(fc.array(entry, { maxLength: 6 }), (entries) => {
                const extraConfig: Record<string, Record<string, unknown>> = {};
                for (const [section, key, secret] of entries) (extraConfig[section] ??= {})[key] = secret ? { secretArn: SECRET } : "v";
                let settings;
                try {
                    settings = resolveSettings({ ...BASE, extraConfig: extraConfig as never });
                } catch (e) {
                    assert.ok(e instanceof InvalidArgumentError, String(e));
                    return;
                }
                renderConfig(settings, { databaseHost: "db.example.com" });
            }),
            { numRuns: 300 },
        );
    });
});

describe("fuzz findings: refused at construction, by the rule the node uses", () => {
    const bad = ["https://m.example.com/?a=1", "https://m.example.com/%41", "https://user@m.example.com", "https://[::1]/", "https://m.example.com/#x"];
    for (const url of bad) {
        it(`observability.metricsEndpointUrl ${url}`, () => {
            const e = refusal(() => resolveClusterComponentArgs({ ...BASE, observability: { metricsEndpointUrl: url } }));
            assert.deepEqual(paths(e), ["observability.metricsEndpointUrl"]);
        });
    }

    it("every metricsEndpointUrl the arguments accept renders into metrics.env (property)", () => {
        const piece = fc.stringMatching(/^[A-Za-z0-9._:/?#%@[\]=&-]{0,30}$/);
        fc.assert(
            fc.property(piece, (rest) => {
                const url = `https://${rest}`;
                let accepted: string | undefined;
                try {
                    accepted = resolveClusterComponentArgs({ ...BASE, observability: { metricsEndpointUrl: url } }).aws.observability.metricsEndpointUrl;
                } catch (e) {
                    assert.ok(e instanceof InvalidArgumentError, String(e));
                    return;
                }
                renderMetricsEnv({ cluster: "matomo", logGroups: {} as never, metricsEndpointUrl: accepted }, "eu-west-1");
            }),
            { numRuns: 300 },
        );
    });
});

describe("fuzz findings: wrong acceptances", () => {
    it("a plugin named queuedtracking (QueuedTracking in another case)", () => {
        const e = refusal(() => resolveSettings({ ...BASE, plugins: [{ name: "queuedtracking", version: "5.1.0", sha256: "9f".repeat(32) }] }));
        assert.deepEqual(paths(e), ["plugins[0].name"]);
        assert.match(e.allowed, /'QueuedTracking'/);
    });

    for (const key of ["alias/aws/sns", "arn:aws:kms:eu-west-1:123456789012:alias/aws/sns"]) {
        it(`observability.alarmTopicKmsKeyId ${key} (CloudWatch cannot use the AWS-managed SNS key)`, () => {
            const e = refusal(() => resolveClusterComponentArgs({ ...BASE, observability: { alarmTopicKmsKeyId: key } }));
            assert.deepEqual(paths(e), ["observability.alarmTopicKmsKeyId"]);
            assert.match(e.allowed, /customer managed/);
        });
    }

    const userTags = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`t${i}`, "v"]));
    it("48 user tags (the library adds up to 3 on a node resource; AWS allows 50), refused by MatomoCluster at 'tags'", () => {
        for (const n of [48, 49]) {
            const e = refusal(() => resolveClusterComponentArgs({ ...BASE, tags: userTags(n) }));
            assert.equal(e.component, "MatomoCluster");
            assert.deepEqual(paths(e), ["tags"]);
            assert.match(e.allowed, /at most 47/);
        }
    });

    it("47 user tags fit on every resource the cluster plans", async function () {
        const { rt } = await buildCluster({ ...BASE_ARGS, tags: userTags(47) });
        for (const r of rt.resources) {
            const tags = r.inputs.tags;
            const count = Array.isArray(tags) ? tags.length : tags && typeof tags === "object" ? Object.keys(tags).length : 0;
            assert.ok(count <= 50, `${r.type} ${r.name}: ${count} tags`);
        }
    });

    it("multi-language extraConfig maps that are not maps, and plain text in extraConfigSecrets", () => {
        for (const [args, path] of [
            [{ extraConfig: "General" }, "extraConfig"],
            [{ extraConfigLists: 3 }, "extraConfigLists"],
            [{ extraConfigSecrets: ["x"] }, "extraConfigSecrets"],
            [{ extraConfigSecrets: { CustomPlugin: { api_token: "plain-text-token" } } }, "extraConfigSecrets.CustomPlugin.api_token"],
            [{ extraConfigSecrets: { CustomPlugin: { some_value: "plain" } } }, "extraConfigSecrets.CustomPlugin.some_value"],
            [{ extraConfigLists: { General: { cors_domains: "https://a.example" } } }, "extraConfigLists.General.cors_domains"],
        ] as [Record<string, unknown>, string][]) {
            const e = refusal(() => joinExtraConfig(args as never));
            assert.deepEqual(paths(e), [path], JSON.stringify(args));
            assert.ok(!e.message.includes("plain-text-token"), "a secret given as text is never shown");
        }
    });
});

describe("fuzz findings: messages", () => {
    it("a Promise is named as one, not shown as {}", () => {
        const e = refusal(() => resolveSettings({ ...BASE, domain: Promise.resolve("analytics.example.com") as never }));
        assert.match(e.message, /invalid argument 'domain' = <Promise/);
        assert.ok(!e.message.includes("= {}"), e.message);
    });

    it("blames the instanceRefresh field the user wrote, not the default beside it", () => {
        const e = refusal(() => resolveClusterComponentArgs({ ...BASE, instanceRefresh: { minHealthyPercentage: 50 } }));
        assert.deepEqual(paths(e), ["instanceRefresh.minHealthyPercentage"]);
        assert.match(e.allowed, /maxHealthyPercentage/);
        const both = refusal(() => resolveClusterComponentArgs({ ...BASE, instanceRefresh: { minHealthyPercentage: 50, maxHealthyPercentage: 190 } }));
        assert.deepEqual(paths(both), ["instanceRefresh.maxHealthyPercentage"]);
    });

    it("multi-language errors name the map the user wrote the key in", () => {
        const e = refusal(() =>
            withMultiLanguagePaths(
                {
                    ...BASE,
                    extraConfigLists: { General: { login_allowlist_ip: ["10.0.0.0/8\u0007"] } },
                    extraConfig: { General: { some_text: "a\u0007" } },
                } as never,
                (args) => resolveClusterComponentArgs(args),
            ),
        );
        assert.deepEqual(paths(e).sort(), ["extraConfig.General.some_text", "extraConfigLists.General.login_allowlist_ip[0]"]);
        assert.ok(e.message.includes("'extraConfigLists.General.login_allowlist_ip[0]'"), e.message);
    });
});

describe("fuzz findings: plan --set that changes nothing", () => {
    it("refuses a set the program reads and then overrides, naming the key it uses instead", () => {
        const sets = [parseConfigSet("matomo:cluster.domain=other.example.com", "matomo")];
        const reads = { keys: new Set(["matomo:cluster", "matomo:domain", "matomo:superUserEmail"]), secret: new Set<string>() };
        assert.throws(
            () => checkSetsChangedPlan(sets, reads, { added: [], removed: [], changed: [] }, "examples/reference"),
            (e: Error) => /changed nothing/.test(e.message) && /'matomo:domain'/.test(e.message),
        );
        checkSetsChangedPlan(sets, reads, { added: [], removed: [], changed: [{ type: "t", name: "n", changes: [] }] }, "x");
    });
});
