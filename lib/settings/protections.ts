/**
 * The child-resource settings the security model rests on, written once as data: what each child
 * sets, what an override may set it to, and why. `overrides.allowUnsafe` is the one escape; it
 * names each protection it gives up by the path the override is written at.
 */
import type { ArgumentPath } from "./errors";
import { Checker, isPlainObject, nearest } from "./schema";

export interface Protection {
    /** Below `overrides`: `<component>.<child>.args.<argument>`. */
    readonly path: string;
    /** What an override may set without naming the path in `overrides.allowUnsafe`. */
    readonly allowed: string;
    /** Whether an overriding value keeps the protection (ours, or stricter). */
    readonly holds: (value: unknown) => boolean;
    readonly why: string;
}

/** Nothing an override gives keeps it: the setting is ours (a group, a profile, a placement). */
const never = () => false;
const isTrue = (v: unknown) => v === true || v === "true";
const isFalse = (v: unknown) => v === false || v === "false";

function nodeGroup(role: "trackers" | "ui"): Protection[] {
    return [
        {
            path: `${role}.launchTemplate.args.metadataOptions`,
            allowed: "{ httpTokens 'required', httpPutResponseHopLimit 1 } (what the layout sets)",
            holds: (v) =>
                isPlainObject(v) &&
                v.httpTokens === "required" &&
                Number(v.httpPutResponseHopLimit) === 1 &&
                (v.httpEndpoint === undefined || v.httpEndpoint === "enabled"),
            why: "IMDSv2 with a hop limit of 1: a request forged through the web server (IMDSv1) or a container on the node (a larger hop limit) cannot read the instance role's credentials",
        },
        {
            path: `${role}.launchTemplate.args.networkInterfaces`,
            allowed: "not set",
            holds: never,
            why: "nodes have no public address and only the node security group; interfaces given here can add a public IP or other groups",
        },
        {
            path: `${role}.launchTemplate.args.vpcSecurityGroupIds`,
            allowed: "not set",
            holds: never,
            why: "the node security group admits HTTP only from the load balancer's, and the database and Redis admit only it",
        },
        {
            path: `${role}.launchTemplate.args.iamInstanceProfile`,
            allowed: "not set",
            holds: never,
            why: "the node role may read only the secrets, bundle, logs and metrics its role needs",
        },
        {
            path: `${role}.launchTemplate.args.blockDeviceMappings`,
            allowed: "mappings whose EBS volumes are all encrypted ('true')",
            holds: (v) => Array.isArray(v) && v.every((m) => isPlainObject(m) && (m.ebs === undefined || (isPlainObject(m.ebs) && isTrue(m.ebs.encrypted)))),
            why: "the root volume holds config.ini.php with the database credential and the salt",
        },
        {
            path: `${role}.autoScalingGroup.args.vpcZoneIdentifiers`,
            allowed: "not set",
            holds: never,
            why: "nodes live in the private subnets, out of the internet's reach (network.existing.privateSubnetIds chooses them)",
        },
    ];
}

function databaseInstance(child: "instance" | "replica"): Protection[] {
    return [
        {
            path: `database.${child}.args.publiclyAccessible`,
            allowed: "false",
            holds: isFalse,
            why: "the database is reachable only from the nodes inside the VPC; a public endpoint exposes every visit and the master login to the internet",
        },
        {
            path: `database.${child}.args.storageEncrypted`,
            allowed: "true",
            holds: isTrue,
            why: "every raw visit and report lives in it, and its snapshots inherit the setting",
        },
        {
            path: `database.${child}.args.vpcSecurityGroupIds`,
            allowed: "not set (overrides.database.allowedSecurityGroupIds admits more groups)",
            holds: never,
            why: "the database's group admits MySQL only from the node groups",
        },
        {
            path: `database.${child}.args.parameterGroupName`,
            allowed: "not set (overrides.database.extraParameters adds parameters, requireTls is the TLS switch)",
            holds: never,
            why: "the library's parameter group requires TLS (require_secure_transport)",
        },
    ];
}

