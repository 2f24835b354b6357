/**
 * Plugins through the whole graph: the manifest both launch templates carry, who may read the
 * Marketplace license key (only the nodes that download with it), and that changing the list
 * changes both groups' user data (so both roll).
 */
import { strict as assert } from "assert";
import { buildCluster, BASE_ARGS, of, nodePayload as payload, userDataText as userData } from "./harness";
import type { MatomoClusterComponentArgs } from "../../lib/aws/cluster";
import type { MockRuntime } from "../../lib/plan/mockRuntime";

const LICENSE_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:marketplace-license-AbCdEf";
const LICENSE_CMK = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const HEATMAP = { name: "HeatmapSessionRecording", version: "5.2.3", sha256: "a".repeat(64) };
const MIRRORED = { name: "CustomAlerts", version: "5.0.4", sha256: "b".repeat(64), downloadUrl: "https://mirror.example.com/CustomAlerts-5.0.4.zip" };

type Statement = { Action: string[]; Resource: string[] };
const statements = (rt: MockRuntime, role: string): Statement[] =>
    of(rt, "aws:iam/rolePolicy:RolePolicy")
        .filter((p) => p.parent === `matomo-${role}`)
        .flatMap((p) => (JSON.parse(String(p.inputs.policy)) as { Statement: Statement[] }).Statement);
const readable = (rt: MockRuntime, role: string) => statements(rt, role).find((s) => s.Action.includes("secretsmanager:GetSecretValue"))!.Resource;
describe("MatomoCluster: plugins", () => {
    let plain: MockRuntime;
    let licensed: MockRuntime;
    let mirroredOnly: MockRuntime;
    let upgraded: MockRuntime;
    before(async () => {
        plain = (await buildCluster()).rt;
        const withLicense: MatomoClusterComponentArgs = {
            ...BASE_ARGS,
            marketplace: { licenseKey: { secretArn: LICENSE_ARN, jsonKey: "key", kmsKeyArn: LICENSE_CMK } },
            plugins: [HEATMAP, MIRRORED],
        };
        licensed = (await buildCluster(withLicense)).rt;
        mirroredOnly = (await buildCluster({ ...withLicense, plugins: [MIRRORED] })).rt;
        upgraded = (await buildCluster({ ...withLicense, plugins: [{ ...HEATMAP, version: "5.2.4", sha256: "c".repeat(64) }, MIRRORED] })).rt;
    });

    it("both launch templates carry the same manifest, one line per plugin, the Marketplace download licensed, the mirror not", () => {
        const expected =
            `HeatmapSessionRecording 5.2.3 ${"a".repeat(64)} https://plugins.matomo.org/api/2.0/plugins/HeatmapSessionRecording/download/5.2.3 marketplace\n` +
            `CustomAlerts 5.0.4 ${"b".repeat(64)} https://mirror.example.com/CustomAlerts-5.0.4.zip -\n`;
        for (const role of ["tracker", "ui"]) assert.equal(payload(licensed, role, "plugins.manifest"), expected, role);
        for (const role of ["tracker", "ui"]) assert.equal(payload(plain, role, "plugins.manifest"), "", role);
    });

    it("every node that downloads with the license key may read it (both roles install every plugin), and decrypt it with its key; the value is nowhere in user data", () => {
        for (const role of ["tracker", "ui"]) {
            assert.deepEqual([...readable(licensed, role)].sort(), [...readable(plain, role), LICENSE_ARN].sort(), role);
            const decrypt = statements(licensed, role).find((s) => s.Action.includes("kms:Decrypt"));
            assert.deepEqual(decrypt?.Resource, [LICENSE_CMK], role);
            assert.match(payload(licensed, role, "provision.env")!, new RegExp(`MATOMO_MARKETPLACE_LICENSE_ARN='${LICENSE_ARN}'`), role);
        }
    });

    it("a license key no plugin downloads with is read by no node: no grant, no ARN in user data", () => {
        for (const role of ["tracker", "ui"]) {
            assert.deepEqual([...readable(mirroredOnly, role)].sort(), [...readable(plain, role)].sort(), role);
            assert.ok(!JSON.stringify(statements(mirroredOnly, role)).includes(LICENSE_ARN), role);
            assert.ok(!JSON.stringify(statements(mirroredOnly, role)).includes("kms:"), role);
            assert.doesNotMatch(payload(mirroredOnly, role, "provision.env")!, /LICENSE/, role);
        }
    });

    it("upgrading a plugin changes both groups' user data (it pins the bundle's sha256, so each group rolls), and nothing else of the config", () => {
        for (const role of ["tracker", "ui"]) {
            assert.notEqual(payload(upgraded, role, "plugins.manifest"), payload(licensed, role, "plugins.manifest"), role);
            assert.notEqual(userData(upgraded, role), userData(licensed, role), role);
            assert.equal(
                payload(upgraded, role, "config.ini.php.template"),
                payload(licensed, role, "config.ini.php.template"),
                `${role}: the plugin list is not in the rendered config; the ui's activation writes [Plugins]`,
            );
        }
    });
});
