/**
 * The planned graph of each sizing preset, a restore from a snapshot and a password rotation, under
 * the mock runtime (issue 11). Sizes written by hand from the README's sizing table; what a restore
 * may not pass beside `snapshotIdentifier` from RDS's RestoreDBInstanceFromDBSnapshot and the
 * provider's docs (see lib/aws/database.ts).
 */
import { strict as assert } from "assert";
import { gunzipSync } from "zlib";
import { buildCluster, BASE_ARGS, of } from "./harness";
import { redactSecrets, valueOf, type MockRuntime, type RecordedResource } from "../../lib/plan/mockRuntime";
import { checkAwsLimits, formatViolation } from "../../lib/model/awsLimits";
import type { MatomoClusterComponentArgs } from "../../lib/aws/cluster";
import { renderCron } from "../../lib/provision/cron";
import { resolveClusterComponentArgs } from "../../lib/settings/cluster";

const SHA = "c".repeat(64);
const RDS = "aws:rds/instance:Instance";
const ASG = "aws:autoscaling/group:Group";
const LT = "aws:ec2/launchTemplate:LaunchTemplate";

const snapshot = (rt: MockRuntime) =>
    JSON.stringify(rt.resources.map((r) => ({ type: r.type, name: r.name, parent: r.parent, inputs: redactSecrets(r.inputs) })));
