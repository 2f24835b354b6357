/**
 * Sizing presets, restore from a snapshot and password rotation, as settings (issue 11). Expected
 * sizes are written by hand from the README's sizing table and from what the library created
 * before presets existed (README "Defaults you don't see", docs/aws.md at e469e28); gp3 ranges
 * from the RDS User Guide's gp3 table (quoted in lib/model/awsLimits.ts).
 */
import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import fc from "fast-check";
import {
    InvalidArgumentError,
    PRESET_SIZES,
    resolveClusterComponentArgs,
    resolveDatabaseComponentArgs,
    resolveSettings,
    type MatomoClusterArgs,
    type Preset,
} from "../lib/settings";
import { rdsGp3Problems } from "../lib/model/awsLimits";
import { execFileSync } from "child_process";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { fpmPoolSize } from "../lib/provision";
import { renderProvisionEnv } from "../lib/provision/env";
import { inputFor, settingsWith } from "./provision/fixtures";

const BASE: MatomoClusterArgs = { domain: "analytics.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ", superUser: { email: "ops@example.com" } };
const SHA = "c".repeat(64);

function problems(args: unknown): string[] {
    try {
        resolveClusterComponentArgs(args);
    } catch (e) {
        assert.ok(e instanceof InvalidArgumentError, String(e));
        return e.problems.map((p) => `${p.path.join(".")}: ${p.allowed}`);
    }
    return [];
}

/** The sizes a preset sets, as the resolved settings carry them. */
function sizes(args: MatomoClusterArgs) {
    const s = resolveSettings(args);
    const d = s.database;
    assert.equal(d.kind, "new");
    if (d.kind !== "new") throw new Error("unreachable");
    return {
        trackers: [s.trackers.instanceType, s.trackers.minSize, s.trackers.maxSize],
        ui: [s.ui.instanceType, s.ui.count],
        database: [d.instanceClass, d.allocatedStorageGiB, d.maxAllocatedStorageGiB, d.iops, d.storageThroughput, d.multiAz, d.readReplica],
        queue: [s.queuedTracking.enabled, s.queuedTracking.nodeType, s.queuedTracking.enabled ? s.queuedTracking.numQueueWorkers : undefined],
    };
}

