/**
 * The guarantees this library makes, as Pulumi policies: a stack that breaks one was not built by
 * this library's defaults (or someone changed it afterwards). Shipped as a policy pack
 * (`policy-pack/` in the package, `pulumi preview --policy-pack node_modules/pulumi-matomo-aws/policy-pack`)
 * and tested offline by running these functions over planned graphs.
 *
 * Every check reads only what it can know: during a preview, a value AWS computes (an id, a hash
 * from an apply) may be unknown, and an unknown value is never reported as a violation.
 */
import type {
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";

/** TLS 1.3 policies whose minimum is TLS 1.2 or 1.3, without the `Ext` sets that add legacy CBC ciphers. */
const MODERN_TLS_POLICY = /^ELBSecurityPolicy-TLS13-1-[23]-(?!.*Ext)/;
const WORLD = new Set(["0.0.0.0/0", "::/0"]);
/** The load balancer's listener ports: the only ones the internet may reach. */
const PUBLIC_PORTS = new Set([80, 443]);

/** A boolean as the provider may carry it (`encrypted` on a launch template's EBS is a string). */
function isTrue(value: unknown): boolean {
    return value === true || value === "true";
}

function known(value: unknown): boolean {
    return value !== undefined && value !== null;
}

function resourcePolicy(
    name: string,
    description: string,
    types: string[],
    check: (props: Record<string, unknown>, report: (message: string) => void, type: string) => void,
): ResourceValidationPolicy {
    return {
        name,
        description,
        enforcementLevel: "mandatory",
        validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
            if (types.includes(args.type)) check(args.props, (message) => reportViolation(message), args.type);
        },
    };
}

const httpsOnly = resourcePolicy(
    "matomo-https-only",
    "Load balancer listeners serve HTTPS with a TLS 1.3 policy (minimum TLS 1.2); a plain HTTP listener only redirects to HTTPS.",
    ["aws:lb/listener:Listener", "aws:alb/listener:Listener"],
    (props, report) => {
        if (props.protocol === "HTTPS") {
            if (known(props.sslPolicy) && !MODERN_TLS_POLICY.test(String(props.sslPolicy))) {
                report(
                    `HTTPS listener uses TLS policy ${String(props.sslPolicy)}; use a TLS 1.3 policy with minimum TLS 1.2, e.g. ELBSecurityPolicy-TLS13-1-2-2021-06`,
                );
            }
            if (!known(props.sslPolicy)) report("HTTPS listener has no TLS policy: AWS would apply ELBSecurityPolicy-2016-08, which allows TLS 1.0");
            return;
        }
        const actions = (props.defaultActions ?? []) as { type?: string; redirect?: { protocol?: string } }[];
        const redirectsToHttps = actions.length > 0 && actions.every((a) => a.type === "redirect" && a.redirect?.protocol === "HTTPS");
        if (!redirectsToHttps) report(`${String(props.protocol)} listener on port ${String(props.port)} does something other than redirect to HTTPS`);
    },
);

const imdsV2 = resourcePolicy(
    "matomo-imdsv2",
    "Nodes (and the node image's build instance) require IMDSv2 session tokens, with a hop limit of 1, so a request forged through the web server cannot read the instance's credentials.",
    ["aws:ec2/launchTemplate:LaunchTemplate", "aws:imagebuilder/infrastructureConfiguration:InfrastructureConfiguration"],
    (props, report) => {
        const metadata = (props.metadataOptions ?? props.instanceMetadataOptions ?? {}) as { httpTokens?: string; httpPutResponseHopLimit?: number };
        if (metadata.httpTokens !== "required")
            report(`launch template allows IMDSv1 (metadataOptions.httpTokens is ${String(metadata.httpTokens)}, not "required")`);
        if (known(metadata.httpPutResponseHopLimit) && Number(metadata.httpPutResponseHopLimit) > 1) {
            report(
                `launch template's metadata hop limit is ${String(metadata.httpPutResponseHopLimit)}: containers on the node could reach the instance's credentials`,
            );
        }
    },
);

