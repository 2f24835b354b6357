/**
 * Every value rule, written once. The cluster's schema (`./cluster.ts`) and each standalone
 * component's (`./components.ts`) are built from these, so a limit changes in one place.
 */
import { LOG_RETENTION_VALUES } from "../model/awsLimits";
import { isCidr, cidrPrefixLength, isHostname, isInstanceType, isGravitonInstanceType } from "../validation";
import { RDS_GP3 } from "../model/awsLimits";
import { hiddenValue, type ArgumentPath } from "./errors";
import type { Architecture, DatabaseEngine } from "./args";
import { Checker, doc, input, integer, integerOneOf, list, named, object, oneOf, optional, pattern, record, text, type Schema } from "./schema";

export const hostname = text("a fully qualified hostname such as analytics.example.com (no scheme, port or path)", isHostname);

export const ipv4Cidr = text("an IPv4 CIDR block such as 203.0.113.0/24", isCidr);

/** Ranges AWS refuses for a VPC, or that cannot route: "this network", loopback, link-local, multicast, reserved. */
export const UNUSABLE_VPC_RANGES: readonly string[] = ["0.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "240.0.0.0/4"];

function cidrRange(cidr: string): [number, number] {
    const [address, prefix] = cidr.split("/");
    const start = address.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
    return [start, start + 2 ** (32 - Number(prefix)) - 1];
}

export function cidrsOverlap(a: string, b: string): boolean {
    const [a0, a1] = cidrRange(a);
    const [b0, b1] = cidrRange(b);
    return a0 <= b1 && b0 <= a1;
}

export const vpcCidr = text(
    `an IPv4 CIDR block with a prefix from /16 (AWS's largest VPC) to /22 (room for the subnet plan), outside ${UNUSABLE_VPC_RANGES.join(", ")}, such as 10.80.0.0/16`,
    (v) => isCidr(v) && cidrPrefixLength(v) >= 16 && cidrPrefixLength(v) <= 22 && !UNUSABLE_VPC_RANGES.some((r) => cidrsOverlap(r, v)),
);

/** EC2 resource ids: the prefix, then 8 or 17 hex digits. */
function resourceId(prefix: string, example: string): Schema<string> {
    return pattern(`${/^[aeiou]/.test(prefix) ? "an" : "a"} ${prefix}- id such as ${example}`, new RegExp(`^${prefix}-[0-9a-f]{8}([0-9a-f]{9})?$`));
}
export const vpcId = input(resourceId("vpc", "vpc-0a1b2c3d4e5f60718"));
export const subnetId = input(resourceId("subnet", "subnet-0a1b2c3d4e5f60718"));
export const amiId = input(resourceId("ami", "ami-0a1b2c3d4e5f60718"));
export const securityGroupId = input(resourceId("sg", "sg-0a1b2c3d4e5f60718"));

/** Subnets of one tier: at least 2 distinct ids, or an Output of the list. */
export const subnetIds = list(subnetId, { min: 2, unique: true, acceptsOutput: true }, "subnet ids (subnet-…) in at least 2 availability zones");

const ARN_PREFIX = "arn:aws[a-z-]*";
export const acmCertificateArn = input(
    pattern(
        "an ACM certificate ARN, arn:aws:acm:<region>:<account>:certificate/<id>",
        new RegExp(`^${ARN_PREFIX}:acm:[a-z0-9-]+:\\d{12}:certificate/[A-Za-z0-9-]+$`),
    ),
);
// A name has only these characters, except the secrets RDS manages for master passwords, which RDS
// names `rds!db-<uuid>` (or `rds!cluster-<uuid>`): its `!` prefix marks a secret another service manages.
export const secretArn = input(
    pattern(
        "a Secrets Manager ARN, arn:aws:secretsmanager:<region>:<account>:secret:<name>",
        new RegExp(`^${ARN_PREFIX}:secretsmanager:[a-z0-9-]+:\\d{12}:secret:(?:rds!)?[A-Za-z0-9/_+=.@-]+$`),
    ),
);
export const kmsKeyArn = input(
    pattern(
        "a KMS key ARN, arn:aws:kms:<region>:<account>:key/<key id> (IAM grants on keys, not aliases)",
        new RegExp(`^${ARN_PREFIX}:kms:[a-z0-9-]+:\\d{12}:key/[A-Za-z0-9-]+$`),
    ),
);
/** What Secrets Manager and RDS take as a KMS key: key id, key ARN, alias name or alias ARN. */
export const kmsKeyReference = input(
    pattern(
        "a KMS key id, key ARN, alias/<name> or alias ARN",
        new RegExp(
            `^([0-9a-f-]{36}|mrk-[0-9a-f]{32}|alias/[A-Za-z0-9/_-]{1,250}|${ARN_PREFIX}:kms:[a-z0-9-]+:\\d{12}:(key/[A-Za-z0-9-]+|alias/[A-Za-z0-9/_-]+))$`,
        ),
    ),
);
/**
 * The key of the alarm topic: CloudWatch publishes to an encrypted topic only when the key's policy
 * lets cloudwatch.amazonaws.com use it, and the AWS-managed aws/sns key's policy cannot be changed
 * (Amazon SNS Developer Guide, "Key management": compatibility with AWS services).
 */
export const alarmTopicKmsKeyReference = input(
    text(
        "a customer managed KMS key id, key ARN, alias/<name> or alias ARN, not the AWS-managed alias/aws/sns (CloudWatch cannot publish to a topic under it: its key policy cannot grant CloudWatch)",
        (v) => kmsKeyReference.check(v, new Checker(), []) !== undefined && !/(^|:)alias\/aws\/sns$/.test(v),
    ),
);
export const targetGroupArn = input(
    pattern("an ELB target group ARN", new RegExp(`^${ARN_PREFIX}:elasticloadbalancing:[a-z0-9-]+:\\d{12}:targetgroup/[A-Za-z0-9-]+/[0-9a-f]+$`)),
);
export const hostedZoneId = input(pattern("a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ", /^Z[A-Z0-9]{1,31}$/));
/** S3 bucket names: 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit. */
export const s3BucketName = input(pattern("an S3 bucket name (3 to 63 lowercase letters, digits, . and -)", /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/));
export const s3Prefix = input(
    text("an S3 key prefix (no leading slash, no 'AWSLogs')", (v) => !v.startsWith("/") && !v.includes("AWSLogs") && v.length <= 1024),
);
export const devicePath = input(pattern("a device name such as /dev/xvda", /^\/dev\/[a-z0-9]+$/));

export const architecture = named(
    { ts: "Architecture", ml: "Architecture", doc: "CPU architecture of the nodes: `arm64` (Graviton) or `x86_64`." },
    oneOf(["arm64", "x86_64"] as const),
);
export const instanceType = text("an EC2 instance type such as c7g.large (family.size)", isInstanceType);

/** An instance type must match the architecture of the AMI; reported on `path`. */
export function checkArchitecture(c: Checker, path: ArgumentPath, type: string, arch: Architecture, archArgument: string): boolean {
    if (isGravitonInstanceType(type) === (arch === "arm64")) return true;
    c.fail(
        path,
        type,
        arch === "arm64"
            ? `a Graviton (arm64) type such as c7g.large, because '${archArgument}' is arm64`
            : `an x86_64 type such as c7i.large, because '${archArgument}' is x86_64`,
    );
    return false;
}

export const rdsInstanceClass = pattern(
    "an RDS instance class such as db.m7g.xlarge",
    /^db\.[a-z][a-z0-9-]*\d[a-z0-9-]*\.(\d*(nano|micro|small|medium|large|xlarge))$/,
);
export const cacheNodeType = pattern(
    "an ElastiCache node type such as cache.t4g.small",
    /^cache\.[a-z][a-z0-9-]*\d[a-z0-9-]*\.(\d*(micro|small|medium|large|xlarge))$/,
);

export const engine = named(
    { ts: "DatabaseEngine", ml: "DatabaseEngine", doc: "The RDS engine of a database this library creates." },
    oneOf(["mysql", "mariadb"] as const),
);
/** Major versions in RDS standard support (as of 2026-11); see `NewDatabaseArgs.engineVersion`. */
export const SUPPORTED_ENGINE_VERSIONS: Record<DatabaseEngine, readonly string[]> = {
    mysql: ["8.4"],
    mariadb: ["10.11", "11.4"],
};
export const DEFAULT_ENGINE_VERSION: Record<DatabaseEngine, string> = { mysql: "8.4", mariadb: "11.4" };
export const engineVersion = text(`one of ${[...new Set(Object.values(SUPPORTED_ENGINE_VERSIONS).flat())].map((v) => `'${v}'`).join(", ")} (by engine)`);

/** The version must be one the engine offers; reported on `path`. */
export function checkEngineVersion(c: Checker, path: ArgumentPath, e: DatabaseEngine, version: string): boolean {
    if (SUPPORTED_ENGINE_VERSIONS[e].includes(version)) return true;
    c.fail(path, version, `one of ${SUPPORTED_ENGINE_VERSIONS[e].map((v) => `'${v}'`).join(", ")}`);
    return false;
}

/** RDS for MySQL and MariaDB: at most 64 TiB of gp3 storage. */
export const RDS_MAX_STORAGE_GIB = 65536;
/** The largest allocation that still leaves room for RDS's 110 % autoscaling ceiling under 65536 GiB. */
export const RDS_MAX_ALLOCATED_GIB = Math.floor((RDS_MAX_STORAGE_GIB * 100) / 110);
export const allocatedStorageGiB = integer(20, RDS_MAX_ALLOCATED_GIB);
export const maxAllocatedStorageGiB = integer(
    22,
    RDS_MAX_STORAGE_GIB,
    `a whole number of GiB, at least 110 % of allocatedStorageGiB, at most ${RDS_MAX_STORAGE_GIB}`,
);

/** RDS storage autoscaling refuses a ceiling below 110 % of the allocated storage ("Invalid max storage size"). */
export function minimumMaxAllocatedStorageGiB(allocated: number): number {
    // Whole-number arithmetic: 200 * 1.1 is 220.00000000000003 in floating point.
    return Math.ceil((allocated * 110) / 100);
}

/** The default ceiling: 1000 GiB, or 26 % above a larger allocation. */
export function defaultMaxAllocatedStorageGiB(allocated: number): number {
    return Math.min(RDS_MAX_STORAGE_GIB, Math.max(1000, Math.ceil((allocated * 126) / 100)));
}

/** The ceiling given or defaulted, checked against the allocation; `allocatedArgument` names the allocation as the user wrote it. */
export function resolveMaxAllocatedStorage(
    c: Checker,
    path: ArgumentPath,
    allocated: number,
    given: number | undefined,
    allocatedArgument: string,
): number | undefined {
    const minimum = minimumMaxAllocatedStorageGiB(allocated);
    const ceiling = given ?? defaultMaxAllocatedStorageGiB(allocated);
    if (ceiling < minimum) {
        return c.fail(
            path,
            ceiling,
            `a whole number of GiB at least ${minimum} (110 % of ${allocatedArgument} (${allocated}), RDS storage autoscaling's minimum) and at most ${RDS_MAX_STORAGE_GIB}`,
        );
    }
    return ceiling;
}

/**
 * A DB snapshot to restore from: its identifier, an automated snapshot's `rds:` name, or an ARN
 * (RDS wants the ARN for a snapshot shared from another account). RestoreDBInstanceFromDBSnapshot's
 * DBSnapshotIdentifier: "Must match the identifier of an existing DB snapshot"; identifiers: "Must
 * contain from 1 to 255 letters, numbers, or hyphens. First character must be a letter. Can't end
 * with a hyphen or contain two consecutive hyphens" (API_CreateDBSnapshot.html); automated
 * snapshots are named `rds:<instance>-<yyyy-mm-dd-hh-mm>`.
 */
const DB_SNAPSHOT_ID = "(rds:)?[A-Za-z](?:[A-Za-z0-9]|-(?!-)){0,254}";
export const dbSnapshotIdentifier = text(
    "a DB snapshot identifier (a letter, then up to 254 letters, digits and single hyphens, not ending with one; rds:… for an automated snapshot) or its ARN, arn:aws:rds:<region>:<account>:snapshot:<identifier>",
    (v) => new RegExp(`^(${ARN_PREFIX}:rds:[a-z0-9-]+:\\d{12}:snapshot:)?${DB_SNAPSHOT_ID}$`).test(v) && !v.endsWith("-"),
);
/** Raised to rotate the database's master password; 1 is the password first made. */
export const passwordVersion = integer(1, 1_000_000, "a whole number from 1 (the first password); raise it to rotate");
/** gp3 IOPS and throughput: the outer bounds; the size-dependent rule is `rdsGp3Problems` (lib/model/awsLimits.ts). */
export const gp3Iops = integer(
    RDS_GP3.iops.min,
    RDS_GP3.iops.max,
    `a whole number from ${RDS_GP3.iops.min} to ${RDS_GP3.iops.max}, with allocatedStorageGiB of ${RDS_GP3.thresholdGiB} or more (gp3)`,
);
export const gp3ThroughputMiBps = integer(
    RDS_GP3.throughputMiBps.min,
    RDS_GP3.throughputMiBps.max,
    `a whole number of MiB/s from ${RDS_GP3.throughputMiBps.min} to ${RDS_GP3.throughputMiBps.max}, with allocatedStorageGiB of ${RDS_GP3.thresholdGiB} or more (gp3)`,
);

export const backupRetentionDays = integer(1, 35, "a whole number from 1 to 35 (0 would disable backups)");
/** RDS MySQL DBName: 1 to 64 letters, digits or _, starting with a letter. */
export const databaseName = pattern("1 to 64 letters, digits or _, starting with a letter", /^[A-Za-z][A-Za-z0-9_]{0,63}$/);
/** RDS MySQL master user names: 1 to 16 characters, letters, digits and _, starting with a letter. */
export const rdsMasterUsername = pattern("1 to 16 letters, digits or _, starting with a letter (RDS limit)", /^[A-Za-z][A-Za-z0-9_]{0,15}$/);
/** MySQL/MariaDB user names in general: up to 32 characters. */
export const mysqlUsername = pattern("1 to 32 letters, digits or _, starting with a letter", /^[A-Za-z][A-Za-z0-9_]{0,31}$/);
export const tablesPrefix = pattern("up to 20 letters, digits or _", /^[A-Za-z0-9_]{0,20}$/);
export const port = integer(1, 65535);
export function isHostOrIp(value: string): boolean {
    return isHostname(value) || /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(value);
}
export const databaseHost = input(text("a hostname or IPv4 address", isHostOrIp));

export const httpsUrl = pattern("an https:// URL without spaces or quotes", /^https:\/\/[^\s"'\\]+$/);

/** What a value in a node's metrics.env may hold (its scripts read it as one plain word); the renderer checks every value by it. */
export const PLAIN_ENV_VALUE = /^[A-Za-z0-9._/:-]+$/;

/** A CloudWatch endpoint for the node's metric script: a host (and port, path), nothing metrics.env could not hold as is. */
export const metricsEndpointUrl = text(
    "an https:// URL of a host name, optional :port and path, in letters, digits and . _ / : - only (no query, fragment, userinfo, percent-encoding or IPv6 literal: the node's metric script reads it from metrics.env)",
    (v) => /^https:\/\/[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\d{1,5})?(?:\/|$)/.test(v) && PLAIN_ENV_VALUE.test(v),
);
export const httpUrl = pattern("an http:// or https:// URL", /^https?:\/\/[^\s"'\\]+$/);
export const sha256 = pattern("64 hexadecimal digits (a sha256)", /^[0-9a-fA-F]{64}$/);
/** Matomo's own rule for a plugin name (core/Plugin/Manager.php `isValidPluginName`: `/^[a-zA-Z]([a-zA-Z0-9_]){0,59}$/D`). */
export const pluginName = pattern("a Matomo plugin name: a letter, then up to 59 letters, digits or _", /^[A-Za-z][A-Za-z0-9_]{0,59}$/);
export const releaseVersion = pattern("a release number x.y.z such as 5.10.0", /^\d+\.\d+\.\d+$/);
export const email = pattern("an e-mail address such as ops@example.com", /^[^\s@"'\\]+@[^\s@"'\\]+\.[^\s@"'\\]+$/);
export const login = pattern("2 to 100 letters, digits, _, -, . or @", /^[A-Za-z0-9_.@-]{2,100}$/);
export const timezone = pattern("UTC or an IANA time zone such as Europe/Berlin", /^(UTC|[A-Za-z]+(\/[A-Za-z0-9_+-]+){1,2})$/);
/** Matomo's longest site name. */
export const SITE_NAME_MAX_LENGTH = 90;
export const siteName = text(`1 to ${SITE_NAME_MAX_LENGTH} characters`, (v) => v.length >= 1 && v.length <= SITE_NAME_MAX_LENGTH);

/** Whether `version` (x.y.z) is at least `minimum`. */
export function versionAtLeast(version: string, minimum: string): boolean {
    const a = version.split(".").map(Number);
    const b = minimum.split(".").map(Number);
    for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
    return true;
}

/** AWS tag limits: key 1-128, value 0-256 characters, AWS's tag character set; the aws: prefix is reserved (and does not count). */
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
/** AWS: at most 50 user tags per resource (tags with the aws: prefix do not count). */
export const AWS_MAX_TAGS_PER_RESOURCE = 50;
/**
 * The most tags the library adds on one resource, by who is given the tags: a component adds one
 * (Name, matomo:role, matomo:log or matomo:ami-generation), a node group two (matomo:role and one of
 * Name, matomo:config-sha256), and MatomoCluster matomo:cluster on top of a node group's.
 */
export const TAGS_ADDED = { component: 1, nodeGroup: 2, cluster: 3 } as const;

function tagsAtMost(added: number) {
    const max = AWS_MAX_TAGS_PER_RESOURCE - added;
    return record(
        text(
            "a key of 1 to 128 letters, digits, spaces and _ . : / = + - @, not starting with the reserved 'aws:'",
            (k) => k.length >= 1 && k.length <= 128 && !k.toLowerCase().startsWith("aws:") && TAG_CHARACTERS.test(k),
        ),
        input(
            text(
                "a string of at most 256 letters, digits, spaces and _ . : / = + - @ (AWS's tag character set)",
                (v) => v.length <= 256 && TAG_CHARACTERS.test(v),
            ),
        ),
        `an object of tag key → string value (AWS allows ${AWS_MAX_TAGS_PER_RESOURCE} tags on a resource and the library adds up to ${added}, so at most ${max})`,
        max,
    );
}
/** A standalone component's tags. */
export const tags = named({ mlText: "Record<string, string>" }, tagsAtMost(TAGS_ADDED.component));
/** A standalone NodeGroup's tags. */
export const nodeGroupTags = named({ mlText: "Record<string, string>" }, tagsAtMost(TAGS_ADDED.nodeGroup));
/** MatomoCluster's tags. */
export const clusterTags = tagsAtMost(TAGS_ADDED.cluster);

/** Which resolution of the Debian image nodes keep (`amiGeneration`; raising it re-resolves). */
export const imageGeneration = integer(1, Number.MAX_SAFE_INTEGER, "a whole number, at least 1");

/** A SecretReference: exactly these keys (see `SecretReference` in ./args.ts). */
const secretReferenceObject = named(
    { ts: "SecretReference", ml: "SecretReference", doc: "A value kept in AWS Secrets Manager; nodes read it at boot with their instance role." },
    object(
        {
            secretArn: doc("ARN of the Secrets Manager secret.", { schema: secretArn, required: true } as const),
            jsonKey: doc(
                "When the secret string is a JSON object, the key to take.",
                optional(pattern("1 to 128 letters, digits, _, . or -", /^[A-Za-z0-9_.-]{1,128}$/), "the whole secret string"),
            ),
            kmsKeyArn: doc(
                "Customer-managed KMS key ARN the secret is encrypted with (nodes get kms:Decrypt via Secrets Manager).",
                optional(kmsKeyArn, "none (the account's aws/secretsmanager key)"),
            ),
        },
        undefined,
        "a secret reference { secretArn, jsonKey?, kmsKeyArn? }",
    ),
);

/**
 * A SecretReference where a secret belongs. Anything but an object is taken for the secret itself
 * given in plain text: refused without showing it, since the error may end up in a log.
 */
export const secretReference: typeof secretReferenceObject = {
    ...secretReferenceObject,
    check(value, c, path) {
        if (typeof value !== "object" || value === null) {
            return c.fail(
                path,
                hiddenValue(value),
                `${secretReferenceObject.allowed} to a Secrets Manager secret, never the secret itself in plain text (it would land in user data)`,
            );
        }
        return secretReferenceObject.check(value, c, path);
    },
};

export const healthCheckFields = {
    intervalSeconds: doc("Seconds between health checks.", { schema: integer(5, 300), default: 15 }),
    timeoutSeconds: doc("Seconds a health check may take, less than the interval.", { schema: integer(2, 120), default: 5 }),
    healthyThreshold: doc("Consecutive passed checks before a node is healthy.", { schema: integer(2, 10), default: 2 }),
    unhealthyThreshold: doc("Consecutive failed checks before a node is unhealthy.", { schema: integer(2, 10), default: 3 }),
} as const;

/** Target group health checks (AWS's ranges); the timeout must be shorter than the interval. */
export const healthCheck = named(
    { ts: "HealthCheckArgs", ml: "HealthCheck", doc: "The target groups' health check of the nodes." },
    object(healthCheckFields, (h, c, path) => {
        if (h.timeoutSeconds >= h.intervalSeconds)
            return c.fail([...path, "timeoutSeconds"], h.timeoutSeconds, `less than intervalSeconds (${h.intervalSeconds})`);
        return h;
    }),
);

/** Autoscaling instance refresh preferences (AWS's ranges); the maximum at most 100 above the minimum. */
export const instanceRefresh = named(
    { ts: "InstanceRefreshArgs", ml: "InstanceRefresh", doc: "How an instance refresh replaces the group's nodes when the launch template changes." },
    object(
        {
            minHealthyPercentage: doc("Percent of the group that must stay in service during a refresh (100: replacements start before old nodes stop).", {
                schema: integer(0, 100),
                default: 100,
            }),
            maxHealthyPercentage: doc("Percent of the group that may run during a refresh, at most 100 above the minimum.", {
                schema: integer(100, 200),
                default: 200,
            }),
            instanceWarmupSeconds: doc("Seconds a new node gets after it passes health checks before it counts as in service.", {
                schema: integer(0, 3600),
                default: 120,
            }),
        } as const,
        (r, c, path, given) => {
            if (r.maxHealthyPercentage - r.minHealthyPercentage > 100) {
                // Blame what the user wrote: a lowered minimum against the default maximum is the minimum's problem.
                if (!given.has("maxHealthyPercentage"))
                    return c.fail(
                        [...path, "minHealthyPercentage"],
                        r.minHealthyPercentage,
                        `at least ${r.maxHealthyPercentage - 100}: maxHealthyPercentage (default ${r.maxHealthyPercentage}) may be at most 100 above it; give a lower maxHealthyPercentage too`,
                    );
                return c.fail([...path, "maxHealthyPercentage"], r.maxHealthyPercentage, `at most 100 above minHealthyPercentage (${r.minHealthyPercentage})`);
            }
            return r;
        },
    ),
);

export const healthCheckGracePeriodSeconds = integer(0, 7200);
export const idleTimeoutSeconds = integer(1, 4000);
export const rootVolumeGiB = integer(8, 16384);
export const targetCpuUtilization = integer(10, 90);

/**
 * Group sizes: `minSize` from `lowest` (the cluster's trackers need 1; a standalone group may be
 * empty) to 100, `maxSize` at least `minSize` and 1, `desiredCapacity` between them. `prefix` is
 * how the user wrote the group (`trackers.` for the cluster, nothing for a NodeGroup).
 */
export function checkGroupSizes(
    c: Checker,
    path: ArgumentPath,
    s: { minSize: number; maxSize: number; desiredCapacity?: number },
    prefix: string,
): number | undefined {
    if (s.minSize > s.maxSize) return c.fail([...path, "minSize"], s.minSize, `at most ${prefix}maxSize (${s.maxSize})`);
    if (s.maxSize < 1) return c.fail([...path, "maxSize"], s.maxSize, "at least 1");
    const desired = s.desiredCapacity ?? s.minSize;
    if (desired < s.minSize || desired > s.maxSize) return c.fail([...path, "desiredCapacity"], desired, `a whole number from ${s.minSize} to ${s.maxSize}`);
    return desired;
}
export const groupSize = integer(0, 100);

// ---------------------------------------------------------------- observability (CloudWatch)

/** The retention values CloudWatch Logs' PutRetentionPolicy takes, in days (lib/model/awsLimits.ts quotes them). */
export const LOG_RETENTION_DAYS = LOG_RETENTION_VALUES;
export const logRetentionDays = integerOneOf(LOG_RETENTION_DAYS, `one of ${LOG_RETENTION_DAYS.join(", ")} (CloudWatch Logs' retention values, in days)`);
export const snsTopicArn = input(
    pattern(
        "an SNS topic ARN, arn:aws:sns:<region>:<account>:<topic name>",
        new RegExp(`^${ARN_PREFIX}:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?$`),
    ),
);
/** RDS enhanced monitoring intervals (MonitoringInterval); 0 turns it off. */
export const RDS_MONITORING_INTERVALS = [0, 1, 5, 10, 15, 30, 60] as const;
export const rdsMonitoringInterval = integerOneOf(
    RDS_MONITORING_INTERVALS,
    `one of ${RDS_MONITORING_INTERVALS.join(", ")} seconds (0 turns enhanced monitoring off)`,
);
/** Logs RDS for MySQL and MariaDB can publish to CloudWatch Logs (EnableCloudwatchLogsExports). */
export const rdsLogExport = named(
    { ml: "DatabaseLogExport", doc: "Logs an RDS MySQL/MariaDB instance can publish to CloudWatch Logs." },
    oneOf(["audit", "error", "general", "slowquery"] as const),
);
export const logGroupArn = input(
    pattern(
        "a CloudWatch Logs log group ARN, arn:aws:logs:<region>:<account>:log-group:<name>",
        new RegExp(`^${ARN_PREFIX}:logs:[a-z0-9-]+:\\d{12}:log-group:[.\\-_/#A-Za-z0-9]+$`),
    ),
);
