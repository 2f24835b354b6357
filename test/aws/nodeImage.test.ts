import { strict as assert } from "assert";
import { load as loadYaml } from "js-yaml";
import { buildCluster, BASE_ARGS, of, one } from "./harness";
import type { MatomoClusterComponentArgs } from "../../lib/aws/cluster";
import type { MockRuntime } from "../../lib/plan/mockRuntime";
import { checkAwsLimits } from "../../lib/model/awsLimits";
import { MATOMO_POLICIES } from "../../lib/policy";
import { IMAGE_BUILD_AGENT_ACTIONS } from "../../lib/aws/nodeImage";
import {
    BAKED_MARKER,
    isImageBuilderVersion,
    listUstar,
    renderBakeComponent,
    renderImageManifest,
    semanticVersionOf,
    SSM_AGENT_KEY_FINGERPRINT,
} from "../../lib/provision";
import { gunzipSync } from "zlib";
import { resolveSettings } from "../../lib/settings";

// Image Builder's name pattern (CreateComponent, CreateImageRecipe, CreateInfrastructureConfiguration, CreateDistributionConfiguration).
const IB_NAME = /^[-_A-Za-z0-9][-_A-Za-z0-9 ]{1,126}[-_A-Za-z0-9]$/;
const PREBUILT: MatomoClusterComponentArgs = { ...BASE_ARGS, nodeImage: { prebuilt: true } };

