/**
 * Pulumi's AWSGuard policies (@pulumi/awsguard), every one mandatory, driven over a planned graph as
 * `pulumi preview --policy-pack` of a new stack would drive them: each resource policy over each
 * resource, each stack policy over all, with each policy's configuration at its schema defaults
 * (what `new AwsGuard({ all: "mandatory" })` passes). Offline and without the Pulumi CLI: the
 * policies' own functions are called with the arguments the policy SDK's server builds.
 *
 * AWSGuard 0.3.1 was written against @pulumi/aws 4, and matches resources by type token and reads
 * 4.x property shapes. Two of our resources it would otherwise never see or always misread; the
 * graph is handed to it as that provider version describes the same resources:
 * - `aws:lb/loadBalancer:LoadBalancer` and `aws:lb/listener:Listener` under their provider aliases
 *   `aws:elasticloadbalancingv2/...` (its ELB policies match only those and `applicationloadbalancing`);
 * - each `aws:s3/bucketLogging:BucketLogging` folded into its bucket's `loggings` list (4.x's inline
 *   property; since 5.x logging is its own resource, which `s3-bucket-logging-enabled` never reads).
 * A new stack's resources have no ids yet, so the policies that ask AWS about existing resources
 * (certificate expiry, access key age, MFA) skip them, as they would in that preview.
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import type { RecordedResource } from "../../lib/plan/mockRuntime";

export interface AwsGuardPolicy {
    name: string;
    configSchema?: { properties?: Record<string, { default?: unknown }> };
    validateResource?: ResourceValidationPolicy["validateResource"];
    validateStack?: StackValidationPolicy["validateStack"];
}

/** One violation: the policy, the resource's logical name (undefined for a stack-level report) and the message. */
export interface AwsGuardViolation {
    policy: string;
    resource?: string;
    message: string;
}

/** AWSGuard's modules, each registering its policies; their exports are the policies themselves. */
const MODULES = ["apiGateway", "compute", "database", "elasticsearch", "network", "security", "storage"];

/** Every AWSGuard policy, as `new AwsGuard()` registers them. */
export function awsGuardPolicies(): AwsGuardPolicy[] {
    const policies: AwsGuardPolicy[] = [];
    for (const m of MODULES) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const exported = require(`@pulumi/awsguard/${m}`) as Record<string, unknown>;
        for (const value of Object.values(exported)) {
            const p = value as AwsGuardPolicy;
            if (p && typeof p.name === "string" && (p.validateResource !== undefined || p.validateStack !== undefined)) policies.push(p);
        }
    }
    return policies;
}

/** @pulumi/aws 7 type tokens AWSGuard knows only by their 4.x alias. */
const LEGACY_TYPES: Record<string, string> = {
    "aws:lb/loadBalancer:LoadBalancer": "aws:elasticloadbalancingv2/loadBalancer:LoadBalancer",
    "aws:lb/listener:Listener": "aws:elasticloadbalancingv2/listener:Listener",
};

interface GuardResource {
    type: string;
    name: string;
    urn: string;
    props: Record<string, unknown>;
}

/** The planned graph as AWSGuard's provider version describes it (see the module comment). */
export function asAwsGuardGraph(recorded: readonly RecordedResource[]): GuardResource[] {
    const loggings = recorded.filter((r) => r.type === "aws:s3/bucketLogging:BucketLogging");
    return recorded
        .filter((r) => r.custom)
        .map((r) => {
            const props = structuredClone({ ...r.state, ...r.inputs, id: "" }) as Record<string, unknown>;
            if (r.type === "aws:s3/bucket:Bucket") {
                const own = loggings.filter((l) => l.inputs.bucket === r.id);
                if (own.length > 0) props.loggings = own.map((l) => ({ targetBucket: l.inputs.targetBucket, targetPrefix: l.inputs.targetPrefix }));
            }
            const type = LEGACY_TYPES[r.type] ?? r.type;
            return { type, name: r.name, urn: `urn:pulumi:plan::matomo::${type}::${r.name}`, props };
        });
}

/** A resource class's type token, as the policy SDK matches it (`__pulumiType`, set on every generated class). */
const pulumiTypeOf = (cls: unknown): string | undefined => (cls as { __pulumiType?: string } | undefined)?.__pulumiType;

function defaultConfig(policy: AwsGuardPolicy): Record<string, unknown> {
    return Object.fromEntries(Object.entries(policy.configSchema?.properties ?? {}).map(([k, v]) => [k, v.default]));
}

/** Every violation AWSGuard's policies report on the graph. */
export async function awsGuardViolations(recorded: readonly RecordedResource[], policies = awsGuardPolicies()): Promise<AwsGuardViolation[]> {
    const graph = asAwsGuardGraph(recorded);
    const found: AwsGuardViolation[] = [];
    const typed = (r: GuardResource) => ({
        ...r,
        opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: {}, additionalSecretOutputs: [] },
        dependencies: [],
        propertyDependencies: {},
        isType: (cls: unknown) => pulumiTypeOf(cls) === r.type,
        asType: (cls: unknown) => (pulumiTypeOf(cls) === r.type ? r.props : undefined),
    });
    for (const policy of policies) {
        const config = defaultConfig(policy);
        const base = { getConfig: () => config, notApplicable: () => undefined };
        if (policy.validateStack !== undefined) {
            await policy.validateStack({ ...base, resources: graph.map(typed) } as never, (message: string, urn?: string) =>
                found.push({ policy: policy.name, resource: urn?.split("::").pop(), message }),
            );
        }
        const validators = Array.isArray(policy.validateResource) ? policy.validateResource : policy.validateResource ? [policy.validateResource] : [];
        for (const resource of graph) {
            for (const validate of validators) {
                await validate({ ...base, ...typed(resource) } as never, (message: string) =>
                    found.push({ policy: policy.name, resource: resource.name, message }),
                );
            }
        }
    }
    return found;
}

/** A violation the library accepts on purpose: the policy, the resource (its logical name without the cluster's), and why. */
export interface AwsGuardException {
    policy: string;
    /** The resource's logical name after `<cluster>-`. */
    resource: string;
    reason: string;
}

/** The documented exceptions (docs/observability.md, "AWSGuard"), each once, with its reason. */
export const AWSGUARD_EXCEPTIONS: readonly AwsGuardException[] = [
    {
        policy: "rds-instance-multi-az-enabled",
        resource: "database-db",
        reason: "Multi-AZ is off by default (FSBP RDS.5): it doubles the database cost; `database.multiAz: true` (and the `large` preset) turn it on",
    },
    {
        policy: "rds-instance-multi-az-enabled",
        resource: "database-replica",
        reason: "the read replica is single-AZ: Matomo never writes to it, so losing it stops archiving until RDS recovers it, never tracking, and loses no data (docs/aws.md, Read replica)",
    },
    {
        policy: "rds-instance-backup-enabled",
        resource: "database-replica",
        reason: "the read replica takes no backups of its own: its data is the primary's, which has the backups and point-in-time recovery (FSBP RDS.11)",
    },
    {
        policy: "s3-bucket-logging-enabled",
        resource: "s3-access-logs",
        reason: "the server-access-log bucket does not log itself: it would log its own log deliveries without end (FSBP S3.9 holds for the other buckets)",
    },
];

/** The exception a violation is, if any, for a cluster named `cluster`. */
export function exceptionFor(v: AwsGuardViolation, cluster: string): AwsGuardException | undefined {
    return AWSGUARD_EXCEPTIONS.find((e) => e.policy === v.policy && v.resource === `${cluster}-${e.resource}`);
}