const group = (rt: MockRuntime, role: string) => of(rt, ASG).find((g) => g.parent === `matomo-${role}`)!;
const template = (rt: MockRuntime, role: string) => of(rt, LT).find((l) => l.parent === `matomo-${role}`)!;
const master = (rt: MockRuntime) => of(rt, RDS).find((r) => r.name === "matomo-database-db")!;
const replica = (rt: MockRuntime) => of(rt, RDS).find((r) => r.name === "matomo-database-replica");
const databasePassword = (rt: MockRuntime) => of(rt, "random:index/randomPassword:RandomPassword").find((p) => p.name === "matomo-database-password")!;
function userData(lt: RecordedResource): string {
    const bytes = Buffer.from(String(lt.inputs.userData), "base64");
    return (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString("utf8");
}
function envValue(text: string, key: string): string | undefined {
    return new RegExp(`${key}='([^']*)'`).exec(text)?.[1];
}
function noViolations(rt: MockRuntime): void {
    const violations = checkAwsLimits(rt.resources.map((r) => ({ type: r.type, name: r.name, inputs: r.inputs })));
    assert.deepEqual(violations.map(formatViolation), []);
}

/** What the graph sizes, per place it is sized. */
function sized(rt: MockRuntime) {
    const db = master(rt).inputs;
    const cache = of(rt, "aws:elasticache/replicationGroup:ReplicationGroup");
    return {
        trackers: [template(rt, "tracker").inputs.instanceType, group(rt, "tracker").inputs.minSize, group(rt, "tracker").inputs.maxSize],
        ui: [template(rt, "ui").inputs.instanceType, group(rt, "ui").inputs.desiredCapacity],
        database: [
            db.instanceClass,
            db.storageType,
            db.allocatedStorage,
            db.maxAllocatedStorage,
            db.iops,
            db.storageThroughput,
            db.multiAz,
            replica(rt)?.inputs.instanceClass,
        ],
        redis: cache.map((c) => c.inputs.nodeType),
    };
}

describe("presets in the plan", function () {
    it("no preset plans the same graph as preset 'reference', with the sizes stacks had before presets", async () => {
        const plain = (await buildCluster()).rt;
        const named = (await buildCluster({ ...BASE_ARGS, preset: "reference" })).rt;
        assert.equal(snapshot(named), snapshot(plain));
        assert.deepEqual(sized(plain), {
            trackers: ["c7g.large", 2, 6],
            ui: ["m7g.large", 1],
            database: ["db.m7g.xlarge", "gp3", 100, 1000, undefined, undefined, false, undefined],
            redis: [],
        });
        // Nothing a restore or a rotation adds is there by default: the instance and the password stay as they were.
        const db = master(plain).inputs;
        for (const key of ["snapshotIdentifier", "iops", "storageThroughput"]) assert.ok(!(key in db), key);
        assert.deepEqual([db.dbName, db.username], ["matomo", "matomo"]);
        assert.equal(databasePassword(plain).inputs.keepers, undefined, "no keepers: a stack made before keeps its password");
        noViolations(plain);
    });

    it("small: two 1-vCPU trackers (up to 3), one ui, db.m7g.large on 50 GiB", async () => {
        const { rt } = await buildCluster({ ...BASE_ARGS, preset: "small" });
        assert.deepEqual(sized(rt), {
            trackers: ["c7g.medium", 2, 3],
            ui: ["m7g.large", 1],
            database: ["db.m7g.large", "gp3", 50, 1000, undefined, undefined, false, undefined],
            redis: [],
        });
        noViolations(rt);
    });

    it("large: 4..16 c7g.xlarge trackers, two m7g.2xlarge ui, Multi-AZ db.r7g.2xlarge with a replica on 2000 GiB at 20000 IOPS / 1000 MiB/s, Redis cache.r7g.large, 6 queue workers", async () => {
        const { rt, value } = await buildCluster({ ...BASE_ARGS, preset: "large", queuedTracking: { pluginSha256: SHA } });
        assert.deepEqual(sized(rt), {
            trackers: ["c7g.xlarge", 4, 16],
            ui: ["m7g.2xlarge", 2],
            database: ["db.r7g.2xlarge", "gp3", 2000, 2520, 20000, 1000, true, "db.r7g.2xlarge"],
            redis: ["cache.r7g.large"],
        });
        // 6 queues (⌈1543 / 300⌉): the plugin's setting in the config every node writes, and one worker per queue in the ui node's cron.
        assert.match(await valueOf(value.configIniPhp), /^numQueueWorkers = 6$/m);
        // The ui's cron is in its provisioning bundle now (not user data): read it from the renderer the bundle uses.
        const cron = renderCron("ui", resolveClusterComponentArgs({ ...BASE_ARGS, preset: "large", queuedTracking: { pluginSha256: SHA } }).settings);
        for (let q = 0; q < 6; q++) assert.ok(cron.includes(`matomo-queuedtracking-${q}`), `queue ${q}`);
        assert.ok(!cron.includes("matomo-queuedtracking-6"));
        noViolations(rt);
    });

    it("an explicit size beats the preset in the plan", async () => {
        const { rt } = await buildCluster({
            ...BASE_ARGS,
            preset: "large",
            queuedTracking: { enabled: false },
            trackers: { instanceType: "c7g.large", maxSize: 8 },
            database: { allocatedStorageGiB: 500, iops: 12000, storageThroughput: 500, readReplica: false },
        });
        assert.deepEqual(sized(rt), {
            trackers: ["c7g.large", 4, 8],
            ui: ["m7g.2xlarge", 2],
            database: ["db.r7g.2xlarge", "gp3", 500, 1000, 12000, 500, true, undefined],
            redis: [],
        });
        noViolations(rt);
    });
});

describe("restore from a snapshot in the plan", function () {
    it("creates the instance from the snapshot, without the arguments a restore cannot take, and with our password", async () => {
        const args: MatomoClusterComponentArgs = {
            ...BASE_ARGS,
            salt: { existingSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:old-salt-AbCdEf" },
            database: { restoreFromSnapshot: "arn:aws:rds:eu-west-1:123456789012:snapshot:matomo-before-upgrade", readReplica: true },
        };
        const { rt, value } = await buildCluster(args);
        const db = master(rt).inputs;
        assert.equal(db.snapshotIdentifier, "arn:aws:rds:eu-west-1:123456789012:snapshot:matomo-before-upgrade");
        // The snapshot brings the schema, the master user and the key; RDS restores refuse or ignore them.
        for (const key of ["dbName", "username", "kmsKeyId"]) assert.ok(!(key in db), key);
        assert.ok(db.password !== undefined, "the library's password, set right after the restore");
        assert.deepEqual(
            [db.engine, db.instanceClass, db.storageType, db.storageEncrypted, db.deletionProtection, db.skipFinalSnapshot],
            ["mysql", "db.m7g.xlarge", "gp3", true, true, false],
        );
        assert.equal(replica(rt)?.inputs.replicateSourceDb !== undefined, true, "a replica of the restored master");
        // The snapshot's master user is the admin the ui creates the two users with; nodes connect as their own user.
        const config = await valueOf(value.configIniPhp);
        assert.match(config, /^username = "\{\{secret:database_username\}\}"$/m);
        assert.match(config, /^dbname = "matomo"$/m);
        noViolations(rt);
    });
});

describe("database password rotation in the plan", function () {
    it("passwordVersion 2 makes new passwords (master and both users), sets the master's on the instance, stores new secret versions, and both groups roll; the config hash does not change", async () => {
        const before = await buildCluster();
        const after = await buildCluster({ ...BASE_ARGS, database: { passwordVersion: 2 } });
        assert.equal(databasePassword(before.rt).inputs.keepers, undefined);
        assert.deepEqual(databasePassword(after.rt).inputs.keepers, { passwordVersion: "2" });
        assert.notEqual(master(after.rt).inputs.password, master(before.rt).inputs.password, "the instance gets the new password");
        const secretVersion = (rt: MockRuntime) => of(rt, "aws:secretsmanager/secretVersion:SecretVersion").find((v) => v.name === "matomo-database-password")!;
        assert.notEqual(secretVersion(after.rt).inputs.secretString, secretVersion(before.rt).inputs.secretString);
        for (const user of ["matomo-secrets-db-app-password", "matomo-secrets-db-tracker-password"]) {
            const pw = (rt: MockRuntime) => of(rt, "random:index/randomPassword:RandomPassword").find((p) => p.name === user)!;
            assert.deepEqual(pw(after.rt).inputs.keepers, { passwordVersion: "2" }, user);
            assert.notEqual(pw(after.rt).state.result, pw(before.rt).state.result, user);
        }
        // A tracker carries its own user's secret version; the ui all three it reads (master, app user, tracker user).
        const versions: Record<string, RegExp> = { tracker: /^[0-9a-f]{32}$/, ui: /^[0-9a-f]{32}(,[0-9a-f]{32}){2}$/ };
        for (const role of ["tracker", "ui"]) {
            const old = userData(template(before.rt, role));
            const now = userData(template(after.rt, role));
            const oldVersion = envValue(old, "MATOMO_DATABASE_PASSWORD_VERSION");
            const newVersion = envValue(now, "MATOMO_DATABASE_PASSWORD_VERSION");
            assert.match(oldVersion ?? "", versions[role], `${role}: the version is in user data`);
            assert.match(newVersion ?? "", versions[role]);
            assert.notEqual(newVersion, oldVersion, `${role}: a new version, so new user data and an instance refresh`);
            assert.notEqual(template(after.rt, role).inputs.userData, template(before.rt, role).inputs.userData);
            assert.ok(!now.includes(String(master(after.rt).inputs.password)), `${role}: never the password itself`);
        }
        assert.equal(after.outputs.configSha256, before.outputs.configSha256, "the config text holds a placeholder, not the password");
        // The groups roll on a new launch template version: instance refresh is configured on both.
        for (const role of ["tracker", "ui"]) assert.ok(group(after.rt, role).inputs.instanceRefresh !== undefined, role);
    });

    it("an existing database: the admin secret's current version is in the ui's user data, so your rotation rolls the ui (the only reader) at the next pulumi up", async () => {
        const arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:matomo-db-AbCdEf";
        const { rt } = await buildCluster({
            ...BASE_ARGS,
            database: { existing: { host: "db.example.com", username: "matomo", passwordSecretArn: arn } },
            salt: { generateNew: true },
        });
        assert.match(envValue(userData(template(rt, "ui")), "MATOMO_DATABASE_PASSWORD_VERSION") ?? "", /^[0-9a-f]{32}(,[0-9a-f]{32}){2}$/);
        assert.match(envValue(userData(template(rt, "tracker")), "MATOMO_DATABASE_PASSWORD_VERSION") ?? "", /^[0-9a-f]{32}$/);
    });
});