describe("presets: sizes for ≤10M, ~100M and ~1B hits a month", () => {
    it("without a preset a stack gets exactly the sizes it had before presets (reference)", () => {
        // Written from README "Defaults you don't see" before this change: c7g.large 2..6, m7g.large ×1,
        // db.m7g.xlarge 100 GiB gp3 autoscaling to 1000 GiB, single-AZ, no replica, QueuedTracking off on cache.t4g.small.
        assert.deepEqual(sizes(BASE), {
            trackers: ["c7g.large", 2, 6],
            ui: ["m7g.large", 1],
            database: ["db.m7g.xlarge", 100, 1000, undefined, undefined, false, false],
            queue: [false, "cache.t4g.small", undefined],
        });
        assert.equal(resolveSettings(BASE).preset, "reference");
        assert.deepEqual(resolveSettings({ ...BASE, preset: "reference" }), resolveSettings(BASE), "naming the default changes nothing");
        // x86_64 as before: the c7i/m7i twins.
        const x86 = resolveSettings({ ...BASE, architecture: "x86_64" });
        assert.deepEqual([x86.trackers.instanceType, x86.ui.instanceType], ["c7i.large", "m7i.large"]);
    });

    it("small: 1-vCPU trackers (c7a on x86_64, where c7i has no medium), a 2-vCPU database on 50 GiB", () => {
        assert.deepEqual(sizes({ ...BASE, preset: "small" }), {
            trackers: ["c7g.medium", 2, 3],
            ui: ["m7g.large", 1],
            database: ["db.m7g.large", 50, 1000, undefined, undefined, false, false],
            queue: [false, "cache.t4g.small", undefined],
        });
        const x86 = resolveSettings({ ...BASE, preset: "small", architecture: "x86_64" });
        assert.deepEqual([x86.trackers.instanceType, x86.ui.instanceType], ["c7a.medium", "m7i.large"]);
    });

    it("large: QueuedTracking on with 6 queues (⌈1543 req/s peak / 300⌉) on r7g Redis, 4..16 xlarge trackers, 2 ui, Multi-AZ r7g master with a replica on 2000 GiB gp3 at 20000 IOPS / 1000 MiB/s", () => {
        assert.deepEqual(sizes({ ...BASE, preset: "large", queuedTracking: { pluginSha256: SHA } }), {
            trackers: ["c7g.xlarge", 4, 16],
            ui: ["m7g.2xlarge", 2],
            database: ["db.r7g.2xlarge", 2000, 2520, 20000, 1000, true, true],
            queue: [true, "cache.r7g.large", 6],
        });
        const x86 = resolveSettings({ ...BASE, preset: "large", architecture: "x86_64", queuedTracking: { pluginSha256: SHA } });
        assert.deepEqual([x86.trackers.instanceType, x86.ui.instanceType], ["c7i.xlarge", "m7i.2xlarge"]);
    });

    it("large turns QueuedTracking on, so it needs the plugin's sha256 (or enabled: false), and says why", () => {
        const found = problems({ ...BASE, preset: "large" });
        assert.equal(found.length, 1);
        assert.match(
            found[0],
            /^queuedTracking.pluginSha256: required when QueuedTracking is enabled \(preset 'large' enables it; queuedTracking.enabled: false turns it off\)/,
        );
        assert.equal(resolveSettings({ ...BASE, preset: "large", queuedTracking: { enabled: false } }).queuedTracking.enabled, false);
    });

    it("every EC2 type a preset names is one the AWS provider lists, for both architectures (c7i has no medium, hence c7a)", () => {
        const known = new Set<string>(Object.values(aws.ec2.InstanceType));
        assert.ok(!known.has("c7i.medium"), "the reason small's x86_64 tracker is c7a.medium");
        for (const [name, p] of Object.entries(PRESET_SIZES)) {
            for (const type of [...Object.values(p.trackers.instanceType), ...Object.values(p.ui.instanceType)]) assert.ok(known.has(type), `${name}: ${type}`);
        }
    });

    it("small's 1-vCPU, 2 GiB tracker is big enough for the rendered php-fpm pool (4 workers)", () => {
        // MemTotal of a 2 GiB node, scaled from the 3790 MB the bench records for a 4 GiB c7g.large.
        const memTotalMb = Math.floor((3790 * 2) / 4);
        assert.deepEqual(fpmPoolSize("tracker", 1, memTotalMb), { maxChildren: 4, minSpare: 1, maxSpare: 2 });
    });

    it("refuses an unknown preset, naming the three", () => {
        assert.deepEqual(problems({ ...BASE, preset: "huge" }), [
            "preset: one of 'small', 'reference', 'large' (≤10M, ~100M, ~1B hits a month; see the README's sizing table)",
        ]);
    });

    it("explicit arguments beat the preset, field by field, and are validated as ever", () => {
        const s = resolveSettings({
            ...BASE,
            preset: "large",
            trackers: { instanceType: "c7g.2xlarge", minSize: 6 },
            ui: { count: 1 },
            database: { instanceClass: "db.r7g.4xlarge", allocatedStorageGiB: 800, iops: 12000, multiAz: false },
            queuedTracking: { pluginSha256: SHA, numQueueWorkers: 4, nodeType: "cache.m7g.large" },
        });
        assert.deepEqual([s.trackers.instanceType, s.trackers.minSize, s.trackers.maxSize], ["c7g.2xlarge", 6, 16], "maxSize still the preset's");
        assert.equal(s.ui.count, 1);
        assert.equal(s.ui.instanceType, "m7g.2xlarge");
        const d = s.database;
        assert.ok(d.kind === "new");
        assert.deepEqual(
            [d.instanceClass, d.allocatedStorageGiB, d.iops, d.storageThroughput, d.multiAz, d.readReplica],
            ["db.r7g.4xlarge", 800, 12000, 1000, false, true],
        );
        assert.ok(s.queuedTracking.enabled);
        assert.deepEqual([s.queuedTracking.nodeType, s.queuedTracking.numQueueWorkers], ["cache.m7g.large", 4]);
        // A smaller allocation given explicitly drops the preset's provisioned IOPS (RDS refuses them below 400 GiB) …
        const smaller = resolveSettings({ ...BASE, preset: "large", queuedTracking: { pluginSha256: SHA }, database: { allocatedStorageGiB: 300 } }).database;
        assert.ok(smaller.kind === "new");
        assert.deepEqual([smaller.allocatedStorageGiB, smaller.iops, smaller.storageThroughput], [300, undefined, undefined]);
        // … but explicit IOPS on it are refused, naming both.
        assert.deepEqual(problems({ ...BASE, preset: "large", queuedTracking: { pluginSha256: SHA }, database: { allocatedStorageGiB: 300, iops: 12000 } }), [
            "database.iops: not set below 400 GiB of gp3 storage (RDS gives 3000 IOPS and 125 MiB/s and refuses more); database.allocatedStorageGiB is 300",
        ]);
    });

    it("minSize above the preset's maxSize raises maxSize with it, as before", () => {
        const s = resolveSettings({ ...BASE, preset: "small", trackers: { minSize: 5 } });
        assert.deepEqual([s.trackers.minSize, s.trackers.maxSize], [5, 5]);
    });

    it("property: for any preset, any explicitly given size is the one resolved", () => {
        fc.assert(
            fc.property(
                fc.constantFrom<Preset>("small", "reference", "large"),
                fc.record({
                    minSize: fc.integer({ min: 1, max: 50 }),
                    count: fc.constantFrom<1 | 2>(1, 2),
                    multiAz: fc.boolean(),
                    readReplica: fc.boolean(),
                    workers: fc.integer({ min: 1, max: 16 }),
                    storage: fc.integer({ min: 20, max: 5000 }),
                }),
                (preset, v) => {
                    const s = resolveSettings({
                        ...BASE,
                        preset,
                        trackers: { minSize: v.minSize },
                        ui: { count: v.count },
                        database: { multiAz: v.multiAz, readReplica: v.readReplica, allocatedStorageGiB: v.storage },
                        queuedTracking: { enabled: true, pluginSha256: SHA, numQueueWorkers: v.workers },
                    });
                    const d = s.database;
                    assert.ok(d.kind === "new" && s.queuedTracking.enabled);
                    assert.equal(s.trackers.minSize, v.minSize);
                    assert.ok(s.trackers.maxSize >= v.minSize);
                    assert.equal(s.ui.count, v.count);
                    assert.deepEqual([d.multiAz, d.readReplica, d.allocatedStorageGiB], [v.multiAz, v.readReplica, v.storage]);
                    assert.equal(d.iops, preset === "large" && v.storage >= 400 ? 20000 : undefined, "the preset's IOPS only where RDS takes them");
                    assert.equal(s.queuedTracking.numQueueWorkers, v.workers);
                },
            ),
            { numRuns: 200 },
        );
    });
});

