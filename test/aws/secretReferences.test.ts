/**
 * Secrets given by reference (mail.password, extraConfig values) through the whole graph: which
 * ARNs and keys each instance role may read, what the config text and user data carry, and the
 * secret output that holds the filled config.
 */
import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import { gunzipSync } from "zlib";
import { buildCluster, BASE_ARGS, build, of } from "./harness";
import { MatomoCluster, type MatomoClusterComponentArgs } from "../../lib/aws/cluster";
import { mockPassword, valueOf, type MockRuntime } from "../../lib/plan/mockRuntime";

const MAIL_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:matomo-smtp-AbCdEf";
const LICENSE_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:matomo-license-GhIjKl";
const MAIL_CMK = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
/** What the mock Secrets Manager holds for an ARN (lib/plan/mockRuntime.ts: RDS-format JSON, password derived from the ARN). */
const mockSecretPassword = (arn: string) => mockPassword(`secret:${arn}`, { length: 32, overrideSpecial: "!#%*()-_=+[]{}<>:?" });

const WITH_REFERENCES: MatomoClusterComponentArgs = {
    ...BASE_ARGS,
    mail: {
        host: "email-smtp.eu-west-1.amazonaws.com",
        username: "AKIAEXAMPLESMTPUSER",
        password: { secretArn: MAIL_ARN, jsonKey: "password", kmsKeyArn: MAIL_CMK },
    },
    extraConfig: { LicenseKey: { license_key: { secretArn: LICENSE_ARN } } },
};

type Statement = { Sid?: string; Action: string[]; Resource: string[]; Condition?: unknown };
const statements = (rt: MockRuntime, role: string): Statement[] =>
    of(rt, "aws:iam/rolePolicy:RolePolicy")
        .filter((p) => p.parent === `matomo-${role}`)
        .flatMap((p) => (JSON.parse(String(p.inputs.policy)) as { Statement: Statement[] }).Statement);
const readable = (rt: MockRuntime, role: string) => statements(rt, role).find((s) => s.Action.includes("secretsmanager:GetSecretValue"))!.Resource;
const userDataText = (rt: MockRuntime, role: string) =>
    gunzipSync(
        Buffer.from(String(of(rt, "aws:ec2/launchTemplate:LaunchTemplate").find((l) => l.parent === `matomo-${role}`)!.inputs.userData), "base64"),
    ).toString("utf8");

