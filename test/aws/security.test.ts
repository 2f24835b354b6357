import { strict as assert } from "assert";
import { buildCluster, BASE_ARGS, of, one, idOf } from "./harness";
import type { MockRuntime } from "../../lib/plan/mockRuntime";

interface Flow {
    from: string;
    to: string;
    port: number;
}

/** Every flow the rules allow: `internet:<cidr>` or a security group id, to a group id, per port. A flow needs egress on the source (for groups) and ingress on the target. */
function flows(rt: MockRuntime): { allowed: Flow[]; groups: Map<string, string> } {
    const groups = new Map(of(rt, "aws:ec2/securityGroup:SecurityGroup").map((sg) => [idOf(sg), sg.name]));
    const ingress = of(rt, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    const egress = of(rt, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule");
    const allowed: Flow[] = [];
    for (const rule of ingress) {
        assert.equal(rule.inputs.ipProtocol, "tcp", `${rule.name} is TCP`);
        assert.equal(rule.inputs.fromPort, rule.inputs.toPort, `${rule.name} opens one port`);
        const port = Number(rule.inputs.fromPort);
        const to = String(rule.inputs.securityGroupId);
        if (rule.inputs.cidrIpv4 !== undefined) {
            allowed.push({ from: `internet:${String(rule.inputs.cidrIpv4)}`, to, port });
            continue;
        }
        const from = String(rule.inputs.referencedSecurityGroupId);
        const out = egress.some((e) => e.inputs.securityGroupId === from && e.inputs.referencedSecurityGroupId === to && e.inputs.fromPort === port);
        if (out) allowed.push({ from, to, port });
    }
    return { allowed, groups };
}

const describeFlow = (f: Flow, groups: Map<string, string>) => `${groups.get(f.from) ?? f.from} -> ${groups.get(f.to) ?? f.to}:${f.port}`;

describe("Security groups", () => {
    let rt: MockRuntime;
    before(async () => {
        rt = (await buildCluster({ ...BASE_ARGS, queuedTracking: { enabled: true, pluginSha256: "c".repeat(64) } })).rt;
    });

    it("allow exactly internet → ALB (80, 443), ALB → nodes (80), nodes → database (3306) and Redis (6379)", () => {
        const { allowed, groups } = flows(rt);
        const byName = (suffix: string) => [...groups.entries()].find(([, name]) => name === suffix)![0];
        const alb = byName("matomo-lb-sg");
        const tracker = byName("matomo-tracker-sg");
        const ui = byName("matomo-ui-sg");
        const db = byName("matomo-database-sg");
        const redis = byName("matomo-cache-sg");
        const expected: Flow[] = [
            { from: "internet:0.0.0.0/0", to: alb, port: 443 },
            { from: "internet:0.0.0.0/0", to: alb, port: 80 },
            { from: alb, to: tracker, port: 80 },
            { from: alb, to: ui, port: 80 },
            { from: tracker, to: db, port: 3306 },
            { from: ui, to: db, port: 3306 },
            { from: tracker, to: redis, port: 6379 },
            { from: ui, to: redis, port: 6379 },
        ];
        const key = (f: Flow) => describeFlow(f, groups);
        assert.deepEqual([...new Set(allowed.map(key))].sort(), expected.map(key).sort());
    });

    it("declare no inline rules, so the rule resources above are all there is", () => {
        for (const sg of of(rt, "aws:ec2/securityGroup:SecurityGroup")) {
            assert.equal(sg.inputs.ingress, undefined, sg.name);
            assert.equal(sg.inputs.egress, undefined, sg.name);
            assert.ok(sg.inputs.vpcId, `${sg.name} is in our VPC, not the default one`);
        }
        assert.equal(one(rt, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup").inputs.ingress, undefined);
    });

    it("let only nodes reach out to the internet, and only on 80 and 443", () => {
        const egress = of(rt, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter((e) => e.inputs.cidrIpv4 !== undefined);
        const { groups } = flows(rt);
        assert.equal(egress.length, 4, "80 and 443 for each of the two node groups");
        for (const rule of egress) {
            assert.match(groups.get(String(rule.inputs.securityGroupId))!, /^matomo-(tracker|ui)-sg$/);
            assert.ok([80, 443].includes(Number(rule.inputs.fromPort)));
        }
    });

    it("keep the database and Redis private, in the private subnets", () => {
        const rds = one(rt, "aws:rds/instance:Instance");
        assert.equal(rds.inputs.publiclyAccessible, false);
        const privateIds = of(rt, "aws:ec2/subnet:Subnet")
            .filter((s) => s.name.includes("private"))
            .map(idOf)
            .sort();
        assert.deepEqual([...(one(rt, "aws:rds/subnetGroup:SubnetGroup").inputs.subnetIds as string[])].sort(), privateIds);
        assert.deepEqual([...(one(rt, "aws:elasticache/subnetGroup:SubnetGroup").inputs.subnetIds as string[])].sort(), privateIds);
        for (const asg of of(rt, "aws:autoscaling/group:Group")) assert.deepEqual([...(asg.inputs.vpcZoneIdentifiers as string[])].sort(), privateIds);
        const publicIds = of(rt, "aws:ec2/subnet:Subnet")
            .filter((s) => s.name.includes("public"))
            .map(idOf)
            .sort();
        assert.deepEqual([...(one(rt, "aws:lb/loadBalancer:LoadBalancer").inputs.subnets as string[])].sort(), publicIds);
    });
});

/**
 * EC2 refuses a second rule with the same group, direction, protocol, port range and peer
 * (`InvalidPermission.Duplicate`; a different description does not make it distinct), so a
 * duplicate fails `pulumi up` halfway on real AWS while the mock runtime accepts it.
 */
function ruleKey(direction: "ingress" | "egress", inputs: Record<string, unknown>): string {
    const peer = inputs.referencedSecurityGroupId ?? inputs.cidrIpv4 ?? inputs.cidrIpv6 ?? inputs.prefixListId;
    return [String(inputs.securityGroupId), direction, String(inputs.ipProtocol), String(inputs.fromPort), String(inputs.toPort), String(peer)].join(" ");
}

describe("Security group rules are each unique, as EC2 requires", () => {
    const layouts: [string, Parameters<typeof buildCluster>[0]][] = [
        ["defaults", BASE_ARGS],
        ["QueuedTracking on", { ...BASE_ARGS, queuedTracking: { enabled: true, pluginSha256: "c".repeat(64) } }],
        [
            "an existing database on port 443",
            {
                ...BASE_ARGS,
                database: {
                    existing: {
                        host: "mysql.internal.example.com",
                        port: 443,
                        username: "matomo",
                        passwordSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:matomo-db-AbCdEf",
                    },
                },
                salt: { generateNew: true },
            },
        ],
        [
            "an existing database on port 80",
            {
                ...BASE_ARGS,
                database: {
                    existing: {
                        host: "mysql.internal.example.com",
                        port: 80,
                        username: "matomo",
                        passwordSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:matomo-db-AbCdEf",
                    },
                },
                salt: { generateNew: true },
            },
        ],
    ];
    for (const [label, args] of layouts) {
        it(`no two rules share group, direction, protocol, ports and peer: ${label}`, async () => {
            const { rt } = await buildCluster(args);
            const keys = new Map<string, string[]>();
            for (const [direction, type] of [
                ["ingress", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"],
                ["egress", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"],
            ] as const) {
                for (const rule of of(rt, type)) {
                    const key = ruleKey(direction, rule.inputs);
                    keys.set(key, [...(keys.get(key) ?? []), rule.name]);
                }
            }
            const duplicates = [...keys.values()].filter((names) => names.length > 1);
            assert.deepEqual(duplicates, [], "rules EC2 would refuse as duplicates");
        });
    }

    it("still lets the nodes reach an existing database on 443 (through their HTTPS egress) and on 3306", async () => {
        for (const port of [443, 3306]) {
            const { rt } = await buildCluster({
                ...BASE_ARGS,
                database: {
                    existing: {
                        host: "mysql.internal.example.com",
                        port,
                        username: "matomo",
                        passwordSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:matomo-db-AbCdEf",
                    },
                },
                salt: { generateNew: true },
            });
            const { groups } = flows(rt);
            for (const role of ["tracker", "ui"]) {
                const sg = [...groups.entries()].find(([, name]) => name === `matomo-${role}-sg`)![0];
                const out = of(rt, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter(
                    (e) => e.inputs.securityGroupId === sg && e.inputs.cidrIpv4 === "0.0.0.0/0" && e.inputs.fromPort === port && e.inputs.toPort === port,
                );
                assert.equal(out.length, 1, `${role} nodes: one egress rule to 0.0.0.0/0 on ${port}`);
            }
        }
    });
});
