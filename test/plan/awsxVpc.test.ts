/**
 * Programs composing `awsx.ec2.Vpc` (issue 19). In Node, awsx's Vpc is a multi-language (remote)
 * component: its children are created by the awsx provider, not by the program, so under the SDK's
 * mock its outputs are whatever the mock answers; the plan used to answer nothing and report
 * "violations: 0" over a load balancer with `subnets: undefined`. The mock now creates what awsx's
 * provider creates for the arguments it imitates.
 *
 * Expected layouts are worked by hand from awsx's source (pulumi/pulumi-awsx, awsx/ec2/vpc.ts and
 * subnetDistributorLegacy.ts): default CIDR 10.0.0.0/16, the region's first 3 zones, subnet strategy
 * "Legacy" (the VPC split evenly between the zones, 2 bits for 3 zones; in each zone's /18 the
 * private subnet is its first half, a /19, and the public subnet the first half of the rest, a /20),
 * public subnets first in each zone, one NAT gateway and Elastic IP per zone ("OnePerAz").
 */
import { strict as assert } from "assert";
import * as awsx from "@pulumi/awsx";
import { MatomoCluster } from "../../lib/aws/cluster";
import { planProgram, PlanFailedError, type RecordedResource } from "../../lib/plan";

const of = (recorded: RecordedResource[], type: string) => recorded.filter((r) => r.type === type);