const loadBalancerHeaders = resourcePolicy(
    "matomo-load-balancer-headers",
    "The load balancer appends the client's address to X-Forwarded-For (nodes trust only that entry), drops header fields with invalid names, and mitigates HTTP desync defensively or strictly.",
    ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"],
    (props, report) => {
        if (props.loadBalancerType === "network") return;
        // AWS's defaults are append, false and defensive: an unset mode is append, an unset drop is not.
        const xff = props.xffHeaderProcessingMode;
        if (known(xff) && xff !== "append")
            report(
                `load balancer's xffHeaderProcessingMode is ${String(xff)}, not "append": clients could forge the address Matomo stores and the installer gate trusts`,
            );
        if (!isTrue(props.dropInvalidHeaderFields))
            report("load balancer keeps header fields with invalid names (dropInvalidHeaderFields is not true): PHP could read one as a trusted header");
        const desync = props.desyncMitigationMode;
        if (known(desync) && desync !== "defensive" && desync !== "strictest")
            report(`load balancer's desyncMitigationMode is ${String(desync)}: ambiguous requests reach the nodes (request smuggling)`);
    },
);

const encryptedStorage = resourcePolicy(
    "matomo-encrypted-storage",
    "Node volumes, the database and Redis are encrypted at rest; Redis also in transit, refusing plain connections.",
    [
        "aws:ec2/launchTemplate:LaunchTemplate",
        "aws:imagebuilder/imageRecipe:ImageRecipe",
        "aws:rds/instance:Instance",
        "aws:elasticache/replicationGroup:ReplicationGroup",
    ],
    (props, report, type) => {
        if (Array.isArray(props.blockDeviceMappings)) {
            for (const mapping of props.blockDeviceMappings as { deviceName?: string; ebs?: { encrypted?: unknown } }[]) {
                if (mapping.ebs !== undefined && !isTrue(mapping.ebs.encrypted)) report(`EBS volume ${String(mapping.deviceName)} is not encrypted`);
            }
        }
        // A replica inherits its source's encryption and may not set storageEncrypted itself.
        if (type === "aws:rds/instance:Instance" && !isTrue(props.storageEncrypted) && !known(props.replicateSourceDb))
            report("RDS instance storage is not encrypted (storageEncrypted)");
        if (type === "aws:elasticache/replicationGroup:ReplicationGroup") {
            if (!isTrue(props.atRestEncryptionEnabled)) report("Redis is not encrypted at rest (atRestEncryptionEnabled)");
            if (!isTrue(props.transitEncryptionEnabled)) report("Redis is not encrypted in transit (transitEncryptionEnabled)");
            // 'preferred' also takes plain connections: a client could send the AUTH token and the queued hits in the clear.
            if (props.transitEncryptionMode === "preferred")
                report("Redis also accepts plain connections (transitEncryptionMode 'preferred'; 'required' refuses them)");
        }
    },
);

const databaseDeletionProtection = resourcePolicy(
    "matomo-database-deletion-protection",
    "The database that holds every raw visit and report cannot be deleted by one mistaken `pulumi destroy`.",
    ["aws:rds/instance:Instance"],
    (props, report) => {
        if (known(props.replicateSourceDb)) return; // a replica holds no data of its own
        if (!isTrue(props.deletionProtection)) report("RDS instance has no deletion protection");
    },
);

/** Rules open to the internet, with the security group they open. */
function worldIngress(resource: PolicyResource): { groupId: unknown; fromPort: number; toPort: number }[] {
    const p = resource.props;
    if (resource.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") {
        return WORLD.has(String(p.cidrIpv4)) || WORLD.has(String(p.cidrIpv6))
            ? [{ groupId: p.securityGroupId, fromPort: Number(p.fromPort ?? -1), toPort: Number(p.toPort ?? -1) }]
            : [];
    }
    if (resource.type === "aws:ec2/securityGroupRule:SecurityGroupRule" && p.type === "ingress") {
        const blocks = [...((p.cidrBlocks ?? []) as string[]), ...((p.ipv6CidrBlocks ?? []) as string[])];
        return blocks.some((b) => WORLD.has(b)) ? [{ groupId: p.securityGroupId, fromPort: Number(p.fromPort), toPort: Number(p.toPort) }] : [];
    }
    if (resource.type === "aws:ec2/securityGroup:SecurityGroup") {
        const rules = (p.ingress ?? []) as { cidrBlocks?: string[]; ipv6CidrBlocks?: string[]; fromPort?: number; toPort?: number }[];
        return rules
            .filter((r) => [...(r.cidrBlocks ?? []), ...(r.ipv6CidrBlocks ?? [])].some((b) => WORLD.has(b)))
            .map((r) => ({ groupId: p.id, fromPort: Number(r.fromPort), toPort: Number(r.toPort) }));
    }
    return [];
}

