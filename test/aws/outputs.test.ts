/**
 * The outputs users look for on MatomoCluster, each checked against the resource it names.
 */
import { strict as assert } from "assert";
import { buildCluster, BASE_ARGS, of, one } from "./harness";
import { valueOf, type RecordedResource } from "../../lib/plan/mockRuntime";

const byRole = (resources: RecordedResource[], role: string) => resources.find((r) => r.parent === `matomo-${role}`)!;

describe("MatomoCluster outputs", () => {
    it("name the load balancer, its zone, target groups, groups, roles, database, Redis and NAT addresses they say", async () => {
        const { rt, value: c } = await buildCluster({ ...BASE_ARGS, queuedTracking: { enabled: true, pluginSha256: "c".repeat(64) } });
        const lb = one(rt, "aws:lb/loadBalancer:LoadBalancer");
        assert.equal(await valueOf(c.loadBalancerArn), lb.state.arn);
        assert.equal(await valueOf(c.loadBalancerZoneId), lb.state.zoneId);
        assert.match(String(lb.state.zoneId), /^Z[A-Z0-9]+$/);
        const tgs = of(rt, "aws:lb/targetGroup:TargetGroup");
        const tgArn = (role: string) => tgs.find((t) => (t.inputs.tags as Record<string, string>)["matomo:role"] === role)!.state.arn;
        assert.equal(await valueOf(c.trackerTargetGroupArn), tgArn("tracker"));
        assert.equal(await valueOf(c.uiTargetGroupArn), tgArn("ui"));
        assert.notEqual(tgArn("tracker"), tgArn("ui"));
        const asgs = of(rt, "aws:autoscaling/group:Group");
        assert.equal(await valueOf(c.trackerAutoScalingGroupName), byRole(asgs, "tracker").state.name);
        assert.equal(await valueOf(c.uiAutoScalingGroupName), byRole(asgs, "ui").state.name);
        const roles = of(rt, "aws:iam/role:Role");
        assert.equal(await valueOf(c.trackerInstanceRoleName), byRole(roles, "tracker").state.name);
        assert.equal(await valueOf(c.uiInstanceRoleName), byRole(roles, "ui").state.name);
        const rds = one(rt, "aws:rds/instance:Instance");
        assert.equal(await valueOf(c.databaseHost), rds.state.address);
        assert.equal(await valueOf(c.databasePort), 3306);
        const redis = one(rt, "aws:elasticache/replicationGroup:ReplicationGroup");
        assert.equal(await valueOf(c.redisHost!), redis.state.primaryEndpointAddress);
        assert.equal(await valueOf(c.redisPort!), 6379);
        const eips = of(rt, "aws:ec2/eip:Eip");
        assert.equal(eips.length, 2, "one NAT gateway per zone");
        assert.deepEqual(
            await valueOf(c.natGatewayPublicIps),
            eips.map((e) => e.state.publicIp),
        );
    });

    it("leave Redis unset without QueuedTracking, and NAT addresses empty in a given network; an existing database's port is the one given", async () => {
        const network = {
            vpcId: "vpc-0a1b2c3d4e5f60718",
            publicSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"],
            privateSubnetIds: ["subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2"],
        };
        const database = {
            host: "mysql.internal.example.com",
            port: 3307,
            username: "matomo",
            passwordSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:matomo-db-AbCdEf",
        };
        const { value: c } = await buildCluster({
            ...BASE_ARGS,
            network: { existing: network },
            database: { existing: database },
            salt: { generateNew: true },
        });
        assert.equal(c.redisHost, undefined);
        assert.equal(c.redisPort, undefined);
        assert.deepEqual(await valueOf(c.natGatewayPublicIps), []);
        assert.equal(await valueOf(c.databasePort), 3307);
        assert.equal(await valueOf(c.databaseHost), "mysql.internal.example.com");
    });
});
