/**
 * The policy pack's policies, run as `pulumi preview --policy-pack` runs them (validateResource per
 * resource, validateStack over all), over graphs the library plans under the mock runtime: the
 * library's own graphs must pass, and each graph broken in one place must fail on exactly the
 * policy that guards it. (test/package.test.ts runs the shipped pack over gRPC as the CLI does.)
 */
import { strict as assert } from "assert";
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { MATOMO_POLICIES, CONFIG_HASH_TAG } from "../lib/policy";
import type { RecordedResource } from "../lib/plan";
import { BASE_ARGS, buildCluster } from "./aws/harness";

/** `[policy name, message]` for every violation the pack reports on this graph. */
async function violations(resources: PolicyResource[]): Promise<[string, string][]> {
    const found: [string, string][] = [];
    for (const policy of MATOMO_POLICIES) {
        const report = (message: string) => found.push([policy.name, message]);
        if ("validateStack" in policy) {
            await (policy as StackValidationPolicy).validateStack(
                { resources, stackTags: new Map(), getConfig: <T>() => ({}) as T, notApplicable: () => undefined as never },
                report,
            );
            continue;
        }
        const validate = (policy as ResourceValidationPolicy).validateResource;
        for (const resource of resources) {
            for (const fn of Array.isArray(validate) ? validate : validate ? [validate] : []) {
                await fn({ ...resource, getConfig: <T>() => ({}) as T, notApplicable: () => undefined } as never, report);
            }
        }
    }
    return found;
}

/** The planned graph as the engine hands it to policies: inputs with the provider's computed outputs. */
function asPolicyResources(recorded: RecordedResource[]): PolicyResource[] {
    return recorded.map((r) => ({
        type: r.type,
        name: r.name,
        urn: `urn:pulumi:plan::matomo::${r.type}::${r.name}`,
        props: structuredClone({ ...r.state, ...r.inputs, id: r.id }) as Record<string, unknown>,
    })) as PolicyResource[];
}

async function planned(args = BASE_ARGS): Promise<PolicyResource[]> {
    return asPolicyResources((await buildCluster(args)).rt.resources);
}

function only(resources: PolicyResource[], type: string): PolicyResource[] {
    const found = resources.filter((r) => r.type === type);
    assert.ok(found.length > 0, `the graph has no ${type}`);
    return found;
}

