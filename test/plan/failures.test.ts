/**
 * A program that fails under the mock runtime fails its plan (issue 19): an apply that throws, a
 * registration the mock rejects, an export that cannot resolve. `pulumi up` stops on each of these;
 * the plan used to return a graph without the failed resource, wait forever on an export of it, or
 * die on Node's bare unhandled rejection without naming it.
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { mkdtempSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import * as aws from "@pulumi/aws";
import { planProgram, PlanFailedError } from "../../lib/plan";

const REPO = join(__dirname, "..", "..");

/** A VPC and a security group whose vpcId comes from an apply that throws. */
function throwingApply(): aws.ec2.SecurityGroup {
    const vpc = new aws.ec2.Vpc("network", { cidrBlock: "10.0.0.0/16" });
    const vpcId = vpc.id.apply((id): string => {
        throw new Error(`no route table found for ${id}`);
    });
    return new aws.ec2.SecurityGroup("web", { vpcId, description: "web" });
}

async function failureOf(plan: Promise<unknown>): Promise<PlanFailedError> {
    try {
        await plan;
    } catch (error) {
        assert.ok(error instanceof PlanFailedError, `a PlanFailedError, not ${String(error)}`);
        return error;
    }
    assert.fail("the plan succeeded");
}

/** `npm run plan` of a fixture program, which must fail: its exit status and stderr. */
function planFixture(name: string): { status: number | null; stderr: string } {
    const out = mkdtempSync(join(tmpdir(), `matomo-plan-${name}-`));
    try {
        execFileSync("npm", ["run", "--silent", "plan", "--", "--example", `test/fixtures/${name}`, "--out", out], {
            cwd: REPO,
            encoding: "utf8",
            stdio: "pipe",
        });
    } catch (error) {
        return error as { status: number | null; stderr: string };
    }
    assert.fail(`npm run plan of test/fixtures/${name} succeeded`);
}

describe("planProgram on a program that fails under the mock runtime", function () {
    it("an apply that throws into a resource's input fails the plan, naming the resource, its type, the input and the error", async () => {
        const error = await failureOf(
            planProgram(() => {
                throwingApply();
            }),
        );
        assert.match(error.message, /web \(aws:ec2\/securityGroup:SecurityGroup\)/);
        assert.match(error.message, /"vpcId"/);
        assert.match(error.message, /no route table found for vpc-[0-9a-f]{17}/);
        assert.deepEqual(
            error.failures.map((f) => f.resource),
            ["web"],
        );
    });

    it("an export that waits on the failed resource's id fails the plan instead of waiting forever", async () => {
        const error = await failureOf(planProgram(() => ({ webGroupId: throwingApply().id })));
        assert.match(error.message, /web \(aws:ec2\/securityGroup:SecurityGroup\)/);
        assert.match(error.message, /no route table found/);
    });

    it("a failed resource that others wait on fails the plan: their registrations never finish, so the run cannot drain", async () => {
        // The rule's input is the failed group's id, which never resolves: the SDK's queue of
        // registrations never empties (it used to wait for it, forever).
        const error = await failureOf(
            planProgram(() => {
                const web = throwingApply();
                new aws.vpc.SecurityGroupIngressRule("https", {
                    securityGroupId: web.id,
                    ipProtocol: "tcp",
                    fromPort: 443,
                    toPort: 443,
                    cidrIpv4: "0.0.0.0/0",
                });
            }),
        );
        assert.equal(error.failures[0].resource, "web");
        assert.match(error.message, /no route table found/);
    });

    it("a registration the mock rejects fails the plan, naming the resource; so does every resource that needed its outputs", async () => {
        const error = await failureOf(
            planProgram(
                () => {
                    const vpc = new aws.ec2.Vpc("network", { cidrBlock: "10.0.0.0/16" });
                    new aws.ec2.SecurityGroup("web", { vpcId: vpc.id, description: "web" });
                    return { vpcId: vpc.id };
                },
                {
                    mock: {
                        newResource: (type) => {
                            if (type === "aws:ec2/vpc:Vpc") throw new Error("VpcLimitExceeded: the maximum number of VPCs has been reached");
                            return undefined;
                        },
                    },
                },
            ),
        );
        assert.equal(error.failures[0].resource, "network");
        assert.equal(error.failures[0].type, "aws:ec2/vpc:Vpc");
        assert.match(error.failures[0].error, /VpcLimitExceeded/);
        assert.ok(
            error.failures.some((f) => f.resource === "web"),
            error.message,
        );
    });

    it("an export whose apply throws fails the plan, naming the export", async () => {
        const error = await failureOf(
            planProgram(() => {
                const vpc = new aws.ec2.Vpc("network", { cidrBlock: "10.0.0.0/16" });
                return {
                    vpcArn: vpc.arn.apply((arn): string => {
                        throw new Error(`unexpected ARN ${arn}`);
                    }),
                };
            }),
        );
        assert.equal(error.failures[0].export, "vpcArn");
        assert.match(error.message, /export vpcArn/);
        assert.match(error.message, /unexpected ARN arn:aws:ec2:eu-west-1:123456789012:vpc\/vpc-[0-9a-f]{17}/);
    });

    it("an apply that throws and feeds nothing fails the plan, as the unhandled error fails `pulumi up`", async () => {
        const error = await failureOf(
            planProgram(() => {
                const vpc = new aws.ec2.Vpc("network", { cidrBlock: "10.0.0.0/16" });
                vpc.id.apply((id) => {
                    throw new Error(`audit failed for ${id}`);
                });
            }),
        );
        assert.match(error.message, /audit failed for vpc-/);
    });

    it("a program that fails does not poison the next plan in the same process", async () => {
        await failureOf(planProgram(() => ({ webGroupId: throwingApply().id })));
        const plan = await planProgram(() => ({ vpcId: new aws.ec2.Vpc("network", { cidrBlock: "10.0.0.0/16" }).id }));
        assert.match(String(plan.outputs.vpcId), /^vpc-[0-9a-f]{17}$/);
        assert.deepEqual(
            plan.resources.map((r) => r.name),
            ["network"],
        );
    });

    it("npm run plan -- --example <dir> exits non-zero on such a program, naming the resource and the error", () => {
        const failure = planFixture("failing-program");
        assert.notEqual(failure.status, 0);
        assert.match(failure.stderr, /web \(aws:ec2\/securityGroup:SecurityGroup\)/);
        assert.match(failure.stderr, /no route table found for vpc-/);
    });

    it("npm run plan exits non-zero, naming the export, when Node's event loop empties with an export still waiting (it exited 0)", () => {
        const failure = planFixture("waiting-program");
        assert.notEqual(failure.status, 0);
        assert.match(failure.stderr, /exports never resolved: approved$/m);
    });
});
