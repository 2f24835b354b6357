/**
 * The plan's cost arithmetic, on small graphs written by hand; every expected figure is worked out
 * below from the repository's price table (lib/plan/prices/us-east-1.ts) and 730 hours a month.
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { mkdtempSync, readFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { costOf, rdsGp3Baseline } from "../../lib/plan/cost";
import { renderCost } from "../../lib/plan/costReport";
import type { RecordedResource } from "../../lib/plan/mockRuntime";
import { US_EAST_1 } from "../../lib/plan/prices/us-east-1";

function r(type: string, name: string, inputs: Record<string, unknown>, id = `${name}-id`): RecordedResource {
    return { type, name, inputs, custom: !type.startsWith("matomo:"), state: {}, id };
}

const SMALL_GRAPH: RecordedResource[] = [
    r(
        "aws:ec2/launchTemplate:LaunchTemplate",
        "web-lt",
        { instanceType: "c7g.large", blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeType: "gp3", volumeSize: 20 } }] },
        "lt-1",
    ),
    r("aws:autoscaling/group:Group", "web-asg", { minSize: 1, maxSize: 4, desiredCapacity: 2, launchTemplate: { id: "lt-1", version: "1" } }),
    r("aws:rds/instance:Instance", "db", {
        identifier: "db",
        engine: "mysql",
        instanceClass: "db.m7g.large",
        storageType: "gp3",
        allocatedStorage: 50,
        multiAz: false,
    }),
    r("aws:ec2/natGateway:NatGateway", "nat", {}),
    r("aws:ec2/eip:Eip", "nat-ip", { domain: "vpc" }),
    r("aws:secretsmanager/secret:Secret", "pw", {}),
    r("aws:lb/loadBalancer:LoadBalancer", "alb", { loadBalancerType: "application", internal: false, subnets: ["subnet-a", "subnet-b"] }),
    r("aws:ec2/vpc:Vpc", "vpc", {}),
    r("aws:ec2/instance:Instance", "bastion", { instanceType: "t4g.nano" }),
    r("matomo:aws:NodeGroup", "web", {}),
];

describe("plan cost: monthly cost from the price table", () => {
    it("prices a small graph line by line, as worked out by hand", () => {
        const report = costOf(SMALL_GRAPH, US_EAST_1, { albLcus: 1, natGbPerGateway: 10, logGbPerGroup: 1 });
        const byItem = Object.fromEntries(report.lines.map((l) => [`${l.resource}: ${l.item}`, l.monthlyUsd]));
        const expected: Record<string, number> = {
            // 2 (desired) × $0.0725/h × 730 h
            "web-asg: 2 × c7g.large (desired 2, up to 4 when scaled out)": 105.85,
            // 2 × 20 GiB × $0.08/GB-month
            "web-asg: 2 × 20 GiB gp3 root volume": 3.2,
            // $0.168/h × 730 h, single-AZ
            "db: db.m7g.large single-AZ": 122.64,
            // 50 GiB × $0.115 (50 < 400 GiB: 3,000 IOPS / 125 MiB/s included, nothing above)
            "db: 50 GiB gp3": 5.75,
            // $0.045/h × 730 h + 10 GB × $0.045
            "nat: NAT gateway hours + 10 GB processed (assumed)": 33.3,
            // $0.005/h × 730 h
            "nat-ip: 1 public IPv4 address": 3.65,
            "pw: 1 secret (API calls at $0.05 per 10,000 not counted)": 0.4,
            // ($0.0225 + 1 LCU × $0.008)/h × 730 h = 22.265
            "alb: load balancer hours + 1 LCU (assumed)": 22.27,
            // 2 subnets → 2 addresses × $0.005 × 730
            "alb: 2 public IPv4 addresses (one per subnet; AWS may add more as it scales)": 7.3,
        };
        assert.deepEqual(Object.keys(byItem).sort(), Object.keys(expected).sort());
        for (const [item, usd] of Object.entries(expected)) assert.ok(Math.abs(byItem[item] - usd) < 0.006, `${item}: ${byItem[item]} ≠ ${usd}`);
        // 105.85 + 3.20 + 122.64 + 5.75 + 33.30 + 3.65 + 0.40 + 22.27 + 7.30
        assert.ok(Math.abs(report.totalUsd - 304.36) < 0.006, `total ${report.totalUsd}`);
        assert.equal(report.hasEstimates, true, "c7g.large and db.m7g.large are estimates in the table");
    });

    it("lists what it cannot price, what costs nothing and what is no AWS resource: nothing is dropped", () => {
        const report = costOf(SMALL_GRAPH, US_EAST_1);
        assert.deepEqual(report.notPriced, [{ resource: "bastion", type: "aws:ec2/instance:Instance", reason: "type not in the price table" }]);
        assert.deepEqual(report.noCharge, [
            { type: "aws:ec2/launchTemplate:LaunchTemplate", count: 1 },
            { type: "aws:ec2/vpc:Vpc", count: 1 },
        ]);
        assert.deepEqual(report.notAws, [{ type: "matomo:aws:NodeGroup", count: 1 }]);
        const accounted = new Set([...report.lines.map((l) => l.resource), ...report.notPriced.map((n) => n.resource)]);
        const counted = report.noCharge.reduce((n, c) => n + c.count, 0) + report.notAws.reduce((n, c) => n + c.count, 0);
        assert.equal(accounted.size + counted, SMALL_GRAPH.length);
        const text = renderCost([{ title: "small", report }], US_EAST_1, "eu-west-1");
        assert.match(text, /Not priced \(billed, but the table has no price for them; the total leaves them out\): `bastion`/);
        assert.match(text, /region \*\*us-east-1\*\*, looked up 2026-11-25/);
        assert.match(text, /The plan's region is eu-west-1/);
    });

    it("an unknown instance type is 'not priced', with its name", () => {
        const graph = [
            r("aws:ec2/launchTemplate:LaunchTemplate", "lt", { instanceType: "x9z.huge" }, "lt-9"),
            r("aws:autoscaling/group:Group", "asg", { minSize: 2, maxSize: 2, launchTemplate: { id: "lt-9" } }),
        ];
        assert.deepEqual(costOf(graph, US_EAST_1).notPriced, [
            { resource: "asg", type: "aws:autoscaling/group:Group", reason: "no price for instance type x9z.huge" },
        ]);
    });

    it("Multi-AZ doubles instance, storage, IOPS and throughput; a replica takes its source's storage", () => {
        // RDS gp3 for MySQL: 12,000 IOPS and 500 MiB/s included from 400 GiB ("Sizing presets" in README).
        assert.deepEqual(rdsGp3Baseline(2000), { iops: 12000, throughput: 500 });
        assert.deepEqual(rdsGp3Baseline(399), { iops: 3000, throughput: 125 });
        const graph = [
            r("aws:rds/instance:Instance", "db", {
                identifier: "main",
                engine: "mysql",
                instanceClass: "db.r7g.2xlarge",
                storageType: "gp3",
                allocatedStorage: 2000,
                iops: 20000,
                storageThroughput: 1000,
                multiAz: true,
            }),
            r("aws:rds/instance:Instance", "replica", { identifier: "reader", replicateSourceDb: "main", instanceClass: "db.r7g.2xlarge", storageType: "gp3" }),
        ];
        const lines = costOf(graph, US_EAST_1).lines.map((l) => [l.resource, l.item, l.monthlyUsd]);
        assert.deepEqual(lines, [
            ["db", "db.r7g.2xlarge Multi-AZ (primary + standby)", 1395.76], // 2 × $0.956 × 730
            ["db", "2000 GiB gp3 × 2 (Multi-AZ)", 460], // 2 × 2000 × $0.115
            ["db", "8000 IOPS above gp3's 12000 baseline × 2", 320], // 2 × 8000 × $0.02
            ["db", "500 MiB/s above gp3's 500 baseline × 2", 80], // 2 × 500 × $0.08
            ["replica", "db.r7g.2xlarge read replica", 697.88], // $0.956 × 730
            ["replica", "2000 GiB gp3", 230],
            ["replica", "8000 IOPS above gp3's 12000 baseline", 160],
            ["replica", "500 MiB/s above gp3's 500 baseline", 40],
        ]);
    });

    it("every price in the table has a source, a basis and the day it was looked up", () => {
        const prices = Object.values(US_EAST_1).flatMap((v) => (v !== null && typeof v === "object" ? ("usd" in v ? [v] : Object.values(v)) : []));
        assert.ok(prices.length > 20);
        for (const p of prices) {
            assert.ok(p.usd > 0);
            assert.match(p.looked, /^\d{4}-\d{2}-\d{2}$/);
            assert.ok(["aws", "secondary", "estimate"].includes(p.basis));
            assert.match(p.source, p.basis === "estimate" ? /no source reachable offline|estimate|×/ : /^https:\/\//);
        }
    });
});

describe("plan --cost-presets: cost.md for the example at each preset", function () {
    it("prices each preset's sizes as README's preset table gives them", () => {
        const out = mkdtempSync(join(tmpdir(), "matomo-plan-cost-"));
        const summary = execFileSync("npm", ["run", "--silent", "plan", "--", "--out", out, "--cost-presets"], { encoding: "utf8" });
        const text = readFileSync(join(out, "cost.md"), "utf8");
        const section = (title: string) => text.split(/^## /m).find((s) => s.startsWith(title)) ?? assert.fail(`no section ${title}`);
        // README "Sizing presets": trackers type × min, ui type × count, database class, storage, Multi-AZ, replica, Redis.
        const small = section("Preset `small`");
        assert.match(small, /2 × c7g\.medium \(desired 2, up to 3/);
        assert.match(small, /1 × m7g\.large/);
        assert.match(small, /db\.m7g\.large single-AZ/);
        assert.match(small, /\| 50 GiB gp3 \(secondary source\) \| \$5\.75 \|/); // 50 × $0.115
        const large = section("Preset `large`");
        assert.match(large, /4 × c7g\.xlarge \(desired 4, up to 16/);
        assert.match(large, /2 × m7g\.2xlarge/);
        assert.match(large, /db\.r7g\.2xlarge Multi-AZ \(primary \+ standby\)/);
        assert.match(large, /db\.r7g\.2xlarge read replica/);
        assert.match(large, /2000 GiB gp3 × 2 \(Multi-AZ\)/);
        assert.match(large, /8000 IOPS above gp3's 12000 baseline/);
        // Two nodes: with the queue on Redis, automatic failover keeps a replica in a second zone (FSBP ElastiCache.3).
        assert.match(large, /2 × cache\.r7g\.large/);
        for (const title of ["Preset `small`", "Preset `reference`", "Preset `large`"]) {
            assert.match(section(title), /Not priced: none\./);
            const line = summary.split("\n").find((l) => l.startsWith(`cost ${title}`)) ?? assert.fail(`no summary line for ${title}`);
            assert.match(line, /: ~\$\d+\.\d\d a month \(us-east-1 prices; 0 not priced\)/);
        }
        assert.match(text, /## Prices used/);
    });
});
