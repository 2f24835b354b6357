/**
 * Every AWS limit the library relies on, written once as data: the resource type, the property,
 * the limit, and the sentence of AWS's documentation (or of the provider's validation) it comes
 * from. `checkAwsLimits` applies them to a planned graph (the list `npm run plan` writes to
 * resources.json), so the plan refuses what AWS would refuse, quoting the rule.
 *
 * Components take their limits from here (`limitValue`), never from a second copy. Pure: no
 * Pulumi, no I/O.
 */
import { REQUIRED_INPUT_RULES } from "./requiredInputs";

/** A resource as the plan records it: type token, logical name, inputs with SDK (camelCase) names. */
export interface PlannedResource {
    /** Pulumi type token, e.g. `aws:lb/loadBalancer:LoadBalancer`. */
    type: string;
    /** Logical name. */
    name: string;
    /** Inputs with SDK (camelCase) names. */
    inputs: Record<string, unknown>;
}

/** One limit AWS enforces on a resource property, with where AWS documents it. */
export interface AwsLimitRule {
    /** Stable id, `<service>.<resource>.<property>`. */
    id: string;
    /** Pulumi type token of the resources it applies to. */
    type: string;
    /** The property it reads, as a path (`conditions[].pathPattern.values`). */
    property: string;
    /** The limit in words, as the refusal prints it. */
    limit: string;
    /** The number components size things by, when there is one (e.g. a name's maximum length). */
    value?: number;
    /** Where the limit is written: the sentence, and the page or source file. */
    source: {
        /** The documenting sentence, quoted. */
        quote: string;
        /** The page or source file it is quoted from. */
        url: string;
    };
    /** Problems with one resource, each as `[path, actual value]`; `graph` for rules across resources. */
    check(resource: PlannedResource, graph: readonly PlannedResource[]): [string, unknown][];
}

/** A planned resource that breaks a rule: AWS would refuse it at `pulumi up`. */
export interface Violation {
    /** The rule broken. */
    rule: AwsLimitRule;
    /** Logical name of the resource. */
    resource: string;
    /** Its type token. */
    type: string;
    /** Where in its inputs the bad value is. */
    path: string;
    /** The value planned. */
    actual: unknown;
}

const ELB_GUIDE = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application";
const ELB_API = "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference";
const PROVIDER_EC2_VALIDATE = "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/ec2/validate.go";
const PROVIDER_IAM_ROLE = "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/iam/role.go";
/** Terraform's (and so the bridged Pulumi provider's) `name_prefix` leaves room for a 26-character unique suffix. */
const UNIQUE_SUFFIX_LENGTH = 26;
/** RDS and ElastiCache identifiers: a letter, then letters, digits and single hyphens (the trailing hyphen is each rule's own check). */
const AWS_IDENTIFIER = /^[A-Za-z](?:[A-Za-z0-9]|-(?!-))*$/;
/** Prefixes S3 reserves: no bucket name may begin with them (bucketnamingrules.html). */
export const S3_RESERVED_BUCKET_PREFIXES: readonly string[] = ["xn--", "sthree-", "amzn-s3-demo-"];
/** The same, lowercase only (parameter and subnet group names). */
const AWS_LOWERCASE_IDENTIFIER = /^[a-z](?:[a-z0-9]|-(?!-))*$/;

/**
 * Resources whose physical name Pulumi makes from the logical name when we give none: the logical
 * name, a hyphen and 7 random characters (lowercased where the provider lowercases the name). The
 * checker fills that name in, so the rules below also see names we never wrote.
 */
const AUTONAMED: Record<string, { lowercase: boolean }> = {
    "aws:ec2/securityGroup:SecurityGroup": { lowercase: false },
    "aws:rds/parameterGroup:ParameterGroup": { lowercase: true },
    "aws:rds/subnetGroup:SubnetGroup": { lowercase: true },
    "aws:elasticache/subnetGroup:SubnetGroup": { lowercase: true },
    "aws:ssm/parameter:Parameter": { lowercase: false },
};
const AUTONAME_SOURCE = {
    url: "https://www.pulumi.com/docs/iac/concepts/resources/names/#autonaming",
    quote: "Pulumi auto-names most resources by default, using the logical name and a random suffix to construct a unique physical name for a resource.",
};

/** The resource with the name Pulumi would give it, when it is autonamed. */
function withAutoname(r: PlannedResource): PlannedResource {
    const auto = AUTONAMED[r.type];
    if (!auto || r.inputs.name !== undefined || r.inputs.namePrefix !== undefined) return r;
    const name = `${r.name}-abc1234`;
    return { ...r, inputs: { ...r.inputs, name: auto.lowercase ? name.toLowerCase() : name } };
}

// ---- small readers and checks -------------------------------------------------------------

/** Values at a path; `[]` walks every element of an array. Missing values are skipped. */
function valuesAt(value: unknown, path: string, prefix = ""): [string, unknown][] {
    if (path === "") return value === undefined ? [] : [[prefix, value]];
    const [head, ...rest] = path.split(".");
    const tail = rest.join(".");
    const many = head.endsWith("[]");
    const key = many ? head.slice(0, -2) : head;
    if (value === null || typeof value !== "object") return [];
    const next = (value as Record<string, unknown>)[key];
    const here = prefix ? `${prefix}.${key}` : key;
    if (!many) return valuesAt(next, tail, here);
    return Array.isArray(next) ? next.flatMap((item, i) => valuesAt(item, tail, `${here}[${i}]`)) : [];
}

/** A string property: only known, plain strings are checked (a redacted or unknown value is not a name). */
function stringsAt(r: PlannedResource, path: string): [string, string][] {
    return valuesAt(r.inputs, path).filter((e): e is [string, string] => typeof e[1] === "string" && e[1] !== "[secret]");
}

function numbersAt(r: PlannedResource, path: string): [string, number][] {
    return valuesAt(r.inputs, path)
        .map(([p, v]): [string, number] => [p, typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : (v as number)])
        .filter((e): e is [string, number] => typeof e[1] === "number");
}

const nameRule = (
    id: string,
    type: string,
    property: string,
    max: number,
    pattern: RegExp,
    limit: string,
    source: AwsLimitRule["source"],
    extra: (v: string) => boolean = () => true,
): AwsLimitRule => ({
    id,
    type,
    property,
    limit,
    value: max,
    source,
    check: (r) => stringsAt(r, property).filter(([, v]) => v.length === 0 || v.length > max || !pattern.test(v) || !extra(v)),
});