export const PROTECTIONS: readonly Protection[] = [
    {
        path: "loadBalancer.loadBalancer.args.xffHeaderProcessingMode",
        allowed: "'append' (what the layout sets)",
        holds: (v) => v === "append",
        why: "the load balancer appends the client's address and nodes trust only that last entry; with 'preserve' a client's own X-Forwarded-For passes unchanged, so any client can forge its stored IP and reach what the installer gate admits by address; 'remove' loses every visitor's address",
    },
    {
        path: "loadBalancer.loadBalancer.args.dropInvalidHeaderFields",
        allowed: "true",
        holds: isTrue,
        why: "headers with invalid names (such as X_Forwarded_For) are dropped at the edge, so a client cannot send one that PHP reads as a trusted header",
    },
    {
        path: "loadBalancer.loadBalancer.args.desyncMitigationMode",
        allowed: "'defensive' or 'strictest'",
        holds: (v) => v === "defensive" || v === "strictest",
        why: "'monitor' lets ambiguous requests through to the nodes (HTTP request smuggling)",
    },
    {
        path: "loadBalancer.loadBalancer.args.securityGroups",
        allowed: "not set (ingressCidrs chooses who may connect)",
        holds: never,
        why: "the load balancer's group admits only ingressCidrs on 80 and 443, and the node groups admit only it",
    },
    ...nodeGroup("trackers"),
    ...nodeGroup("ui"),
    ...databaseInstance("instance"),
    ...databaseInstance("replica"),
    {
        path: "cache.replicationGroup.args.atRestEncryptionEnabled",
        allowed: "true",
        holds: isTrue,
        why: "the queue holds unrecorded tracking requests with visitor addresses",
    },
    {
        path: "cache.replicationGroup.args.transitEncryptionEnabled",
        allowed: "true",
        holds: isTrue,
        why: "tracking requests with visitor addresses cross the VPC to Redis",
    },
    {
        path: "cache.replicationGroup.args.securityGroupIds",
        allowed: "not set",
        holds: never,
        why: "Redis admits only the node groups",
    },
    {
        path: "secrets.secret.args.policy",
        allowed: "not set",
        holds: never,
        why: "a resource policy can give other principals or accounts the secrets' values; the node roles' own policies are the only grants",
    },
];

export const PROTECTED_PATHS: readonly string[] = PROTECTIONS.map((p) => p.path);

/** The value an override sets at a protection's path, and whether it sets one at all. */
function overridden(overrides: Record<string, unknown>, path: string): { set: boolean; value?: unknown } {
    let here: unknown = overrides;
    for (const segment of path.split(".")) {
        if (!isPlainObject(here) || !Object.hasOwn(here, segment)) return { set: false };
        here = here[segment];
    }
    return here === undefined ? { set: false } : { set: true, value: here };
}

/**
 * Refuses every override that weakens a protection `allowUnsafe` does not name, and every
 * `allowUnsafe` entry that is no protection or that no override weakens (a stale escape hides the
 * next one). `path` is where `overrides` is.
 */
export function checkProtections(overrides: Record<string, unknown>, allowUnsafe: readonly string[], c: Checker, path: ArgumentPath): boolean {
    const before = c.problems.length;
    const weakened = new Set<string>();
    for (const p of PROTECTIONS) {
        const o = overridden(overrides, p.path);
        if (!o.set || p.holds(o.value)) continue;
        weakened.add(p.path);
        if (allowUnsafe.includes(p.path)) continue;
        c.fail(
            [...path, ...p.path.split(".")],
            o.value,
            `${p.allowed}: ${p.why}. To set it anyway, name '${p.path}' in overrides.allowUnsafe (docs/aws.md, "Overrides that weaken a protection")`,
        );
    }
    allowUnsafe.forEach((entry, i) => {
        if (!PROTECTED_PATHS.includes(entry)) {
            const guess = nearest(entry, PROTECTED_PATHS);
            c.fail(
                [...path, "allowUnsafe", i],
                entry,
                `a protected setting${guess !== undefined ? ` (did you mean '${guess}'?)` : ""}: ${PROTECTED_PATHS.join(", ")}`,
            );
        } else if (!weakened.has(entry)) {
            c.fail([...path, "allowUnsafe", i], entry, "a protection an override weakens: no override changes it, so the entry would only hide a later one");
        }
    });
    return c.problems.length === before;
}
