/**
 * `npm run plan -- --set`: the change diff and which node groups roll. The example is planned in
 * this process (lib/plan/example.ts), unchanged and changed, as the script does; one test runs the
 * script itself for its refusal of a key the example never reads.
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { mkdtempSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";
import { applyConfigSets, checkSetsChangedPlan, parseConfigSet } from "../../lib/plan/configSet";
import { diffPlans, type PlanDiff } from "../../lib/plan/diff";
import { renderDiff } from "../../lib/plan/diffReport";
import { planExample, readExampleConfig } from "../../lib/plan/example";
import type { RecordedResource } from "../../lib/plan/mockRuntime";

const EXAMPLE = "examples/reference";
const SHA = "a".repeat(64);

async function diffWith(...sets: string[]): Promise<{ diff: PlanDiff; text: string; before: RecordedResource[]; after: RecordedResource[] }> {
    const { project, config } = readExampleConfig(EXAMPLE);
    const parsed = sets.map((s) => parseConfigSet(s, project));
    const unchanged = await planExample(EXAMPLE, project, config);
    const changed = await planExample(EXAMPLE, project, applyConfigSets(config, parsed));
    const diff = diffPlans(unchanged.plan.recorded, changed.plan.recorded);
    return {
        diff,
        text: renderDiff(diff, { example: EXAMPLE, sets: parsed, secretKeys: changed.reads.secret }),
        before: unchanged.plan.recorded,
        after: changed.plan.recorded,
    };
}

/** The plain values inside every secret of a graph's inputs. */
function secretValues(graph: RecordedResource[]): string[] {
    const out: string[] = [];
    const walk = (v: unknown): void => {
        if (v === null || typeof v !== "object") return;
        const record = v as Record<string, unknown>;
        if (record[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) {
            out.push(typeof record.value === "string" ? record.value : JSON.stringify(record.value));
            return;
        }
        Object.values(record).forEach(walk);
    };
    graph.forEach((r) => walk(r.inputs));
    return out;
}

describe("plan --set: parsing a stack-config change as `pulumi config set [--path]` stores it", () => {
    it("qualifies a bare key with the project, follows .name and [index] paths, and reads JSON values", () => {
        assert.deepEqual(parseConfigSet("domain=a.example.com", "web"), { key: "web:domain", path: [], value: "a.example.com", text: "domain=a.example.com" });
        const set = parseConfigSet("matomo:cluster.plugins[1].version=5.0.1", "web");
        assert.equal(set.key, "matomo:cluster");
        assert.deepEqual(set.path, ["plugins", 1, "version"]);
        assert.equal(set.value, "5.0.1", "not JSON: kept as text");
        assert.equal(parseConfigSet("matomo:cluster.database.multiAz=true", "web").value, true);
        assert.equal(parseConfigSet("matomo:cluster.trackers.minSize=3", "web").value, 3);
        assert.equal(parseConfigSet('matomo:zip="007"', "web").value, "007", "a JSON string keeps its leading zeros");
    });

    it("applies sets over the stack's structured value as JSON text, and a top-level scalar as its text", () => {
        const config = { "matomo:cluster": JSON.stringify({ trackers: { minSize: 2 } }), "matomo:domain": "a.example.com" };
        const out = applyConfigSets(config, [
            parseConfigSet("matomo:cluster.trackers.maxSize=8", "p"),
            parseConfigSet("matomo:cluster.plugins[0].name=Foo", "p"),
            parseConfigSet("matomo:port=8080", "p"),
        ]);
        assert.deepEqual(JSON.parse(out["matomo:cluster"]), { trackers: { minSize: 2, maxSize: 8 }, plugins: [{ name: "Foo" }] });
        assert.equal(out["matomo:port"], "8080");
        assert.equal(out["matomo:domain"], "a.example.com");
        assert.throws(() => applyConfigSets(config, [parseConfigSet("matomo:domain.x=1", "p")]), /matomo:domain holds plain text/);
    });
});

describe("plan --set: what the change does to examples/reference", function () {
    it("a preset change rolls both groups and names the launch-template inputs: instance type and config hash", async () => {
        // README "Sizing presets": reference trackers c7g.large, ui m7g.large; large c7g.xlarge and m7g.2xlarge.
        const { diff, text } = await diffWith("matomo:cluster.preset=large", `matomo:cluster.queuedTracking.pluginSha256=${SHA}`);
        assert.deepEqual(diff.rolls.map((r) => r.role).sort(), ["tracker", "ui"]);
        assert.deepEqual(diff.steady, []);
        const tracker = diff.rolls.find((r) => r.role === "tracker")!;
        const ui = diff.rolls.find((r) => r.role === "ui")!;
        assert.deepEqual(
            tracker.causes.find((c) => c.input === "instanceType"),
            { input: "instanceType", what: "instance type", before: '"c7g.large"', after: '"c7g.xlarge"' },
        );
        assert.equal(ui.causes.find((c) => c.input === "instanceType")?.after, '"m7g.2xlarge"');
        for (const roll of [tracker, ui]) {
            assert.ok(
                roll.causes.some((c) => c.what === "config hash (MATOMO_CONFIG_SHA256)" && c.input === "userData /etc/matomo-provision/provision.env"),
                `${roll.role}: the config hash in user data is named: ${JSON.stringify(roll.causes)}`,
            );
        }
        // large adds the replica and Redis (README: "Multi-AZ, read replica: yes, yes"; QueuedTracking on).
        assert.ok(diff.added.some((r) => r.type === "aws:rds/instance:Instance"));
        assert.ok(diff.added.some((r) => r.type === "aws:elasticache/replicationGroup:ReplicationGroup"));
        assert.match(text, /^- \*\*tracker\*\* \(`matomo-tracker-asg`, launch template `matomo-tracker-lt`\) rolls/m);
        assert.match(text, /^ {2}- instance type \(`instanceType`\): "c7g\.large" → "c7g\.xlarge"$/m);
    });

    it("a database setting that reaches no node (backup retention) changes the instance and rolls no group", async () => {
        // database.backupRetentionDays: default 14 (README "Defaults you don't see"), RDS input backupRetentionPeriod.
        const { diff, text } = await diffWith("matomo:cluster.database.backupRetentionDays=30");
        assert.deepEqual(diff.rolls, []);
        assert.deepEqual(diff.steady.sort(), ["matomo-tracker-asg", "matomo-ui-asg"]);
        assert.deepEqual(diff.changed, [
            {
                type: "aws:rds/instance:Instance",
                name: "matomo-database-db",
                changes: [{ path: "backupRetentionPeriod", before: 14, after: 30, secret: false }],
            },
        ]);
        assert.deepEqual([diff.added, diff.removed], [[], []]);
        assert.match(text, /None: no launch template input changed/);
    });

    it("a password rotation reports the changed secrets by path only: no secret value reaches the diff", async () => {
        const { diff, text, before, after } = await diffWith("matomo:cluster.database.passwordVersion=2");
        const db = diff.changed.find((r) => r.name === "matomo-database-db")!;
        assert.deepEqual(db.changes, [{ path: "password", secret: true }]);
        assert.match(text, /`password`: \[secret\] changed/);
        assert.match(text, /`secretString`: \[secret\] changed/);
        const secrets = [...secretValues(before), ...secretValues(after)].filter((s) => s.length >= 8);
        assert.ok(secrets.length >= 4, `the graphs hold secrets to look for (${secrets.length})`);
        for (const secret of secrets) assert.ok(!text.includes(secret) && !JSON.stringify(diff).includes(secret), "a secret value leaked into the diff");
    });

    it("refuses a --set the example reads and then overrides (cluster.domain), naming the key it uses (issue 18.5)", async () => {
        const { project, config } = readExampleConfig(EXAMPLE);
        const sets = [parseConfigSet("matomo:cluster.domain=other.example.com", project)];
        const unchanged = await planExample(EXAMPLE, project, config);
        const changed = await planExample(EXAMPLE, project, applyConfigSets(config, sets));
        const diff = diffPlans(unchanged.plan.recorded, changed.plan.recorded);
        assert.deepEqual([diff.added.length, diff.removed.length, diff.changed.length], [0, 0, 0], "the example sets domain from matomo:domain");
        assert.throws(() => checkSetsChangedPlan(sets, changed.reads, diff, EXAMPLE), /changed nothing.*set 'matomo:domain' instead/);
    });

    it("refuses a --set key the example never reads, naming it and the keys it reads", () => {
        const out = mkdtempSync(join(tmpdir(), "matomo-plan-set-"));
        let failure: { status: number | null; stderr: string } | undefined;
        try {
            execFileSync("npm", ["run", "--silent", "plan", "--", "--out", out, "--set", "matomo:clustr.preset=large"], { encoding: "utf8", stdio: "pipe" });
        } catch (error) {
            failure = error as { status: number | null; stderr: string };
        }
        assert.ok(failure, "the plan refused the key");
        assert.notEqual(failure.status, 0);
        assert.match(failure.stderr, /never reads 'matomo:clustr'/);
        // examples/reference/index.ts reads the matomo: keys with new pulumi.Config("matomo"); the library
        // reads aws:region to check that the ARNs it is given are in the stack's region (lib/aws/region.ts).
        assert.match(
            failure.stderr,
            /It reads: aws:region, matomo:certificateArn, matomo:cluster, matomo:domain, matomo:hostedZoneId, matomo:superUserEmail\./,
        );
    });
});

describe("plan diff: secret inputs never reach the diff or its text (property)", () => {
    const secret = (value: string) => ({ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value });
    const resource = (inputs: Record<string, unknown>): RecordedResource => ({
        type: "aws:rds/instance:Instance",
        name: "db",
        inputs,
        custom: true,
        state: {},
        id: "db-1",
    });
    const value = fc.stringMatching(/^[A-Za-z0-9!#%*()_=+<>:?-]{12,40}$/);
    // Where a secret may sit: at the top, in an object, in a list, inside a subtree that appears.
    const place = fc.constantFrom(
        (s: unknown) => ({ password: s }),
        (s: unknown) => ({ settings: { nested: { key: s } } }),
        (s: unknown) => ({ list: ["plain", s] }),
    );

    it("reports a changed, added or removed secret by path, and its text holds neither value", () => {
        fc.assert(
            fc.property(value, value, place, fc.constantFrom("changed", "added", "removed"), (a, b, at, how) => {
                fc.pre(a !== b);
                const before = resource(how === "added" ? { plain: 1 } : { plain: 1, ...at(secret(a)) });
                const after = resource(how === "removed" ? { plain: 2 } : { plain: 2, ...at(secret(b)) });
                const diff = diffPlans([before], [after]);
                const text = renderDiff(diff, { example: "x", sets: [], secretKeys: new Set() });
                const changes = diff.changed[0].changes;
                assert.ok(
                    changes.some((c) => c.secret && !("before" in c) && !("after" in c)),
                    JSON.stringify(changes),
                );
                assert.ok(
                    changes.some((c) => c.path === "plain" && c.before === 1 && c.after === 2),
                    "plain values are still shown",
                );
                for (const s of [a, b]) assert.ok(!text.includes(s) && !JSON.stringify(diff).includes(s));
            }),
            { numRuns: 200 },
        );
    });

    it("masks a --set value of a key the program reads as a secret", () => {
        fc.assert(
            fc.property(value, (v) => {
                const set = parseConfigSet(`app:token=${v}`, "app");
                const text = renderDiff(diffPlans([], []), { example: "x", sets: [set], secretKeys: new Set(["app:token"]) });
                assert.ok(!text.includes(v));
                assert.match(text, /`app:token=\[secret\]`/);
            }),
        );
    });
});

describe("plan --set: inputs a resource's ignoreChanges names", function () {
    it("does not list desiredCapacity as a change of a group that ignores it (its scaling policy owns it), and says it is ignored", async () => {
        const { diff, text, after } = await diffWith("matomo:cluster.trackers.minSize=3");
        const groups = after.filter((r) => r.type === "aws:autoscaling/group:Group" && r.ignoreChanges?.includes("desiredCapacity"));
        assert.ok(groups.length > 0, "the groups with a scaling policy ignore desiredCapacity");
        const tracker = diff.changed.find((c) => c.type === "aws:autoscaling/group:Group" && c.changes.some((ch) => ch.path === "minSize"));
        assert.ok(tracker, "the tracker group's minSize changes");
        assert.deepEqual(
            tracker.changes.map((c) => c.path),
            ["minSize"],
        );
        assert.ok(!/desiredCapacity[^\n]*→/.test(text.replace(/^.*ignoreChanges.*$/gm, "")), `diff.md lists desiredCapacity as a change:\n${text}`);
        assert.match(text, /desiredCapacity[^\n]*ignoreChanges|ignoreChanges[^\n]*desiredCapacity/);
    });
});
