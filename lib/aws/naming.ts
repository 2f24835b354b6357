/**
 * Physical names for AWS resources whose names are short and strict.
 *
 * A name is `<component>-<role>-<hash>`: the component's name made safe for the strictest
 * character set (lowercase letters, digits, single hyphens, starting with a letter), cut to fit,
 * plus 6 hex digits of sha256(project/stack/component/role). Two stacks or projects that use the
 * same component name therefore get different names, and a long component name that had to be cut
 * still yields a unique one. Pure and deterministic: the same inputs give the same name every run.
 */
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { limitValue, S3_RESERVED_BUCKET_PREFIXES } from "../model/awsLimits";

/** Name lengths, read from the one list of AWS limits (lib/model/awsLimits.ts, with their sources). */
export const NAME_LIMITS = {
    loadBalancer: limitValue("elb.loadBalancer.name"),
    targetGroup: limitValue("elb.targetGroup.name"),
    dbInstanceIdentifier: limitValue("rds.instance.identifier"),
    replicationGroupId: limitValue("elasticache.replicationGroup.id"),
    iamRoleNamePrefix: limitValue("iam.role.namePrefix"),
    iamRolePolicyNamePrefix: limitValue("iam.rolePolicy.namePrefix"),
    launchTemplateNamePrefix: limitValue("ec2.launchTemplate.namePrefix"),
    autoScalingGroupNamePrefix: limitValue("autoscaling.group.namePrefix"),
    secretNamePrefix: limitValue("secretsmanager.secret.namePrefix"),
    rdsParameterGroupNamePrefix: limitValue("rds.parameterGroup.namePrefix"),
    cacheSubnetGroupName: limitValue("elasticache.subnetGroup.name"),
    s3BucketPrefix: limitValue("s3.bucket.bucketPrefix"),
} as const;

/** Lowercase letters, digits, single hyphens; starts with a letter; never ends with a hyphen. */
export function safeLabel(value: string): string {
    const label = value
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-+|-+$/g, "");
    return /^[a-z]/.test(label) ? label : `m${label ? `-${label}` : ""}`;
}

export function stackHash(componentName: string, role: string, length = 6): string {
    const seed = `${pulumi.getProject()}/${pulumi.getStack()}/${componentName}/${role}`;
    return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

/**
 * `<component>-<role>-<hash>` within `maxLength`, e.g. `matomo-alb-3f9a1c`. The result matches
 * /^[a-z][a-z0-9-]*[a-z0-9]$/ without `--`, which satisfies ALB, target group, RDS, ElastiCache
 * and IAM naming rules at once; it never starts with `internal-` (reserved for internal ALBs).
 */
export function physicalName(componentName: string, role: string, maxLength: number): string {
    const hash = stackHash(componentName, role);
    const suffix = `-${safeLabel(role)}-${hash}`;
    // "internal-" opens the names of internal load balancers only; AWS refuses it elsewhere.
    const label = safeLabel(componentName).replace(/^internal(-|$)/, "m-internal$1");
    let base = label.slice(0, Math.max(0, maxLength - suffix.length)).replace(/-+$/, "");
    if (base === "") base = "m";
    const name = `${base}${suffix}`;
    if (name.length > maxLength) throw new Error(`physicalName: '${role}' leaves no room within ${maxLength} characters`);
    return name;
}

/** A name prefix (AWS appends a unique suffix): `<component>-<role>-`, cut to `maxLength`. */
export function physicalPrefix(componentName: string, role: string, maxLength: number): string {
    const suffix = `-${safeLabel(role)}-`;
    const base =
        safeLabel(componentName)
            .slice(0, Math.max(1, maxLength - suffix.length))
            .replace(/-+$/, "") || "m";
    return `${base}${suffix}`.slice(0, maxLength);
}

/**
 * An S3 bucket name prefix: `physicalPrefix`'s (lowercase letters, digits, single hyphens, from a
 * letter) with `m-` in front when it would begin with a prefix S3 reserves (`xn--`, `sthree-`,
 * `amzn-s3-demo-`). The provider appends 26 digits, so the name also ends with a digit as S3 requires.
 */
export function s3BucketPrefix(componentName: string, role: string, maxLength: number): string {
    const prefix = physicalPrefix(componentName, role, maxLength);
    return S3_RESERVED_BUCKET_PREFIXES.some((p) => prefix.startsWith(p)) ? physicalPrefix(`m-${componentName}`, role, maxLength) : prefix;
}
