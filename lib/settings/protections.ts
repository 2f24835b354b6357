/**
 * The child-resource settings the security model rests on, written once as data, by component:
 * what each child sets, what an override may set it to, and why. A component's `allowUnsafe` (in
 * the cluster `overrides.<child>.allowUnsafe`) is the one escape; it names each protection it gives
 * up by the path of the override within the component's arguments.
 */
import { formatPath, type ArgumentPath } from "./errors";
import { Checker, isPlainObject, nearest, optional, plainList, text } from "./schema";

export interface Protection {
    /** Within the component's arguments: `<child>.args.<argument>`. */
    readonly path: string;
    /** What an override may set without naming the path in the component's `allowUnsafe`. */
    readonly allowed: string;
    /** Whether an overriding value keeps the protection (ours, or stricter). */
    readonly holds: (value: unknown) => boolean;
    readonly why: string;
}

/** Nothing an override gives keeps it: the setting is ours (a group, a profile, a placement). */
const never = () => false;
const isTrue = (v: unknown) => v === true || v === "true";
const isFalse = (v: unknown) => v === false || v === "false";

const NODE_GROUP: readonly Protection[] = [
    {
        path: "launchTemplate.args.metadataOptions",
        allowed: "{ httpTokens 'required', httpPutResponseHopLimit 1 } (what the layout sets)",
        holds: (v) =>
            isPlainObject(v) &&
            v.httpTokens === "required" &&
            Number(v.httpPutResponseHopLimit) === 1 &&
            (v.httpEndpoint === undefined || v.httpEndpoint === "enabled"),
        why: "IMDSv2 with a hop limit of 1: a request forged through the web server (IMDSv1) or a container on the node (a larger hop limit) cannot read the instance role's credentials",
    },
    {
        path: "launchTemplate.args.networkInterfaces",
        allowed: "not set",
        holds: never,
        why: "nodes have no public address and only the node security group; interfaces given here can add a public IP or other groups",
    },
    {
        path: "launchTemplate.args.vpcSecurityGroupIds",
        allowed: "not set",
        holds: never,
        why: "the node security group admits HTTP only from the load balancer's, and the database and Redis admit only it",
    },
    {
        path: "launchTemplate.args.iamInstanceProfile",
        allowed: "not set",
        holds: never,
        why: "the node role may read only the secrets, bundle, logs and metrics its role needs",
    },
    {
        path: "launchTemplate.args.blockDeviceMappings",
        allowed: "mappings whose EBS volumes are all encrypted ('true')",
        holds: (v) => Array.isArray(v) && v.every((m) => isPlainObject(m) && (m.ebs === undefined || (isPlainObject(m.ebs) && isTrue(m.ebs.encrypted)))),
        why: "the root volume holds config.ini.php with the database credential and the salt",
    },
    {
        path: "autoScalingGroup.args.vpcZoneIdentifiers",
        allowed: "not set",
        holds: never,
        why: "nodes live in the private subnets, out of the internet's reach (network.existing.privateSubnetIds chooses them)",
    },
];

function databaseInstance(child: "instance" | "replica"): Protection[] {
    return [
        {
            path: `${child}.args.publiclyAccessible`,
            allowed: "false",
            holds: isFalse,
            why: "the database is reachable only from the nodes inside the VPC; a public endpoint exposes every visit and the master login to the internet",
        },
        {
            path: `${child}.args.storageEncrypted`,
            allowed: "true",
            holds: isTrue,
            why: "every raw visit and report lives in it, and its snapshots inherit the setting",
        },
        {
            path: `${child}.args.vpcSecurityGroupIds`,
            allowed: "not set (allowedSecurityGroupIds admits more groups)",
            holds: never,
            why: "the database's group admits MySQL only from the node groups",
        },
        {
            path: `${child}.args.parameterGroupName`,
            allowed: "not set (extraParameters adds parameters, requireTls is the TLS switch)",
            holds: never,
            why: "the library's parameter group requires TLS (require_secure_transport)",
        },
    ];
}

