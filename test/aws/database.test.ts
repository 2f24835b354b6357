import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { build, buildCluster, BASE_ARGS, of, one } from "./harness";
import { MatomoCluster } from "../../lib/aws/cluster";
import { valueOf, type MockRuntime } from "../../lib/plan/mockRuntime";

type Parameter = { name: string; value: string };

describe("Database", () => {
    let rt: MockRuntime;
    let configIniPhp: string;
    let rendered: string;
    before(async () => {
        const built = await buildCluster();
        rt = built.rt;
        configIniPhp = built.outputs.configIniPhp;
        rendered = await valueOf(built.value.configIniPhpRendered);
    });

    it("is an encrypted, backed-up, deletion-protected MySQL 8.4 master on gp3, sized as the FAQ's 16 GiB master", () => {
        const db = one(rt, "aws:rds/instance:Instance").inputs;
        assert.equal(db.engine, "mysql");
        assert.equal(db.engineVersion, "8.4");
        assert.equal(db.instanceClass, "db.m7g.xlarge");
        assert.equal(db.storageType, "gp3");
        assert.equal(db.storageEncrypted, true);
        assert.ok(Number(db.backupRetentionPeriod) >= 1);
        assert.equal(db.deletionProtection, true);
        assert.equal(db.skipFinalSnapshot, false);
        assert.ok(db.finalSnapshotIdentifier);
        assert.equal(db.multiAz, false);
        const id = String(db.identifier);
        assert.ok(id.length <= 63 && /^[a-zA-Z][a-zA-Z0-9-]*$/.test(id) && !id.includes("--") && !id.endsWith("-"), id);
    });

    it("has the parameters Matomo's system check asks for, matching the config's charset and collation", () => {
        const group = one(rt, "aws:rds/parameterGroup:ParameterGroup").inputs;
        assert.equal(group.family, "mysql8.4");
        const params = new Map((group.parameters as Parameter[]).map((p) => [p.name, p.value]));
        assert.ok(Number(params.get("max_allowed_packet")) >= 64 * 1024 * 1024);
        assert.equal(params.get("character_set_server"), "utf8mb4");
        assert.equal(params.get("collation_server"), "utf8mb4_general_ci");
        assert.match(configIniPhp, /^collation = "utf8mb4_general_ci"$/m);
    });

    it("generates a password RDS accepts and keeps it in Secrets Manager, not in the config text", () => {
        const password = of(rt, "random:index/randomPassword:RandomPassword").find((p) => p.name === "matomo-database-password")!;
        const length = Number(password.inputs.length);
        assert.ok(length >= 8 && length <= 41, "RDS MySQL: 8 to 41 characters");
        for (const forbidden of ["/", '"', "@", " "]) assert.ok(!String(password.inputs.overrideSpecial).includes(forbidden), forbidden);
        const value = String(password.state.result);
        assert.ok(/^[\x21-\x7e]+$/.test(value) && !/[/"@ ]/.test(value), 'printable ASCII without / " @ or space');
        assert.ok(!configIniPhp.includes(value), "placeholder config holds no password");
        // The master password stays with the ui's provisioning: the config nodes write names the ui's own user.
        assert.ok(!rendered.includes(value), "no node's config holds the master password");
        const app = of(rt, "random:index/randomPassword:RandomPassword").find((p) => p.name === "matomo-secrets-db-app-password")!;
        assert.ok(rendered.includes(`password = "${String(app.state.result)}"`), "the secret output is the ui's filled-in config");
        assert.match(rendered, /^username = "matomo_app_[0-9a-f]{8}"$/m);
        assert.match(configIniPhp, /\{\{secret:database_password\}\}/);
    });

    it("offers Multi-AZ and a read replica that the config reads from", async () => {
        const { rt: ha, outputs } = await buildCluster({ ...BASE_ARGS, database: { multiAz: true, readReplica: true } });
        const instances = of(ha, "aws:rds/instance:Instance");
        assert.equal(instances.length, 2);
        const reader = instances.find((i) => i.inputs.replicateSourceDb !== undefined);
        assert.ok(reader, "one instance replicates the other");
        const primary = instances.find((i) => i.inputs.replicateSourceDb === undefined)!;
        assert.equal(primary.inputs.multiAz, true);
        assert.equal(reader!.inputs.replicateSourceDb, primary.state.identifier);
        assert.equal(reader!.inputs.storageEncrypted, true);
        assert.match(outputs.configIniPhp, /^\[database_reader\]$/m);
        assert.ok(outputs.configIniPhp.includes(`host = "${String(reader!.state.address)}"`));
    });

    it("uses an existing database as given and creates none", async () => {
        const secretArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:matomo-db-AbCdEf";
        const {
            rt: byo,
            outputs,
            value,
        } = await buildCluster({
            ...BASE_ARGS,
            database: { existing: { host: "mysql.internal.example.com", username: "matomo_app", passwordSecretArn: secretArn } },
            salt: { generateNew: true },
        });
        assert.equal(of(byo, "aws:rds/instance:Instance").length, 0);
        assert.equal(of(byo, "aws:rds/parameterGroup:ParameterGroup").length, 0);
        assert.equal(of(byo, "random:index/randomPassword:RandomPassword").filter((p) => p.name.includes("database")).length, 0);
        assert.ok(outputs.configIniPhp.includes('host = "mysql.internal.example.com"'));
        // The given credential is the admin the ui creates Matomo's two users with; no node's config names it.
        assert.ok(outputs.configIniPhp.includes('username = "{{secret:database_username}}"'));
        assert.equal(await valueOf(value.databasePasswordSecretArn), secretArn);
        const readers = of(byo, "aws:iam/rolePolicy:RolePolicy")
            .filter((p) => p.name.endsWith("-secrets"))
            .filter((p) => (JSON.parse(String(p.inputs.policy)) as { Statement: { Resource: string[] }[] }).Statement[0].Resource.includes(secretArn))
            .map((p) => p.parent);
        assert.deepEqual(readers, ["matomo-ui"]);
        assert.equal(value.database, undefined);
    });

    // DB snapshot identifiers (RDS CreateDBSnapshot / DeleteDBInstance FinalDBSnapshotIdentifier): 1 to 255
    // letters, digits or hyphens, starting with a letter, no two consecutive hyphens, not ending with one.
    const SNAPSHOT_ID = /^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,254}$/;

    it("names the final snapshot with a random suffix kept in state, so destroy → up → destroy does not collide", async () => {
        const db = one(rt, "aws:rds/instance:Instance");
        const suffix = of(rt, "random:index/randomId:RandomId").find((r) => r.name === "matomo-database-final-snapshot");
        assert.ok(suffix, "a RandomId for the final snapshot");
        assert.equal(suffix.parent, "matomo-database", "created by the Database component, destroyed with it");
        const id = String(db.inputs.finalSnapshotIdentifier);
        assert.equal(id, `${String(db.inputs.identifier)}-final-${String(suffix.state.hex)}`);
        assert.ok(SNAPSHOT_ID.test(id) && !id.endsWith("-"), id);
        assert.notEqual(id, `${String(db.inputs.identifier)}-final`, "a fixed name exists after the first destroy");
        // A fresh stack (as after a destroy) makes a new RandomId: the same build gives the same inputs, and nothing time-based.
        const again = one((await buildCluster()).rt, "aws:rds/instance:Instance");
        assert.equal(again.inputs.finalSnapshotIdentifier, id, "deterministic for the same state: no timestamp in the name");
    });

    it("allows major version upgrades, and replaces the parameter group (new family) before the old is deleted", async () => {
        assert.equal(
            one(rt, "aws:rds/instance:Instance").inputs.allowMajorVersionUpgrade,
            true,
            "RDS ModifyDBInstance refuses another major version without it",
        );
        const opts = new Map<string, pulumi.CustomResourceOptions>();
        const families: string[] = [];
        for (const engineVersion of ["10.11", "11.4"]) {
            const built = await build(
                () =>
                    new MatomoCluster(
                        "matomo",
                        { ...BASE_ARGS, database: { engine: "mariadb", engineVersion } },
                        {
                            transformations: [
                                (args) => {
                                    opts.set(args.name, args.opts as pulumi.CustomResourceOptions);
                                    return undefined;
                                },
                            ],
                        },
                    ),
                (c) => [c.configSha256],
            );
            const group = one(built.rt, "aws:rds/parameterGroup:ParameterGroup");
            families.push(String(group.inputs.family));
            assert.equal(group.inputs.name, undefined, "autonamed: a replacement gets a new name, so both groups can exist at once");
            assert.equal(one(built.rt, "aws:rds/instance:Instance").inputs.allowMajorVersionUpgrade, true);
        }
        assert.deepEqual(families, ["mariadb10.11", "mariadb11.4"], "the family follows the major version, which replaces the group");
        assert.notEqual(opts.get("matomo-database-params")!.deleteBeforeReplace, true, "the instance still uses the old group while the new one is created");
    });
});
