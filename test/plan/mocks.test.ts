/**
 * planProgram on ordinary programs (issue 19 item 3): the invokes and computed outputs programs
 * commonly read are answered, an unmocked invoke is a clear error naming it, the user's own mocks
 * are asked first, and the stack's region is the one the mock answers in.
 */
import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import { planProgram } from "../../lib/plan";

describe("planProgram's mocks", function () {
    it("answers aws.acm.getCertificateOutput with an issued certificate's ARN in the stack's region", async () => {
        const plan = await planProgram(() => ({ arn: aws.acm.getCertificateOutput({ domain: "analytics.example.com", statuses: ["ISSUED"] }).arn }));
        assert.match(String(plan.outputs.arn), /^arn:aws:acm:eu-west-1:123456789012:certificate\/[0-9a-f-]{36}$/);
    });

    it("gives an RDS instance with a managed master password its masterUserSecrets, as RDS does", async () => {
        const plan = await planProgram(() => {
            const db = new aws.rds.Instance("db", {
                engine: "mysql",
                instanceClass: "db.t4g.micro",
                allocatedStorage: 20,
                username: "admin",
                manageMasterUserPassword: true,
            });
            return { secret: db.masterUserSecrets.apply((s) => s[0].secretArn) };
        });
        assert.match(String(plan.outputs.secret), /^arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-[0-9a-f-]+-[A-Za-z0-9]{6}$/);
    });

    it("an invoke it has no answer for fails the plan with an error naming the function, and the user's own mock answers it", async () => {
        const program = () => ({ id: aws.ec2.getVpcEndpointServiceOutput({ service: "s3" }).serviceId });
        await assert.rejects(planProgram(program), /aws:ec2\/getVpcEndpointService:getVpcEndpointService/);
        const plan = await planProgram(program, {
            mock: {
                call: (token) => (token === "aws:ec2/getVpcEndpointService:getVpcEndpointService" ? { serviceId: "vpce-svc-0a1b2c3d4e5f60718" } : undefined),
            },
        });
        assert.equal(plan.outputs.id, "vpce-svc-0a1b2c3d4e5f60718");
    });

    it("answers in the region of aws:region: availability zones of eu-central-1 under that config", async () => {
        const plan = await planProgram(() => ({ zones: aws.getAvailabilityZonesOutput({}).names }), { config: { "aws:region": "eu-central-1" } });
        assert.deepEqual(plan.outputs.zones, ["eu-central-1a", "eu-central-1b", "eu-central-1c"]);
    });
});