const onlyLoadBalancerPublic: StackValidationPolicy = {
    name: "matomo-only-load-balancer-public",
    description:
        "Nothing but the load balancer is reachable from the internet, and only on 80 and 443: no public database, no public IP on a node, no security group open to the world except the load balancer's.",
    enforcementLevel: "mandatory",
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
        const balancerGroups = new Set(
            args.resources
                .filter((r) => r.type === "aws:lb/loadBalancer:LoadBalancer" || r.type === "aws:alb/loadBalancer:LoadBalancer")
                .flatMap((r) => (r.props.securityGroups ?? []) as string[]),
        );
        // Subnets that hand every instance launched in them a public address.
        const publicIpSubnets = new Set(
            args.resources
                .filter((r) => r.type === "aws:ec2/subnet:Subnet" && isTrue(r.props.mapPublicIpOnLaunch) && known(r.props.id))
                .map((r) => String(r.props.id)),
        );
        for (const resource of args.resources) {
            for (const rule of worldIngress(resource)) {
                const ports = rule.fromPort === rule.toPort ? `port ${rule.fromPort}` : `ports ${rule.fromPort}-${rule.toPort}`;
                if (!PUBLIC_PORTS.has(rule.fromPort) || rule.fromPort !== rule.toPort)
                    reportViolation(`${resource.name} opens ${ports} to the internet; only the load balancer's 80 and 443 may be`, resource.urn);
                else if (known(rule.groupId) && balancerGroups.size > 0 && !balancerGroups.has(String(rule.groupId))) {
                    reportViolation(`${resource.name} opens ${ports} to the internet on a security group that is not the load balancer's`, resource.urn);
                }
            }
            if (resource.type === "aws:rds/instance:Instance" && isTrue(resource.props.publiclyAccessible))
                reportViolation(`${resource.name}: the database is publicly accessible`, resource.urn);
            if (resource.type === "aws:ec2/launchTemplate:LaunchTemplate") {
                const interfaces = (resource.props.networkInterfaces ?? []) as { associatePublicIpAddress?: unknown }[];
                if (interfaces.some((i) => isTrue(i.associatePublicIpAddress)))
                    reportViolation(`${resource.name}: nodes get public IP addresses`, resource.urn);
            }
            if (resource.type === "aws:autoscaling/group:Group") {
                const zones = (resource.props.vpcZoneIdentifiers ?? []) as unknown[];
                const exposed = zones.filter((id) => publicIpSubnets.has(String(id)));
                if (exposed.length > 0)
                    reportViolation(`${resource.name}: nodes launch in subnets that give them public IP addresses (${exposed.join(", ")})`, resource.urn);
            }
            if (resource.type === "aws:lb/loadBalancer:LoadBalancer" && resource.props.loadBalancerType === "network")
                reportViolation(`${resource.name}: only the Application Load Balancer is expected`, resource.urn);
        }
    },
};

/** The tag every node group's launch template carries: the sha256 of the config.ini.php it writes. */
export const CONFIG_HASH_TAG = "matomo:config-sha256";

const oneConfigHash: StackValidationPolicy = {
    name: "matomo-one-config-hash",
    description:
        "Every node group of a cluster writes the same config.ini.php (Matomo's FAQ: one config on every server), so every launch template carries the same config hash.",
    enforcementLevel: "mandatory",
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
        const byCluster = new Map<string, Map<string, string[]>>();
        for (const r of args.resources.filter((x) => x.type === "aws:ec2/launchTemplate:LaunchTemplate")) {
            const tags = (r.props.tags ?? {}) as Record<string, unknown>;
            const hash = tags[CONFIG_HASH_TAG];
            if (typeof hash !== "string") continue;
            const cluster = String(tags["matomo:cluster"] ?? "");
            const hashes = byCluster.get(cluster) ?? new Map<string, string[]>();
            hashes.set(hash, [...(hashes.get(hash) ?? []), r.name]);
            byCluster.set(cluster, hashes);
        }
        for (const [cluster, hashes] of byCluster) {
            if (hashes.size > 1) {
                const listing = [...hashes].map(([hash, names]) => `${names.join(", ")}: ${hash.slice(0, 12)}…`).join("; ");
                reportViolation(`cluster ${cluster}: node groups write different config.ini.php files (${listing})`);
            }
        }
    },
};

/** Every policy of the pack, in the order `pulumi preview` reports them. */
export const MATOMO_POLICIES: (ResourceValidationPolicy | StackValidationPolicy)[] = [
    httpsOnly,
    loadBalancerHeaders,
    imdsV2,
    encryptedStorage,
    databaseDeletionProtection,
    onlyLoadBalancerPublic,
    oneConfigHash,
];
