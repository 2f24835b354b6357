/**
 * Regional ARNs in the arguments must be in the stack's region and partition. AWS refuses the others
 * only during `pulumi up`, halfway through: a load balancer takes only a certificate of its own
 * region, and the nodes read secrets and KMS keys in theirs (`--region` of the stack). The region
 * is `aws:region` (or the environment the provider falls back to); with an explicit provider in
 * the options it is that provider's, unknown at construction, and AWS checks it instead.
 */
import * as pulumi from "@pulumi/pulumi";
import { InvalidArgumentError, type ArgumentPath, type ArgumentProblem } from "../settings";

/** The partition a region belongs to (AWS's partitions: aws, aws-cn, aws-us-gov and the isolated ones). */
export function partitionOf(region: string): string {
    const prefixes: [string, string][] = [
        ["cn-", "aws-cn"],
        ["us-gov-", "aws-us-gov"],
        ["us-iso-", "aws-iso"],
        ["us-isob-", "aws-iso-b"],
        ["eu-isoe-", "aws-iso-e"],
        ["us-isof-", "aws-iso-f"],
    ];
    return prefixes.find(([prefix]) => region.startsWith(prefix))?.[1] ?? "aws";
}

/** The region the stack's default AWS provider uses; undefined when an explicit provider is given (or none is configured). */
export function stackRegion(opts?: pulumi.ResourceOptions & { providers?: unknown }): string | undefined {
    if (opts?.provider !== undefined || opts?.providers !== undefined) return undefined;
    return new pulumi.Config("aws").get("region") ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
}

const ARN = /^arn:([^:]+):([^:]+):([^:]*):/;

function isPlain(value: unknown): value is Record<string, unknown> {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
    const proto = Object.getPrototypeOf(value) as unknown;
    return proto === Object.prototype || proto === null;
}

function collect(value: unknown, path: ArgumentPath, region: string, problems: ArgumentProblem[]): void {
    if (typeof value === "string") {
        const m = ARN.exec(value);
        if (m === null || m[3] === "") return; // not an ARN, or a global one (IAM, S3 buckets)
        const partition = partitionOf(region);
        if (m[1] === partition && m[3] === region) return;
        problems.push({
            path,
            value,
            allowed: `an ARN in ${region}, the stack's region (aws:region), partition ${partition}: AWS refuses one of ${m[1]}/${m[3]} only during pulumi up (a load balancer takes only a certificate of its region; the nodes read secrets and keys in theirs); create or copy it in ${region}`,
        });
    } else if (Array.isArray(value)) {
        value.forEach((item, i) => collect(item, [...path, i], region, problems));
    } else if (isPlain(value)) {
        for (const [key, item] of Object.entries(value)) {
            // extraConfig is Matomo's text, not AWS's: an ARN there is whatever a plugin wants.
            if (path.length === 0 && key === "extraConfig") continue;
            collect(item, [...path, key], region, problems);
        }
    }
}

/** Throw every ARN (given as a plain string) of another region or partition than `region`. */
export function checkRegions(component: string, args: unknown, region: string | undefined): void {
    if (region === undefined) return;
    const problems: ArgumentProblem[] = [];
    collect(args, [], region, problems);
    if (problems.length > 0) throw new InvalidArgumentError(component, problems);
}
