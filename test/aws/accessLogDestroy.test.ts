/**
 * What `pulumi destroy` does with the load balancer's access logs. S3 refuses to delete a bucket that
 * still holds objects, so a bucket without `forceDestroy` that ELB has written to makes destroy fail.
 * By default the library keeps the logs: the bucket and everything that keeps it private, encrypted
 * and expiring are `retainOnDelete` (Pulumi drops them from state, never calls Delete). On request
 * (`observability.accessLogBucketForceDestroy`) destroy empties the bucket and deletes it instead.
 */
import { strict as assert } from "assert";
import { BASE_ARGS, buildCluster } from "./harness";
import type { MockRuntime } from "../../lib/plan/mockRuntime";

/** Every resource the cluster makes for its access-log bucket: the bucket and its configuration. */
const BUCKET_PARTS = [
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketPolicy:BucketPolicy",
];

function logBucketParts(rt: MockRuntime) {
    const parts = rt.resources.filter((r) => r.name === "matomo-alb-logs");
    assert.deepEqual(parts.map((r) => r.type).sort(), [...BUCKET_PARTS].sort());
    return parts;
}

describe("access-log bucket on destroy", function () {
    it("by default keeps the bucket with its logs, its privacy, encryption and expiry: all retained, nothing force-deleted", async function () {
        const { rt } = await buildCluster();
        const parts = logBucketParts(rt);
        assert.deepEqual(
            parts.filter((r) => r.retainOnDelete !== true).map((r) => r.type),
            [],
            "a deleted public access block or lifecycle would leave the kept bucket open to a public policy, or its logs kept forever",
        );
        const bucket = parts.find((r) => r.type === "aws:s3/bucket:Bucket")!;
        assert.notEqual(bucket.inputs.forceDestroy, true);
    });

    it("with accessLogBucketForceDestroy, destroy empties and deletes the bucket and its configuration", async function () {
        const { rt } = await buildCluster({ ...BASE_ARGS, observability: { accessLogBucketForceDestroy: true } });
        const parts = logBucketParts(rt);
        assert.deepEqual(
            parts.filter((r) => r.retainOnDelete === true).map((r) => r.type),
            [],
        );
        assert.equal(parts.find((r) => r.type === "aws:s3/bucket:Bucket")!.inputs.forceDestroy, true);
    });

    it("the provisioning bucket, which holds only generated bundles, is emptied and deleted on destroy", async function () {
        const { rt } = await buildCluster();
        const bucket = rt.ofType("aws:s3/bucket:Bucket").find((b) => b.name === "matomo-provisioning-bucket")!;
        assert.equal(bucket.inputs.forceDestroy, true);
        assert.equal(bucket.retainOnDelete, undefined);
    });
});
