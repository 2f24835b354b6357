/**
 * S3 server access logging (FSBP S3.9, AWSGuard `s3-bucket-logging-enabled`) for the buckets the
 * cluster makes: the provisioning bucket and the load balancer's access-log bucket log every request
 * to one server-access-log bucket. As the S3 User Guide asks for a target bucket with Object
 * Ownership "bucket owner enforced": permission through a bucket policy for the logging service
 * principal `logging.s3.amazonaws.com` (ACLs are disabled), limited by `aws:SourceArn` and
 * `aws:SourceAccount`; default encryption SSE-S3 (no KMS key policy to admit the logging service);
 * in the source buckets' region and account. The target does not log itself (documented exception).
 */
import { strict as assert } from "assert";
import { BASE_ARGS, buildCluster, of } from "./harness";
import type { MockRuntime, RecordedResource } from "../../lib/plan/mockRuntime";

const LOGGING = "aws:s3/bucketLogging:BucketLogging";

interface Statement {
    Sid: string;
    Effect: string;
    Principal: unknown;
    Action: string;
    Resource: string | string[];
    Condition?: Record<string, Record<string, string | string[]>>;
}

function bucketNamed(rt: MockRuntime, name: string): RecordedResource {
    const found = of(rt, "aws:s3/bucket:Bucket").find((b) => b.name === name);
    assert.ok(
        found,
        `bucket ${name}: ${of(rt, "aws:s3/bucket:Bucket")
            .map((b) => b.name)
            .join(", ")}`,
    );
    return found!;
}

describe("S3 server access logging", function () {
    let rt: MockRuntime;
    before(async function () {
        rt = (await buildCluster()).rt;
    });

    it("the provisioning bucket and the load balancer's log bucket log their requests to the server-access-log bucket, each under its own prefix", function () {
        const target = bucketNamed(rt, "matomo-s3-access-logs");
        const sources = ["matomo-provisioning-bucket", "matomo-alb-logs"].map((n) => bucketNamed(rt, n));
        const loggings = of(rt, LOGGING);
        for (const source of sources) {
            const logging = loggings.filter((l) => l.inputs.bucket === source.state.id || l.inputs.bucket === source.id);
            assert.equal(logging.length, 1, `${source.name} logs once`);
            assert.equal(logging[0].inputs.targetBucket, target.id);
            assert.match(String(logging[0].inputs.targetPrefix), /^[a-z0-9-]+\/$/);
        }
        const prefixes = loggings.map((l) => l.inputs.targetPrefix);
        assert.equal(new Set(prefixes).size, prefixes.length, "one prefix per source bucket");
        assert.ok(!loggings.some((l) => l.inputs.bucket === target.id), "the target does not log to itself");
    });

    it("the target bucket is private, SSE-S3, expiring, and admits only S3's logging service for those two buckets of this account", function () {
        const target = bucketNamed(rt, "matomo-s3-access-logs");
        const part = (type: string) => of(rt, type).find((r) => r.name === "matomo-s3-access-logs")!;
        const block = part("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs;
        assert.deepEqual([block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets], [true, true, true, true]);
        assert.deepEqual(part("aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs.rule, { objectOwnership: "BucketOwnerEnforced" });
        const sse = part("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs as {
            rules: { applyServerSideEncryptionByDefault: { sseAlgorithm: string } }[];
        };
        assert.equal(sse.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm, "AES256");
        const lifecycle = part("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs as {
            rules: { status: string; expiration: { days: number } }[];
        };
        assert.deepEqual([lifecycle.rules[0].status, lifecycle.rules[0].expiration.days], ["Enabled", 90]);

        const policy = JSON.parse(String(part("aws:s3/bucketPolicy:BucketPolicy").inputs.policy)) as { Statement: Statement[] };
        const write = policy.Statement.find((s) => s.Effect === "Allow")!;
        assert.deepEqual(write.Principal, { Service: "logging.s3.amazonaws.com" });
        assert.equal(write.Action, "s3:PutObject");
        assert.equal(write.Resource, `${String(target.state.arn)}/*`);
        const sourceArns = ["matomo-provisioning-bucket", "matomo-alb-logs"].map((n) => String(bucketNamed(rt, n).state.arn)).sort();
        assert.deepEqual([...(write.Condition!.ArnLike["aws:SourceArn"] as string[])].sort(), sourceArns);
        assert.equal(write.Condition!.StringEquals["aws:SourceAccount"], "123456789012");
        assert.ok(policy.Statement.some((s) => s.Effect === "Deny" && JSON.stringify(s.Condition) === '{"Bool":{"aws:SecureTransport":"false"}}'));
    });

    it("logging is turned on only once the target's policy admits the logging service", function () {
        const loggings = of(rt, LOGGING);
        assert.equal(loggings.length, 2);
        for (const logging of loggings) assert.ok(logging.dependencies?.includes("matomo-s3-access-logs"), JSON.stringify(logging.dependencies));
    });

    it("destroy keeps the server access logs like the load balancer's, unless accessLogBucketForceDestroy", async function () {
        const parts = (r: MockRuntime) => r.resources.filter((x) => x.name === "matomo-s3-access-logs");
        assert.ok(parts(rt).length >= 5);
        assert.deepEqual(
            parts(rt)
                .filter((x) => x.retainOnDelete !== true)
                .map((x) => x.type),
            [],
        );
        const forced = (await buildCluster({ ...BASE_ARGS, observability: { accessLogBucketForceDestroy: true } })).rt;
        assert.deepEqual(
            parts(forced)
                .filter((x) => x.retainOnDelete === true)
                .map((x) => x.type),
            [],
        );
        assert.equal(bucketNamed(forced, "matomo-s3-access-logs").inputs.forceDestroy, true);
    });

    it("observability.enabled: false makes no server-access-log bucket and turns no logging on", async function () {
        const off = (await buildCluster({ ...BASE_ARGS, observability: { enabled: false } })).rt;
        assert.equal(
            of(off, "aws:s3/bucket:Bucket").some((b) => b.name === "matomo-s3-access-logs"),
            false,
        );
        assert.deepEqual(of(off, LOGGING), []);
    });
});