describe("planProgram with awsx.ec2.Vpc", function () {
    it("answers the default Vpc's ids with the subnets awsx creates, in the stack region's first three zones", async () => {
        const plan = await planProgram(
            () => {
                const vpc = new awsx.ec2.Vpc("shop", {});
                return { vpcId: vpc.vpcId, publicSubnetIds: vpc.publicSubnetIds, privateSubnetIds: vpc.privateSubnetIds, isolated: vpc.isolatedSubnetIds };
            },
            { config: { "aws:region": "eu-central-1" } },
        );
        const [vpc] = of(plan.recorded, "aws:ec2/vpc:Vpc");
        assert.equal(vpc.inputs.cidrBlock, "10.0.0.0/16");
        assert.equal(vpc.parent, "shop");
        assert.equal(plan.outputs.vpcId, vpc.id);
        const subnets = of(plan.recorded, "aws:ec2/subnet:Subnet");
        const layout = (ids: unknown) =>
            (ids as string[]).map((id) => {
                const subnet = subnets.find((s) => s.id === id)!;
                return [subnet.name, subnet.inputs.availabilityZone, subnet.inputs.cidrBlock, subnet.inputs.vpcId, subnet.inputs.mapPublicIpOnLaunch];
            });
        assert.deepEqual(layout(plan.outputs.publicSubnetIds), [
            ["shop-public-1", "eu-central-1a", "10.0.32.0/20", vpc.id, true],
            ["shop-public-2", "eu-central-1b", "10.0.96.0/20", vpc.id, true],
            ["shop-public-3", "eu-central-1c", "10.0.160.0/20", vpc.id, true],
        ]);
        assert.deepEqual(layout(plan.outputs.privateSubnetIds), [
            ["shop-private-1", "eu-central-1a", "10.0.0.0/19", vpc.id, false],
            ["shop-private-2", "eu-central-1b", "10.0.64.0/19", vpc.id, false],
            ["shop-private-3", "eu-central-1c", "10.0.128.0/19", vpc.id, false],
        ]);
        assert.deepEqual(plan.outputs.isolated, []);
        assert.equal(of(plan.recorded, "aws:ec2/internetGateway:InternetGateway").length, 1);
        const nats = of(plan.recorded, "aws:ec2/natGateway:NatGateway");
        assert.deepEqual(
            nats.map((n) => [n.name, subnets.find((s) => s.id === n.inputs.subnetId)?.name]),
            [
                ["shop-1", "shop-public-1"],
                ["shop-2", "shop-public-2"],
                ["shop-3", "shop-public-3"],
            ],
        );
        assert.equal(of(plan.recorded, "aws:ec2/eip:Eip").length, 3);
        // Each private subnet's default route leaves through its own zone's NAT gateway.
        const routes = of(plan.recorded, "aws:ec2/route:Route");
        assert.deepEqual(
            routes.filter((r) => r.inputs.natGatewayId !== undefined).map((r) => [r.name, nats.find((n) => n.id === r.inputs.natGatewayId)?.name]),
            [
                ["shop-private-1", "shop-1"],
                ["shop-private-2", "shop-2"],
                ["shop-private-3", "shop-3"],
            ],
        );
        assert.deepEqual(plan.violations, []);
    });

    it("follows cidrBlock, numberOfAvailabilityZones and the Single and None NAT strategies", async () => {
        const plan = await planProgram(() => {
            const single = new awsx.ec2.Vpc("two", { cidrBlock: "10.20.0.0/16", numberOfAvailabilityZones: 2, natGateways: { strategy: "Single" } });
            const none = new awsx.ec2.Vpc("bare", { availabilityZoneNames: ["eu-west-1b", "eu-west-1c"], natGateways: { strategy: "None" } });
            return { two: single.publicSubnetIds, twoPrivate: single.privateSubnetIds, bare: none.privateSubnetIds };
        });
        const cidrs = (ids: unknown) => (ids as string[]).map((id) => plan.recorded.find((r) => r.id === id)!.inputs.cidrBlock);
        // Two zones: 1 bit each, a /17 per zone; private its first /18, public the /19 after it.
        assert.deepEqual(cidrs(plan.outputs.two), ["10.20.64.0/19", "10.20.192.0/19"]);
        assert.deepEqual(cidrs(plan.outputs.twoPrivate), ["10.20.0.0/18", "10.20.128.0/18"]);
        const zones = (ids: unknown) => (ids as string[]).map((id) => plan.recorded.find((r) => r.id === id)!.inputs.availabilityZone);
        assert.deepEqual(zones(plan.outputs.bare), ["eu-west-1b", "eu-west-1c"]);
        const nats = of(plan.recorded, "aws:ec2/natGateway:NatGateway");
        assert.deepEqual(
            nats.map((n) => n.name),
            ["two-1"],
        );
        const privateRoutes = of(plan.recorded, "aws:ec2/route:Route").filter((r) => r.inputs.natGatewayId !== undefined);
        assert.deepEqual(
            privateRoutes.map((r) => [r.name, r.inputs.natGatewayId]),
            [
                ["two-private-1", nats[0].id],
                ["two-private-2", nats[0].id],
            ],
        );
    });

    it("a MatomoCluster in the awsx Vpc gets its ids: load balancer in the public subnets, groups in the private ones, 0 violations", async () => {
        const plan = await planProgram(() => {
            const vpc = new awsx.ec2.Vpc("shop", { numberOfAvailabilityZones: 2 });
            new MatomoCluster("matomo", {
                domain: "analytics.example.com",
                hostedZoneId: "Z0123456789ABCDEFGHIJ",
                superUser: { email: "ops@example.com" },
                network: { existing: { vpcId: vpc.vpcId, publicSubnetIds: vpc.publicSubnetIds, privateSubnetIds: vpc.privateSubnetIds } },
            });
        });
        assert.deepEqual(plan.violations, []);
        const subnets = of(plan.recorded, "aws:ec2/subnet:Subnet");
        const ids = (prefix: string) => subnets.filter((s) => s.name.startsWith(prefix)).map((s) => s.id);
        const [lb] = of(plan.recorded, "aws:lb/loadBalancer:LoadBalancer");
        assert.deepEqual(lb.inputs.subnets, ids("shop-public-"));
        const [vpc] = of(plan.recorded, "aws:ec2/vpc:Vpc");
        for (const group of of(plan.recorded, "aws:ec2/securityGroup:SecurityGroup")) assert.equal(group.inputs.vpcId, vpc.id, group.name);
        for (const group of of(plan.recorded, "aws:autoscaling/group:Group"))
            assert.deepEqual(group.inputs.vpcZoneIdentifiers, ids("shop-private-"), group.name);
    });

    it("arguments it does not imitate fail the plan naming the Vpc and the argument, unless the program's own mock answers", async () => {
        const program = () => ({ ids: new awsx.ec2.Vpc("custom", { subnetSpecs: [{ type: "Private", cidrMask: 22 }] }).privateSubnetIds });
        await assert.rejects(planProgram(program), (error: unknown) => {
            assert.ok(error instanceof PlanFailedError, String(error));
            assert.match(error.message, /custom \(awsx:ec2:Vpc\)/);
            assert.match(error.message, /subnetSpecs/);
            return true;
        });
        const plan = await planProgram(program, {
            mock: { newResource: (type) => (type === "awsx:ec2:Vpc" ? { privateSubnetIds: ["subnet-0bbbbbbbbbbbbbbb1"] } : undefined) },
        });
        assert.deepEqual(plan.outputs.ids, ["subnet-0bbbbbbbbbbbbbbb1"]);
    });
});
