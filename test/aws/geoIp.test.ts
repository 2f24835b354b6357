/**
 * The MaxMind license key (geoIp.provider "maxmind") through the whole graph: every node downloads
 * the location database itself, so both roles may read the key's secret, and nothing but its ARN
 * reaches user data.
 */
import { strict as assert } from "assert";
import { gunzipSync } from "zlib";
import { buildCluster, BASE_ARGS, of } from "./harness";
import type { MatomoClusterComponentArgs } from "../../lib/aws/cluster";
import { mockPassword, type MockRuntime } from "../../lib/plan/mockRuntime";

const KEY_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:maxmind-license-AbCdEf";
const KEY_CMK = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const WITH_MAXMIND: MatomoClusterComponentArgs = {
    ...BASE_ARGS,
    geoIp: { provider: "maxmind", maxmind: { accountId: "123456", licenseKey: { secretArn: KEY_ARN, jsonKey: "key", kmsKeyArn: KEY_CMK } } },
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

describe("MatomoCluster: the location database's MaxMind license key", () => {
    let plain: MockRuntime;
    let maxmind: MockRuntime;
    before(async () => {
        plain = (await buildCluster()).rt;
        maxmind = (await buildCluster(WITH_MAXMIND)).rt;
    });

    it("both roles may read the key's secret (and decrypt it through Secrets Manager with its customer key); without MaxMind neither may", () => {
        for (const role of ["tracker", "ui"]) {
            const readable = statements(maxmind, role).find((s) => s.Action.includes("secretsmanager:GetSecretValue"))!.Resource;
            assert.ok(readable.includes(KEY_ARN), role);
            assert.deepEqual(statements(maxmind, role).find((s) => s.Action.includes("kms:Decrypt"))?.Resource, [KEY_CMK], role);
            assert.ok(!JSON.stringify(statements(plain, role)).includes("maxmind"), role);
        }
    });

    it("user data names the key's ARN and JSON key for matomo-geoip.sh, never a value", () => {
        for (const role of ["tracker", "ui"]) {
            const text = userDataText(maxmind, role);
            assert.match(text, new RegExp(`^ *MATOMO_GEOIP_KEY_ARN='${KEY_ARN}'$`, "m"), role);
            assert.match(text, /^ *MATOMO_GEOIP_KEY_JSON_KEY='key'$/m, role);
            assert.match(text, /^ *MATOMO_GEOIP_ACCOUNT_ID='123456'$/m, role);
            assert.ok(!text.includes(mockPassword(`secret:${KEY_ARN}`, { length: 32, overrideSpecial: "!#%*()-_=+[]{}<>:?" })), role);
        }
    });
});
