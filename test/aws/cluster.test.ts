import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { buildCluster, BASE_ARGS, of, one, idOf } from "./harness";
import { installMockRuntime, settle, redactSecrets, valueOf, type MockRuntime, type RecordedResource } from "../../lib/plan/mockRuntime";
import { MatomoCluster, type MatomoClusterComponentArgs } from "../../lib/aws/cluster";
import { InvalidArgumentError } from "../../lib/settings";

const snapshot = (rt: MockRuntime) =>
    JSON.stringify(rt.resources.map((r) => ({ type: r.type, name: r.name, parent: r.parent, inputs: redactSecrets(r.inputs) })));
const inputsOf = (rt: MockRuntime, type: string) => of(rt, type).map((r) => JSON.stringify({ name: r.name, inputs: redactSecrets(r.inputs) }));
const withoutTags = (r: RecordedResource) => JSON.stringify(redactSecrets({ ...r.inputs, tags: undefined }));

describe("MatomoCluster", () => {
    let rt: MockRuntime;
    before(async () => {
        rt = (await buildCluster()).rt;
    });

    it("builds the same inputs on every run (no perpetual diff)", async () => {
        const again = (await buildCluster()).rt;
        assert.ok(rt.resources.length > 50);
        assert.equal(snapshot(again), snapshot(rt));
    });

    it("does not touch the database or the load balancer when the tracker count or a tag changes", async () => {
        const more = (await buildCluster({ ...BASE_ARGS, trackers: { minSize: 4, maxSize: 8 } })).rt;
        for (const type of [
            "aws:rds/instance:Instance",
            "aws:lb/loadBalancer:LoadBalancer",
            "aws:lb/targetGroup:TargetGroup",
            "aws:rds/parameterGroup:ParameterGroup",
        ]) {
            assert.deepEqual(inputsOf(more, type), inputsOf(rt, type), type);
        }
        assert.equal(of(more, "aws:autoscaling/group:Group").find((g) => g.parent === "matomo-tracker")!.inputs.minSize, 4);

        const tagged = (await buildCluster({ ...BASE_ARGS, tags: { team: "analytics" } })).rt;
        for (const type of ["aws:rds/instance:Instance", "aws:lb/loadBalancer:LoadBalancer"]) {
            assert.equal(withoutTags(one(tagged, type)), withoutTags(one(rt, type)), type);
            assert.equal((one(tagged, type).inputs.tags as Record<string, string>).team, "analytics");
        }
        for (const lt of of(tagged, "aws:ec2/launchTemplate:LaunchTemplate")) {
            const before = of(rt, "aws:ec2/launchTemplate:LaunchTemplate").find((l) => l.name === lt.name)!;
            assert.equal(lt.inputs.userData, before.inputs.userData, "a tag does not change user data");
            assert.deepEqual(lt.inputs.tagSpecifications, before.inputs.tagSpecifications, "nor the instance template, so no roll");
        }
    });

    it("is a tree of matomo:aws components with every resource under the cluster", () => {
        const components = rt.resources.filter((r) => !r.custom);
        assert.deepEqual(components.map((c) => c.type).sort(), [
            "matomo:aws:Database",
            "matomo:aws:DebianImage",
            "matomo:aws:LoadBalancer",
            "matomo:aws:MatomoCluster",
            "matomo:aws:Network",
            "matomo:aws:NodeGroup",
            "matomo:aws:NodeGroup",
            "matomo:aws:ProvisioningBucket",
            "matomo:aws:Secrets",
        ]);
        const names = new Set(rt.resources.map((r) => r.name));
        for (const r of rt.resources) {
            if (r.type === "matomo:aws:MatomoCluster") continue;
            assert.ok(r.parent !== undefined && names.has(r.parent), `${r.name} has a parent in the tree`);
        }
    });

    it("creates its own VPC across two zones with a NAT gateway per zone, or one when asked", async () => {
        assert.equal(of(rt, "aws:ec2/vpc:Vpc").length, 1);
        const zones = new Set(of(rt, "aws:ec2/subnet:Subnet").map((s) => s.inputs.availabilityZone));
        assert.equal(zones.size, 2);
        assert.equal(of(rt, "aws:ec2/natGateway:NatGateway").length, 2);
        const single = (await buildCluster({ ...BASE_ARGS, network: { natGateways: "single", availabilityZoneCount: 3 } })).rt;
        assert.equal(of(single, "aws:ec2/natGateway:NatGateway").length, 1);
        assert.equal(of(single, "aws:ec2/subnet:Subnet").length, 6);
        const routes = of(single, "aws:ec2/routeTable:RouteTable").filter((t) => t.name.includes("private"));
        const nat = idOf(one(single, "aws:ec2/natGateway:NatGateway"));
        assert.ok(routes.length === 3 && routes.every((t) => (t.inputs.routes as { natGatewayId: string }[])[0].natGatewayId === nat));
    });

    it("uses a given VPC and subnets and creates no network of its own", async () => {
        const network = {
            vpcId: "vpc-0a1b2c3d4e5f60718",
            publicSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"],
            privateSubnetIds: ["subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2"],
        };
        const byo = (await buildCluster({ ...BASE_ARGS, network: { existing: network } })).rt;
        for (const type of [
            "aws:ec2/vpc:Vpc",
            "aws:ec2/subnet:Subnet",
            "aws:ec2/natGateway:NatGateway",
            "aws:ec2/internetGateway:InternetGateway",
            "aws:ec2/eip:Eip",
        ]) {
            assert.equal(of(byo, type).length, 0, type);
        }
        assert.deepEqual(one(byo, "aws:lb/loadBalancer:LoadBalancer").inputs.subnets, network.publicSubnetIds);
        assert.deepEqual(one(byo, "aws:rds/subnetGroup:SubnetGroup").inputs.subnetIds, network.privateSubnetIds);
        for (const asg of of(byo, "aws:autoscaling/group:Group")) assert.deepEqual(asg.inputs.vpcZoneIdentifiers, network.privateSubnetIds);
        for (const sg of of(byo, "aws:ec2/securityGroup:SecurityGroup")) assert.equal(sg.inputs.vpcId, network.vpcId);
        for (const tg of of(byo, "aws:lb/targetGroup:TargetGroup")) assert.equal(tg.inputs.vpcId, network.vpcId);
    });

    it("adds an encrypted, private Redis with QueuedTracking", async () => {
        const queued = (await buildCluster({ ...BASE_ARGS, queuedTracking: { enabled: true, pluginSha256: "c".repeat(64) } })).rt;
        const redis = one(queued, "aws:elasticache/replicationGroup:ReplicationGroup").inputs;
        assert.equal(redis.atRestEncryptionEnabled, true);
        assert.equal(redis.transitEncryptionEnabled, true);
        const id = String(redis.replicationGroupId);
        assert.ok(id.length <= 40 && /^[a-z][a-z0-9-]*$/.test(id) && !id.includes("--") && !id.endsWith("-"), id);
        assert.equal(of(rt, "aws:elasticache/replicationGroup:ReplicationGroup").length, 0, "no Redis without QueuedTracking");
    });

    it("with QueuedTracking, writes the cache's endpoint into the one config every node runs, and keeps trackers sticky", async () => {
        const built = await buildCluster({ ...BASE_ARGS, queuedTracking: { enabled: true, pluginSha256: "c".repeat(64), numQueueWorkers: 2 } });
        const endpoint = await valueOf(built.value.cache!.host);
        // The mock runtime names a replication group's primary endpoint master.<id>.<6 hex>.euw1.cache.amazonaws.com.
        assert.match(endpoint, /^master\.[a-z0-9-]+\.[0-9a-f]{6}\.euw1\.cache\.amazonaws\.com$/);
        const text = built.outputs.configIniPhp;
        const section = text.slice(text.indexOf("[QueuedTracking]")).split("\n\n")[0].trimEnd();
        assert.equal(
            section,
            [
                "[QueuedTracking]",
                'backend = "redis"',
                "useWhatRedisBackendType = 1",
                // TLS (phpredis's tls:// host) and the AUTH token, filled at boot (test/aws/cache.test.ts).
                `redisHost = "tls://${endpoint}"`,
                "redisPort = 6379",
                'redisPassword = "{{secret:redis_password}}"',
                "redisDatabase = 0",
                "queueEnabled = 1",
                "processDuringTrackingRequest = 0",
                "numQueueWorkers = 2",
                "numRequestsToProcess = 25",
            ].join("\n"),
        );
        // Both launch templates carry that config's hash, which differs from the cluster without the queue.
        for (const lt of of(built.rt, "aws:ec2/launchTemplate:LaunchTemplate")) {
            assert.ok(JSON.stringify(lt.inputs.tagSpecifications).includes(built.outputs.configSha256), lt.name);
        }
        assert.notEqual(built.outputs.configSha256, (await buildCluster()).outputs.configSha256);
        const tracker = of(built.rt, "aws:lb/targetGroup:TargetGroup").find((t) => t.name.includes("tracker"))!;
        assert.equal((tracker.inputs.stickiness as { enabled: boolean }).enabled, true);
    });

    it("rolls the trackers after the ui: the tracker group waits for the ui group's update, and its grace period covers a new tracker's wait for core:update", async () => {
        const group = (role: string) =>
            of(rt, "aws:autoscaling/group:Group").find((g) =>
                (g.inputs.tags as { key: string; value: string }[]).some((t) => t.key === "matomo:role" && t.value === role),
            )!;
        const [tracker, ui] = [group("tracker"), group("ui")];
        assert.ok(tracker.dependencies?.includes(ui.name), `tracker group depends on ${JSON.stringify(tracker.dependencies)}`);
        assert.ok(!ui.dependencies?.includes(tracker.name));
        // A new tracker waits up to 30 minutes (INSTALL_WAIT_SECONDS) for the database to report its
        // release, after about 3 minutes of its own first boot: the group must not count it unhealthy before.
        assert.ok(Number(tracker.inputs.healthCheckGracePeriod) >= 1800 + 180, String(tracker.inputs.healthCheckGracePeriod));
        assert.equal(ui.inputs.healthCheckGracePeriod, 900);
        // A scale-out's tracker never waits for an update: its warm-up stays the first boot's.
        assert.equal(one(rt, "aws:autoscaling/policy:Policy").inputs.estimatedInstanceWarmup, 900);
        // A user's own override options still reach the group, and the order stays.
        const overridden = (
            await buildCluster({ ...BASE_ARGS, overrides: { trackers: { autoScalingGroup: { opts: { retainOnDelete: true } } } } } as typeof BASE_ARGS)
        ).rt;
        const again = of(overridden, "aws:autoscaling/group:Group").find((g) => g.name === tracker.name)!;
        assert.ok(again.dependencies?.includes(ui.name));
    });

    it("refuses ElastiCache transit encryption 'preferred' with QueuedTracking, and a missing plugin checksum, before any resource", () => {
        const fresh = installMockRuntime();
        assert.throws(
            () =>
                new MatomoCluster("bad", {
                    ...BASE_ARGS,
                    queuedTracking: { enabled: true, pluginSha256: "c".repeat(64) },
                    overrides: { cache: { transitEncryption: "preferred" } },
                }),
            /overrides\.cache\.transitEncryption.*plain connections/,
        );
        assert.throws(() => new MatomoCluster("bad", { ...BASE_ARGS, queuedTracking: { enabled: true } }), /queuedTracking\.pluginSha256.*sha256sum/);
        assert.equal(fresh.resources.length, 0);
    });

    it("refuses, before creating any resource, an extraConfig that would push a node's user data over EC2's 16 KB", () => {
        const fresh = installMockRuntime();
        // Text that compresses badly: 1000 values of 64 characters from a fixed pseudo-random sequence
        // (300 sufficed while the scripts still travelled in user data; 800 reach 16.5 KB by the budget).
        let seed = 7;
        const noise = () =>
            Array.from({ length: 64 }, () => "abcdefghijklmnopqrstuvwxyz0123456789"[(seed = (seed * 1103515245 + 12345) % 2147483648) % 36]).join("");
        const extras = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`custom_${i}`, noise()]));
        assert.throws(
            () => new MatomoCluster("big", { ...BASE_ARGS, extraConfig: { CustomSettings: extras } }),
            (e: unknown) =>
                e instanceof InvalidArgumentError &&
                e.argument === "extraConfig" &&
                /user data would reach \d+ bytes, over EC2's 16384/.test(e.message) &&
                !e.message.includes(extras.custom_0),
        );
        assert.equal(fresh.resources.length, 0);
    });

    it("refuses bad arguments before creating any resource", () => {
        const fresh = installMockRuntime();
        assert.throws(() => new MatomoCluster("bad", { ...BASE_ARGS, trackers: { minSize: 0 } }), InvalidArgumentError);
        assert.throws(
            () => new MatomoCluster("bad", { ...BASE_ARGS, instanceRefresh: { minHealthyPercentage: 50, maxHealthyPercentage: 200 } }),
            /at most 100 above/,
        );
        assert.throws(
            () => new MatomoCluster("bad", { ...BASE_ARGS, healthCheck: { intervalSeconds: 5, timeoutSeconds: 5 } } as never),
            /less than intervalSeconds/,
        );
        for (const amiGeneration of [0, 1.5, -1]) assert.throws(() => new MatomoCluster("bad", { ...BASE_ARGS, amiGeneration }), /'amiGeneration'/);
        assert.equal(fresh.resources.length, 0);
    });

    // The mock monitor refuses `transforms` (they need the CLI's callback server), so this observes
    // the options each child gets through the SDK-side `transformations`, which run the same way.
    it("passes provider, customTimeouts and ignoreChanges on to the children", async () => {
        const fresh = installMockRuntime();
        const seen = new Map<string, pulumi.ResourceOptions>();
        const provider = new aws.Provider("eu", { region: "eu-west-1" });
        const cluster = new MatomoCluster("matomo", BASE_ARGS, {
            providers: { aws: provider },
            customTimeouts: { create: "90m" },
            ignoreChanges: ["engineVersion"],
            transformations: [
                (args) => {
                    seen.set(args.name, args.opts);
                    return undefined;
                },
            ],
        });
        await valueOf(cluster.configSha256);
        await settle();
        const custom = fresh.resources.filter((r) => r.custom && r.type.startsWith("aws:") && r.type !== "pulumi:providers:aws");
        assert.ok(custom.length > 50);
        for (const r of custom) {
            assert.ok(seen.has(r.name), `transform saw ${r.name}`);
            assert.match(String(r.provider), /pulumi:providers:aws::eu::/, `${r.name} uses the given provider`);
        }
        for (const name of ["matomo-database-db", "matomo-lb-alb", "matomo-tracker-asg", "matomo-ui-asg"]) {
            assert.deepEqual(seen.get(name)!.customTimeouts, { create: "90m" }, name);
            // The tracker group also ignores its own desiredCapacity (its scaling policy owns it).
            assert.deepEqual(seen.get(name)!.ignoreChanges, name === "matomo-tracker-asg" ? ["engineVersion", "desiredCapacity"] : ["engineVersion"], name);
        }
    });

    it("merges per-child overrides over its own arguments", async () => {
        const built = await buildCluster({
            ...BASE_ARGS,
            overrides: {
                database: { instance: { args: { performanceInsightsEnabled: true, backupWindow: "01:00-02:00" } } },
                trackers: { launchTemplate: { args: { ebsOptimized: "true" } } },
            },
        });
        const db = one(built.rt, "aws:rds/instance:Instance").inputs;
        assert.equal(db.performanceInsightsEnabled, true);
        assert.equal(db.backupWindow, "01:00-02:00");
        assert.equal(db.deletionProtection, true, "ours stays where not overridden");
        const lts = of(built.rt, "aws:ec2/launchTemplate:LaunchTemplate");
        assert.equal(lts.find((l) => l.name === "matomo-tracker-lt")!.inputs.ebsOptimized, "true");
        assert.equal(lts.find((l) => l.name === "matomo-ui-lt")!.inputs.ebsOptimized, undefined);
    });

    it("admits more security groups to a new database through overrides.database.allowedSecurityGroupIds, as the argument table says", async () => {
        // Typed as users write it: the overrides type must accept what the schema and docs/aws.md accept.
        const args: MatomoClusterComponentArgs = { ...BASE_ARGS, overrides: { database: { allowedSecurityGroupIds: ["sg-0b1c2d3e4f5a60718"] } } };
        const built = await buildCluster(args);
        const dbSg = one(built.rt, "aws:rds/instance:Instance").inputs.vpcSecurityGroupIds as string[];
        const admitted = of(built.rt, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter(
            (r) => dbSg.includes(r.inputs.securityGroupId as string) && r.inputs.referencedSecurityGroupId === "sg-0b1c2d3e4f5a60718",
        );
        assert.equal(admitted.length, 1);
        assert.equal(admitted[0].inputs.fromPort, 3306);
        assert.equal(admitted[0].inputs.toPort, 3306);
    });

    it("outputs the URL and a placeholder config without secrets, and the filled config only as a secret", async () => {
        const built = await buildCluster();
        assert.equal(built.outputs.url, "https://analytics.example.com");
        assert.ok(built.outputs.configIniPhp.startsWith("; <?php exit; ?>"));
        assert.equal(await pulumi.isSecret(built.value.configIniPhpRendered), true);
        assert.equal(await pulumi.isSecret(built.value.configIniPhp), false);
        const salt = String(of(built.rt, "random:index/randomPassword:RandomPassword").find((p) => p.name === "matomo-secrets-salt")!.state.result);
        assert.ok(!built.outputs.configIniPhp.includes(salt));
        assert.ok((await valueOf(built.value.configIniPhpRendered)).includes(salt));
    });
});
