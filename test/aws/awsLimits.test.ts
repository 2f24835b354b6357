import { strict as assert } from "assert";
import { buildCluster, BASE_ARGS } from "./harness";
import { AWS_LIMIT_RULES, checkAwsLimits, formatViolation, type PlannedResource } from "../../lib/model/awsLimits";
import { NAME_LIMITS } from "../../lib/aws/naming";

/** The graph as `npm run plan` records it (type, name, inputs). */
async function graph(...args: Parameters<typeof buildCluster>): Promise<PlannedResource[]> {
    const { rt } = await buildCluster(...args);
    return rt.resources.map((r) => ({ type: r.type, name: r.name, inputs: r.inputs }));
}

/** A copy of the graph with one resource's inputs changed. */
function craft(resources: PlannedResource[], name: string, change: (inputs: Record<string, unknown>) => void): PlannedResource[] {
    assert.ok(
        resources.some((r) => r.name === name),
        `${name} is in the graph`,
    );
    return resources.map((r) => {
        if (r.name !== name) return r;
        const inputs = JSON.parse(JSON.stringify(r.inputs)) as Record<string, unknown>;
        change(inputs);
        return { ...r, inputs };
    });
}

/** The violations, as rule ids, and the printed lines (which must quote AWS). */
function refused(resources: PlannedResource[]): { ids: string[]; text: string } {
    const violations = checkAwsLimits(resources);
    return { ids: violations.map((v) => v.rule.id), text: violations.map(formatViolation).join("\n") };
}