describe("MatomoCluster: secrets by reference", () => {
    let plain: MockRuntime;
    let withRefs: Awaited<ReturnType<typeof buildCluster>>;
    before(async () => {
        plain = (await buildCluster()).rt;
        withRefs = await buildCluster(WITH_REFERENCES);
    });

    it("each role may read what it read before plus the referenced ARNs it fills: the SMTP password only the ui (trackers send no mail)", () => {
        const added: Record<string, string[]> = { tracker: [LICENSE_ARN], ui: [MAIL_ARN, LICENSE_ARN] };
        for (const role of ["tracker", "ui"]) {
            const before = readable(plain, role);
            const after = readable(withRefs.rt, role);
            assert.deepEqual([...after].sort(), [...before, ...added[role]].sort(), role);
        }
    });

    it("only the ui may decrypt with the SMTP password's customer key, through Secrets Manager only; no KMS grant without one", () => {
        assert.ok(!JSON.stringify(statements(withRefs.rt, "tracker")).includes("kms:"), "tracker");
        for (const role of ["ui"]) {
            const decrypt = statements(withRefs.rt, role).find((s) => s.Action.includes("kms:Decrypt"));
            assert.deepEqual(decrypt?.Resource, [MAIL_CMK], role);
            assert.deepEqual(decrypt?.Condition, { StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } });
            assert.ok(!JSON.stringify(statements(plain, role)).includes("kms:"));
        }
    });

    it("the configIniPhp output holds placeholders, never an ARN or a secret value", async () => {
        const text = withRefs.outputs.configIniPhp;
        assert.match(text, /^\[mail\]$/m);
        assert.match(text, /^password = "\{\{secret:ref_mail_password\}\}"$/m);
        assert.match(text, /^license_key = "\{\{secret:ref_LicenseKey_license_key\}\}"$/m);
        for (const leak of [MAIL_ARN, LICENSE_ARN, mockSecretPassword(MAIL_ARN), mockSecretPassword(LICENSE_ARN)]) assert.ok(!text.includes(leak), leak);
    });

    it("user data names each reference's ARN in provision.env and holds no secret value", () => {
        for (const role of ["tracker", "ui"]) {
            const text = userDataText(withRefs.rt, role);
            if (role === "ui") {
                assert.match(text, new RegExp(`MATOMO_SECRET_ARN_ref_mail_password='${MAIL_ARN}'`));
                assert.match(text, /MATOMO_SECRET_KEY_ref_mail_password='password'/);
            } else assert.match(text, /MATOMO_SECRET_ARN_ref_mail_password=''/);
            assert.match(text, new RegExp(`MATOMO_SECRET_ARN_ref_LicenseKey_license_key='${LICENSE_ARN}'`));
            for (const leak of [mockSecretPassword(MAIL_ARN), mockSecretPassword(LICENSE_ARN)]) assert.ok(!text.includes(leak), `${role}: ${leak}`);
        }
    });

    it("configIniPhpRendered, a secret output, is the config filled as a node fills it (the JSON key's value, or the whole string)", async () => {
        const rendered = withRefs.value.configIniPhpRendered;
        assert.equal(await (rendered as unknown as { isSecret: Promise<boolean> }).isSecret, true);
        const text = await valueOf(rendered);
        assert.ok(text.includes(`password = "${mockSecretPassword(MAIL_ARN)}"`));
        // No jsonKey: the whole secret string, escaped for a double-quoted INI value.
        const whole = JSON.stringify({ username: "matomo", password: mockSecretPassword(LICENSE_ARN) }).replace(/[\\"$]/g, (c) => `\\${c}`);
        assert.ok(text.includes(`license_key = "${whole}"`));
        assert.ok(!text.includes("{{secret:"));
    });

    it("takes a secret ARN that is another resource's output; the config hash does not depend on it", async () => {
        const { rt, value } = await build(
            () => {
                const secret = new aws.secretsmanager.Secret("smtp", { namePrefix: "smtp-" });
                return new MatomoCluster("matomo", {
                    ...BASE_ARGS,
                    mail: { host: "smtp.example.com", username: "matomo", password: { secretArn: secret.arn } },
                });
            },
            (c) => [c.configSha256, c.configIniPhpRendered],
        );
        const arn = String(of(rt, "aws:secretsmanager/secret:Secret").find((s) => s.name === "smtp")!.state.arn);
        assert.ok(readable(rt, "ui").includes(arn));
        assert.ok(!readable(rt, "tracker").includes(arn), "a tracker never reads the SMTP password");
        const literal = await buildCluster({ ...BASE_ARGS, mail: { host: "smtp.example.com", username: "matomo", password: { secretArn: MAIL_ARN } } });
        assert.equal(await valueOf(value.configSha256), literal.outputs.configSha256);
    });
});

describe("MatomoCluster: mail", () => {
    let defaults: MockRuntime;
    before(async () => {
        defaults = (await buildCluster()).rt;
    });
    const egressTo = (rt: MockRuntime, port: number) => {
        const groups = new Map(of(rt, "aws:ec2/securityGroup:SecurityGroup").map((g) => [g.id, g.name]));
        return of(rt, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
            .filter((e) => e.inputs.fromPort === port && e.inputs.toPort === port && e.inputs.cidrIpv4 === "0.0.0.0/0")
            .map((e) => groups.get(String(e.inputs.securityGroupId)));
    };

    it("lets only the ui nodes reach the SMTP port (their egress is otherwise 80 and 443)", async () => {
        const { rt } = await buildCluster({
            ...BASE_ARGS,
            mail: { host: "email-smtp.eu-west-1.amazonaws.com", username: "u", password: { secretArn: MAIL_ARN } },
        });
        assert.deepEqual(egressTo(rt, 587), ["matomo-ui-sg"]);
        const ssl = (await buildCluster({ ...BASE_ARGS, mail: { host: "smtp.example.com", encryption: "ssl" } })).rt;
        assert.deepEqual(egressTo(ssl, 465), ["matomo-ui-sg"]);
        assert.deepEqual(egressTo(defaults, 587), []);
    });

    it("adds no rule EC2 would refuse as a duplicate when the SMTP port is 443", async () => {
        const { rt } = await buildCluster({ ...BASE_ARGS, mail: { host: "smtp.example.com", port: 443, encryption: "ssl" } });
        assert.deepEqual(egressTo(rt, 443).sort(), ["matomo-tracker-sg", "matomo-ui-sg"], "only the nodes' own HTTPS egress");
    });
});
