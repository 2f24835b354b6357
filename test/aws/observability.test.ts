/**
 * Observability as the graph plans it: log groups, the provisioning-failure filter, alarms with
 * their thresholds, the SNS topic, the dashboard made from the alarm list, and the AWS Foundational
 * Security Best Practices settings (docs/observability.md). Expected values are written from AWS's
 * documentation (namespaces, metric names, dimensions) and from docs/observability.md's table.
 */
import { strict as assert } from "assert";
import { build, buildCluster, BASE_ARGS, nodePayload, of, one, userDataText } from "./harness";
import { Cache } from "../../lib/aws/cache";
import { alarmSpecs } from "../../lib/aws/monitoring";
import { observability } from "../../lib/settings/cluster";
import { defaultsOf } from "../../lib/settings/schema";
import { checkAwsLimits, formatViolation } from "../../lib/model/awsLimits";
import { valueOf, type MockRuntime, type RecordedResource } from "../../lib/plan/mockRuntime";
import { accessLogBucketPolicy } from "../../lib/aws/albLogs";
import { databaseAlarmDefaults, rdsClassMemoryGiB } from "../../lib/settings/presets";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

function alarm(rt: MockRuntime, id: string): RecordedResource {
    const found = of(rt, ALARM).filter((a) => a.name === `matomo-${id}`);
    assert.equal(
        found.length,
        1,
        `alarm ${id}: ${of(rt, ALARM)
            .map((a) => a.name)
            .join(", ")}`,
    );
    return found[0];
}

/** [namespace, metricName, dims] of every metric an alarm reads (its own, or its math's). */
function alarmMetrics(a: RecordedResource): string[] {
    const i = a.inputs as {
        namespace?: string;
        metricName?: string;
        dimensions?: Record<string, string>;
        metricQueries?: { metric?: { namespace: string; metricName: string; dimensions?: Record<string, string> } }[];
    };
    const key = (ns: string, name: string, dims: Record<string, string> = {}) => JSON.stringify([ns, name, Object.entries(dims).sort()]);
    if (i.metricName !== undefined) return [key(i.namespace!, i.metricName, i.dimensions)];
    return (i.metricQueries ?? []).filter((q) => q.metric).map((q) => key(q.metric!.namespace, q.metric!.metricName, q.metric!.dimensions));
}