const rangeRule = (id: string, type: string, property: string, min: number, max: number, source: AwsLimitRule["source"]): AwsLimitRule => ({
    id,
    type,
    property,
    limit: `a whole number from ${min} to ${max}`,
    source,
    check: (r) => numbersAt(r, property).filter(([, v]) => !Number.isInteger(v) || v < min || v > max),
});

/** Listener rule conditions: each is `{ <kind>: { values: [...] } }`; every value is one match evaluation. */
type Condition = Record<string, { values?: unknown[] } | undefined>;
const conditionsOf = (r: PlannedResource): Condition[] => (Array.isArray(r.inputs.conditions) ? (r.inputs.conditions as Condition[]) : []);
const evaluationsOf = (c: Condition): unknown[] => Object.values(c).flatMap((spec) => (spec && Array.isArray(spec.values) ? spec.values : []));

const LISTENER_RULE = "aws:lb/listenerRule:ListenerRule";
const TARGET_GROUP = "aws:lb/targetGroup:TargetGroup";
const CONDITION_TYPES = { quote: "", url: `${ELB_GUIDE}/rule-condition-types.html` };

const METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const CW_API = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference";
const LOGS_API = "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference";
/** PutRetentionPolicy's values (the settings' `logRetentionDays` offers exactly these). */
export const LOG_RETENTION_VALUES = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** An alarm's periods: its own, or each metric query's (metric math). */
function alarmPeriods(r: PlannedResource): [string, number][] {
    return [...numbersAt(r, "period"), ...numbersAt(r, "metricQueries[].metric.period")];
}
function isAlarmPeriod(v: number): boolean {
    return [10, 20, 30].includes(v) || (Number.isInteger(v) && v > 0 && v % 60 === 0);
}

// ---- ElastiCache AUTH token ----------------------------------------------------------------

/**
 * What ElastiCache accepts as a Redis AUTH token. AWS's guide and API reference allow only these
 * non-alphanumerics; the provider's own check is looser (it refuses only @ " and /), so the
 * stricter rule is the one that holds.
 */
export const ELASTICACHE_AUTH_TOKEN = {
    minLength: 16,
    maxLength: 128,
    /** The only non-alphanumeric characters allowed. */
    specials: "!&#$^<>-",
    source: {
        url: "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html",
        quote:
            "Tokens, or passwords, must be 16–128 printable characters. Nonalphanumeric characters are restricted to (!, &, #, $, ^, <, >, -). AUTH can only be enabled for encryption in-transit enabled Valkey or Redis OSS clusters. " +
            "(API_CreateReplicationGroup, AuthToken: Must be only printable ASCII characters. Must be at least 16 characters and no more than 128 characters in length. " +
            "The only permitted printable special characters are !, &, #, $, ^, <, >, and -.)",
    },
} as const;

/** True when ElastiCache accepts `token` as an AUTH token. */
export function isElastiCacheAuthToken(token: string): boolean {
    const specials = ELASTICACHE_AUTH_TOKEN.specials.replace(/[-^\]]/g, (c) => `\\${c}`);
    return (
        token.length >= ELASTICACHE_AUTH_TOKEN.minLength &&
        token.length <= ELASTICACHE_AUTH_TOKEN.maxLength &&
        new RegExp(`^[A-Za-z0-9${specials}]+$`).test(token)
    );
}

// ---- RDS gp3 storage performance ----------------------------------------------------------

const RDS_GP3_SOURCE = {
    url: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Storage.html#gp3-storage",
    quote:
        "gp3 storage, Db2, MariaDB, MySQL and PostgreSQL: less than 400 GiB: baseline 3,000 IOPS/125 MiBps, provisioned IOPS and throughput not applicable; " +
        "400 GiB and higher: baseline 12,000 IOPS/500 MiBps, provisioned 12,000-64,000 IOPS and 500-4,000 MiBps. " +
        "(RDS's refusal below the threshold: \"You can't specify IOPS or storage throughput for engine mysql and a storage size less than 400.\")",
};

/** RDS for MySQL and MariaDB on gp3: the storage size from which IOPS and throughput may be provisioned, and their ranges. */
export const RDS_GP3 = {
    thresholdGiB: 400,
    baseline: { small: { iops: 3000, throughputMiBps: 125 }, large: { iops: 12000, throughputMiBps: 500 } },
    iops: { min: 12000, max: 64000 },
    throughputMiBps: { min: 500, max: 4000 },
    source: RDS_GP3_SOURCE,
} as const;

/**
 * What RDS refuses about a gp3 volume's provisioned performance, per field (`iops`,
 * `storageThroughput`), in words; empty when it accepts it. Settings and the plan check both read this.
 */
export function rdsGp3Problems(
    allocatedGiB: number,
    iops: number | undefined,
    throughputMiBps: number | undefined,
): { field: "iops" | "storageThroughput"; allowed: string }[] {
    const g = RDS_GP3;
    const problems: { field: "iops" | "storageThroughput"; allowed: string }[] = [];
    if (allocatedGiB < g.thresholdGiB) {
        const none = `not set below ${g.thresholdGiB} GiB of gp3 storage (RDS gives ${g.baseline.small.iops} IOPS and ${g.baseline.small.throughputMiBps} MiB/s and refuses more)`;
        if (iops !== undefined) problems.push({ field: "iops", allowed: none });
        if (throughputMiBps !== undefined) problems.push({ field: "storageThroughput", allowed: none });
        return problems;
    }
    if (iops !== undefined && (!Number.isInteger(iops) || iops < g.iops.min || iops > g.iops.max)) {
        problems.push({ field: "iops", allowed: `a whole number from ${g.iops.min} to ${g.iops.max} (gp3 from ${g.thresholdGiB} GiB)` });
    }
    if (
        throughputMiBps !== undefined &&
        (!Number.isInteger(throughputMiBps) || throughputMiBps < g.throughputMiBps.min || throughputMiBps > g.throughputMiBps.max)
    ) {
        problems.push({
            field: "storageThroughput",
            allowed: `a whole number of MiB/s from ${g.throughputMiBps.min} to ${g.throughputMiBps.max} (gp3 from ${g.thresholdGiB} GiB)`,
        });
    }
    return problems;
}

/** Image Builder resources with a name, and the API action documenting it. */
const IMAGE_BUILDER_NAMED: readonly [string, string][] = [
    ["aws:imagebuilder/component:Component", "CreateComponent"],
    ["aws:imagebuilder/imageRecipe:ImageRecipe", "CreateImageRecipe"],
    ["aws:imagebuilder/infrastructureConfiguration:InfrastructureConfiguration", "CreateInfrastructureConfiguration"],
    ["aws:imagebuilder/distributionConfiguration:DistributionConfiguration", "CreateDistributionConfiguration"],
];