describe("gp3 IOPS and throughput (RDS for MySQL/MariaDB)", () => {
    it("property: accepted exactly when the storage is at least 400 GiB and each given value is in RDS's range", () => {
        fc.assert(
            fc.property(
                fc.integer({ min: 20, max: 59578 }),
                fc.option(fc.integer({ min: 0, max: 80000 }), { nil: undefined }),
                fc.option(fc.integer({ min: 0, max: 5000 }), { nil: undefined }),
                (storage, iops, throughput) => {
                    const expectOk =
                        (iops === undefined && throughput === undefined) ||
                        (storage >= 400 &&
                            (iops === undefined || (iops >= 12000 && iops <= 64000)) &&
                            (throughput === undefined || (throughput >= 500 && throughput <= 4000)));
                    assert.equal(rdsGp3Problems(storage, iops, throughput).length === 0, expectOk, JSON.stringify({ storage, iops, throughput }));
                    let accepted = true;
                    try {
                        resolveDatabaseComponentArgs({
                            vpcId: "vpc-0a1b2c3d",
                            subnetIds: ["subnet-0000000a", "subnet-0000000b"],
                            allocatedStorageGiB: storage,
                            iops,
                            storageThroughput: throughput,
                        });
                    } catch (e) {
                        assert.ok(e instanceof InvalidArgumentError);
                        accepted = false;
                    }
                    assert.equal(accepted, expectOk, JSON.stringify({ storage, iops, throughput }));
                },
            ),
            { numRuns: 300 },
        );
    });
});

