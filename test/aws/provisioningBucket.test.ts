/**
 * The provisioning bundles' bucket in the cluster graph: private (public access blocked, ACLs off,
 * TLS only, encrypted), versioned with a lifecycle for replaced versions, one object per role whose
 * version id and sha256 the role's user data pins, and node roles that may read only their object.
 */
import { strict as assert } from "assert";
import { createHash } from "crypto";
import { gunzipSync } from "zlib";
import { buildCluster, BASE_ARGS, of } from "./harness";
import { checkAwsLimits } from "../../lib/model/awsLimits";
import { listUstar, USER_DATA_LIMIT_BYTES } from "../../lib/provision";
import { redactSecrets, type MockRuntime, type RecordedResource } from "../../lib/plan/mockRuntime";

const ROLES = ["tracker", "ui"] as const;

function userDataText(rt: MockRuntime, role: string): string {
    const lt = of(rt, "aws:ec2/launchTemplate:LaunchTemplate").find((r) => r.parent === `matomo-${role}`)!;
    return gunzipSync(Buffer.from(String(lt.inputs.userData), "base64")).toString("utf8");
}

/** bundle.env as the role's user data writes it, as name → value. */
function bundleEnv(rt: MockRuntime, role: string): Record<string, string> {
    const text = userDataText(rt, role);
    const block = /path: '\/etc\/matomo-provision\/bundle\.env'[\s\S]*?content: \|2\n((?: {6}.*\n)+)/.exec(text)![1];
    return Object.fromEntries([...block.matchAll(/^ {6}(MATOMO_BUNDLE_\w+)='([^']*)'$/gm)].map((m) => [m[1], m[2]]));
}

describe("ProvisioningBucket: where each role's provisioning bundle is stored", () => {
    let rt: MockRuntime;
    let bucket: RecordedResource;
    let bucketName: string;
    before(async () => {
        rt = (await buildCluster()).rt;
        bucket = rt.named("matomo-provisioning-bucket");
        bucketName = String(bucket.state.bucket);
    });

    const on = (type: string): RecordedResource[] => of(rt, type).filter((r) => r.inputs.bucket === bucketName);

    it("is one bucket, named within S3's rules from a prefix (the provider adds 26 digits), emptied by pulumi destroy", () => {
        // Beside it only the load balancer's access log bucket (observability, test/aws/observability.test.ts) and the
        // bucket both log their S3 requests to (test/aws/s3AccessLogging.test.ts).
        assert.deepEqual(
            of(rt, "aws:s3/bucket:Bucket")
                .map((b) => b.name)
                .sort(),
            ["matomo-alb-logs", "matomo-provisioning-bucket", "matomo-s3-access-logs"],
        );
        assert.equal(bucket.parent, "matomo-provisioning");
        assert.equal(bucket.inputs.bucketPrefix, "matomo-provisioning-bundles-");
        assert.equal(bucket.inputs.forceDestroy, true);
        // S3's rules (bucketnamingrules.html): 3 to 63 lowercase letters, digits, hyphens; a letter or digit at each end.
        assert.match(bucketName, /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/);
        assert.deepEqual(checkAwsLimits([{ type: bucket.type, name: bucket.name, inputs: bucket.inputs }]), []);
    });

    it("blocks every kind of public access, disables ACLs, encrypts by default and is versioned", () => {
        const block = on("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
        assert.equal(block.length, 1);
        assert.deepEqual(
            [block[0].inputs.blockPublicAcls, block[0].inputs.blockPublicPolicy, block[0].inputs.ignorePublicAcls, block[0].inputs.restrictPublicBuckets],
            [true, true, true, true],
        );
        assert.deepEqual(
            on("aws:s3/bucketOwnershipControls:BucketOwnershipControls").map((r) => r.inputs.rule),
            [{ objectOwnership: "BucketOwnerEnforced" }],
        );
        assert.deepEqual(
            on("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").map((r) => r.inputs.rules),
            [[{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]],
        );
        assert.deepEqual(
            on("aws:s3/bucketVersioning:BucketVersioning").map((r) => r.inputs.versioningConfiguration),
            [{ status: "Enabled" }],
        );
    });

    it("refuses every request not made over TLS, to the bucket and its objects", () => {
        const policies = on("aws:s3/bucketPolicy:BucketPolicy");
        assert.equal(policies.length, 1);
        const arn = `arn:aws:s3:::${bucketName}`;
        assert.deepEqual(JSON.parse(String(policies[0].inputs.policy)), {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "DenyInsecureTransport",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "s3:*",
                    Resource: [arn, `${arn}/*`],
                    Condition: { Bool: { "aws:SecureTransport": "false" } },
                },
            ],
        });
    });

    it("expires a replaced bundle version after 30 days, but always keeps the 3 newest replaced ones", () => {
        const lifecycle = on("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration");
        assert.equal(lifecycle.length, 1);
        assert.deepEqual(lifecycle[0].inputs.rules, [
            {
                id: "expire-replaced-bundles",
                status: "Enabled",
                filter: { prefix: "provisioning/" },
                noncurrentVersionExpiration: { noncurrentDays: 30, newerNoncurrentVersions: 3 },
            },
        ]);
        assert.deepEqual(checkAwsLimits(lifecycle.map((r) => ({ type: r.type, name: r.name, inputs: r.inputs }))), []);
    });

    it("stores one bundle per role, and each role's user data pins that object's key, version id and the sha256 of its bytes", () => {
        const objects = on("aws:s3/bucketObjectv2:BucketObjectv2");
        assert.deepEqual(objects.map((o) => o.inputs.key).sort(), ["provisioning/tracker.tar.gz", "provisioning/ui.tar.gz"]);
        for (const role of ROLES) {
            const object = objects.find((o) => o.inputs.key === `provisioning/${role}.tar.gz`)!;
            const bytes = Buffer.from(String(object.inputs.contentBase64), "base64");
            const env = bundleEnv(rt, role);
            assert.deepEqual(env, {
                MATOMO_BUNDLE_BUCKET: bucketName,
                MATOMO_BUNDLE_KEY: `provisioning/${role}.tar.gz`,
                MATOMO_BUNDLE_VERSION_ID: String(object.state.versionId),
                MATOMO_BUNDLE_SHA256: createHash("sha256").update(bytes).digest("hex"),
            });
            assert.ok(String(object.state.versionId).length > 0);
            const paths = listUstar(gunzipSync(bytes)).map((e) => e.path);
            assert.ok(paths.includes("usr/local/sbin/matomo-provision"), role);
            assert.ok(paths.includes("etc/matomo-provision/amazon-ssm-agent.asc"), role);
            assert.equal(paths.includes("usr/local/lib/matomo-provision/matomo-ui-setup.sh"), role === "ui");
            assert.ok(!paths.some((p) => p.endsWith("provision.env") || p.endsWith("config.ini.php.template")), "those stay in user data");
        }
    });

    it("each role's nodes may read exactly their own bundle object (GetObject, GetObjectVersion), nothing else in S3", () => {
        for (const role of ROLES) {
            const policy = JSON.parse(String(rt.named(`matomo-${role}-bundle`).inputs.policy)) as unknown;
            assert.deepEqual(policy, {
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "ReadProvisioningBundle",
                        Effect: "Allow",
                        Action: ["s3:GetObject", "s3:GetObjectVersion"],
                        Resource: `arn:aws:s3:::${bucketName}/provisioning/${role}.tar.gz`,
                    },
                ],
            });
            const roleId = rt.named(`matomo-${role}-bundle`).inputs.role;
            const others = of(rt, "aws:iam/rolePolicy:RolePolicy").filter((p) => p.inputs.role === roleId && p.name !== `matomo-${role}-bundle`);
            for (const p of others) assert.doesNotMatch(String(p.inputs.policy), /"s3:/, `${p.name} grants nothing in S3`);
        }
    });

    it("user data is far below EC2's 16 KB (measured on the launch templates)", () => {
        for (const role of ROLES) {
            const lt = of(rt, "aws:ec2/launchTemplate:LaunchTemplate").find((r) => r.parent === `matomo-${role}`)!;
            const bytes = Buffer.from(String(lt.inputs.userData), "base64").length;
            console.log(`      ${role}: ${bytes} bytes of user data (${Math.round((100 * bytes) / USER_DATA_LIMIT_BYTES)}% of ${USER_DATA_LIMIT_BYTES})`);
            assert.ok(bytes <= 4096, `${role}: ${bytes} bytes`);
        }
    });

    it("a config-only change keeps each stored bundle (same bytes, same version id); QueuedTracking's scripts make new versions", async () => {
        const objectsOf = (other: MockRuntime) => Object.fromEntries(of(other, "aws:s3/bucketObjectv2:BucketObjectv2").map((o) => [String(o.inputs.key), o]));
        const before = objectsOf(rt);
        const configOnly = (await buildCluster({ ...BASE_ARGS, extraConfig: { CustomSettings: { note: "a config-only change" } } })).rt;
        for (const [key, o] of Object.entries(objectsOf(configOnly))) {
            assert.equal(o.inputs.contentBase64, before[key].inputs.contentBase64, key);
            assert.equal(o.state.versionId, before[key].state.versionId, key);
        }
        assert.notEqual(userDataText(configOnly, "ui"), userDataText(rt, "ui"), "the config in user data did change");
        const queued = (await buildCluster({ ...BASE_ARGS, queuedTracking: { enabled: true, pluginSha256: "c".repeat(64) } })).rt;
        for (const [key, o] of Object.entries(objectsOf(queued))) assert.notEqual(o.state.versionId, before[key].state.versionId, key);
        for (const role of ROLES)
            assert.equal(bundleEnv(queued, role).MATOMO_BUNDLE_VERSION_ID, String(objectsOf(queued)[`provisioning/${role}.tar.gz`].state.versionId));
    });

    it("the plan's redaction leaves the bundle readable (it holds no secret)", () => {
        for (const o of on("aws:s3/bucketObjectv2:BucketObjectv2"))
            assert.equal((redactSecrets(o.inputs) as Record<string, unknown>).contentBase64, o.inputs.contentBase64);
    });
});
