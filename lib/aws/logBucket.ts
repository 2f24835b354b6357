/**
 * A bucket that AWS services write logs into (the load balancer's access logs, S3's server access
 * logs): no public access (FSBP S3.1/S3.8), objects owned by the bucket owner (S3.12: no ACLs),
 * SSE-S3 (the only one ELB writes access logs to, and no key policy to keep for S3's log delivery), TLS-only requests (S3.5), a
 * lifecycle that deletes logs after a number of days, and a policy that admits the writer.
 *
 * What `pulumi destroy` does with it: S3 refuses to delete a bucket that holds objects, so either
 * the bucket is emptied first (`forceDestroy`) or it is kept, and then everything that keeps it
 * private, encrypted and expiring is kept with it (`retainOnDelete`): deleting the public access
 * block, the policy or the lifecycle would leave a kept bucket open to a public policy, or its logs
 * never expiring.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Tags } from "./options";

/** Where the bucket is, for the writer's policy statements. */
export interface LogBucketContext {
    bucketArn: string;
    region: string;
    accountId: string;
    partition: string;
    /** ARNs of the resources that write to the bucket, when the writer's policy names them (`sources`). */
    sourceArns: string[];
}

export interface LogBucketArgs {
    /** The bucket name prefix (AWS appends a unique suffix: bucket names are global). */
    bucketPrefix: string;
    expirationDays: number;
    /** True: destroy empties and deletes the bucket. False: destroy keeps it with its logs and settings. */
    forceDestroy: boolean;
    /** ARNs of the resources whose logs the bucket receives, handed to `writerStatements`. Default none. */
    sourceArns?: pulumi.Input<string>[];
    /** The statements that let the log writer put objects (the TLS-only deny is added). */
    writerStatements: (where: LogBucketContext) => Record<string, unknown>[];
    tags: Tags;
}

/** The statement that refuses any request to the bucket not made over TLS. */
export function denyInsecureTransport(bucketArn: string): Record<string, unknown> {
    return {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}

/** The bucket, its policy, and its name as an output that resolves once the policy is in place (writers check they can write). */
export function createLogBucket(
    name: string,
    args: LogBucketArgs,
    parent: pulumi.Resource,
): { bucket: aws.s3.Bucket; policy: aws.s3.BucketPolicy; writableBucketName: pulumi.Output<string> } {
    const opts = { parent, retainOnDelete: !args.forceDestroy };
    const bucket = new aws.s3.Bucket(name, { bucketPrefix: args.bucketPrefix, ...(args.forceDestroy ? { forceDestroy: true } : {}), tags: args.tags }, opts);
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
        name,
        { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        opts,
    );
    new aws.s3.BucketOwnershipControls(name, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, opts);
    new aws.s3.BucketServerSideEncryptionConfiguration(
        name,
        { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
        opts,
    );
    new aws.s3.BucketLifecycleConfiguration(
        name,
        {
            bucket: bucket.id,
            rules: [
                {
                    id: "expire-access-logs",
                    status: "Enabled",
                    filter: {},
                    expiration: { days: args.expirationDays },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
                },
            ],
        },
        opts,
    );
    const identity = aws.getCallerIdentityOutput({}, { parent });
    const region = aws.getRegionOutput({}, { parent });
    const partition = aws.getPartitionOutput({}, { parent });
    const policy = new aws.s3.BucketPolicy(
        name,
        {
            bucket: bucket.id,
            policy: pulumi
                .all([bucket.arn, region.region, identity.accountId, partition.partition, pulumi.all(args.sourceArns ?? [])])
                .apply(([bucketArn, r, accountId, p, sourceArns]) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [...args.writerStatements({ bucketArn, region: r, accountId, partition: p, sourceArns }), denyInsecureTransport(bucketArn)],
                    }),
                ),
        },
        // S3 refuses a bucket policy while the public access block is being changed; one after the other.
        { ...opts, dependsOn: [publicAccess] },
    );
    return { bucket, policy, writableBucketName: policy.bucket };
}
