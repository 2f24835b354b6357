/**
 * planProgram on ordinary programs (issue 19 item 3): the invokes and computed outputs programs
 * commonly read are answered, an unmocked invoke is a clear error naming it, the user's own mocks
 * are asked first, and the stack's region is the one the mock answers in.
 */
import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { MatomoCluster } from "../../lib/aws/cluster";
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

    describe("the transforms resource option, applied as the engine applies it (to the resource and all its children)", function () {
        // What a user writes (Pulumi's docs, "Resource option: transforms"): change an input and add an option.
        const encryptAtRest: pulumi.ResourceTransform = (args) =>
            args.type === "aws:rds/instance:Instance"
                ? {
                      props: { ...args.props, storageEncrypted: true, kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" },
                      opts: pulumi.mergeOptions(args.opts, { ignoreChanges: ["engineVersion"] }),
                  }
                : undefined;

        it("on a resource: its recorded inputs and ignoreChanges are the transformed ones", async () => {
            const plan = await planProgram(() => {
                new aws.s3.Bucket(
                    "logs",
                    { tags: { team: "web" } },
                    {
                        transforms: [
                            (a) => ({
                                props: { ...a.props, tags: { ...a.props.tags, owner: "ops" } },
                                opts: pulumi.mergeOptions(a.opts, { ignoreChanges: ["tags"] }),
                            }),
                        ],
                    },
                );
            });
            const bucket = plan.recorded.find((r) => r.name === "logs")!;
            assert.deepEqual(bucket.inputs.tags, { team: "web", owner: "ops" });
            assert.deepEqual(bucket.ignoreChanges, ["tags"]);
        });

        it("on MatomoCluster: reaches the database its children create, props and options", async () => {
            const plan = await planProgram(() => {
                new MatomoCluster(
                    "matomo",
                    { domain: "analytics.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ", superUser: { email: "ops@example.com" } },
                    { transforms: [encryptAtRest] },
                );
            });
            const db = plan.recorded.filter((r) => r.type === "aws:rds/instance:Instance");
            assert.equal(db.length, 1);
            assert.equal(db[0].inputs.kmsKeyId, "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab");
            assert.equal(db[0].inputs.storageEncrypted, true);
            assert.ok(db[0].ignoreChanges?.includes("engineVersion"), `ignoreChanges ${String(db[0].ignoreChanges)}`);
            assert.deepEqual(
                plan.resources.find((r) => r.type === "aws:rds/instance:Instance")!.inputs.kmsKeyId,
                "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            );
        });

        it("applies the resource's own transforms first, then its parents', then the stack's (registerResourceTransform)", async () => {
            const trail =
                (label: string): pulumi.ResourceTransform =>
                (a) =>
                    a.type === "aws:s3/bucket:Bucket"
                        ? { props: { ...a.props, tags: { trail: `${String(a.props.tags?.trail ?? "")}${label}` } }, opts: a.opts }
                        : undefined;
            const plan = await planProgram(() => {
                pulumi.runtime.registerResourceTransform(trail("stack"));
                const parent = new pulumi.ComponentResource("test:index:Group", "group", {}, { transforms: [trail("parent,")] });
                new aws.s3.Bucket("child", {}, { parent, transforms: [trail("own,")] });
            });
            assert.deepEqual(plan.recorded.find((r) => r.name === "child")!.inputs.tags, { trail: "own,parent,stack" });
        });
    });
});
