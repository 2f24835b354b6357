/**
 * The S3 bucket the load balancer writes its access logs to (AWS FSBP ELB.5), made as Elastic Load
 * Balancing requires it: in the load balancer's region, SSE-S3 (the only server-side encryption it
 * supports), and a bucket policy that lets the region's log delivery write under `AWSLogs/<account>/`.
 * The rest (privacy, TLS only, expiry, what destroy does) is every log bucket's (logBucket.ts).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { physicalPrefix } from "./naming";
import { limitValue } from "../model/awsLimits";
import { createLogBucket, denyInsecureTransport } from "./logBucket";
import type { Tags } from "./options";

/**
 * Elastic Load Balancing's account per region, for Regions available before August 2022 (User Guide
 * for Application Load Balancers, "Enable access logs", Step 2): the bucket policy names this account.
 * Every Region opened since then takes the service principal `logdelivery.elasticloadbalancing.amazonaws.com`.
 */
export const ELB_LOG_DELIVERY_ACCOUNTS: Readonly<Record<string, string>> = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "af-south-1": "098369216593",
    "ap-east-1": "754344448648",
    "ap-south-1": "718504428378",
    "ap-northeast-3": "383597477331",
    "ap-northeast-2": "600734575887",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-northeast-1": "582318560864",
    "ca-central-1": "985666609251",
    "eu-central-1": "054676820928",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-south-1": "635631232127",
    "eu-west-3": "009996457667",
    "eu-north-1": "897822967062",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
    "us-gov-west-1": "048591011584",
    "us-gov-east-1": "190560391635",
    "cn-north-1": "638102146993",
    "cn-northwest-1": "037604701340",
};
export const ELB_LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com";

/** The log delivery statement: the region's Elastic Load Balancing may put objects under `AWSLogs/<account>/`. */
function elbLogDeliveryStatement(bucketArn: string, region: string, accountId: string, partition: string): Record<string, unknown> {
    const account = ELB_LOG_DELIVERY_ACCOUNTS[region];
    const principal = account !== undefined ? { AWS: `arn:${partition}:iam::${account}:root` } : { Service: ELB_LOG_DELIVERY_SERVICE };
    return { Sid: "ElbLogDelivery", Effect: "Allow", Principal: principal, Action: "s3:PutObject", Resource: `${bucketArn}/AWSLogs/${accountId}/*` };
}

/** The bucket policy: the region's log delivery may put objects under `AWSLogs/<account>/`; nobody may use plain HTTP. */
export function accessLogBucketPolicy(bucketArn: string, region: string, accountId: string, partition = "aws"): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [elbLogDeliveryStatement(bucketArn, region, accountId, partition), denyInsecureTransport(bucketArn)],
    });
}

export interface AccessLogBucketArgs {
    expirationDays: number;
    /**
     * True: `pulumi destroy` empties the bucket and deletes it with its logs. False: destroy keeps the
     * bucket and what configures it (S3 refuses to delete a bucket that holds objects, so without
     * either, destroy fails once the load balancer has written a log).
     */
    forceDestroy: boolean;
    tags: Tags;
}

/** The bucket, and its name as an output that resolves once the policy is in place (ELB checks it can write when logging is turned on). */
export function createAccessLogBucket(
    clusterName: string,
    args: AccessLogBucketArgs,
    parent: pulumi.Resource,
): { bucket: aws.s3.Bucket; writableBucketName: pulumi.Output<string> } {
    const { bucket, writableBucketName } = createLogBucket(
        `${clusterName}-alb-logs`,
        {
            bucketPrefix: physicalPrefix(clusterName, "alb-logs", limitValue("s3.bucket.bucketPrefix")),
            expirationDays: args.expirationDays,
            forceDestroy: args.forceDestroy,
            writerStatements: (w) => [elbLogDeliveryStatement(w.bucketArn, w.region, w.accountId, w.partition)],
            tags: args.tags,
        },
        parent,
    );
    return { bucket, writableBucketName };
}
