/**
 * ProvisioningBucket: the private S3 bucket that holds each role's provisioning bundle (the
 * scripts and rendered files a node unpacks at boot; lib/provision/bundle.ts), one object per
 * role, versioned. User data names the object's version id, so a node launched from an older
 * launch template version (a rolling refresh, a rollback) gets exactly the bundle that template
 * was rendered with, never a newer one; old versions expire on a lifecycle rule.
 *
 * Private by construction: every public access block on, ACLs disabled (bucket owner enforced),
 * default encryption SSE-S3, and a policy that refuses any request not made over TLS. Nothing in
 * a bundle is secret (secrets stay in Secrets Manager); the bucket is private because the nodes
 * run what it holds.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { bundleKey, type NodeRole } from "../provision";
import { NAME_LIMITS, s3BucketPrefix } from "./naming";
import { childOpts, type Tags } from "./options";

/** Days a replaced bundle version is kept before S3 deletes it (beyond the newest `BUNDLE_VERSIONS_KEPT`). */
export const BUNDLE_NONCURRENT_DAYS = 30;
/** Replaced bundle versions kept whatever their age, so the last few launch template versions always boot. */
export const BUNDLE_VERSIONS_KEPT = 3;

/** The arguments of `ProvisioningBucket`. */
export interface ProvisioningBucketArgs {
    /** Each role's bundle, base64 of the tar.gz bytes (`renderProvisioningBundle(...).content`). */
    bundles: Record<NodeRole, pulumi.Input<string>>;
    /** Tags for every resource. Default none. */
    tags?: Tags;
}

/** One role's stored bundle. */
/** One role's bundle as stored. */
export interface StoredBundle {
    /** The S3 object. */
    object: aws.s3.BucketObjectv2;
    /** Its key, `provisioning/<role>.tar.gz`. */
    key: string;
    /** The S3 version id of the bytes just stored: what user data names. */
    versionId: pulumi.Output<string>;
    /** `arn:<partition>:s3:::<bucket>/<key>`: the one resource the role's nodes may read. */
    objectArn: pulumi.Output<string>;
}

/** The private, versioned S3 bucket holding each role's provisioning bundle. */
export class ProvisioningBucket extends pulumi.ComponentResource {
    /** The bucket. */
    readonly bucket: aws.s3.Bucket;
    /** The bucket's name. */
    readonly bucketName: pulumi.Output<string>;
    /** Each role's stored bundle. */
    readonly bundles: Record<NodeRole, StoredBundle>;

    constructor(name: string, args: ProvisioningBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("matomo:aws:ProvisioningBucket", name, {}, opts);
        const tags = args.tags;

        this.bucket = new aws.s3.Bucket(
            `${name}-bucket`,
            // Only generated bundles live here, so `pulumi destroy` may delete it with all their versions.
            { bucketPrefix: s3BucketPrefix(name, "bundles", NAME_LIMITS.s3BucketPrefix), forceDestroy: true, tags },
            childOpts(this),
        );
        const bucket = this.bucket.id;
        const publicAccess = new aws.s3.BucketPublicAccessBlock(
            `${name}-public-access`,
            { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            childOpts(this),
        );
        new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } }, childOpts(this));
        // SSE-S3: the nodes need no KMS grant to read, and the bundles hold no secret.
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-encryption`,
            { bucket, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
            childOpts(this),
        );
        const versioning = new aws.s3.BucketVersioning(`${name}-versioning`, { bucket, versioningConfiguration: { status: "Enabled" } }, childOpts(this));
        new aws.s3.BucketLifecycleConfiguration(
            `${name}-lifecycle`,
            {
                bucket,
                rules: [
                    {
                        id: "expire-replaced-bundles",
                        status: "Enabled",
                        filter: { prefix: "provisioning/" },
                        noncurrentVersionExpiration: { noncurrentDays: BUNDLE_NONCURRENT_DAYS, newerNoncurrentVersions: BUNDLE_VERSIONS_KEPT },
                    },
                ],
            },
            childOpts(this, undefined, { dependsOn: [versioning] }),
        );
        new aws.s3.BucketPolicy(
            `${name}-policy`,
            {
                bucket,
                policy: this.bucket.arn.apply((arn) =>
                    JSON.stringify({
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
                    }),
                ),
            },
            // S3 refuses a bucket policy while the public access block is being changed; one after the other.
            childOpts(this, undefined, { dependsOn: [publicAccess] }),
        );

        const store = (role: NodeRole): StoredBundle => {
            const key = bundleKey(role);
            const object = new aws.s3.BucketObjectv2(
                `${name}-${role}`,
                { bucket, key, contentBase64: args.bundles[role], contentType: "application/gzip", tags },
                // Versioning first: an object stored before it has the version id "null".
                childOpts(this, undefined, { dependsOn: [versioning] }),
            );
            return { object, key, versionId: object.versionId, objectArn: pulumi.interpolate`${this.bucket.arn}/${key}` };
        };
        this.bundles = { tracker: store("tracker"), ui: store("ui") };
        this.bucketName = this.bucket.id;
        this.registerOutputs({ bucketName: this.bucketName });
    }
}