describe("observability (default: on)", () => {
    let rt: MockRuntime;
    before(async () => {
        // Without QueuedTracking (no Redis or queue alarms here); a cluster with it is planned below.
        rt = (await buildCluster({ ...BASE_ARGS, database: { readReplica: true }, observability: { alarmEmail: "oncall@example.com" } })).rt;
    });

    it("creates one log group per node log, 30 days' retention, named under /matomo/<cluster>/", () => {
        const groups = of(rt, LOG_GROUP);
        const names = groups.map((g) => String(g.inputs.name).split("/").pop()).sort();
        assert.deepEqual(names, ["archiving", "matomo", "nginx-access", "nginx-error", "php-fpm", "provisioning"]);
        for (const g of groups) {
            assert.match(String(g.inputs.name), /^\/matomo\/matomo-logs-[0-9a-f]{6}\/[a-z-]+$/);
            assert.equal(g.inputs.retentionInDays, 30);
            assert.equal(g.parent, "matomo", "a child of the cluster");
        }
    });

    it("counts provisioning errors with a metric filter on the provisioning log group", () => {
        const filter = one(rt, "aws:cloudwatch/logMetricFilter:LogMetricFilter").inputs as {
            logGroupName: string;
            pattern: string;
            metricTransformation: { name: string; value: string; namespace: string };
        };
        const provisioning = of(rt, LOG_GROUP).find((g) => String(g.inputs.name).endsWith("/provisioning"))!;
        assert.equal(filter.logGroupName, provisioning.inputs.name);
        // common.sh's die(): "<time> matomo-provision[<role>]: ERROR: <reason>".
        assert.equal(filter.pattern, '"matomo-provision[" "]: ERROR: "');
        assert.deepEqual([filter.metricTransformation.name, filter.metricTransformation.value], ["ProvisioningFailures", "1"]);
        const a = alarm(rt, "provisioning-failures").inputs;
        assert.equal(a.namespace, filter.metricTransformation.namespace);
        assert.equal(a.threshold, 1);
    });

    it("alarms on what an operator needs, with the documented thresholds, to the created topic (e-mail subscribed)", () => {
        const topic = one(rt, "aws:sns/topic:Topic");
        const subscription = one(rt, "aws:sns/topicSubscription:TopicSubscription").inputs;
        assert.deepEqual([subscription.protocol, subscription.endpoint], ["email", "oncall@example.com"]);
        const topicArn = String(topic.state.arn);
        // [id, metric, statistic, comparison, threshold, period, evaluations, missing data] — docs/observability.md.
        const expected: [string, string, string, string, number, number, number, string][] = [
            ["tracker-unhealthy-hosts", "UnHealthyHostCount", "Maximum", "GreaterThanOrEqualToThreshold", 1, 60, 3, "notBreaching"],
            ["ui-unhealthy-hosts", "UnHealthyHostCount", "Maximum", "GreaterThanOrEqualToThreshold", 1, 60, 3, "notBreaching"],
            ["tracker-response-time", "TargetResponseTime", "p95", "GreaterThanThreshold", 1, 300, 3, "notBreaching"],
            ["ui-response-time", "TargetResponseTime", "p95", "GreaterThanThreshold", 10, 300, 3, "notBreaching"],
            ["db-cpu", "CPUUtilization", "Average", "GreaterThanThreshold", 80, 300, 3, "breaching"],
            ["db-free-storage", "FreeStorageSpace", "Minimum", "LessThanThreshold", 10 * 1024 ** 3, 300, 1, "breaching"],
            ["db-freeable-memory", "FreeableMemory", "Minimum", "LessThanThreshold", 512 * 1024 ** 2, 300, 3, "breaching"],
            ["db-connections", "DatabaseConnections", "Maximum", "GreaterThanThreshold", 1000, 300, 2, "breaching"],
            ["db-replica-lag", "ReplicaLag", "Maximum", "GreaterThanThreshold", 300, 300, 2, "breaching"],
            ["archiving-heartbeat", "ArchivingSucceeded", "Sum", "LessThanThreshold", 1, 3600, 3, "breaching"],
            ["database-unreachable", "DatabaseReachable", "Minimum", "LessThanThreshold", 1, 60, 3, "breaching"],
        ];
        for (const [id, metric, stat, comparison, threshold, period, evaluations, missing] of expected) {
            const a = alarm(rt, id).inputs;
            assert.equal(a.metricName, metric, id);
            assert.equal(a.statistic ?? a.extendedStatistic, stat, id);
            assert.deepEqual(
                [a.comparisonOperator, a.threshold, a.period, a.evaluationPeriods, a.treatMissingData],
                [comparison, threshold, period, evaluations, missing],
                id,
            );
            assert.deepEqual(a.alarmActions, [topicArn], id);
        }
        const rate = alarm(rt, "alb-5xx-rate").inputs as {
            threshold: number;
            metricQueries: { id: string; expression?: string; metric?: { metricName: string; period: number } }[];
        };
        assert.equal(rate.threshold, 5);
        assert.deepEqual(
            rate.metricQueries.filter((q) => q.metric).map((q) => q.metric!.metricName),
            ["HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count", "RequestCount"],
        );
        assert.match(rate.metricQueries[0].expression!, /^100 \* \(FILL\(m1, 0\) \+ FILL\(m2, 0\)\) \/ m3$/);
    });

    it("alarms name their resources by CloudWatch's dimensions: target group and load balancer ARN suffixes, DB identifiers, cache cluster ids", () => {
        const lb = one(rt, "aws:lb/loadBalancer:LoadBalancer").state.arnSuffix;
        const trackerTg = of(rt, "aws:lb/targetGroup:TargetGroup").find((t) => t.name === "matomo-lb-tracker")!.state.arnSuffix;
        assert.deepEqual(alarm(rt, "tracker-unhealthy-hosts").inputs.dimensions, { TargetGroup: trackerTg, LoadBalancer: lb });
        const [master, replica] = of(rt, "aws:rds/instance:Instance");
        assert.deepEqual(alarm(rt, "db-cpu").inputs.dimensions, { DBInstanceIdentifier: master.inputs.identifier });
        assert.deepEqual(alarm(rt, "db-replica-lag").inputs.dimensions, { DBInstanceIdentifier: replica.inputs.identifier });
        // The Cluster dimension is the cluster's name made unique per stack: the dashboard's name, and what the ui's metrics.env says.
        const cluster = String(one(rt, "aws:cloudwatch/dashboard:Dashboard").inputs.dashboardName);
        assert.match(cluster, /^matomo-matomo-[0-9a-f]{6}$/);
        assert.deepEqual(alarm(rt, "archiving-heartbeat").inputs.dimensions, { Cluster: cluster });
        assert.equal(of(rt, ALARM).filter((a) => /redis|queue/.test(a.name)).length, 0, "no Redis or queue alarms without QueuedTracking");
        // What the ui publishes under is what the alarms watch: its metrics.env (in its provisioning bundle) names the same Cluster and the region.
        const env = nodePayload(rt, "ui", "metrics.env")!;
        assert.match(env, new RegExp(`^MATOMO_METRICS_CLUSTER='${cluster}'$`, "m"));
        assert.match(env, /^MATOMO_METRICS_NAMESPACE='Matomo'$/m);
        assert.match(env, /^MATOMO_AWS_REGION='eu-west-1'$/m);
        // The agent's configuration, also in the bundle, names the log groups the library created.
        const groups = of(rt, LOG_GROUP)
            .map((g) => String(g.inputs.name))
            .sort();
        const agent = JSON.parse(nodePayload(rt, "ui", "cloudwatch-agent.json")!) as {
            logs: { logs_collected: { files: { collect_list: { log_group_name: string }[] } } };
        };
        assert.deepEqual(agent.logs.logs_collected.files.collect_list.map((f) => f.log_group_name).sort(), groups);
    });

    it("builds the dashboard from the alarm list: valid JSON, one widget per alarm, every widget metric one an alarm reads", () => {
        const body = JSON.parse(String(one(rt, "aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody)) as {
            widgets: { properties: { title: string; metrics: unknown[][] } }[];
        };
        const alarms = of(rt, ALARM);
        assert.equal(body.widgets.length, alarms.length);
        const watched = new Set(alarms.flatMap(alarmMetrics));
        for (const w of body.widgets) {
            for (const m of w.properties.metrics) {
                if (typeof m[0] !== "string") continue; // the math expression row
                const options = m[m.length - 1] as object;
                const dims = m.slice(2, -1) as string[];
                const pairs: [string, string][] = [];
                for (let i = 0; i < dims.length; i += 2) pairs.push([dims[i], dims[i + 1]]);
                assert.ok(typeof options === "object");
                assert.ok(watched.has(JSON.stringify([m[0], m[1], pairs.sort()])), `${w.properties.title}: ${JSON.stringify(m)} is no alarm's metric`);
            }
        }
    });

    it("lets only the ui nodes publish metrics, in the Matomo namespace only, and each role write streams only in its log groups", () => {
        const policies = of(rt, "aws:iam/rolePolicy:RolePolicy").filter((p) => p.name.endsWith("-observability"));
        assert.deepEqual(policies.map((p) => p.name).sort(), ["matomo-tracker-observability", "matomo-ui-observability"]);
        const groups = new Map(of(rt, LOG_GROUP).map((g) => [String(g.inputs.name).split("/").pop(), String(g.state.arn)]));
        for (const p of policies) {
            const doc = JSON.parse(String(p.inputs.policy)) as {
                Statement: { Sid: string; Action: string[]; Resource: string | string[]; Condition?: unknown }[];
            };
            const logs = doc.Statement.find((s) => s.Sid === "ShipLogs")!;
            assert.deepEqual(logs.Action, ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]);
            const sources = p.name.startsWith("matomo-ui")
                ? ["archiving", "matomo", "nginx-access", "nginx-error", "php-fpm", "provisioning"]
                : ["matomo", "nginx-access", "nginx-error", "php-fpm", "provisioning"];
            assert.deepEqual([...logs.Resource].sort(), sources.flatMap((s) => [groups.get(s)!, `${groups.get(s)!}:log-stream:*`]).sort());
            const metrics = doc.Statement.find((s) => s.Sid === "PublishMetrics");
            if (p.name.startsWith("matomo-ui")) assert.deepEqual(metrics?.Condition, { StringEquals: { "cloudwatch:namespace": "Matomo" } });
            else assert.equal(metrics, undefined, "trackers publish no metrics");
        }
    });

    it("every planned value passes the AWS limits (alarm periods and ranges, log group names and retention, bucket prefix, dashboard body)", () => {
        const violations = checkAwsLimits(rt.resources);
        assert.deepEqual(violations.map(formatViolation), []);
    });
});

describe("database alarms follow the database class (presets)", () => {
    it("reads an m or r class's memory from its name, as AWS's class table gives it; other families are not guessed", () => {
        // AWS's hardware specifications: db.m7g.large 2 vCPU/8 GiB, db.m7g.xlarge 4/16, db.r7g.2xlarge 8/64, db.m5.24xlarge 96/384, db.r6g.16xlarge 64/512.
        const expected: [string, number | undefined][] = [
            ["db.m7g.large", 8],
            ["db.m7g.xlarge", 16],
            ["db.r7g.2xlarge", 64],
            ["db.m5.24xlarge", 384],
            ["db.r6g.16xlarge", 512],
            ["db.m6gd.xlarge", 16],
            ["db.t4g.medium", undefined],
            ["db.x2g.large", undefined],
        ];
        for (const [c, gib] of expected) assert.equal(rdsClassMemoryGiB(c), gib, c);
        assert.deepEqual(databaseAlarmDefaults("db.t4g.medium"), { databaseConnections: 1000, databaseFreeableMemoryMiB: 512 });
    });

    it("each preset's plan alarms at 1,000 connections and 512 MiB free per 16 GiB of its class; an explicit threshold wins", async () => {
        const thresholds = async (args: Parameters<typeof buildCluster>[0]) => {
            const rt = (await buildCluster(args)).rt;
            return [alarm(rt, "db-connections").inputs.threshold, alarm(rt, "db-freeable-memory").inputs.threshold];
        };
        const QT = { pluginSha256: "c".repeat(64) };
        // small: db.m7g.large (8 GiB); reference: db.m7g.xlarge (16 GiB); large: db.r7g.2xlarge (64 GiB).
        assert.deepEqual(await thresholds({ ...BASE_ARGS, preset: "small" }), [500, 256 * 1024 ** 2]);
        assert.deepEqual(await thresholds({ ...BASE_ARGS, preset: "reference" }), [1000, 512 * 1024 ** 2]);
        assert.deepEqual(await thresholds({ ...BASE_ARGS, preset: "large", queuedTracking: QT }), [4000, 2048 * 1024 ** 2]);
        // The class given explicitly, not the preset's, sets them; an explicit threshold beats both.
        assert.deepEqual(await thresholds({ ...BASE_ARGS, preset: "large", queuedTracking: QT, database: { instanceClass: "db.r7g.xlarge" } }), [
            2000,
            1024 * 1024 ** 2,
        ]);
        assert.deepEqual(
            await thresholds({ ...BASE_ARGS, preset: "small", observability: { thresholds: { databaseConnections: 150, databaseFreeableMemoryMiB: 100 } } }),
            [150, 100 * 1024 ** 2],
        );
    });
});

describe("alarms with QueuedTracking (the alarm list)", () => {
    const specs = alarmSpecs(
        {
            cluster: "c",
            loadBalancer: "app/lb/1",
            targetGroups: { tracker: "targetgroup/t/1", ui: "targetgroup/u/1" },
            redisClusters: ["rg-001", "rg-002"],
            queues: 2,
        },
        defaultsOf(observability),
    );
    const spec = (id: string) => specs.find((s) => s.id === id)!;

    it("watches each Redis node's memory and evictions, and each queue's backlog, with the documented thresholds", () => {
        // [id, metric, dimensions, statistic, comparison, threshold, period, evaluations, missing data] — docs/observability.md.
        const expected: [string, string, Record<string, string>, string, string, number, number, number, string][] = [
            ["redis-1-memory", "DatabaseMemoryUsagePercentage", { CacheClusterId: "rg-001" }, "Maximum", "GreaterThanThreshold", 80, 300, 2, "breaching"],
            ["redis-2-evictions", "Evictions", { CacheClusterId: "rg-002" }, "Sum", "GreaterThanOrEqualToThreshold", 1, 300, 1, "notBreaching"],
            ["queue-0-backlog", "QueueBacklog", { Cluster: "c", Queue: "0" }, "Minimum", "GreaterThanThreshold", 10000, 60, 10, "breaching"],
            ["queue-1-backlog", "QueueBacklog", { Cluster: "c", Queue: "1" }, "Minimum", "GreaterThanThreshold", 10000, 60, 10, "breaching"],
        ];
        for (const [id, metric, dims, stat, comparison, threshold, period, evaluations, missing] of expected) {
            const s = spec(id);
            assert.deepEqual([s.metrics[0].metricName, s.metrics[0].dimensions, s.metrics[0].stat], [metric, dims, stat], id);
            assert.deepEqual(
                [s.comparison, s.threshold, s.period, s.evaluationPeriods, s.treatMissingData],
                [comparison, threshold, period, evaluations, missing],
                id,
            );
        }
    });

    it("a cluster with QueuedTracking plans them against its own Redis members and queues, to the same topic, on the dashboard", async () => {
        // With the provisioning bundle the ui's user data fits beside QueuedTracking (it used to pass 16 KB).
        const rt = (await buildCluster({ ...BASE_ARGS, queuedTracking: { enabled: true, pluginSha256: "c".repeat(64), numQueueWorkers: 2 } })).rt;
        const group = String(one(rt, "aws:elasticache/replicationGroup:ReplicationGroup").inputs.replicationGroupId);
        const cluster = String(one(rt, "aws:cloudwatch/dashboard:Dashboard").inputs.dashboardName);
        assert.deepEqual(alarm(rt, "redis-1-memory").inputs.dimensions, { CacheClusterId: `${group}-001` });
        assert.deepEqual(alarm(rt, "redis-2-evictions").inputs.dimensions, { CacheClusterId: `${group}-002` });
        assert.deepEqual(alarm(rt, "queue-1-backlog").inputs.dimensions, { Cluster: cluster, Queue: "1" });
        assert.equal(of(rt, ALARM).filter((a) => /queue-\d+-backlog$/.test(a.name)).length, 2);
        const topicArn = String(one(rt, "aws:sns/topic:Topic").state.arn);
        for (const a of of(rt, ALARM)) assert.deepEqual(a.inputs.alarmActions, [topicArn], a.name);
        const body = JSON.parse(String(one(rt, "aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody)) as { widgets: unknown[] };
        assert.equal(body.widgets.length, of(rt, ALARM).length);
        // The ui publishes the backlog: its cron runs the backlog job, its bundle carries the reader.
        assert.match(nodePayload(rt, "ui", "cron")!, /^\* \* \* \* \* www-data \/usr\/local\/lib\/matomo-provision\/matomo-metric\.sh queue-backlog /m);
        assert.doesNotMatch(nodePayload(rt, "tracker", "cron")!, /matomo-metric/);
        assert.deepEqual(checkAwsLimits(rt.resources).map(formatViolation), []);
    });

    it("ElastiCache names a replication group's members <group id>-001, -002: the Cache component's ids for the alarms", async () => {
        const built = await build(
            () => new Cache("q", { vpcId: "vpc-0a1b2c3d4e5f60718", subnetIds: ["subnet-0a1b2c3d4e5f60718", "subnet-0a1b2c3d4e5f60719"] }),
        );
        const group = String(one(built.rt, "aws:elasticache/replicationGroup:ReplicationGroup").inputs.replicationGroupId);
        assert.deepEqual(built.value.memberClusterIds, [`${group}-001`, `${group}-002`]);
    });
});

describe("AWS Foundational Security Best Practices settings (docs/observability.md)", () => {
    let rt: MockRuntime;
    before(async () => {
        rt = (await buildCluster()).rt;
    });

    it("ELB.5/ELB.6: the load balancer logs to a bucket the library creates, and is deletion-protected", async () => {
        const lb = one(rt, "aws:lb/loadBalancer:LoadBalancer").inputs as {
            enableDeletionProtection: boolean;
            accessLogs: { enabled: boolean; bucket: string };
        };
        assert.equal(lb.enableDeletionProtection, true);
        // The cluster's other bucket holds the provisioning bundles (provisioningBucket.test.ts).
        const bucket = of(rt, "aws:s3/bucket:Bucket").find((b) => b.name === "matomo-alb-logs")!;
        const ofBucket = (type: string) => of(rt, type).find((r) => r.name === "matomo-alb-logs")!;
        assert.deepEqual([lb.accessLogs.enabled, lb.accessLogs.bucket], [true, bucket.state.bucket]);
        assert.match(String(bucket.inputs.bucketPrefix), /^[a-z0-9][a-z0-9.-]*$/);
        assert.ok(String(bucket.inputs.bucketPrefix).length <= 37);
        const block = ofBucket("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs;
        assert.deepEqual([block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets], [true, true, true, true]);
        // ELB writes access logs only to SSE-S3 buckets ("The only server-side encryption option that's supported is SSE-S3").
        const sse = ofBucket("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs as {
            rules: { applyServerSideEncryptionByDefault: { sseAlgorithm: string } }[];
        };
        assert.equal(sse.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm, "AES256");
        const lifecycle = ofBucket("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs as {
            rules: { status: string; expiration: { days: number } }[];
        };
        assert.deepEqual([lifecycle.rules[0].status, lifecycle.rules[0].expiration.days], ["Enabled", 90]);
        // eu-west-1 is older than August 2022: ELB's account there is 156460612806 (AWS's table).
        const policy = JSON.parse(String(ofBucket("aws:s3/bucketPolicy:BucketPolicy").inputs.policy)) as {
            Statement: { Sid: string; Principal: unknown; Resource: unknown }[];
        };
        const write = policy.Statement.find((s) => s.Sid === "ElbLogDelivery")!;
        assert.deepEqual(write.Principal, { AWS: "arn:aws:iam::156460612806:root" });
        assert.equal(write.Resource, `${String(bucket.state.arn)}/AWSLogs/123456789012/*`);
        assert.ok(policy.Statement.some((s) => s.Sid === "DenyInsecureTransport"));
    });

    it("a region opened since August 2022 gets the log delivery service principal instead of an account", () => {
        const doc = JSON.parse(accessLogBucketPolicy("arn:aws:s3:::b", "eu-central-2", "123456789012")) as { Statement: { Principal: unknown }[] };
        assert.deepEqual(doc.Statement[0].Principal, { Service: "logdelivery.elasticloadbalancing.amazonaws.com" });
    });

    it("RDS.9/RDS.6: the database exports its error and slow query logs and has enhanced monitoring through AWS's managed role", () => {
        const db = one(rt, "aws:rds/instance:Instance").inputs;
        assert.deepEqual(db.enabledCloudwatchLogsExports, ["error", "slowquery"]);
        assert.equal(db.monitoringInterval, 60);
        const role = of(rt, "aws:iam/role:Role").find((r) => r.name === "matomo-database-monitoring")!;
        assert.equal(db.monitoringRoleArn, role.state.arn);
        // Attached by its own resource: the provider deprecates the role's `managedPolicyArns` (exclusive attachments).
        assert.equal(role.inputs.managedPolicyArns, undefined);
        const attachments = of(rt, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs.role === role.state.name);
        assert.deepEqual(
            attachments.map((a) => a.inputs.policyArn),
            ["arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"],
        );
        assert.match(String(role.inputs.assumeRolePolicy), /"Service":"monitoring\.rds\.amazonaws\.com"/);
        // The slow query log reaches CloudWatch only when it is on and written to a file.
        const params = new Map(
            (one(rt, "aws:rds/parameterGroup:ParameterGroup").inputs.parameters as { name: string; value: string }[]).map((p) => [p.name, p.value]),
        );
        assert.deepEqual([params.get("slow_query_log"), params.get("log_output")], ["1", "FILE"]);
    });

    it("ElastiCache.3: Redis, which holds the queued hits, has a replica in another zone and fails over automatically", async () => {
        const built = await build(
            () => new Cache("q", { vpcId: "vpc-0a1b2c3d4e5f60718", subnetIds: ["subnet-0a1b2c3d4e5f60718", "subnet-0a1b2c3d4e5f60719"] }),
        );
        const rg = one(built.rt, "aws:elasticache/replicationGroup:ReplicationGroup").inputs;
        assert.deepEqual([rg.numCacheClusters, rg.automaticFailoverEnabled, rg.multiAzEnabled], [2, true, true]);
    });

    it("turning observability off leaves no log group, alarm, topic or dashboard, and no agent in user data; the FSBP settings stay", async () => {
        const off = (await buildCluster({ ...BASE_ARGS, observability: { enabled: false, createAccessLogBucket: false } })).rt;
        for (const type of [LOG_GROUP, ALARM, "aws:sns/topic:Topic", "aws:cloudwatch/dashboard:Dashboard"]) assert.equal(of(off, type).length, 0, type);
        // The one bucket left holds the provisioning bundles; no access log bucket.
        assert.deepEqual(
            of(off, "aws:s3/bucket:Bucket").map((b) => b.name),
            ["matomo-provisioning-bucket"],
        );
        assert.equal(one(off, "aws:lb/loadBalancer:LoadBalancer").inputs.enableDeletionProtection, true);
        for (const role of ["tracker", "ui"]) {
            assert.equal(nodePayload(off, role, "cloudwatch-agent.json"), undefined, role);
            assert.equal(nodePayload(off, role, "metrics.env"), undefined, role);
            assert.match(userDataText(off, role), /^ *MATOMO_CLOUDWATCH='0'$/m);
        }
        assert.equal(of(off, "aws:iam/rolePolicy:RolePolicy").filter((p) => p.name.endsWith("-observability")).length, 0);
    });

    it("uses the topic you give instead of creating one", async () => {
        const arn = "arn:aws:sns:eu-west-1:123456789012:ops-pager";
        const mine = (await buildCluster({ ...BASE_ARGS, observability: { alarmTopicArn: arn } })).rt;
        assert.equal(of(mine, "aws:sns/topic:Topic").length, 0);
        for (const a of of(mine, ALARM)) assert.deepEqual(a.inputs.alarmActions, [arn]);
        assert.equal(await valueOf(Promise.resolve(arn)), arn);
    });
});