describe("database.restoreFromSnapshot and database.passwordVersion", () => {
    it("accepts a snapshot identifier, an automated rds: snapshot and a snapshot ARN (shared snapshots need the ARN)", () => {
        for (const id of [
            "matomo-before-upgrade",
            "rds:matomo-db-2026-11-24-03-10",
            "arn:aws:rds:eu-west-1:123456789012:snapshot:matomo-before-upgrade",
            "arn:aws:rds:eu-west-1:123456789012:snapshot:rds:matomo-db-2026-11-24-03-10",
        ]) {
            const d = resolveSettings({
                ...BASE,
                salt: { existingSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:old-salt-AbCdEf" },
                database: { restoreFromSnapshot: id },
            }).database;
            assert.ok(d.kind === "new" && d.restoreFromSnapshot === id, id);
        }
    });

    it("refuses what RDS refuses as a snapshot identifier, and restoring beside an existing database", () => {
        for (const id of ["1matomo", "matomo--x", "matomo-", "matomo_x", "", "arn:aws:rds:eu-west-1:123456789012:db:matomo", "a".repeat(256)]) {
            const found = problems({ ...BASE, database: { restoreFromSnapshot: id } });
            assert.equal(found.length, 1, id);
            assert.match(found[0], /^database.restoreFromSnapshot: a DB snapshot identifier/, id);
        }
        assert.match(
            problems({
                ...BASE,
                database: {
                    restoreFromSnapshot: "snap",
                    existing: { host: "db.example.com", username: "m", passwordSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf" },
                },
            })[0],
            /^database.restoreFromSnapshot: not with 'existing'/,
        );
        // A restored Matomo's API tokens are hashed with its salt (UsersManager/Model.php hashTokenAuth): a new salt breaks them.
        assert.deepEqual(
            problems({ ...BASE, database: { restoreFromSnapshot: "snap" } }).map((p) => p.split(":")[0]),
            ["salt.existingSecretArn"],
        );
        assert.equal(resolveSettings({ ...BASE, salt: { generateNew: true }, database: { restoreFromSnapshot: "snap" } }).salt.kind, "generated");
    });

    it("property: generated RDS-valid identifiers are accepted; a double or trailing hyphen is not", () => {
        const id = fc
            .tuple(fc.constantFrom(..."abcXYZ"), fc.array(fc.constantFrom(..."ab9Z-"), { maxLength: 60 }))
            .map(([first, rest]) => first + rest.join(""))
            .filter((v) => !v.includes("--") && !v.endsWith("-"));
        fc.assert(
            fc.property(id, fc.boolean(), (v, automated) => {
                const value = automated ? `rds:${v}` : v;
                assert.deepEqual(
                    problems({
                        ...BASE,
                        salt: { existingSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:old-salt-AbCdEf" },
                        database: { restoreFromSnapshot: value },
                    }),
                    [],
                );
                assert.equal(
                    problems({
                        ...BASE,
                        salt: { existingSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:old-salt-AbCdEf" },
                        database: { restoreFromSnapshot: `${value}--x` },
                    }).length,
                    1,
                );
                assert.equal(
                    problems({
                        ...BASE,
                        salt: { existingSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:old-salt-AbCdEf" },
                        database: { restoreFromSnapshot: `${value}-` },
                    }).length,
                    1,
                );
            }),
            { numRuns: 200 },
        );
    });

    it("passwordVersion: 1 by default, a whole number from 1", () => {
        const d = resolveSettings(BASE).database;
        assert.ok(d.kind === "new" && d.passwordVersion === 1);
        for (const bad of [0, -1, 1.5, "2"]) assert.equal(problems({ ...BASE, database: { passwordVersion: bad } }).length, 1, String(bad));
    });
});

describe("the password secret's version in provision.env", () => {
    it("is one single-quoted line a shell reads back exactly, in both roles; absent when not given", () => {
        const settings = settingsWith();
        const version = "a3bf24c8-e0d4-3594-f0f8-37fc846ea565";
        for (const role of ["tracker", "ui"] as const) {
            const env = renderProvisionEnv(inputFor(role, settings, undefined, { databasePasswordVersion: version }), 80);
            assert.ok(env.split("\n").includes(`MATOMO_DATABASE_PASSWORD_VERSION='${version}'`), role);
            const dir = mkdtempSync(join(tmpdir(), "presets-env-"));
            writeFileSync(join(dir, "provision.env"), env);
            assert.equal(
                execFileSync("bash", ["-c", '. "$1"; printf %s "$MATOMO_DATABASE_PASSWORD_VERSION"', "_", join(dir, "provision.env")], { encoding: "utf8" }),
                version,
            );
            assert.ok(!renderProvisionEnv(inputFor(role, settings), 80).includes("MATOMO_DATABASE_PASSWORD_VERSION"), `${role}: no line without a version`);
        }
    });
});