// ---- the rules -----------------------------------------------------------------------------

/** Every AWS limit the library knows; `checkAwsLimits` applies them all. */
export const AWS_LIMIT_RULES: readonly AwsLimitRule[] = [
    // Elastic Load Balancing: names.
    nameRule(
        "elb.loadBalancer.name",
        "aws:lb/loadBalancer:LoadBalancer",
        "name",
        32,
        /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/,
        "at most 32 letters, digits or hyphens, not beginning or ending with a hyphen, not beginning with internal-",
        {
            quote: 'This name must be unique per region per account, can have a maximum of 32 characters, must contain only alphanumeric characters or hyphens, must not begin or end with a hyphen, and must not begin with "internal-".',
            url: `${ELB_API}/API_CreateLoadBalancer.html`,
        },
        (v) => !v.startsWith("internal-"),
    ),
    nameRule(
        "elb.targetGroup.name",
        TARGET_GROUP,
        "name",
        32,
        /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/,
        "at most 32 letters, digits or hyphens, not beginning or ending with a hyphen",
        {
            quote: "This name must be unique per region per account, can have a maximum of 32 alphanumeric characters or hyphens, and must not begin or end with a hyphen.",
            url: `${ELB_API}/API_CreateTargetGroup.html`,
        },
    ),
    nameRule("elb.targetGroup.namePrefix", TARGET_GROUP, "namePrefix", 6, /^[A-Za-z0-9][A-Za-z0-9-]*$/, "at most 6 letters, digits or hyphens", {
        quote: "Creates a unique name beginning with the specified prefix. Conflicts with `name`. Cannot be longer than 6 characters.",
        url: "https://www.pulumi.com/registry/packages/aws/api-docs/lb/targetgroup/#nameprefix_nodejs",
    }),

    // Elastic Load Balancing: listener rules.
    {
        id: "elb.listenerRule.valuesPerCondition",
        type: LISTENER_RULE,
        property: "conditions[].<condition>.values",
        limit: "at most 3 values (match evaluations) in one condition",
        value: 3,
        source: { ...CONDITION_TYPES, quote: "You can specify up to three match evaluations per condition." },
        check: (r) => conditionsOf(r).flatMap((c, i): [string, unknown][] => (evaluationsOf(c).length > 3 ? [[`conditions[${i}]`, evaluationsOf(c)]] : [])),
    },
    {
        id: "elb.listenerRule.matchEvaluationsPerRule",
        type: LISTENER_RULE,
        property: "conditions",
        limit: "at most 5 match evaluations in one rule",
        value: 5,
        source: { ...CONDITION_TYPES, quote: "You can specify up to five match evaluations per rule." },
        check: (r) => {
            const all = conditionsOf(r).flatMap(evaluationsOf);
            return all.length > 5 ? [["conditions", all]] : [];
        },
    },
    {
        id: "elb.listenerRule.wildcardsPerRule",
        type: LISTENER_RULE,
        property: "conditions",
        limit: "at most 5 wildcard characters (* or ?) in one rule",
        value: 5,
        source: {
            ...CONDITION_TYPES,
            quote: "You can include wildcard characters in the match evaluations for the http-header, host-header, path-pattern, and query-string conditions. There is a limit of five wildcard characters per rule.",
        },
        check: (r) => {
            const text = conditionsOf(r)
                .flatMap(evaluationsOf)
                .filter((v) => typeof v === "string")
                .join("");
            const count = [...text].filter((ch) => ch === "*" || ch === "?").length;
            return count > 5 ? [["conditions", `${count} wildcards`]] : [];
        },
    },
    {
        id: "elb.listenerRule.oneConditionOfAKind",
        type: LISTENER_RULE,
        property: "conditions[].pathPattern",
        limit: "at most one path-pattern, host-header, http-request-method and source-ip condition each in one rule",
        source: {
            url: `${ELB_API}/API_RuleCondition.html`,
            quote: "Each rule can optionally include up to one of each of the following conditions: http-request-method, host-header, path-pattern, and source-ip.",
        },
        check: (r) =>
            ["pathPattern", "hostHeader", "httpRequestMethod", "sourceIp"]
                .filter((kind) => conditionsOf(r).filter((c) => c[kind] !== undefined).length > 1)
                .map((kind): [string, unknown] => [`conditions[].${kind}`, "more than one"]),
    },
    rangeRule("elb.listenerRule.priority", LISTENER_RULE, "priority", 1, 50000, {
        url: `${ELB_API}/API_CreateRule.html`,
        quote: "Priority: The rule priority. A listener can't have multiple rules with the same priority. Valid Range: Minimum value of 1. Maximum value of 50000.",
    }),
    {
        id: "elb.listenerRule.uniquePriority",
        type: LISTENER_RULE,
        property: "priority",
        limit: "one priority per rule on a listener",
        source: { url: `${ELB_API}/API_CreateRule.html`, quote: "A listener can't have multiple rules with the same priority." },
        check: (r, graph) => {
            const twins = graph.filter(
                (o) => o !== r && o.type === LISTENER_RULE && o.inputs.listenerArn === r.inputs.listenerArn && o.inputs.priority === r.inputs.priority,
            );
            return twins.length > 0 ? [["priority", `${String(r.inputs.priority)}, also on ${twins.map((t) => t.name).join(", ")}`]] : [];
        },
    },
    {
        id: "elb.listenerRule.fixedResponse",
        type: LISTENER_RULE,
        property: "actions[].fixedResponse",
        limit: "status code 2XX, 4XX or 5XX; content type text/plain, text/css, text/html, application/javascript or application/json; body at most 1024 characters",
        source: {
            url: `${ELB_API}/API_FixedResponseActionConfig.html`,
            quote: "StatusCode: The HTTP response code (2XX, 4XX, or 5XX). ContentType: Valid Values: text/plain | text/css | text/html | application/javascript | application/json. MessageBody: Length Constraints: Minimum length of 0. Maximum length of 1024.",
        },
        check: (r) =>
            valuesAt(r.inputs, "actions[].fixedResponse").filter(([, v]) => {
                const f = v as { statusCode?: unknown; contentType?: unknown; messageBody?: unknown };
                return (
                    !/^[245]\d\d$/.test(String(f.statusCode)) ||
                    (f.contentType !== undefined &&
                        !["text/plain", "text/css", "text/html", "application/javascript", "application/json"].includes(String(f.contentType))) ||
                    (typeof f.messageBody === "string" && f.messageBody.length > 1024)
                );
            }),
    },

    // Elastic Load Balancing: target groups and the load balancer.
    rangeRule("elb.targetGroup.healthCheck.interval", TARGET_GROUP, "healthCheck.interval", 5, 300, {
        url: `${ELB_API}/API_CreateTargetGroup.html`,
        quote: "HealthCheckIntervalSeconds: The approximate amount of time, in seconds, between health checks of an individual target. The range is 5-300.",
    }),
    {
        id: "elb.targetGroup.healthCheck.timeout",
        type: TARGET_GROUP,
        property: "healthCheck.timeout",
        limit: "2 to 120 seconds, and less than the interval",
        source: {
            url: `${ELB_API}/API_CreateTargetGroup.html`,
            quote: "HealthCheckTimeoutSeconds: The amount of time, in seconds, during which no response from a target means a failed health check. The range is 2–120 seconds. (The timeout must be smaller than the interval.)",
        },
        check: (r) =>
            numbersAt(r, "healthCheck.timeout").filter(([, t]) => {
                const interval = numbersAt(r, "healthCheck.interval")[0]?.[1] ?? 30;
                return !Number.isInteger(t) || t < 2 || t > 120 || t >= interval;
            }),
    },
    {
        id: "elb.targetGroup.healthCheck.thresholds",
        type: TARGET_GROUP,
        property: "healthCheck.healthyThreshold, healthCheck.unhealthyThreshold",
        limit: "a whole number from 2 to 10",
        source: { url: `${ELB_API}/API_CreateTargetGroup.html`, quote: "HealthyThresholdCount / UnhealthyThresholdCount: The range is 2-10." },
        check: (r) =>
            [...numbersAt(r, "healthCheck.healthyThreshold"), ...numbersAt(r, "healthCheck.unhealthyThreshold")].filter(
                ([, v]) => !Number.isInteger(v) || v < 2 || v > 10,
            ),
    },
    rangeRule("elb.targetGroup.deregistrationDelay", TARGET_GROUP, "deregistrationDelay", 0, 3600, {
        url: `${ELB_GUIDE}/edit-target-group-attributes.html`,
        quote: "deregistration_delay.timeout_seconds: The amount of time for Elastic Load Balancing to wait before deregistering a target. The range is 0–3600 seconds.",
    }),
    rangeRule("elb.loadBalancer.idleTimeout", "aws:lb/loadBalancer:LoadBalancer", "idleTimeout", 1, 4000, {
        url: `${ELB_GUIDE}/edit-load-balancer-attributes.html`,
        quote: "idle_timeout.timeout_seconds: The idle timeout value, in seconds. The valid range is 1-4000 seconds.",
    }),

    // EC2.
    nameRule(
        "ec2.launchTemplate.namePrefix",
        "aws:ec2/launchTemplate:LaunchTemplate",
        "namePrefix",
        99,
        /^[0-9a-zA-Z()./_-]{3,}$/,
        "3 to 99 of letters, digits and ( ) . / _ -",
        {
            url: PROVIDER_EC2_VALIDATE,
            quote: "ValidLaunchTemplateName: %q cannot be longer than 99 characters, name is limited to 125 (for a name prefix); %q can only alphanumeric characters and ()./_- symbols",
        },
    ),
    nameRule("ec2.launchTemplate.description", "aws:ec2/launchTemplate:LaunchTemplate", "description", 255, /^[\s\S]*$/, "at most 255 characters", {
        url: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html",
        quote: "VersionDescription: A description for the first version of the launch template. Length Constraints: Maximum length of 255.",
    }),
    nameRule(
        "ec2.securityGroup.description",
        "aws:ec2/securityGroup:SecurityGroup",
        "description",
        255,
        /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]+$/,
        "at most 255 of a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*",
        {
            url: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html",
            quote: "GroupDescription: Constraints: Up to 255 characters in length. Valid characters for VPC: a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*",
        },
    ),

    nameRule(
        "ec2.securityGroup.name",
        "aws:ec2/securityGroup:SecurityGroup",
        "name",
        255,
        /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]+$/,
        "at most 255 of a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*, not starting with sg- (autonamed: the logical name and 8 characters)",
        {
            url: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html",
            quote: `GroupName: Constraints: Up to 255 characters in length. Cannot start with sg-. Valid characters for VPC: a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*. (${AUTONAME_SOURCE.quote})`,
        },
        (v) => !v.startsWith("sg-"),
    ),

    // IAM.
    nameRule(
        "iam.role.namePrefix",
        "aws:iam/role:Role",
        "namePrefix",
        64 - UNIQUE_SUFFIX_LENGTH,
        /^[\w+=,.@-]+$/,
        "at most 38 of letters, digits and _+=,.@- (64 less the 26-character unique suffix)",
        {
            url: PROVIDER_IAM_ROLE,
            quote: "roleNameMaxLen = 64; roleNamePrefixMaxLen = roleNameMaxLen - id.UniqueIDSuffixLength (26)",
        },
    ),
    nameRule(
        "iam.instanceProfile.namePrefix",
        "aws:iam/instanceProfile:InstanceProfile",
        "namePrefix",
        128 - UNIQUE_SUFFIX_LENGTH,
        /^[\w+=,.@-]+$/,
        "at most 102 of letters, digits and _+=,.@- (128 less the 26-character unique suffix)",
        {
            url: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateInstanceProfile.html",
            quote: "InstanceProfileName: Length Constraints: Minimum length of 1. Maximum length of 128. Pattern: [\\w+=,.@-]+",
        },
    ),
    nameRule(
        "iam.rolePolicy.namePrefix",
        "aws:iam/rolePolicy:RolePolicy",
        "namePrefix",
        128 - UNIQUE_SUFFIX_LENGTH,
        /^[\w+=,.@-]+$/,
        "at most 102 of letters, digits and _+=,.@- (128 less the 26-character unique suffix)",
        {
            url: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html",
            quote: "PolicyName: Length Constraints: Minimum length of 1. Maximum length of 128. Pattern: [\\w+=,.@-]+",
        },
    ),
    {
        id: "iam.rolePolicy.size",
        type: "aws:iam/rolePolicy:RolePolicy",
        property: "policy",
        limit: "at most 10,240 characters of inline policy per role",
        value: 10240,
        source: {
            url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html",
            quote: "Role policy size cannot exceed 10,240 characters.",
        },
        check: (r, graph) => {
            const total = graph
                .filter((o) => o.type === r.type && o.inputs.role === r.inputs.role && typeof o.inputs.policy === "string")
                .reduce((sum, o) => sum + String(o.inputs.policy).replace(/\s/g, "").length, 0);
            return total > 10240 ? [["policy", `${total} characters on role ${String(r.inputs.role)}`]] : [];
        },
    },

    // Auto Scaling.
    nameRule(
        "autoscaling.group.namePrefix",
        "aws:autoscaling/group:Group",
        "namePrefix",
        255 - UNIQUE_SUFFIX_LENGTH,
        /^[\x21-\x7e]+$/,
        "at most 229 characters (255 less the 26-character unique suffix)",
        {
            url: "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateAutoScalingGroup.html",
            quote: "AutoScalingGroupName: The name of the Auto Scaling group. This name must be unique per Region per account. The name can contain any ASCII character 33 to 126 including most punctuation characters, digits, and upper and lowercased letters. Length Constraints: Minimum length of 1. Maximum length of 255.",
        },
    ),
    {
        id: "autoscaling.group.sizes",
        type: "aws:autoscaling/group:Group",
        property: "minSize, maxSize, desiredCapacity",
        limit: "minSize ≤ desiredCapacity ≤ maxSize",
        source: {
            url: "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateAutoScalingGroup.html",
            quote: "DesiredCapacity: The desired capacity is the initial capacity of the Auto Scaling group at the time of its creation and the capacity it attempts to maintain. It must be greater than or equal to the minimum size of the group and less than or equal to the maximum size of the group.",
        },
        check: (r) => {
            const [min, max] = [r.inputs.minSize, r.inputs.maxSize].map(Number);
            const desired = r.inputs.desiredCapacity === undefined ? min : Number(r.inputs.desiredCapacity);
            return min > max || desired < min || desired > max ? [["minSize, maxSize, desiredCapacity", [min, max, desired]]] : [];
        },
    },
    {
        id: "autoscaling.group.instanceRefresh",
        type: "aws:autoscaling/group:Group",
        property: "instanceRefresh.preferences",
        limit: "minHealthyPercentage 0–100, maxHealthyPercentage 100–200, at most 100 apart",
        source: {
            url: "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html",
            quote: "MaxHealthyPercentage: Value range is 100 to 200. Both MinHealthyPercentage and MaxHealthyPercentage must be specified, and the difference between them cannot be greater than 100.",
        },
        check: (r) =>
            valuesAt(r.inputs, "instanceRefresh.preferences").filter(([, v]) => {
                const p = v as { minHealthyPercentage?: number; maxHealthyPercentage?: number };
                const min = p.minHealthyPercentage ?? 90;
                const max = p.maxHealthyPercentage ?? 100;
                return min < 0 || min > 100 || max < 100 || max > 200 || max - min > 100;
            }),
    },

    // RDS and ElastiCache.
    nameRule(
        "rds.instance.identifier",
        "aws:rds/instance:Instance",
        "identifier",
        63,
        AWS_IDENTIFIER,
        "1 to 63 letters, digits or hyphens; first a letter; no two consecutive hyphens; not ending with a hyphen",
        {
            url: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html",
            quote: "DBInstanceIdentifier: Must contain from 1 to 63 letters, numbers, or hyphens. First character must be a letter. Can't end with a hyphen or contain two consecutive hyphens.",
        },
        (v) => !v.endsWith("-"),
    ),
    {
        id: "rds.instance.gp3Performance",
        type: "aws:rds/instance:Instance",
        property: "iops, storageThroughput",
        limit: `on gp3: no iops or storageThroughput below ${RDS_GP3.thresholdGiB} GiB; from there iops ${RDS_GP3.iops.min}-${RDS_GP3.iops.max}, storageThroughput ${RDS_GP3.throughputMiBps.min}-${RDS_GP3.throughputMiBps.max}`,
        source: RDS_GP3_SOURCE,
        check: (r) => {
            // A replica takes its storage from the source: only instances with their own allocation are checked.
            const [allocated] = numbersAt(r, "allocatedStorage");
            if (r.inputs.storageType !== "gp3" || allocated === undefined) return [];
            const iops = numbersAt(r, "iops")[0]?.[1];
            const throughput = numbersAt(r, "storageThroughput")[0]?.[1];
            return rdsGp3Problems(allocated[1], iops, throughput).map((p): [string, unknown] => [p.field, p.field === "iops" ? iops : throughput]);
        },
    },
    nameRule(
        "elasticache.replicationGroup.id",
        "aws:elasticache/replicationGroup:ReplicationGroup",
        "replicationGroupId",
        40,
        AWS_IDENTIFIER,
        "1 to 40 letters, digits or hyphens; first a letter; no two consecutive hyphens; not ending with a hyphen",
        {
            url: "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html",
            quote: "ReplicationGroupId: A name must contain from 1 to 40 alphanumeric characters or hyphens. The first character must be a letter. A name cannot end with a hyphen or contain two consecutive hyphens.",
        },
        (v) => !v.endsWith("-"),
    ),

    {
        id: "elasticache.replicationGroup.authToken",
        type: "aws:elasticache/replicationGroup:ReplicationGroup",
        property: "authToken",
        limit: `${ELASTICACHE_AUTH_TOKEN.minLength} to ${ELASTICACHE_AUTH_TOKEN.maxLength} characters: letters, digits and ${ELASTICACHE_AUTH_TOKEN.specials.split("").join(" ")}`,
        value: ELASTICACHE_AUTH_TOKEN.maxLength,
        source: ELASTICACHE_AUTH_TOKEN.source,
        // The violation reports where, never the token itself.
        check: (r) => stringsAt(r, "authToken").flatMap(([path, v]): [string, unknown][] => (isElastiCacheAuthToken(v) ? [] : [[path, "[secret]"]])),
    },

    nameRule(
        "rds.parameterGroup.name",
        "aws:rds/parameterGroup:ParameterGroup",
        "name",
        255,
        AWS_LOWERCASE_IDENTIFIER,
        "1 to 255 lowercase letters, digits or hyphens; first a letter; no two consecutive hyphens; not ending with a hyphen (autonamed: the logical name and 8 characters)",
        {
            url: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBParameterGroup.html",
            quote: `DBParameterGroupName: Must be 1 to 255 letters, numbers, or hyphens. First character must be a letter. Can't end with a hyphen or contain two consecutive hyphens. This value is stored as a lowercase string. (${AUTONAME_SOURCE.quote})`,
        },
        (v) => !v.endsWith("-"),
    ),
    nameRule(
        "rds.parameterGroup.namePrefix",
        "aws:rds/parameterGroup:ParameterGroup",
        "namePrefix",
        255 - UNIQUE_SUFFIX_LENGTH,
        AWS_LOWERCASE_IDENTIFIER,
        "at most 229 lowercase letters, digits or single hyphens, first a letter (255 less the 26-character unique suffix)",
        {
            url: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBParameterGroup.html",
            quote: "DBParameterGroupName: Must be 1 to 255 letters, numbers, or hyphens. First character must be a letter. Can't end with a hyphen or contain two consecutive hyphens.",
        },
    ),
    nameRule(
        "rds.subnetGroup.name",
        "aws:rds/subnetGroup:SubnetGroup",
        "name",
        255,
        /^[a-z0-9 ._-]+$/,
        "at most 255 lowercase letters, digits, periods, underscores, spaces or hyphens, not default (autonamed: the logical name and 8 characters)",
        {
            url: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBSubnetGroup.html",
            quote: `DBSubnetGroupName: Must contain no more than 255 letters, numbers, periods, underscores, spaces, or hyphens. Must not be default. (${AUTONAME_SOURCE.quote})`,
        },
        (v) => v !== "default",
    ),
    nameRule(
        "elasticache.subnetGroup.name",
        "aws:elasticache/subnetGroup:SubnetGroup",
        "name",
        255,
        /^[a-z0-9-]+$/,
        "at most 255 lowercase letters, digits or hyphens (autonamed: the logical name and 8 characters)",
        {
            url: "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateCacheSubnetGroup.html",
            quote: `CacheSubnetGroupName: Constraints: Must contain no more than 255 alphanumeric characters or hyphens. (${AUTONAME_SOURCE.quote})`,
        },
    ),

    // Secrets Manager.
    nameRule(
        "secretsmanager.secret.namePrefix",
        "aws:secretsmanager/secret:Secret",
        "namePrefix",
        512 - UNIQUE_SUFFIX_LENGTH,
        /^[A-Za-z0-9/_+=.@-]+$/,
        "at most 486 of letters, digits and /_+=.@- (512 less the 26-character unique suffix)",
        {
            url: "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html",
            quote: "Name: The name of the new secret. The secret name can contain ASCII letters, numbers, and the following characters: /_+=.@- Length Constraints: Minimum length of 1. Maximum length of 512.",
        },
    ),
    {
        id: "secretsmanager.secret.recoveryWindowInDays",
        type: "aws:secretsmanager/secret:Secret",
        property: "recoveryWindowInDays",
        limit: "0 (delete at once) or 7 to 30",
        source: {
            url: "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DeleteSecret.html",
            quote: "RecoveryWindowInDays: The number of days from 7 to 30 that Secrets Manager waits before permanently deleting the secret.",
        },
        check: (r) => numbersAt(r, "recoveryWindowInDays").filter(([, v]) => v !== 0 && (v < 7 || v > 30)),
    },

    // S3 (the provisioning bundles' bucket).
    nameRule(
        "s3.bucket.bucketPrefix",
        "aws:s3/bucket:Bucket",
        "bucketPrefix",
        63 - UNIQUE_SUFFIX_LENGTH,
        /^[a-z0-9](?:[a-z0-9-]|\.(?!\.))*$/,
        "at most 37 lowercase letters, digits, hyphens or single periods, beginning with a letter or digit, not beginning with xn--, sthree- or amzn-s3-demo- (63 less the 26-character unique suffix)",
        {
            url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
            quote: "Bucket names must be between 3 (min) and 63 (max) characters long. Bucket names can consist only of lowercase letters, numbers, periods (.), and hyphens (-). Bucket names must begin and end with a letter or number. Bucket names must not contain two adjacent periods. Bucket names must not start with the prefix xn--. Bucket names must not start with the prefix sthree-. Bucket names must not start with the prefix amzn-s3-demo-. (Provider, bucketPrefix: Must be lowercase and less than or equal to 37 characters in length.)",
        },
        (v) => !S3_RESERVED_BUCKET_PREFIXES.some((p) => v.startsWith(p)),
    ),
    {
        id: "s3.lifecycle.noncurrentVersionExpiration",
        type: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        property: "rules[].noncurrentVersionExpiration",
        limit: "noncurrentDays a positive whole number; newerNoncurrentVersions, when set, 1 to 100",
        source: {
            url: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_NoncurrentVersionExpiration.html",
            quote: "NewerNoncurrentVersions: Specifies how many noncurrent versions Amazon S3 will retain. You can specify up to 100 noncurrent versions to retain. NoncurrentDays: Specifies the number of days an object is noncurrent before Amazon S3 can perform the associated action. The value must be a non-zero positive integer.",
        },
        check: (r) =>
            valuesAt(r.inputs, "rules[].noncurrentVersionExpiration").filter(([, v]) => {
                const e = v as { noncurrentDays?: unknown; newerNoncurrentVersions?: unknown };
                const days = Number(e.noncurrentDays);
                const kept = e.newerNoncurrentVersions === undefined ? 1 : Number(e.newerNoncurrentVersions);
                return !Number.isInteger(days) || days < 1 || !Number.isInteger(kept) || kept < 1 || kept > 100;
            }),
    },
    {
        id: "s3.object.key",
        type: "aws:s3/bucketObjectv2:BucketObjectv2",
        property: "key",
        limit: "1 to 1024 bytes of UTF-8",
        value: 1024,
        source: {
            url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html",
            quote: "The object key name is a sequence of Unicode characters with UTF-8 encoding of up to 1,024 bytes long.",
        },
        check: (r) => stringsAt(r, "key").filter(([, v]) => v.length === 0 || Buffer.byteLength(v, "utf8") > 1024),
    },

    // Systems Manager Parameter Store (the kept AMI).
    nameRule(
        "ssm.parameter.name",
        "aws:ssm/parameter:Parameter",
        "name",
        1011,
        /^[a-zA-Z0-9_.\-/]+$/,
        "at most 1011 of a-z, A-Z, 0-9, _ . - and / (autonamed: the logical name and 8 characters)",
        {
            url: "https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html",
            quote: `Parameter names can consist of the following symbols and letters only: a-zA-Z0-9_.- ... The maximum length for the fully qualified parameter name is 1011 characters. (${AUTONAME_SOURCE.quote})`,
        },
    ),
    {
        id: "ssm.parameter.ec2Image",
        type: "aws:ssm/parameter:Parameter",
        property: "insecureValue",
        limit: "with dataType aws:ec2:image, a String parameter whose value is an AMI id",
        source: {
            url: "https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-ec2-aliases.html",
            quote: "When you create a String parameter and specify aws:ec2:image as the data type, Systems Manager validates the parameter value you enter using the following format: ami-12345abcdeEXAMPLE",
        },
        check: (r) =>
            r.inputs.dataType === "aws:ec2:image"
                ? stringsAt(r, "insecureValue").filter(([, v]) => !/^ami-[0-9a-f]{8}([0-9a-f]{9})?$/.test(v) || r.inputs.type !== "String")
                : [],
    },

    // CloudWatch alarms (lib/aws/monitoring.ts).
    {
        id: "cloudwatch.metricAlarm.period",
        type: METRIC_ALARM,
        property: "period, metricQueries[].metric.period",
        limit: "10, 20, 30 or a multiple of 60 seconds",
        source: {
            url: `${CW_API}/API_PutMetricAlarm.html`,
            quote: "Period: The length, in seconds, used each time the metric specified in MetricName is evaluated. Valid values are 10, 20, 30, and any multiple of 60.",
        },
        check: (r) => alarmPeriods(r).filter(([, v]) => !isAlarmPeriod(v)),
    },
    {
        id: "cloudwatch.metricAlarm.evaluationRange",
        type: METRIC_ALARM,
        property: "period × evaluationPeriods",
        limit: "at most 86,400 s (one day) when the period is under an hour, else at most 604,800 s (seven days)",
        source: {
            url: `${CW_API}/API_PutMetricAlarm.html`,
            quote: "An alarm's total current evaluation period can be no longer than seven days, so Period multiplied by EvaluationPeriods can't be more than 604,800 seconds. For alarms with a period of less than one hour (3,600 seconds), the total evaluation period can't be longer than one day (86,400 seconds).",
        },
        check: (r) => {
            const evaluations = Number(r.inputs.evaluationPeriods);
            return alarmPeriods(r).filter(
                ([, period]) => !Number.isInteger(evaluations) || evaluations < 1 || period * evaluations > (period < 3600 ? 86400 : 604800),
            );
        },
    },
    {
        id: "cloudwatch.metricAlarm.datapointsToAlarm",
        type: METRIC_ALARM,
        property: "datapointsToAlarm",
        limit: "from 1 to evaluationPeriods",
        source: {
            url: `${CW_API}/API_PutMetricAlarm.html`,
            quote: 'DatapointsToAlarm: The number of data points that must be breaching to trigger the alarm. This is used only if you are setting an "M out of N" alarm. In that case, this value is the M. Valid Range: Minimum value of 1.',
        },
        check: (r) => numbersAt(r, "datapointsToAlarm").filter(([, v]) => v < 1 || v > Number(r.inputs.evaluationPeriods)),
    },
    nameRule("cloudwatch.metricAlarm.name", METRIC_ALARM, "name", 255, /^[\x20-\x7e]+$/, "1 to 255 printable ASCII characters", {
        url: `${CW_API}/API_PutMetricAlarm.html`,
        quote: "AlarmName: The name for the alarm. This name must be unique within the Region. The name must contain only UTF-8 characters, and can't contain ASCII control characters. Length Constraints: Minimum length of 1. Maximum length of 255.",
    }),
    nameRule("cloudwatch.metricAlarm.metricName", METRIC_ALARM, "metricName", 255, /^[\x20-\x7e]+$/, "1 to 255 printable ASCII characters", {
        url: `${CW_API}/API_PutMetricAlarm.html`,
        quote: "MetricName: The name for the metric associated with the alarm. Length Constraints: Minimum length of 1. Maximum length of 255.",
    }),
    {
        id: "cloudwatch.metricAlarm.dimensions",
        type: METRIC_ALARM,
        property: "dimensions, metricQueries[].metric.dimensions",
        limit: "at most 30 dimensions per metric",
        value: 30,
        source: {
            url: `${CW_API}/API_PutMetricAlarm.html`,
            quote: "Dimensions: The dimensions for the metric specified in MetricName. Array Members: Maximum number of 30 items.",
        },
        check: (r) =>
            [...valuesAt(r.inputs, "dimensions"), ...valuesAt(r.inputs, "metricQueries[].metric.dimensions")].filter(
                ([, v]) => v !== null && typeof v === "object" && Object.keys(v as object).length > 30,
            ),
    },
    {
        id: "cloudwatch.metricAlarm.treatMissingData",
        type: METRIC_ALARM,
        property: "treatMissingData",
        limit: "one of breaching, notBreaching, ignore, missing",
        source: {
            url: `${CW_API}/API_PutMetricAlarm.html`,
            quote: "TreatMissingData: Sets how this alarm is to handle missing data points. Valid values are breaching | notBreaching | ignore | missing",
        },
        check: (r) => stringsAt(r, "treatMissingData").filter(([, v]) => !["breaching", "notBreaching", "ignore", "missing"].includes(v)),
    },
    nameRule("cloudwatch.dashboard.name", "aws:cloudwatch/dashboard:Dashboard", "dashboardName", 255, /^[A-Za-z0-9_-]+$/, "1 to 255 letters, digits, - and _", {
        url: `${CW_API}/API_PutDashboard.html`,
        quote: 'DashboardName: The name of the dashboard. If a dashboard with this name already exists, this call modifies that dashboard, replacing its current contents. Otherwise, a new dashboard is created. The maximum length is 255, and valid characters are A-Z, a-z, 0-9, "-", and "_". This parameter is required.',
    }),
    {
        id: "cloudwatch.dashboard.body",
        type: "aws:cloudwatch/dashboard:Dashboard",
        property: "dashboardBody",
        limit: "a JSON object with a widgets array",
        source: {
            url: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html",
            quote: "widgets: An array of widget objects. [...] Type: Array of widget objects. Required: Yes",
        },
        check: (r) =>
            stringsAt(r, "dashboardBody").filter(([, v]) => {
                try {
                    return !Array.isArray((JSON.parse(v) as { widgets?: unknown }).widgets);
                } catch {
                    return true;
                }
            }),
    },

    // CloudWatch Logs (lib/aws/logs.ts).
    nameRule("logs.logGroup.name", LOG_GROUP, "name", 512, /^[.\-_/#A-Za-z0-9]+$/, "1 to 512 of letters, digits and . - _ / #", {
        url: `${LOGS_API}/API_CreateLogGroup.html`,
        quote: "logGroupName: A name for the log group. Length Constraints: Minimum length of 1. Maximum length of 512. Pattern: [\\.\\-_/#A-Za-z0-9]+",
    }),
    {
        id: "logs.logGroup.retentionInDays",
        type: LOG_GROUP,
        property: "retentionInDays",
        limit: `one of ${LOG_RETENTION_VALUES.join(", ")}`,
        source: {
            url: `${LOGS_API}/API_PutRetentionPolicy.html`,
            quote: "retentionInDays: The number of days to retain the log events in the specified log group. Possible values are: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, and 3653.",
        },
        check: (r) => numbersAt(r, "retentionInDays").filter(([, v]) => !(LOG_RETENTION_VALUES as readonly number[]).includes(v)),
    },
    nameRule("logs.metricFilter.name", "aws:cloudwatch/logMetricFilter:LogMetricFilter", "name", 512, /^[^:*]+$/, "1 to 512 characters without : or *", {
        url: `${LOGS_API}/API_PutMetricFilter.html`,
        quote: "filterName: A name for the metric filter. Length Constraints: Minimum length of 1. Maximum length of 512. Pattern: [^:*]*",
    }),

    // SNS (the alarm topic). The access log bucket's prefix is checked by the S3 rule above.
    nameRule("sns.topic.name", "aws:sns/topic:Topic", "name", 256, /^[A-Za-z0-9_-]+$/, "1 to 256 letters, digits, _ and -", {
        url: "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html",
        quote: "Name: The name of the topic you want to create. Constraints: Topic names must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.",
    }),

    // RDS enhanced monitoring.
    {
        id: "rds.instance.monitoringInterval",
        type: "aws:rds/instance:Instance",
        property: "monitoringInterval",
        limit: "0, 1, 5, 10, 15, 30 or 60, and a monitoringRoleArn when not 0",
        source: {
            url: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html",
            quote: "MonitoringInterval: The interval, in seconds, between points when Enhanced Monitoring metrics are collected for the DB instance. To disable collection of Enhanced Monitoring metrics, specify 0. If MonitoringRoleArn is specified, then you must set MonitoringInterval to a value other than 0. Valid Values: 0 | 1 | 5 | 10 | 15 | 30 | 60",
        },
        check: (r) =>
            numbersAt(r, "monitoringInterval").filter(
                ([, v]) => ![0, 1, 5, 10, 15, 30, 60].includes(v) || (v !== 0 && r.inputs.monitoringRoleArn === undefined),
            ),
    },

    // EC2 Image Builder (nodeImage.prebuilt): names, semantic versions, the inline component document.
    ...IMAGE_BUILDER_NAMED.map(([type, api]) =>
        nameRule(
            `imagebuilder.${type.split("/")[1].split(":")[0]}.name`,
            type,
            "name",
            128,
            /^[-_A-Za-z0-9][-_A-Za-z0-9 ]{1,126}[-_A-Za-z0-9]$/,
            "3 to 128 letters, digits, hyphens, underscores or spaces, not beginning or ending with a space",
            {
                url: `https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_${api}.html`,
                quote: "name ... Pattern: ^[-_A-Za-z-0-9][-_A-Za-z0-9 ]{1,126}[-_A-Za-z-0-9]$",
            },
        ),
    ),
    ...(["aws:imagebuilder/component:Component", "aws:imagebuilder/imageRecipe:ImageRecipe"] as const).map((type): AwsLimitRule => ({
        id: `imagebuilder.${type.split("/")[1].split(":")[0]}.version`,
        type,
        property: "version",
        limit: "<major>.<minor>.<patch>, each a whole number from 0 to 1073741823",
        source: {
            url: "https://docs.aws.amazon.com/imagebuilder/latest/userguide/ibhow-semantic-versioning.html",
            quote: "For the first three nodes you can assign any positive integer value, or zero, with an upper limit of 2^30-1, or 1073741823 for each node. Image Builder automatically assigns the build number to the fourth node.",
        },
        check: (r) =>
            stringsAt(r, "version").filter(
                ([, v]) => !/^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/.test(v) || v.split(".").some((n) => Number(n) > 2 ** 30 - 1),
            ),
    })),
    {
        id: "imagebuilder.component.data",
        type: "aws:imagebuilder/component:Component",
        property: "data",
        limit: "an inline component document of 1 to 16000 characters",
        value: 16000,
        source: {
            url: "https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_CreateComponent.html",
            quote: "data ... Length Constraints: Minimum length of 1. Maximum length of 16000.",
        },
        check: (r) => stringsAt(r, "data").filter(([, v]) => v.length < 1 || v.length > 16000),
    },
    {
        id: "imagebuilder.imageRecipe.userDataBase64",
        type: "aws:imagebuilder/imageRecipe:ImageRecipe",
        property: "userDataBase64",
        limit: "base64 build instance user data of 1 to 21847 characters",
        value: 21847,
        source: {
            // AWS's API model for AdditionalInstanceConfiguration.userDataOverride, as published in JSON Schema form.
            url: "https://raw.githubusercontent.com/api-evangelist/amazon-ec2-image-builder/refs/heads/main/json-schema/ec2-image-builder-user-data-override-schema.json",
            quote: '"pattern": "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$", "minLength": 1, "maxLength": 21847',
        },
        check: (r) =>
            stringsAt(r, "userDataBase64").filter(
                ([, v]) => v.length < 1 || v.length > 21847 || !/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(v),
            ),
    },
    // Inputs AWS needs at all: one left undefined is refused as surely as one too long.
    ...REQUIRED_INPUT_RULES,
];

/** The number a rule sizes by (e.g. a name's maximum length): components read limits from here. */
export function limitValue(id: string): number {
    const rule = AWS_LIMIT_RULES.find((r) => r.id === id);
    if (rule?.value === undefined) throw new Error(`awsLimits: no rule '${id}' with a value`);
    return rule.value;
}

/** Every place the graph breaks a rule; empty when AWS would accept it as far as these rules know. */
export function checkAwsLimits(resources: readonly PlannedResource[]): Violation[] {
    const violations: Violation[] = [];
    const named = resources.map(withAutoname);
    for (const resource of named) {
        for (const rule of AWS_LIMIT_RULES) {
            if (rule.type !== resource.type) continue;
            for (const [path, actual] of rule.check(resource, named)) violations.push({ rule, resource: resource.name, type: resource.type, path, actual });
        }
    }
    return violations;
}

/** One refusal, with the rule quoted and its source. */
export function formatViolation(v: Violation): string {
    const actual = typeof v.actual === "string" ? v.actual : JSON.stringify(v.actual);
    return `${v.resource} (${v.type}) ${v.path} = ${actual}: must be ${v.rule.limit} [${v.rule.id}]\n    source: "${v.rule.source.quote}"\n    ${v.rule.source.url}`;
}
