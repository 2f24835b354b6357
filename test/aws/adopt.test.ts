/**
 * Adopting an existing Matomo through the whole graph: the old salt by reference instead of a
 * generated one (no random salt, no salt secret of ours), readable by both roles, decryptable with
 * its key, named in user data by ARN and JSON key, filled into the rendered config.
 */
import { strict as assert } from "assert";
import { gunzipSync } from "zlib";
import { buildCluster, BASE_ARGS, of } from "./harness";
import type { MatomoClusterComponentArgs } from "../../lib/aws/cluster";
import { mockPassword, valueOf, type MockRuntime } from "../../lib/plan/mockRuntime";

const DB_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:old-matomo-db-AbCdEf";
const SALT_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:old-matomo-salt-GhIjKl";
const SALT_CMK = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

const ADOPTING: MatomoClusterComponentArgs = {
    ...BASE_ARGS,
    database: { existing: { host: "mysql.internal.example.com", username: "matomo", passwordSecretArn: DB_ARN } },
    salt: { existingSecretArn: SALT_ARN, jsonKey: "password", kmsKeyArn: SALT_CMK },
    adopt: { installedPlugins: ["CoreHome", "Monolog", "CustomAlerts"], activatedPlugins: ["CoreHome", "Monolog", "CustomAlerts"] },
};

type Statement = { Action: string[]; Resource: string[] };
const statements = (rt: MockRuntime, role: string): Statement[] =>
    of(rt, "aws:iam/rolePolicy:RolePolicy")
        .filter((p) => p.parent === `matomo-${role}`)
        .flatMap((p) => (JSON.parse(String(p.inputs.policy)) as { Statement: Statement[] }).Statement);
const userDataText = (rt: MockRuntime, role: string) =>
    gunzipSync(
        Buffer.from(String(of(rt, "aws:ec2/launchTemplate:LaunchTemplate").find((l) => l.parent === `matomo-${role}`)!.inputs.userData), "base64"),
    ).toString("utf8");

/** The files of a role's provisioning bundle (the tar inside the gzip; file bodies appear verbatim). */
const bundleText = (rt: MockRuntime, role: string) =>
    gunzipSync(
        Buffer.from(
            String(of(rt, "aws:s3/bucketObjectv2:BucketObjectv2").find((o) => o.inputs.key === `provisioning/${role}.tar.gz`)!.inputs.contentBase64),
            "base64",
        ),
    ).toString("utf8");

describe("MatomoCluster: adopting an existing Matomo keeps its salt", () => {
    let built: Awaited<ReturnType<typeof buildCluster>>;
    before(async () => {
        built = await buildCluster(ADOPTING);
    });

    it("creates no salt of its own: random passwords and secrets only for the super user and the two database users", () => {
        const { rt } = built;
        const ours = ["matomo-secrets-db-app-password", "matomo-secrets-db-tracker-password", "matomo-secrets-superuser-password"];
        assert.deepEqual(
            of(rt, "random:index/randomPassword:RandomPassword")
                .map((r) => r.name)
                .sort(),
            ours,
        );
        assert.deepEqual(
            of(rt, "aws:secretsmanager/secret:Secret")
                .map((r) => r.name)
                .sort(),
            ["matomo-secrets-db-app", "matomo-secrets-db-tracker", "matomo-secrets-superuser-password"],
        );
    });

    it("both roles may read the old salt's secret and decrypt it with its key, through Secrets Manager", () => {
        for (const role of ["tracker", "ui"]) {
            const s = statements(built.rt, role);
            assert.ok(s.find((x) => x.Action.includes("secretsmanager:GetSecretValue"))!.Resource.includes(SALT_ARN), role);
            assert.ok(s.find((x) => x.Action.includes("kms:Decrypt"))!.Resource.includes(SALT_CMK), role);
        }
    });

    it("user data names the old salt by ARN and JSON key; the saltSecretArn output is that ARN", async () => {
        for (const role of ["tracker", "ui"]) {
            const text = userDataText(built.rt, role);
            assert.match(text, new RegExp(`MATOMO_SECRET_ARN_salt='${SALT_ARN}'`), role);
            assert.match(text, /MATOMO_SECRET_KEY_salt='password'/, role);
        }
        assert.equal(await valueOf(built.value.saltSecretArn), SALT_ARN);
    });

    it("the rendered config (a secret output) carries the old salt as the secret holds it", async () => {
        // The mock Secrets Manager answers RDS-format JSON whose password derives from the ARN (test/support/mockRuntime.ts).
        const old = mockPassword(`secret:${SALT_ARN}`, { length: 32, overrideSpecial: "!#%*()-_=+[]{}<>:?" });
        const text = await valueOf(built.value.configIniPhpRendered);
        const line = text.split("\n").find((l) => l.startsWith("salt = "));
        assert.equal(line, `salt = "${old.replace(/[\\"$]/g, (c) => `\\${c}`)}"`);
    });

    it("only the ui role carries the adopted plugin sections", () => {
        assert.match(bundleText(built.rt, "ui"), /adopt-sections\.ini/);
        assert.doesNotMatch(bundleText(built.rt, "tracker"), /adopt-sections\.ini/);
    });
});
