import { strict as assert } from "assert";
import { gunzipSync } from "zlib";
import * as pulumi from "@pulumi/pulumi";
import { build, buildCluster, BASE_ARGS, of, one } from "./harness";
import { MatomoCluster } from "../../lib/aws/cluster";
import { installMockRuntime, type MockRuntime, type RecordedResource } from "../../lib/plan/mockRuntime";
import { DebianImage } from "../../lib/aws/image";
import { InvalidArgumentError } from "../../lib/settings";

/** The inline policy document `matomo-<role>-<suffix>` of a role. */
const inlinePolicy = (rt: MockRuntime, role: string, suffix: string) =>
    JSON.parse(String(rt.named(`matomo-${role}-${suffix}`).inputs.policy)) as {
        Statement: { Sid?: string; Effect: string; Action: string[]; Resource: string[] | string; Condition?: unknown }[];
    };

const byRole = (rt: MockRuntime, type: string, role: string): RecordedResource => {
    const found = of(rt, type).filter((r) => r.parent === `matomo-${role}`);
    assert.equal(found.length, 1, `one ${type} for ${role}`);
    return found[0];
};

/** User data as EC2 gets it: base64 of text or of gzip bytes. */
function decodeUserData(base64: string): string {
    const bytes = Buffer.from(base64, "base64");
    return (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString("utf8");
}

describe("NodeGroup", () => {
    let rt: MockRuntime;
    let configSha256: string;
    before(async () => {
        const built = await buildCluster();
        rt = built.rt;
        configSha256 = built.outputs.configSha256;
    });

    it("requires IMDSv2 and encrypts a gp3 root volume on both roles", () => {
        for (const role of ["tracker", "ui"]) {
            const lt = byRole(rt, "aws:ec2/launchTemplate:LaunchTemplate", role).inputs;
            const meta = lt.metadataOptions as Record<string, unknown>;
            assert.equal(meta.httpTokens, "required");
            assert.equal(meta.httpPutResponseHopLimit, 1);
            const disks = lt.blockDeviceMappings as { deviceName: string; ebs: Record<string, unknown> }[];
            assert.equal(disks.length, 1);
            assert.equal(disks[0].deviceName, "/dev/xvda");
            assert.equal(disks[0].ebs.volumeType, "gp3");
            assert.equal(disks[0].ebs.encrypted, "true");
            assert.equal(lt.keyName, undefined, "no SSH key pair");
        }
    });

    it("boots the official Debian 12 image for the architecture", async () => {
        const lt = byRole(rt, "aws:ec2/launchTemplate:LaunchTemplate", "tracker");
        assert.match(String(lt.inputs.imageId), /^ami-[0-9a-f]{17}$/);
        const x86 = await buildCluster({ ...BASE_ARGS, architecture: "x86_64" });
        const image = x86.value.trackers.imageId;
        assert.notEqual(await new Promise((r) => image.apply(r)), lt.inputs.imageId, "another architecture, another image");
        assert.equal(byRole(x86.rt, "aws:ec2/launchTemplate:LaunchTemplate", "tracker").inputs.instanceType, "c7i.large");
    });

    it("uses a given AMI without looking one up", async () => {
        const { rt: pinned } = await buildCluster({ ...BASE_ARGS, amiId: "ami-0123456789abcdef0" });
        for (const role of ["tracker", "ui"])
            assert.equal(byRole(pinned, "aws:ec2/launchTemplate:LaunchTemplate", role).inputs.imageId, "ami-0123456789abcdef0");
    });

    it("carries one config sha256 in both roles' launch templates and instances, the cluster's", () => {
        assert.match(configSha256, /^[0-9a-f]{64}$/);
        for (const role of ["tracker", "ui"]) {
            const lt = byRole(rt, "aws:ec2/launchTemplate:LaunchTemplate", role).inputs;
            assert.equal((lt.tags as Record<string, string>)["matomo:config-sha256"], configSha256);
            for (const spec of lt.tagSpecifications as { resourceType: string; tags: Record<string, string> }[]) {
                assert.equal(spec.tags["matomo:config-sha256"], configSha256, spec.resourceType);
            }
            assert.ok(decodeUserData(String(lt.userData)).length > 0);
        }
    });

    it("rolls both groups with an instance refresh when a setting changes the config", async () => {
        const changed = await buildCluster({ ...BASE_ARGS, maintenanceMode: true });
        assert.notEqual(changed.outputs.configSha256, configSha256);
        for (const role of ["tracker", "ui"]) {
            const before = byRole(rt, "aws:ec2/launchTemplate:LaunchTemplate", role).inputs;
            const after = byRole(changed.rt, "aws:ec2/launchTemplate:LaunchTemplate", role).inputs;
            assert.equal((after.tags as Record<string, string>)["matomo:config-sha256"], changed.outputs.configSha256);
            assert.notEqual(after.userData, before.userData, `${role} user data changes, so the template gets a new version`);
            const asg = byRole(changed.rt, "aws:autoscaling/group:Group", role).inputs;
            const refresh = asg.instanceRefresh as { strategy: string; preferences: Record<string, unknown> };
            assert.equal(refresh.strategy, "Rolling");
            // The group follows the template's latest version by number, so a new version is a change AWS refreshes on.
            assert.equal((asg.launchTemplate as { version: string }).version, "1");
        }
    });

    it("keeps serving capacity during a refresh by default, and lets the pace be set", async () => {
        for (const role of ["tracker", "ui"]) {
            const prefs = (byRole(rt, "aws:autoscaling/group:Group", role).inputs.instanceRefresh as { preferences: Record<string, unknown> }).preferences;
            assert.equal(prefs.minHealthyPercentage, 100);
            assert.ok(Number(prefs.maxHealthyPercentage) > 100, "replacements launch before old nodes stop");
        }
        const slow = await buildCluster({ ...BASE_ARGS, instanceRefresh: { minHealthyPercentage: 50, maxHealthyPercentage: 100, instanceWarmupSeconds: 600 } });
        const prefs = (byRole(slow.rt, "aws:autoscaling/group:Group", "tracker").inputs.instanceRefresh as { preferences: Record<string, unknown> })
            .preferences;
        assert.deepEqual([prefs.minHealthyPercentage, prefs.maxHealthyPercentage, prefs.instanceWarmup], [50, 100, "600"]);
    });

    it("sizes the groups as the FAQ layout: 2 trackers, 1 ui, ELB health checks with a grace period", () => {
        const tracker = byRole(rt, "aws:autoscaling/group:Group", "tracker").inputs;
        const ui = byRole(rt, "aws:autoscaling/group:Group", "ui").inputs;
        assert.deepEqual([tracker.minSize, tracker.desiredCapacity], [2, 2]);
        // One spare place above `count`, so an instance refresh can start the replacement before it stops the old node.
        assert.deepEqual([ui.minSize, ui.maxSize, ui.desiredCapacity], [1, 2, 1]);
        for (const asg of [tracker, ui]) {
            assert.equal(asg.healthCheckType, "ELB");
            assert.ok(Number(asg.healthCheckGracePeriod) >= 300);
        }
        const tgs = of(rt, "aws:lb/targetGroup:TargetGroup");
        const arnOf = (role: string) => tgs.find((t) => (t.inputs.tags as Record<string, string>)["matomo:role"] === role)!.state.arn;
        assert.deepEqual(tracker.targetGroupArns, [arnOf("tracker")]);
        assert.deepEqual(ui.targetGroupArns, [arnOf("ui")]);
    });

    it("lets each role read exactly the secrets it uses: trackers their own database user's and the salt; ui the master, both users', the salt and the super user's password", () => {
        const arnOf = (name: string) => String(of(rt, "aws:secretsmanager/secret:Secret").find((r) => r.name === name)!.state.arn);
        const master = arnOf("matomo-database-password");
        const app = arnOf("matomo-secrets-db-app");
        const tracker = arnOf("matomo-secrets-db-tracker");
        const salt = arnOf("matomo-secrets-salt");
        const superUser = arnOf("matomo-secrets-superuser-password");
        // The ui reads the tracker user's secret to create that user (matomo-db-users.php); a tracker never the master's or the app user's.
        const expected: Record<string, string[]> = { tracker: [tracker, salt].sort(), ui: [master, app, tracker, salt, superUser].sort() };
        for (const role of ["tracker", "ui"]) {
            const policy = inlinePolicy(rt, role, "secrets");
            assert.equal(policy.Statement.length, 1);
            assert.deepEqual(policy.Statement[0].Action, ["secretsmanager:GetSecretValue"]);
            assert.deepEqual([...policy.Statement[0].Resource].sort(), expected[role], role);
            const trust = JSON.parse(String(byRole(rt, "aws:iam/role:Role", role).inputs.assumeRolePolicy)) as {
                Statement: { Principal: { Service: string } }[];
            };
            assert.deepEqual(
                trust.Statement.map((s) => s.Principal.Service),
                ["ec2.amazonaws.com"],
            );
            const prefix = String(byRole(rt, "aws:iam/role:Role", role).inputs.namePrefix);
            assert.ok(prefix.length <= 38 && /^[\w+=,.@-]+$/.test(prefix), prefix);
        }
    });

    it("reaches Session Manager with AWS's minimal instance policy instead of AmazonSSMManagedInstanceCore (no ssm:GetParameter* on *)", () => {
        for (const role of ["tracker", "ui"]) {
            const managed = of(rt, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.parent === `matomo-${role}`);
            assert.deepEqual(managed, [], `${role}: no managed policy`);
            const policy = inlinePolicy(rt, role, "session-manager");
            assert.equal(policy.Statement.length, 1);
            // Systems Manager user guide, "Create a custom IAM role for Session Manager" (and the AWS managed policy AWSCloud9SSMInstanceProfile).
            assert.deepEqual([...policy.Statement[0].Action].sort(), [
                "ssm:UpdateInstanceInformation",
                "ssmmessages:CreateControlChannel",
                "ssmmessages:CreateDataChannel",
                "ssmmessages:OpenControlChannel",
                "ssmmessages:OpenDataChannel",
            ]);
            assert.equal(policy.Statement[0].Effect, "Allow");
            const actions = of(rt, "aws:iam/rolePolicy:RolePolicy")
                .filter((p) => p.parent === `matomo-${role}`)
                .flatMap((p) => (JSON.parse(String(p.inputs.policy)) as { Statement: { Action: string[] }[] }).Statement.flatMap((st) => st.Action));
            assert.deepEqual(
                actions.filter((a) => a.startsWith("ssm:GetParameter") || a.endsWith("*")),
                [],
                role,
            );
        }
    });

    it("keeps every name prefix within the provider's limits for a 120-character cluster name (launch template at most 99)", async () => {
        const long = await buildCluster(BASE_ARGS, undefined, "a".repeat(120));
        for (const lt of of(long.rt, "aws:ec2/launchTemplate:LaunchTemplate")) {
            // terraform-provider-aws ValidLaunchTemplateName: "cannot be longer than 99 characters, name is limited to 125".
            const prefix = String(lt.inputs.namePrefix);
            assert.ok(prefix.length >= 3 && prefix.length <= 99 && /^[0-9a-zA-Z()./_-]+$/.test(prefix), `${prefix.length}: ${prefix}`);
        }
        for (const role of of(long.rt, "aws:iam/role:Role")) assert.ok(String(role.inputs.namePrefix).length <= 38);
        for (const profile of of(long.rt, "aws:iam/instanceProfile:InstanceProfile")) assert.ok(String(profile.inputs.namePrefix).length <= 38);
        for (const asg of of(long.rt, "aws:autoscaling/group:Group")) assert.ok(String(asg.inputs.namePrefix).length <= 255 - 26);
    });

    describe("the Debian image", function () {
        // Three whole clusters are built per test.
        const imageOf = (built: MockRuntime, role: string) => String(byRole(built, "aws:ec2/launchTemplate:LaunchTemplate", role).inputs.imageId);

        it("as a standalone DebianImage, refuses a bad generation, architecture or unknown key by its own name, before any resource", () => {
            const fresh = installMockRuntime();
            assert.throws(
                () => new DebianImage("img", { generation: 0, architecture: "sparc" as never, generatoin: 2 } as never),
                (e: unknown) =>
                    e instanceof InvalidArgumentError &&
                    /DebianImage: invalid argument 'generation' = 0/.test(e.message) &&
                    /'architecture' = "sparc"/.test(e.message) &&
                    /'generatoin'.*did you mean 'generation'/.test(e.message),
            );
            assert.equal(fresh.resources.length, 0);
        });

        it("is resolved once and kept: a later up after Debian publishes a newer image changes no launch template", async () => {
            const first = await buildCluster(BASE_ARGS, undefined, "matomo", { debianImageDate: "20261101" });
            const later = await buildCluster(BASE_ARGS, undefined, "matomo", { debianImageDate: "20261215", previous: first.rt.resources });
            for (const role of ["tracker", "ui"]) {
                assert.match(imageOf(first.rt, role), /^ami-[0-9a-f]{17}$/);
                assert.equal(imageOf(later.rt, role), imageOf(first.rt, role), role);
                assert.equal(
                    byRole(later.rt, "aws:ec2/launchTemplate:LaunchTemplate", role).inputs.userData,
                    byRole(first.rt, "aws:ec2/launchTemplate:LaunchTemplate", role).inputs.userData,
                );
            }
            assert.equal(imageOf(first.rt, "tracker"), imageOf(first.rt, "ui"), "both groups use the one kept image");
            // Without the kept state (a fresh stack) the newest image is the one resolved.
            const fresh = await buildCluster(BASE_ARGS, undefined, "matomo", { debianImageDate: "20261215" });
            assert.notEqual(imageOf(fresh.rt, "tracker"), imageOf(first.rt, "tracker"));
        });

        it("moves to the newest image when amiGeneration is raised, rolling both groups", async () => {
            const first = await buildCluster(BASE_ARGS, undefined, "matomo", { debianImageDate: "20261101" });
            const raised = await buildCluster({ ...BASE_ARGS, amiGeneration: 2 }, undefined, "matomo", {
                debianImageDate: "20261215",
                previous: first.rt.resources,
            });
            const fresh = await buildCluster(BASE_ARGS, undefined, "matomo", { debianImageDate: "20261215" });
            for (const role of ["tracker", "ui"]) {
                assert.notEqual(imageOf(raised.rt, role), imageOf(first.rt, role), role);
                assert.equal(imageOf(raised.rt, role), imageOf(fresh.rt, role), `${role} gets the newest image`);
            }
        });
    });

    it("names launch templates within AWS's rules (3 to 128 of letters, digits and ( ) . - / _, prefix leaves 26 for the suffix)", () => {
        for (const lt of of(rt, "aws:ec2/launchTemplate:LaunchTemplate")) {
            const prefix = String(lt.inputs.namePrefix);
            assert.ok(prefix.length + 26 <= 128 && /^[A-Za-z0-9().\-/_]+$/.test(prefix), prefix);
        }
        assert.equal(one(rt, "aws:ec2/vpc:Vpc").inputs.cidrBlock, "10.80.0.0/16");
    });

    describe("secrets under a customer-managed KMS key", () => {
        type Statement = { Sid?: string; Effect: string; Action: string[]; Resource: string[]; Condition?: Record<string, Record<string, string>> };
        const statements = (built: MockRuntime, role: string) => inlinePolicy(built, role, "secrets").Statement as Statement[];
        // kms:Decrypt on the key, only when Secrets Manager asks on the node's behalf in the stack's region (AWS KMS: kms:ViaService).
        const decrypt = (keyArns: string[]): Statement => ({
            Sid: "DecryptClusterSecrets",
            Effect: "Allow",
            Action: ["kms:Decrypt"],
            Resource: keyArns,
            Condition: { StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } },
        });
        const CMK = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        const DB_CMK = "arn:aws:kms:eu-west-1:123456789012:key/0987dcba-09fe-87dc-65ba-ab0987654321";

        it("grants nothing on KMS with the default aws/secretsmanager key", () => {
            for (const role of ["tracker", "ui"]) assert.ok(!JSON.stringify(statements(rt, role)).includes("kms:"), role);
        });

        it("lets both roles decrypt with overrides.secrets.kmsKeyId, through Secrets Manager only", async () => {
            const built = (await buildCluster({ ...BASE_ARGS, overrides: { secrets: { kmsKeyId: CMK } } })).rt;
            for (const role of ["tracker", "ui"]) {
                const list = statements(built, role);
                assert.equal(list.length, 2, role);
                assert.deepEqual(list[1], decrypt([CMK]), role);
            }
        });

        it("grants decrypt on the key's ARN when the key is given by alias", async () => {
            const built = (await buildCluster({ ...BASE_ARGS, overrides: { secrets: { kmsKeyId: "alias/matomo-secrets" } } })).rt;
            for (const role of ["tracker", "ui"]) {
                const [resource] = statements(built, role)[1].Resource;
                assert.match(resource, /^arn:aws:kms:eu-west-1:123456789012:key\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, role);
            }
        });

        it("lets only the ui decrypt an existing database's admin secret under the key given as passwordSecretKmsKeyArn", async () => {
            const secretArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:matomo-db-AbCdEf";
            const built = (
                await buildCluster({
                    ...BASE_ARGS,
                    database: {
                        existing: { host: "mysql.internal.example.com", username: "matomo", passwordSecretArn: secretArn, passwordSecretKmsKeyArn: DB_CMK },
                    },
                    salt: { generateNew: true },
                    overrides: { secrets: { kmsKeyId: CMK } },
                })
            ).rt;
            const ui = statements(built, "ui");
            assert.deepEqual(ui[1], decrypt([DB_CMK, CMK].sort()));
            assert.ok(ui[0].Resource.includes(secretArn));
            const tracker = statements(built, "tracker");
            assert.deepEqual(tracker[1], decrypt([CMK]));
            assert.ok(!tracker[0].Resource.includes(secretArn), "a tracker never reads the admin credential");
        });

        it("puts every secret the cluster creates under overrides.secrets.kmsKeyId, the master credential's too (issue 20 item 5)", async () => {
            for (const overrides of [{ secrets: { kmsKeyId: CMK } }, { secrets: { secret: { args: { kmsKeyId: CMK } } } }]) {
                const built = (await buildCluster({ ...BASE_ARGS, overrides })).rt;
                const secrets = of(built, "aws:secretsmanager/secret:Secret");
                assert.deepEqual(secrets.map((r) => r.name).sort(), [
                    "matomo-database-password",
                    "matomo-secrets-db-app",
                    "matomo-secrets-db-tracker",
                    "matomo-secrets-salt",
                    "matomo-secrets-superuser-password",
                ]);
                for (const r of secrets) assert.equal(r.inputs.kmsKeyId, CMK, `${r.name}: ${JSON.stringify(overrides)}`);
            }
        });
    });

    describe("tracker autoscaling", () => {
        it("scales the tracker group between minSize and maxSize on average CPU (target 60 %), and the ui group not at all", () => {
            const policies = of(rt, "aws:autoscaling/policy:Policy");
            assert.equal(policies.length, 1, "one policy, the tracker group's");
            const policy = policies[0].inputs;
            const tracker = byRole(rt, "aws:autoscaling/group:Group", "tracker");
            assert.equal(policy.autoscalingGroupName, tracker.state.name);
            assert.equal(policy.policyType, "TargetTrackingScaling");
            assert.deepEqual(policy.targetTrackingConfiguration, {
                predefinedMetricSpecification: { predefinedMetricType: "ASGAverageCPUUtilization" },
                targetValue: 60,
            });
            assert.equal(policy.estimatedInstanceWarmup, 900, "a new node's first-boot install does not count as load");
            assert.equal(tracker.inputs.minSize, 2);
            assert.equal(tracker.inputs.maxSize, 6);
        });

        it("takes the CPU target from trackers.targetCpuUtilization", async () => {
            const built = (await buildCluster({ ...BASE_ARGS, trackers: { targetCpuUtilization: 45 } })).rt;
            assert.equal((one(built, "aws:autoscaling/policy:Policy").inputs.targetTrackingConfiguration as { targetValue: number }).targetValue, 45);
        });

        it("leaves the tracker group's scaled capacity alone on the next up (desiredCapacity is only the initial size); the ui group stays pinned", async () => {
            const opts = new Map<string, pulumi.CustomResourceOptions>();
            await build(
                () =>
                    new MatomoCluster("matomo", BASE_ARGS, {
                        ignoreChanges: ["tags"],
                        transformations: [
                            (args) => {
                                opts.set(args.name, args.opts as pulumi.CustomResourceOptions);
                                return undefined;
                            },
                        ],
                    }),
                (c) => [c.configSha256],
            );
            assert.deepEqual([...(opts.get("matomo-tracker-asg")!.ignoreChanges ?? [])].sort(), ["desiredCapacity", "tags"]);
            assert.deepEqual(opts.get("matomo-ui-asg")!.ignoreChanges, ["tags"]);
        });
    });
});
