/**
 * S3 server access logging (FSBP S3.9) for the buckets the cluster makes: each logs every request
 * to one server-access-log bucket, under its own prefix. Made as the S3 User Guide asks for a target
 * with Object Ownership "bucket owner enforced" (ACLs disabled): the bucket policy grants
 * `s3:PutObject` to the logging service principal `logging.s3.amazonaws.com`, only for the source
 * buckets (`aws:SourceArn`) of this account (`aws:SourceAccount`); SSE-S3, so no KMS key
 * policy must admit the logging service; same region and account as the sources. The target does not
 * log itself: that would log its own log deliveries without end (docs/observability.md, S3.9).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { physicalPrefix } from "./naming";
import { limitValue } from "../model/awsLimits";
import { createLogBucket } from "./logBucket";
import type { Tags } from "./options";

/** S3's log delivery service principal (S3 User Guide, "Enabling Amazon S3 server access logging"). */
export const S3_LOGGING_SERVICE = "logging.s3.amazonaws.com";

/** A bucket whose requests are logged. */
export interface LoggedBucket {
    bucket: aws.s3.Bucket;
    /** What it is, lowercase letters and hyphens: names its logging resource and its logs' key prefix `<what>/`. */
    what: string;
}

export interface ServerAccessLoggingArgs {
    sources: LoggedBucket[];
    expirationDays: number;
    /** True: destroy empties and deletes the log bucket; false: destroy keeps it (logBucket.ts). */
    forceDestroy: boolean;
    tags: Tags;
}

/** The server-access-log bucket and the logging of each source bucket to it. */
export function logServerAccess(clusterName: string, args: ServerAccessLoggingArgs, parent: pulumi.Resource): { bucket: aws.s3.Bucket } {
    const name = `${clusterName}-s3-access-logs`;
    const { bucket, policy } = createLogBucket(
        name,
        {
            bucketPrefix: physicalPrefix(clusterName, "s3-logs", limitValue("s3.bucket.bucketPrefix")),
            expirationDays: args.expirationDays,
            forceDestroy: args.forceDestroy,
            sourceArns: args.sources.map((s) => s.bucket.arn),
            writerStatements: (w) => [
                {
                    Sid: "S3ServerAccessLogDelivery",
                    Effect: "Allow",
                    Principal: { Service: S3_LOGGING_SERVICE },
                    Action: "s3:PutObject",
                    Resource: `${w.bucketArn}/*`,
                    Condition: { ArnLike: { "aws:SourceArn": w.sourceArns }, StringEquals: { "aws:SourceAccount": w.accountId } },
                },
            ],
            tags: args.tags,
        },
        parent,
    );
    for (const source of args.sources) {
        new aws.s3.BucketLogging(
            `${clusterName}-${source.what}-access-logging`,
            { bucket: source.bucket.id, targetBucket: bucket.id, targetPrefix: `${source.what}/` },
            // Only once the policy admits the logging service, or S3 has nowhere it may write.
            { parent, dependsOn: [policy] },
        );
    }
    return { bucket };
}