describe("NodeImage (nodeImage.prebuilt)", function () {
    let rt: MockRuntime;
    before(async function () {
        rt = (await buildCluster(PREBUILT)).rt;
    });

    it("is off by default: no Image Builder resource, the groups boot Debian's kept image", async function () {
        const off = (await buildCluster()).rt;
        assert.deepEqual(
            off.resources.filter((r) => r.type.startsWith("aws:imagebuilder/")),
            [],
        );
    });

    it("creates a component, recipe, infrastructure and distribution configuration and an image, with names and versions Image Builder accepts", function () {
        for (const type of [
            "aws:imagebuilder/component:Component",
            "aws:imagebuilder/imageRecipe:ImageRecipe",
            "aws:imagebuilder/infrastructureConfiguration:InfrastructureConfiguration",
            "aws:imagebuilder/distributionConfiguration:DistributionConfiguration",
        ]) {
            const name = String(one(rt, type).inputs.name);
            assert.match(name, IB_NAME, `${type} name ${name}`);
            assert.ok(name.length <= 128);
        }
        for (const type of ["aws:imagebuilder/component:Component", "aws:imagebuilder/imageRecipe:ImageRecipe"]) {
            const version = String(one(rt, type).inputs.version);
            assert.ok(isImageBuilderVersion(version), `${type} version ${version}`);
            assert.match(version, /^1\.\d+\.\d+$/);
        }
        assert.equal(one(rt, "aws:imagebuilder/component:Component").inputs.platform, "Linux");
        assert.equal(one(rt, "aws:imagebuilder/image:Image").inputs.imageRecipeArn, one(rt, "aws:imagebuilder/imageRecipe:ImageRecipe").state.arn);
        assert.deepEqual(
            checkAwsLimits(rt.resources.map((r) => ({ type: r.type, name: r.name, inputs: r.inputs }))).filter((v) => v.rule.id.startsWith("imagebuilder.")),
            [],
        );
    });

    it("the recipe starts from the nodes' kept Debian image, and both launch templates boot the image's AMI", function () {
        const recipe = one(rt, "aws:imagebuilder/imageRecipe:ImageRecipe").inputs;
        const parameter = one(rt, "aws:ssm/parameter:Parameter").inputs;
        assert.equal(recipe.parentImage, parameter.insecureValue);
        const image = one(rt, "aws:imagebuilder/image:Image");
        const ami = (image.state.outputResources as { amis: { image: string }[] }[])[0].amis[0].image;
        const templates = of(rt, "aws:ec2/launchTemplate:LaunchTemplate");
        assert.equal(templates.length, 2);
        for (const lt of templates) assert.equal(lt.inputs.imageId, ami);
        assert.notEqual(ami, parameter.insecureValue);
    });

    it("the build instance installs AWS's SSM Agent itself, verified (issue 20.7): the recipe's user data replaces Image Builder's, whose agent install does not know Debian", function () {
        const recipe = one(rt, "aws:imagebuilder/imageRecipe:ImageRecipe").inputs;
        assert.equal(typeof recipe.userDataBase64, "string", "the recipe carries its own user data");
        const script = Buffer.from(String(recipe.userDataBase64), "base64").toString("utf8");
        assert.match(script, /^#!\/bin\/bash\n/);
        // The nodes' installer, with this region's package for the nodes' architecture and AWS's pinned key.
        assert.match(
            script,
            new RegExp(
                `^'/usr/local/lib/matomo-provision/matomo-ssm-agent\\.sh' 'https://s3\\.eu-west-1\\.amazonaws\\.com/amazon-ssm-eu-west-1/latest/debian_arm64/amazon-ssm-agent\\.deb' '${SSM_AGENT_KEY_FINGERPRINT}' '/etc/matomo-provision/amazon-ssm-agent\\.asc' \\|\\| `,
                "m",
            ),
        );
        // Everything it runs travels inside it (the instance has no bundle yet): the installer, what it sources and calls, the key.
        const archive = /printf '%s' '([A-Za-z0-9+/=]+)' \| base64 -d \| tar -xz/.exec(script);
        assert.ok(archive, "an embedded tar.gz");
        const names = listUstar(gunzipSync(Buffer.from(archive[1], "base64"))).map((e) => e.path);
        assert.deepEqual(names.sort(), [
            "etc/matomo-provision/amazon-ssm-agent.asc",
            "usr/local/lib/matomo-provision/common.sh",
            "usr/local/lib/matomo-provision/matomo-constants.sh",
            "usr/local/lib/matomo-provision/matomo-ssm-agent.sh",
            "usr/local/lib/matomo-provision/matomo-verify-signature.sh",
        ]);
        // The agent Image Builder reaches the instance through is the one kept in the image (Session Manager on the nodes).
        assert.deepEqual(recipe.systemsManagerAgent, { uninstallAfterBuild: false });
    });

    it("the build instance: IMDSv2 with hop limit 1, a private subnet, an egress-only group, terminated on failure; the recipe's volume encrypted", function () {
        const infra = one(rt, "aws:imagebuilder/infrastructureConfiguration:InfrastructureConfiguration").inputs;
        assert.deepEqual(infra.instanceMetadataOptions, { httpTokens: "required", httpPutResponseHopLimit: 1 });
        assert.equal(infra.terminateInstanceOnFailure, true);
        assert.deepEqual(infra.instanceTypes, ["c7g.large"]);
        const privateSubnets = of(rt, "aws:ec2/subnet:Subnet")
            .filter((s) => s.inputs.mapPublicIpOnLaunch !== true)
            .map((s) => s.id);
        assert.ok(privateSubnets.includes(String(infra.subnetId)), "a private subnet");
        const sgId = (infra.securityGroupIds as string[])[0];
        assert.deepEqual(
            of(rt, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.inputs.securityGroupId === sgId),
            [],
        );
        const ebs = (one(rt, "aws:imagebuilder/imageRecipe:ImageRecipe").inputs.blockDeviceMappings as { ebs: { encrypted: string } }[])[0].ebs;
        assert.equal(ebs.encrypted, "true");
    });

    it("the build instance's profile is least-privilege: the agent channel, this component, the bake bundle object, AWSTOE's bucket and its log group; no secret, no KMS, no wildcard action", function () {
        const infra = one(rt, "aws:imagebuilder/infrastructureConfiguration:InfrastructureConfiguration").inputs;
        const profile = of(rt, "aws:iam/instanceProfile:InstanceProfile").find((p) => p.state.name === infra.instanceProfileName)!;
        const role = of(rt, "aws:iam/role:Role").find((r) => r.state.name === profile.inputs.role)!;
        const policies = of(rt, "aws:iam/rolePolicy:RolePolicy").filter((p) => p.inputs.role === role.id);
        assert.equal(policies.length, 1);
        assert.deepEqual(
            of(rt, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs.role === role.id),
            [],
        );
        const doc = JSON.parse(String(policies[0].inputs.policy)) as { Statement: { Sid: string; Action: string[]; Resource: string }[] };
        const component = one(rt, "aws:imagebuilder/component:Component").inputs;
        const bucket = rt.named("matomo-provisioning-bucket").state.arn; // the bake bundle sits beside the roles' bundles (not the access log bucket)
        assert.deepEqual(
            doc.Statement.map((s) => [s.Sid, s.Action, s.Resource]),
            [
                ["ImageBuilderAgentChannel", [...IMAGE_BUILD_AGENT_ACTIONS], "*"],
                ["ReadBakeComponent", ["imagebuilder:GetComponent"], `arn:aws:imagebuilder:eu-west-1:123456789012:component/${String(component.name)}/*`],
                ["ReadBakeBundle", ["s3:GetObject", "s3:GetObjectVersion"], `${String(bucket)}/provisioning/image-bake.tar.gz`],
                ["ReadImageBuilderTools", ["s3:GetObject"], "arn:aws:s3:::ec2imagebuilder*"],
                [
                    "WriteBuildLogs",
                    ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                    "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/imagebuilder/*",
                ],
            ],
        );
        for (const s of doc.Statement) for (const a of s.Action) assert.ok(!a.includes("*") && !/^(secretsmanager|kms):/.test(a), a);
    });

    it("no secret in the recipe, the component or the bake bundle: no secret ARN, no placeholder, no config", function () {
        const text = JSON.stringify([one(rt, "aws:imagebuilder/component:Component").inputs, one(rt, "aws:imagebuilder/imageRecipe:ImageRecipe").inputs]);
        const bake = of(rt, "aws:s3/bucketObjectv2:BucketObjectv2").find((o) => o.inputs.key === "provisioning/image-bake.tar.gz")!;
        const component = String(one(rt, "aws:imagebuilder/component:Component").inputs.data);
        const decoded = [...component.matchAll(/printf '%s' '([A-Za-z0-9+/=]+)'/g)].map((m) => Buffer.from(m[1], "base64").toString("utf8")).join("\n");
        assert.ok(decoded.includes("MATOMO_PROVISION_MODE='bake'"));
        for (const t of [text, decoded]) {
            assert.doesNotMatch(t, /secretsmanager|\{\{secret:|config\.ini\.php\.template|SECRET_|password/i);
        }
        assert.ok(bake, "the bake bundle is stored");
    });

    it("a changed Matomo release or plugin list makes a new component and recipe version; the same inputs keep them", async function () {
        const versions = async (args: typeof PREBUILT) => {
            const r = (await buildCluster(args)).rt;
            return [one(r, "aws:imagebuilder/component:Component").inputs.version, one(r, "aws:imagebuilder/imageRecipe:ImageRecipe").inputs.version];
        };
        const base = await versions(PREBUILT);
        assert.deepEqual(await versions(PREBUILT), base);
        const release = await versions({
            ...PREBUILT,
            matomo: { version: "5.10.1", sha256: "ab".repeat(32), downloadUrl: "https://mirror.example/matomo-5.10.1.tar.gz" },
        });
        const plugin = await versions({
            ...PREBUILT,
            plugins: [{ name: "CustomAlerts", version: "5.0.6", sha256: "cd".repeat(32), downloadUrl: "https://plugins.example/CustomAlerts-5.0.6.zip" }],
        });
        const generation = await versions({ ...PREBUILT, nodeImage: { prebuilt: true, generation: 2 } });
        for (const changed of [release, plugin, generation]) {
            assert.notEqual(changed[0], base[0]);
            assert.notEqual(changed[1], base[1]);
        }
    });

    it("passes the policy pack, and IMDSv1 on the build instance fails matomo-imdsv2", async function () {
        const infra = one(rt, "aws:imagebuilder/infrastructureConfiguration:InfrastructureConfiguration");
        const imds = MATOMO_POLICIES.find((p) => p.name === "matomo-imdsv2")!;
        assert.ok(imds);
        const reports: string[] = [];
        const check = (props: Record<string, unknown>) =>
            (
                imds as unknown as { validateResource: (args: { type: string; props: Record<string, unknown> }, report: (m: string) => void) => void }
            ).validateResource({ type: infra.type, props }, (m) => reports.push(m));
        check(infra.inputs);
        assert.deepEqual(reports, []);
        check({ ...infra.inputs, instanceMetadataOptions: { httpTokens: "optional", httpPutResponseHopLimit: 1 } });
        assert.equal(reports.length, 1);
    });
});

describe("nodeImage arguments", function () {
    it("default off, generation 1, the build instance type by architecture; refuses a build type of the other architecture, generation 0 and unknown keys, naming each", function () {
        assert.deepEqual(resolveSettings(BASE_ARGS).nodeImage, { prebuilt: false, generation: 1, buildInstanceType: "c7g.large" });
        assert.equal(
            resolveSettings({ ...BASE_ARGS, architecture: "x86_64", trackers: { instanceType: "c7i.large" }, ui: { instanceType: "m7i.large" } }).nodeImage
                .buildInstanceType,
            "c7i.large",
        );
        assert.throws(
            () => resolveSettings({ ...BASE_ARGS, nodeImage: { prebuilt: true, generation: 0, bake: true } as never }),
            (e: Error) => /nodeImage\.generation/.test(e.message) && /nodeImage\.bake/.test(e.message),
        );
        assert.throws(
            () => resolveSettings({ ...BASE_ARGS, nodeImage: { prebuilt: true, buildInstanceType: "c7i.large" } }),
            /nodeImage\.buildInstanceType' = "c7i\.large": a Graviton \(arm64\) type/,
        );
    });
});

describe("the bake component document (AWSTOE schema 1.0)", function () {
    const settings = resolveSettings({ ...BASE_ARGS, nodeImage: { prebuilt: true } });
    const doc = renderBakeComponent({
        settings,
        region: "eu-west-1",
        bundle: { bucket: "b", key: "provisioning/image-bake.tar.gz", versionId: "v".repeat(1024) },
        bundleSha256: "0".repeat(64),
    });

    it("has the documented shape: schemaVersion 1.0, build and validate phases, uniquely named steps of ExecuteBash with a list of commands; under 16,000 characters", function () {
        assert.ok(doc.length <= 16000, `${doc.length} characters`);
        const parsed = loadYaml(doc) as Record<string, unknown>;
        assert.deepEqual(Object.keys(parsed).sort(), ["description", "name", "phases", "schemaVersion"]);
        assert.equal(parsed.schemaVersion, 1.0);
        const phases = parsed.phases as { name: string; steps: { name: string; action: string; inputs: { commands: string[] } }[] }[];
        assert.deepEqual(
            phases.map((p) => p.name),
            ["build", "validate"],
        );
        for (const phase of phases) {
            assert.equal(new Set(phase.steps.map((s) => s.name)).size, phase.steps.length, "step names unique in a phase");
            for (const step of phase.steps) {
                assert.deepEqual(Object.keys(step).sort(), ["action", "inputs", "name"]);
                assert.match(step.name, /^[A-Za-z][A-Za-z0-9]{0,63}$/);
                assert.equal(step.action, "ExecuteBash");
                assert.ok(Array.isArray(step.inputs.commands) && step.inputs.commands.every((c) => typeof c === "string" && c.length > 0));
            }
        }
        assert.ok(phases[1].steps[0].inputs.commands[0].includes(BAKED_MARKER));
    });

    it("semantic versions stay within Image Builder's 2^30 − 1 per node", function () {
        assert.equal(semanticVersionOf("f".repeat(64)), `1.${2 ** 28 - 1}.${2 ** 28 - 1}`);
        assert.ok(isImageBuilderVersion("1.0.0") && isImageBuilderVersion("1073741823.0.1"));
        assert.ok(!isImageBuilderVersion("1073741824.0.0") && !isImageBuilderVersion("1.0") && !isImageBuilderVersion("01.0.0"));
    });

    it("the image manifest names the release, its verification, the packages of both roles and the generation; licensed plugins are left to boot", function () {
        const m = renderImageManifest(settings);
        assert.match(m, /^matomo_version=5\.\d+\.\d+$/m);
        assert.match(m, /^matomo_verified_by=signature F529A27008477483777FC23D63BB30D0E5D2C749$/m);
        assert.match(m, /^packages=.*\bnginx\b.*\bphp8\.2-fpm\b/m);
        assert.match(m, /^generation=1$/m);
    });
});