/** The components whose children carry protections, each with its list. */
export const PROTECTIONS = {
    loadBalancer: [
        {
            path: "loadBalancer.args.xffHeaderProcessingMode",
            allowed: "'append' (what the layout sets)",
            holds: (v) => v === "append",
            why: "the load balancer appends the client's address and nodes trust only that last entry; with 'preserve' a client's own X-Forwarded-For passes unchanged, so any client can forge its stored IP and reach what the installer gate admits by address; 'remove' loses every visitor's address",
        },
        {
            path: "loadBalancer.args.dropInvalidHeaderFields",
            allowed: "true",
            holds: isTrue,
            why: "headers with invalid names (such as X_Forwarded_For) are dropped at the edge, so a client cannot send one that PHP reads as a trusted header",
        },
        {
            path: "loadBalancer.args.desyncMitigationMode",
            allowed: "'defensive' or 'strictest'",
            holds: (v) => v === "defensive" || v === "strictest",
            why: "'monitor' lets ambiguous requests through to the nodes (HTTP request smuggling)",
        },
        {
            path: "loadBalancer.args.securityGroups",
            allowed: "not set (ingressCidrs chooses who may connect)",
            holds: never,
            why: "the load balancer's group admits only ingressCidrs on 80 and 443, and the node groups admit only it",
        },
    ],
    nodeGroup: NODE_GROUP,
    database: [...databaseInstance("instance"), ...databaseInstance("replica")],
    cache: [
        {
            path: "replicationGroup.args.atRestEncryptionEnabled",
            allowed: "true",
            holds: isTrue,
            why: "the queue holds unrecorded tracking requests with visitor addresses",
        },
        {
            path: "replicationGroup.args.transitEncryptionEnabled",
            allowed: "true",
            holds: isTrue,
            why: "tracking requests with visitor addresses cross the VPC to Redis",
        },
        { path: "replicationGroup.args.securityGroupIds", allowed: "not set", holds: never, why: "Redis admits only the node groups" },
        {
            path: "replicationGroup.args.transitEncryptionMode",
            allowed: "'required'",
            holds: (v) => v === "required",
            why: "'preferred' also takes plain connections, so a misconfigured client would send visitor addresses and the AUTH token in clear text",
        },
        {
            path: "replicationGroup.args.authToken",
            allowed: "not set (the token is generated and kept in Secrets Manager)",
            holds: never,
            why: "a token given here lives in the program's source and state, not only in Secrets Manager where the nodes read it",
        },
    ],
    secrets: [
        {
            path: "secret.args.policy",
            allowed: "not set",
            holds: never,
            why: "a resource policy can give other principals or accounts the secrets' values; the node roles' own policies are the only grants",
        },
    ],
} as const satisfies Record<string, readonly Protection[]>;

export type ProtectedComponent = keyof typeof PROTECTIONS;

/** A component's `allowUnsafe` argument: the protections its overrides may weaken, by path. */
export function allowUnsafeField(component: ProtectedComponent) {
    return optional(
        plainList(
            text("a protected setting's path"),
            { unique: true },
            `a list of protected settings' paths: ${PROTECTIONS[component].map((p) => p.path).join(", ")}`,
        ),
        "none: an override that weakens a protection is refused",
    );
}

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
 * Refuses every override in a component's arguments that weakens a protection its `allowUnsafe`
 * does not name, and every `allowUnsafe` entry that is no protection or that no override weakens
 * (a stale escape hides the next one). `path` is where the component's arguments are.
 */
export function checkProtections(component: ProtectedComponent, args: Record<string, unknown>, c: Checker, path: ArgumentPath): boolean {
    const before = c.problems.length;
    const protections: readonly Protection[] = PROTECTIONS[component];
    const known = protections.map((p) => p.path);
    const allowUnsafe = Array.isArray(args.allowUnsafe) ? (args.allowUnsafe as string[]) : [];
    const escape = formatPath([...path, "allowUnsafe"]);
    const weakened = new Set<string>();
    for (const p of protections) {
        const o = overridden(args, p.path);
        if (!o.set || p.holds(o.value)) continue;
        weakened.add(p.path);
        if (allowUnsafe.includes(p.path)) continue;
        c.fail(
            [...path, ...p.path.split(".")],
            o.value,
            `${p.allowed}: ${p.why}. To set it anyway, name '${p.path}' in ${escape} (docs/aws.md, "Overrides that weaken a protection")`,
        );
    }
    allowUnsafe.forEach((entry, i) => {
        if (!known.includes(entry)) {
            const guess = nearest(entry, known);
            c.fail([...path, "allowUnsafe", i], entry, `a protected setting${guess !== undefined ? ` (did you mean '${guess}'?)` : ""}: ${known.join(", ")}`);
        } else if (!weakened.has(entry)) {
            c.fail([...path, "allowUnsafe", i], entry, "a protection an override weakens: no override changes it, so the entry would only hide a later one");
        }
    });
    return c.problems.length === before;
}
