/**
 * VPC endpoints for the AWS services nodes call, as an option of a VPC the library creates
 * (`network.vpcEndpoints`): an S3 gateway endpoint on every private route table (no charge; it
 * carries the provisioning bundle, the SSM Agent and CloudWatch agent packages from their regional
 * buckets) and interface endpoints with private DNS for Secrets Manager, Systems Manager (ssm,
 * ssmmessages, ec2messages: Session Manager), CloudWatch Logs and CloudWatch metrics, in every private
 * subnet, admitting HTTPS from the VPC only. Off by default: interface endpoints bill per zone and hour.
 */
import { strict as assert } from "assert";
import { BASE_ARGS, buildCluster, of } from "./harness";
import { costOf } from "../../lib/plan/cost";
import { US_EAST_1 } from "../../lib/plan/prices/us-east-1";
import type { MockRuntime } from "../../lib/plan/mockRuntime";

const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
const INTERFACE_SERVICES = ["ec2messages", "logs", "monitoring", "secretsmanager", "ssm", "ssmmessages"];

describe("VPC endpoints (network.vpcEndpoints)", function () {
    let rt: MockRuntime;
    before(async function () {
        rt = (await buildCluster({ ...BASE_ARGS, network: { vpcEndpoints: true } })).rt;
    });

    it("are off by default", async function () {
        const { rt: plain } = await buildCluster();
        assert.deepEqual(of(plain, ENDPOINT), []);
    });

    it("an S3 gateway endpoint serves every private route table", function () {
        const gateways = of(rt, ENDPOINT).filter((e) => e.inputs.vpcEndpointType === "Gateway");
        assert.equal(gateways.length, 1);
        assert.equal(gateways[0].inputs.serviceName, "com.amazonaws.eu-west-1.s3");
        const privateTables = of(rt, "aws:ec2/routeTable:RouteTable")
            .filter((t) => /-private-\d+$/.test(t.name))
            .map((t) => t.id)
            .sort();
        assert.equal(privateTables.length, 2);
        assert.deepEqual([...(gateways[0].inputs.routeTableIds as string[])].sort(), privateTables);
    });

    it("interface endpoints with private DNS for Secrets Manager, SSM, Session Manager and CloudWatch sit in every private subnet, HTTPS from the VPC only", function () {
        const interfaces = of(rt, ENDPOINT).filter((e) => e.inputs.vpcEndpointType === "Interface");
        assert.deepEqual(interfaces.map((e) => String(e.inputs.serviceName).replace("com.amazonaws.eu-west-1.", "")).sort(), INTERFACE_SERVICES);
        const privateSubnets = of(rt, "aws:ec2/subnet:Subnet")
            .filter((s) => /-private-\d+$/.test(s.name))
            .map((s) => s.id)
            .sort();
        const vpc = of(rt, "aws:ec2/vpc:Vpc")[0];
        for (const e of interfaces) {
            assert.equal(e.inputs.privateDnsEnabled, true);
            assert.deepEqual([...(e.inputs.subnetIds as string[])].sort(), privateSubnets);
            const [sg] = e.inputs.securityGroupIds as string[];
            const rules = of(rt, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.inputs.securityGroupId === sg);
            assert.deepEqual(
                rules.map((r) => [r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4]),
                [["tcp", 443, 443, vpc.inputs.cidrBlock]],
            );
        }
    });

    it("the cost counts each interface endpoint per zone and hour, the gateway endpoint at no charge", function () {
        const lines = costOf(rt.resources, US_EAST_1).lines.filter((l) => l.type === ENDPOINT);
        const interfaces = lines.filter((l) => l.item.startsWith("interface"));
        assert.equal(interfaces.length, 6);
        // 2 zones × $0.01 an hour × 730 hours.
        for (const l of interfaces) assert.equal(l.monthlyUsd, 14.6);
        assert.deepEqual(
            lines.filter((l) => !l.item.startsWith("interface")).map((l) => [l.resource, l.monthlyUsd]),
            [["matomo-network-s3", 0]],
        );
    });

    it("are refused with an existing network (create them in your VPC; docs/aws.md lists which)", async function () {
        await assert.rejects(
            buildCluster({
                ...BASE_ARGS,
                network: {
                    vpcEndpoints: true,
                    existing: {
                        vpcId: "vpc-0a1b2c3d4e5f60718",
                        publicSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"],
                        privateSubnetIds: ["subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2"],
                    },
                },
            }),
            /network\.vpcEndpoints/,
        );
    });
});
