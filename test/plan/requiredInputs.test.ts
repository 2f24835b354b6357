/**
 * A required AWS input still undefined at the end of the plan is a violation (issue 19 item 3): with
 * a VPC whose outputs the mock does not know, the ALB's subnets, the security group's vpcId and the
 * group's vpcZoneIdentifiers were undefined and the plan said "violations: 0".
 */
import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import { formatViolation, planProgram } from "../../lib/plan";

describe("required AWS inputs left undefined", function () {
    it("names each resource and input a program left undefined, and quotes why AWS needs it", async () => {
        const plan = await planProgram(() => {
            // An output the mock returns nothing for, as a VPC module's ids are when no mock answers them.
            const unknown = new aws.ec2.Vpc("vpc", { cidrBlock: "10.0.0.0/16" }).ipv6CidrBlock as unknown as string;
            new aws.lb.LoadBalancer("alb", { loadBalancerType: "application", subnets: [unknown].filter(Boolean) as string[] });
            new aws.ec2.SecurityGroup("web", { vpcId: unknown });
            new aws.autoscaling.Group("trackers", { minSize: 1, maxSize: 2, vpcZoneIdentifiers: unknown as unknown as string[] });
            new aws.route53.Record("www", { name: "www.example.com", type: "A", zoneId: unknown, ttl: 60, records: ["192.0.2.1"] });
        });
        const missing = plan.violations.map((v) => `${v.resource} ${v.path}`).sort();
        assert.deepEqual(missing, ["alb subnets", "trackers vpcZoneIdentifiers", "web vpcId", "www zoneId"]);
        const alb = plan.violations.find((v) => v.resource === "alb")!;
        assert.match(formatViolation(alb), /You must specify either subnets or subnet mappings/);
        assert.match(formatViolation(alb), /subnetMappings/, "the alternative is named");
    });

    it("a resource with every required input set is not flagged", async () => {
        const plan = await planProgram(() => {
            const vpc = new aws.ec2.Vpc("vpc", { cidrBlock: "10.0.0.0/16" });
            new aws.ec2.SecurityGroup("web", { vpcId: vpc.id });
            new aws.route53.Record("www", { name: "www.example.com", type: "A", zoneId: "Z0123456789ABCDEFGHIJ", ttl: 60, records: ["192.0.2.1"] });
        });
        assert.deepEqual(plan.violations, []);
    });
});