describe("AWS limits as data, checked over the planned graph", function () {
    // Several whole clusters are built per test.
    let reference: PlannedResource[];
    before(async () => {
        reference = await graph();
    });

    it("every rule names its resource type, property, limit and the sentence of AWS's documentation or provider validation it comes from", () => {
        assert.ok(AWS_LIMIT_RULES.length >= 20, `${AWS_LIMIT_RULES.length} rules`);
        const ids = AWS_LIMIT_RULES.map((r) => r.id);
        assert.equal(new Set(ids).size, ids.length, "rule ids are unique");
        for (const rule of AWS_LIMIT_RULES) {
            assert.match(rule.type, /^aws:[a-z0-9]+\/[A-Za-z0-9]+:[A-Za-z0-9]+$/, rule.id);
            assert.ok(rule.property.length > 0 && rule.limit.length > 0, rule.id);
            assert.ok(rule.source.quote.length >= 20, `${rule.id} quotes its source`);
            assert.match(rule.source.url, /^https:\/\//, rule.id);
        }
    });

    it("naming takes its limits from the rules (one copy)", () => {
        const values = new Set(AWS_LIMIT_RULES.map((r) => r.value));
        for (const [key, value] of Object.entries(NAME_LIMITS)) assert.ok(values.has(value), `NAME_LIMITS.${key} = ${value} is a rule's value`);
    });

    it("passes the reference plan and the other layouts, including a 120-character cluster name", async () => {
        assert.deepEqual(refused(reference).ids, []);
        const layouts: Parameters<typeof buildCluster>[] = [
            [{ ...BASE_ARGS, queuedTracking: { enabled: true, pluginSha256: "c".repeat(64) }, database: { readReplica: true }, ui: { count: 2 } }],
            [BASE_ARGS, undefined, "a".repeat(120)],
            [{ ...BASE_ARGS, queuedTracking: { enabled: true, pluginSha256: "c".repeat(64) } }, undefined, "Analytics_Production.EU-West"],
            [{ ...BASE_ARGS, architecture: "x86_64", amiGeneration: 3 }],
        ];
        for (const layout of layouts) assert.deepEqual(refused(await graph(...layout)).text, "", JSON.stringify(layout[2] ?? layout[0]).slice(0, 60));
    });

    it("refuses an S3 bucket prefix S3 reserves or too long, and a lifecycle keeping replaced versions 0 days or over 100 of them", () => {
        // The provisioning bucket's (the access log bucket's resources share one name across types).
        const bucket = reference.find((r) => r.type === "aws:s3/bucket:Bucket" && r.name.startsWith("matomo-provisioning"))!;
        for (const prefix of ["sthree-matomo-", "xn--matomo-", "amzn-s3-demo-m-", "Matomo-", "m".repeat(38), "a..b-"]) {
            const { ids, text } = refused(craft(reference, bucket.name, (i) => (i.bucketPrefix = prefix)));
            assert.deepEqual(ids, ["s3.bucket.bucketPrefix"], prefix);
            assert.match(text, /Bucket names must not start with the prefix sthree-/);
        }
        const lifecycle = reference.find(
            (r) => r.type === "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration" && r.name.startsWith("matomo-provisioning"),
        )!;
        for (const expiration of [{ noncurrentDays: 0 }, { noncurrentDays: 30, newerNoncurrentVersions: 101 }, { noncurrentDays: 1.5 }]) {
            const { ids, text } = refused(
                craft(reference, lifecycle.name, (i) => ((i.rules as Record<string, unknown>[])[0].noncurrentVersionExpiration = expiration)),
            );
            assert.deepEqual(ids, ["s3.lifecycle.noncurrentVersionExpiration"], JSON.stringify(expiration));
            assert.match(text, /You can specify up to 100 noncurrent versions to retain/);
        }
    });

    it("refuses 4 values in one path-pattern condition, quoting the ALB rule", () => {
        const rule = reference.find((r) => r.type === "aws:lb/listenerRule:ListenerRule" && JSON.stringify(r.inputs.actions).includes("forward"))!;
        const { ids, text } = refused(craft(reference, rule.name, (i) => (i.conditions = [{ pathPattern: { values: ["/a", "/b", "/c", "/d"] } }])));
        assert.deepEqual(ids, ["elb.listenerRule.valuesPerCondition"]);
        assert.match(text, /three match evaluations per condition/);
        assert.match(text, /docs\.aws\.amazon\.com\/elasticloadbalancing/);
    });

    it("refuses more than 5 match evaluations or 5 wildcards in one rule", () => {
        const rule = reference.find((r) => r.type === "aws:lb/listenerRule:ListenerRule")!;
        const six = refused(
            craft(
                reference,
                rule.name,
                (i) => (i.conditions = [{ pathPattern: { values: ["/a", "/b", "/c"] } }, { hostHeader: { values: ["a.example", "b.example", "c.example"] } }]),
            ),
        );
        assert.deepEqual(six.ids, ["elb.listenerRule.matchEvaluationsPerRule"]);
        const stars = refused(craft(reference, rule.name, (i) => (i.conditions = [{ pathPattern: { values: ["/*/*/*", "/*/*/*"] } }])));
        assert.deepEqual(stars.ids, ["elb.listenerRule.wildcardsPerRule"]);
    });

    it("refuses two rules with one priority on a listener, and a priority out of range", () => {
        const [a, b] = reference.filter((r) => r.type === "aws:lb/listenerRule:ListenerRule");
        const same = craft(reference, b.name, (i) => (i.priority = a.inputs.priority));
        assert.deepEqual(refused(same).ids, ["elb.listenerRule.uniquePriority", "elb.listenerRule.uniquePriority"], "both rules are named");
        assert.deepEqual(refused(craft(reference, a.name, (i) => (i.priority = 50001))).ids, ["elb.listenerRule.priority"]);
    });

    it("refuses build instance user data Image Builder would refuse: over 21,847 characters, or not base64; passes the prebuilt image's own", async () => {
        const prebuilt = await graph({ ...BASE_ARGS, nodeImage: { prebuilt: true } });
        const recipe = prebuilt.find((r) => r.type === "aws:imagebuilder/imageRecipe:ImageRecipe")!;
        assert.deepEqual(refused(prebuilt).ids, []);
        const own = String(recipe.inputs.userDataBase64);
        console.log(`      build instance user data: ${own.length.toLocaleString("en-US")} of 21,847 base64 characters`);
        for (const bad of ["A".repeat(21848), "#!/bin/bash\n", ""]) {
            const { ids, text } = refused(craft(prebuilt, recipe.name, (i) => (i.userDataBase64 = bad)));
            assert.deepEqual(ids, ["imagebuilder.imageRecipe.userDataBase64"], JSON.stringify(bad.slice(0, 20)));
            assert.match(text, /"maxLength": 21847/);
        }
    });

    it("refuses a launch template namePrefix of 100 characters, quoting the provider's validation", () => {
        const lt = reference.find((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate")!;
        const { ids, text } = refused(craft(reference, lt.name, (i) => (i.namePrefix = `${"a".repeat(96)}-lt-`)));
        assert.deepEqual(ids, ["ec2.launchTemplate.namePrefix"]);
        assert.match(text, /cannot be longer than 99 characters/);
    });

    it("refuses names AWS would refuse: load balancer, target group prefix, IAM prefixes, RDS identifier, security group description", () => {
        const lb = reference.find((r) => r.type === "aws:lb/loadBalancer:LoadBalancer")!;
        assert.deepEqual(refused(craft(reference, lb.name, (i) => (i.name = "x".repeat(33)))).ids, ["elb.loadBalancer.name"]);
        assert.deepEqual(refused(craft(reference, lb.name, (i) => (i.name = "internal-matomo"))).ids, ["elb.loadBalancer.name"]);
        const tg = reference.find((r) => r.type === "aws:lb/targetGroup:TargetGroup")!;
        assert.deepEqual(refused(craft(reference, tg.name, (i) => (i.namePrefix = "matomo-"))).ids, ["elb.targetGroup.namePrefix"]);
        const role = reference.find((r) => r.type === "aws:iam/role:Role")!;
        assert.deepEqual(refused(craft(reference, role.name, (i) => (i.namePrefix = "r".repeat(39)))).ids, ["iam.role.namePrefix"]);
        const profile = reference.find((r) => r.type === "aws:iam/instanceProfile:InstanceProfile")!;
        assert.deepEqual(refused(craft(reference, profile.name, (i) => (i.namePrefix = "p".repeat(103)))).ids, ["iam.instanceProfile.namePrefix"]);
        const db = reference.find((r) => r.type === "aws:rds/instance:Instance")!;
        assert.deepEqual(refused(craft(reference, db.name, (i) => (i.identifier = "matomo--db"))).ids, ["rds.instance.identifier"]);
        const sg = reference.find((r) => r.type === "aws:ec2/securityGroup:SecurityGroup")!;
        assert.deepEqual(refused(craft(reference, sg.name, (i) => (i.description = "Matomo nodes — HTTP only"))).ids, ["ec2.securityGroup.description"]);
    });

    it("refuses gp3 IOPS or throughput RDS would refuse: any below 400 GiB, out of 12000-64000 / 500-4000 from there, quoting the RDS guide", () => {
        const db = reference.find((r) => r.type === "aws:rds/instance:Instance")!;
        assert.equal(db.inputs.allocatedStorage, 100);
        const small = refused(craft(reference, db.name, (i) => ((i.iops = 3000), (i.storageThroughput = 125))));
        assert.deepEqual(small.ids, ["rds.instance.gp3Performance", "rds.instance.gp3Performance"]);
        assert.match(small.text, /CHAP_Storage\.html#gp3-storage/);
        assert.match(small.text, /You can't specify IOPS or storage throughput for engine mysql and a storage size less than 400/);
        assert.deepEqual(refused(craft(reference, db.name, (i) => ((i.allocatedStorage = 400), (i.iops = 11999)))).ids, ["rds.instance.gp3Performance"]);
        assert.deepEqual(refused(craft(reference, db.name, (i) => ((i.allocatedStorage = 400), (i.storageThroughput = 4001)))).ids, [
            "rds.instance.gp3Performance",
        ]);
        assert.deepEqual(refused(craft(reference, db.name, (i) => ((i.allocatedStorage = 400), (i.iops = 64000), (i.storageThroughput = 4000)))).ids, []);
    });

    it("refuses a health check out of AWS's ranges", () => {
        const tg = reference.find((r) => r.type === "aws:lb/targetGroup:TargetGroup")!;
        const hc = (change: Record<string, unknown>) =>
            refused(craft(reference, tg.name, (i) => (i.healthCheck = { ...(i.healthCheck as object), ...change }))).ids;
        assert.deepEqual(hc({ interval: 3, timeout: 2 }), ["elb.targetGroup.healthCheck.interval"]);
        assert.deepEqual(hc({ timeout: 15 }), ["elb.targetGroup.healthCheck.timeout"]);
        assert.deepEqual(hc({ healthyThreshold: 11 }), ["elb.targetGroup.healthCheck.thresholds"]);
    });

    it("refuses group sizes and instance refresh preferences out of range", () => {
        const asg = reference.find((r) => r.type === "aws:autoscaling/group:Group")!;
        assert.deepEqual(refused(craft(reference, asg.name, (i) => Object.assign(i, { minSize: 3, maxSize: 2, desiredCapacity: 3 }))).ids, [
            "autoscaling.group.sizes",
        ]);
        assert.deepEqual(refused(craft(reference, asg.name, (i) => (i.desiredCapacity = 7))).ids, ["autoscaling.group.sizes"]);
        const refresh = (preferences: Record<string, unknown>) =>
            refused(
                craft(
                    reference,
                    asg.name,
                    (i) =>
                        (i.instanceRefresh = {
                            strategy: "Rolling",
                            preferences: { ...(i.instanceRefresh as { preferences: object }).preferences, ...preferences },
                        }),
                ),
            ).ids;
        assert.deepEqual(refresh({ maxHealthyPercentage: 250 }), ["autoscaling.group.instanceRefresh"]);
        assert.deepEqual(refresh({ minHealthyPercentage: 50, maxHealthyPercentage: 200 }), ["autoscaling.group.instanceRefresh"]);
    });
});