describe("policy pack: the library's guarantees as Pulumi policies", function () {
    let reference: PolicyResource[];

    before(async function () {
        reference = await planned();
    });

    it("the reference cluster passes every policy, and so do clusters with Redis and a read replica", async function () {
        assert.deepEqual(await violations(reference), []);
        const full = await planned({ ...BASE_ARGS, queuedTracking: { enabled: true, pluginSha256: "9f".repeat(32) }, database: { readReplica: true } });
        assert.ok(full.some((r) => r.type === "aws:elasticache/replicationGroup:ReplicationGroup"));
        assert.deepEqual(await violations(full), []);
    });

    it("a cluster the user built without database deletion protection fails that policy, and only it", async function () {
        const found = await violations(await planned({ ...BASE_ARGS, database: { deletionProtection: false } }));
        assert.deepEqual(
            found.map(([policy]) => policy),
            ["matomo-database-deletion-protection"],
        );
    });

    const breaks: [string, string, (graph: PolicyResource[]) => void][] = [
        [
            "an HTTPS listener on a TLS 1.0 policy",
            "matomo-https-only",
            (g) => (only(g, "aws:lb/listener:Listener").find((l) => l.props.protocol === "HTTPS")!.props.sslPolicy = "ELBSecurityPolicy-2016-08"),
        ],
        [
            "an HTTPS listener on a TLS 1.3 policy with legacy ciphers",
            "matomo-https-only",
            (g) =>
                (only(g, "aws:lb/listener:Listener").find((l) => l.props.protocol === "HTTPS")!.props.sslPolicy = "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06"),
        ],
        [
            "an HTTP listener that forwards instead of redirecting",
            "matomo-https-only",
            (g) => {
                const http = only(g, "aws:lb/listener:Listener").find((l) => l.props.protocol === "HTTP")!;
                http.props.defaultActions = [
                    { type: "forward", targetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/x/0123456789abcdef" },
                ];
            },
        ],
        [
            "a node that allows IMDSv1",
            "matomo-imdsv2",
            (g) => ((only(g, "aws:ec2/launchTemplate:LaunchTemplate")[0].props.metadataOptions as Record<string, unknown>).httpTokens = "optional"),
        ],
        [
            "an unencrypted node volume",
            "matomo-encrypted-storage",
            (g) =>
                ((
                    (only(g, "aws:ec2/launchTemplate:LaunchTemplate")[1].props.blockDeviceMappings as Record<string, unknown>[])[0].ebs as Record<
                        string,
                        unknown
                    >
                ).encrypted = "false"),
        ],
        ["an unencrypted database", "matomo-encrypted-storage", (g) => (only(g, "aws:rds/instance:Instance")[0].props.storageEncrypted = false)],
        [
            "a Redis that also accepts plain connections (transit encryption 'preferred')",
            "matomo-encrypted-storage",
            (g) =>
                g.push({
                    type: "aws:elasticache/replicationGroup:ReplicationGroup",
                    name: "queue",
                    urn: "urn:pulumi:plan::matomo::aws:elasticache/replicationGroup:ReplicationGroup::queue",
                    props: { atRestEncryptionEnabled: true, transitEncryptionEnabled: true, transitEncryptionMode: "preferred" },
                } as unknown as PolicyResource),
        ],
        [
            "a publicly accessible database",
            "matomo-only-load-balancer-public",
            (g) => (only(g, "aws:rds/instance:Instance")[0].props.publiclyAccessible = true),
        ],
        [
            "SSH open to the internet on a node's security group",
            "matomo-only-load-balancer-public",
            (g) => {
                const rule = structuredClone(
                    only(g, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").find((r) => r.props.referencedSecurityGroupId !== undefined)!,
                );
                delete rule.props.referencedSecurityGroupId;
                Object.assign(rule.props, { cidrIpv4: "0.0.0.0/0", fromPort: 22, toPort: 22 });
                g.push({ ...rule, name: "ssh-from-anywhere", urn: `${rule.urn}-ssh` });
            },
        ],
        [
            "HTTPS open to the internet on a node's security group instead of the load balancer's",
            "matomo-only-load-balancer-public",
            (g) => {
                const rule = structuredClone(
                    only(g, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").find((r) => r.props.referencedSecurityGroupId !== undefined)!,
                );
                delete rule.props.referencedSecurityGroupId;
                Object.assign(rule.props, { cidrIpv6: "::/0", fromPort: 443, toPort: 443 });
                g.push({ ...rule, name: "node-https-from-anywhere", urn: `${rule.urn}-https` });
            },
        ],
        [
            "a load balancer that passes a client's X-Forwarded-For on unchanged",
            "matomo-load-balancer-headers",
            (g) => (only(g, "aws:lb/loadBalancer:LoadBalancer")[0].props.xffHeaderProcessingMode = "preserve"),
        ],
        [
            "a load balancer that keeps invalid header fields",
            "matomo-load-balancer-headers",
            (g) => (only(g, "aws:lb/loadBalancer:LoadBalancer")[0].props.dropInvalidHeaderFields = false),
        ],
        [
            "a load balancer that only monitors HTTP desync",
            "matomo-load-balancer-headers",
            (g) => (only(g, "aws:lb/loadBalancer:LoadBalancer")[0].props.desyncMitigationMode = "monitor"),
        ],
        [
            "nodes that get public IP addresses from their launch template",
            "matomo-only-load-balancer-public",
            (g) => (only(g, "aws:ec2/launchTemplate:LaunchTemplate")[0].props.networkInterfaces = [{ associatePublicIpAddress: "true" }]),
        ],
        [
            "nodes placed in a subnet that maps public IP addresses at launch",
            "matomo-only-load-balancer-public",
            (g) => {
                const subnets = only(g, "aws:ec2/subnet:Subnet");
                const publicOne = subnets.find((s) => s.name.includes("public"))!;
                publicOne.props.mapPublicIpOnLaunch = true;
                only(g, "aws:autoscaling/group:Group")[0].props.vpcZoneIdentifiers = [publicOne.props.id];
            },
        ],
        [
            "node groups that write different configs",
            "matomo-one-config-hash",
            (g) => ((only(g, "aws:ec2/launchTemplate:LaunchTemplate")[0].props.tags as Record<string, string>)[CONFIG_HASH_TAG] = "0".repeat(64)),
        ],
    ];
    for (const [what, policy, breakIt] of breaks) {
        it(`${what} fails ${policy}, and no other policy`, async function () {
            const graph = structuredClone(reference);
            breakIt(graph);
            const found = await violations(graph);
            assert.ok(found.length > 0, `nothing reported for ${what}`);
            assert.deepEqual([...new Set(found.map(([name]) => name))], [policy], JSON.stringify(found));
        });
    }

    it("a value still unknown during a preview (a computed hash, an id) is never reported", async function () {
        const graph = structuredClone(reference);
        for (const template of only(graph, "aws:ec2/launchTemplate:LaunchTemplate")) delete (template.props.tags as Record<string, string>)[CONFIG_HASH_TAG];
        for (const balancer of only(graph, "aws:lb/loadBalancer:LoadBalancer")) delete balancer.props.securityGroups;
        assert.deepEqual(await violations(graph), []);
    });
});
