/**
 * Pulumi's AWSGuard policies, all 26 mandatory, over the graphs the library plans: the reference and
 * existing-VPC examples from their sample stack config, and the `large` preset. Every violation must
 * be one of the documented exceptions (AWSGUARD_EXCEPTIONS, listed in docs/observability.md), and each
 * graph reports exactly the exceptions that apply to it. Graphs broken in one place show that the
 * policies really look at our resources (test/support/awsGuard.ts: how the graph is handed to them).
 */
import { strict as assert } from "assert";
import { readFileSync } from "fs";
import { join } from "path";
import { AWSGUARD_EXCEPTIONS, awsGuardPolicies, awsGuardViolations, exceptionFor, type AwsGuardViolation } from "./support/awsGuard";
import { buildCluster, LARGE_ARGS } from "./aws/harness";
import { planExample, readExampleConfig } from "../lib/plan/example";
import type { RecordedResource } from "../lib/plan/mockRuntime";

const EXAMPLES = join(__dirname, "..", "examples");

async function example(name: string): Promise<RecordedResource[]> {
    const dir = join(EXAMPLES, name);
    const { project, config } = readExampleConfig(dir);
    return (await planExample(dir, project, config)).plan.recorded;
}

/** `policy resource` of each violation, sorted, for comparing with a hand-written list. */
const keys = (found: AwsGuardViolation[]) => found.map((v) => `${v.policy} ${v.resource ?? "(stack)"}`).sort();

describe("AWSGuard (Pulumi's AWS policies, all mandatory) over the planned graphs", function () {
    const graphs: Record<string, RecordedResource[]> = {};
    before(async function () {
        graphs.reference = await example("reference");
        graphs["existing-vpc"] = await example("existing-vpc");
        graphs.large = (await buildCluster(LARGE_ARGS)).rt.resources;
    });

    it("runs all 26 of AWSGuard's policies", function () {
        assert.equal(awsGuardPolicies().length, 26);
    });

    const expected: Record<string, string[]> = {
        // Single-AZ database by default; the server-access-log bucket does not log itself.
        reference: ["rds-instance-multi-az-enabled matomo-database-db", "s3-bucket-logging-enabled matomo-s3-access-logs"],
        "existing-vpc": ["rds-instance-multi-az-enabled matomo-database-db", "s3-bucket-logging-enabled matomo-s3-access-logs"],
        // large: a Multi-AZ primary with backups, and a replica that has neither.
        large: [
            "rds-instance-backup-enabled matomo-database-replica",
            "rds-instance-multi-az-enabled matomo-database-replica",
            "s3-bucket-logging-enabled matomo-s3-access-logs",
        ],
    };
    for (const [graph, exceptions] of Object.entries(expected)) {
        it(`${graph}: reports only documented exceptions, exactly these: ${exceptions.join("; ")}`, async function () {
            const found = await awsGuardViolations(graphs[graph]);
            assert.deepEqual(
                found.filter((v) => exceptionFor(v, "matomo") === undefined),
                [],
            );
            assert.deepEqual(keys(found), [...exceptions].sort());
        });
    }

    const breaks: [string, string, (g: RecordedResource[]) => void][] = [
        ["a load balancer without access logs", "elb-logging-enabled", (g) => (find(g, "aws:lb/loadBalancer:LoadBalancer").inputs.accessLogs = undefined)],
        [
            "a load balancer without deletion protection",
            "elb-deletion-protection-enabled",
            (g) => (find(g, "aws:lb/loadBalancer:LoadBalancer").inputs.enableDeletionProtection = false),
        ],
        [
            "an HTTP listener that forwards",
            "alb-http-to-https-redirection",
            (g) => (g.find((r) => r.type === "aws:lb/listener:Listener" && r.inputs.protocol === "HTTP")!.inputs.defaultActions = [{ type: "forward" }]),
        ],
        [
            "a provisioning bucket that does not log its requests",
            "s3-bucket-logging-enabled",
            (g) => {
                const bucket = g.find((r) => r.name === "matomo-provisioning-bucket")!;
                g.splice(
                    g.findIndex((r) => r.type === "aws:s3/bucketLogging:BucketLogging" && r.inputs.bucket === bucket.id),
                    1,
                );
            },
        ],
        ["an unencrypted database", "rds-storage-encrypted", (g) => (find(g, "aws:rds/instance:Instance").inputs.storageEncrypted = false)],
    ];
    for (const [what, policy, breakIt] of breaks) {
        it(`${what} is reported by ${policy}, as no documented exception`, async function () {
            const graph = structuredClone(graphs.reference);
            breakIt(graph);
            const found = (await awsGuardViolations(graph)).filter((v) => exceptionFor(v, "matomo") === undefined);
            assert.deepEqual(
                found.map((v) => v.policy),
                [policy],
            );
        });
    }

    it("docs/observability.md lists every exception with its policy and resource, and no other", function () {
        const doc = readFileSync(join(__dirname, "..", "docs", "observability.md"), "utf8");
        const section = doc.slice(doc.indexOf("## AWSGuard"));
        const rows = section
            .split("\n")
            .filter((l) => /^\| `[a-z0-9-]+` \|/.test(l))
            .map((l) => l.split("|").map((c) => c.trim()));
        assert.deepEqual(rows.map((c) => `${c[1]} ${c[2]}`).sort(), AWSGUARD_EXCEPTIONS.map((e) => `\`${e.policy}\` \`<cluster>-${e.resource}\``).sort());
    });
});

function find(graph: RecordedResource[], type: string): RecordedResource {
    const found = graph.filter((r) => r.type === type);
    assert.equal(found.length, 1, type);
    return found[0];
}
