/**
 * Which secrets each role may read, asked of a real IAM policy simulator (@cloud-copilot/iam-simulate)
 * over the planned instance-role policies (issue 17 items 1 and 10): a compromised tracker, the
 * internet-facing role, must not reach the database's admin credential, the ui's database user,
 * the super user's password or the SMTP password.
 */
import { strict as assert } from "assert";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { buildCluster, BASE_ARGS, of } from "./harness";
import type { MatomoClusterComponentArgs } from "../../lib/aws/cluster";
import type { MockRuntime } from "../../lib/plan/mockRuntime";

const ACCOUNT = "123456789012";
const MAIL_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:matomo-smtp-AbCdEf";
const MAIL_CMK = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const CLUSTER_CMK = "arn:aws:kms:eu-west-1:123456789012:key/0987dcba-09fe-87dc-65ba-ab0987654321";
const ARGS: MatomoClusterComponentArgs = {
    ...BASE_ARGS,
    mail: { host: "email-smtp.eu-west-1.amazonaws.com", username: "AKIAEXAMPLESMTPUSER", password: { secretArn: MAIL_ARN, kmsKeyArn: MAIL_CMK } },
    overrides: { secrets: { kmsKeyId: CLUSTER_CMK } },
};

/** AWS KMS's default key policy ("Allows access to the AWS account and enables IAM policies"). */
const DEFAULT_KEY_POLICY = {
    Version: "2012-10-17",
    Statement: [{ Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }],
};

type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

/** The simulator's answer for `action` on `resource` by the role's instance profile, with only its planned inline policies. */
async function decide(rt: MockRuntime, role: "tracker" | "ui", action: string, resource: string, context: Record<string, string> = {}): Promise<Decision> {
    const policies = of(rt, "aws:iam/rolePolicy:RolePolicy").filter((p) => p.parent === `matomo-${role}`);
    assert.ok(policies.length > 0, `${role} has inline policies`);
    const result = await runSimulation(
        {
            request: {
                principal: `arn:aws:sts::${ACCOUNT}:assumed-role/matomo-${role}/i-0123456789abcdef0`,
                action,
                resource: { resource, accountId: ACCOUNT },
                contextVariables: context,
            },
            identityPolicies: policies.map((p) => ({ name: p.name, policy: JSON.parse(String(p.inputs.policy)) as unknown })),
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            // KMS always asks the key's policy too: AWS's default key policy, which lets the account's IAM policies decide.
            resourcePolicy: action.startsWith("kms:") ? DEFAULT_KEY_POLICY : undefined,
        },
        {},
    );
    if (result.resultType === "error") throw new Error(`simulation failed: ${JSON.stringify(result.errors)}`);
    return result.overallResult as Decision;
}

describe("Secrets each role may read, by IAM simulation over the planned policies", function () {
    let rt: MockRuntime;
    const arn = (name: string) => String(of(rt, "aws:secretsmanager/secret:Secret").find((r) => r.name === name)!.state.arn);
    before(async () => {
        rt = (await buildCluster(ARGS)).rt;
    });

    it("denies a tracker the master credential, the ui's database user, the super user's password and the SMTP password", async () => {
        for (const secret of ["matomo-database-password", "matomo-secrets-db-app", "matomo-secrets-superuser-password"]) {
            assert.equal(await decide(rt, "tracker", "secretsmanager:GetSecretValue", arn(secret)), "ImplicitlyDenied", secret);
        }
        assert.equal(await decide(rt, "tracker", "secretsmanager:GetSecretValue", MAIL_ARN), "ImplicitlyDenied", "SMTP password");
        // Nor decrypt with the SMTP password's own key, even through Secrets Manager.
        const viaSecretsManager = { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" };
        assert.equal(await decide(rt, "tracker", "kms:Decrypt", MAIL_CMK, viaSecretsManager), "ImplicitlyDenied");
    });

    it("allows a tracker its own database user's secret and the salt, and the key they are under through Secrets Manager only", async () => {
        for (const secret of ["matomo-secrets-db-tracker", "matomo-secrets-salt"]) {
            assert.equal(await decide(rt, "tracker", "secretsmanager:GetSecretValue", arn(secret)), "Allowed", secret);
        }
        assert.equal(await decide(rt, "tracker", "kms:Decrypt", CLUSTER_CMK, { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" }), "Allowed");
        assert.equal(await decide(rt, "tracker", "kms:Decrypt", CLUSTER_CMK, { "kms:ViaService": "s3.eu-west-1.amazonaws.com" }), "ImplicitlyDenied");
    });

    it("allows the ui what it uses: the master credential (install, upgrade, users), both users' secrets, the salt, the super user's and the SMTP password", async () => {
        for (const secret of [
            "matomo-database-password",
            "matomo-secrets-db-app",
            "matomo-secrets-db-tracker",
            "matomo-secrets-salt",
            "matomo-secrets-superuser-password",
        ]) {
            assert.equal(await decide(rt, "ui", "secretsmanager:GetSecretValue", arn(secret)), "Allowed", secret);
        }
        assert.equal(await decide(rt, "ui", "secretsmanager:GetSecretValue", MAIL_ARN), "Allowed");
        assert.equal(await decide(rt, "ui", "kms:Decrypt", MAIL_CMK, { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" }), "Allowed");
    });

    it("lets neither role change or list secrets, only read the named ones", async () => {
        for (const role of ["tracker", "ui"] as const) {
            for (const action of ["secretsmanager:PutSecretValue", "secretsmanager:UpdateSecret", "secretsmanager:DeleteSecret"]) {
                assert.equal(await decide(rt, role, action, arn("matomo-secrets-db-tracker")), "ImplicitlyDenied", `${role} ${action}`);
            }
            const other = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:someone-else-AbCdEf";
            assert.equal(await decide(rt, role, "secretsmanager:GetSecretValue", other), "ImplicitlyDenied", role);
        }
    });
});
