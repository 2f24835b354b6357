/**
 * examples/rds-same-program (issue 19): an RDS instance created in the same program as the cluster,
 * its Outputs (address, port, database name, master user name, the master password secret RDS
 * manages) passed to `database.existing` as they are. The plan must wire the cluster to that
 * instance: the config names its address, port and schema, the ui provisions as its master user,
 * the nodes may read its secret, and the instance admits the nodes' security groups on its port.
 */
import { strict as assert } from "assert";
import { join } from "path";
import { planExample, readExampleConfig } from "../../lib/plan/example";
import { redactSecrets, type MockRuntime, type RecordedResource } from "../../lib/plan";
import { nodePayload } from "../aws/harness";
import { parsedByPhp } from "../support/configFiles";
import { EXAMPLES_DIR } from "../support/examples";

describe("examples/rds-same-program", function () {
    let recorded: RecordedResource[] = [];
    let violations: unknown[] = [];
    let ini: ReturnType<typeof parsedByPhp>;

    before(async function () {
        const dir = join(EXAMPLES_DIR, "rds-same-program");
        const { project, config } = readExampleConfig(dir);
        const { plan } = await planExample(dir, project, config);
        recorded = plan.recorded;
        violations = plan.violations;
        ini = parsedByPhp(String(plan.outputs.configIniPhp));
    });

    const only = (type: string) => {
        const found = recorded.filter((r) => r.type === type);
        assert.equal(found.length, 1, type);
        return found[0];
    };

    it("plans with 0 violations (no AWS limit broken, no required input left undefined)", () => {
        assert.deepEqual(violations, []);
    });

    it("creates the program's RDS instance and no other: the cluster makes no database of its own", () => {
        const db = only("aws:rds/instance:Instance");
        assert.equal(db.name, "matomo-mysql");
        assert.equal(db.inputs.manageMasterUserPassword, true);
    });

    it("the config connects to that instance's address, port and schema", () => {
        const db = only("aws:rds/instance:Instance");
        assert.equal(ini.database.host, db.state.address);
        assert.equal(ini.database.port, String(db.state.port));
        assert.equal(ini.database.dbname, db.inputs.dbName);
    });

    it("the nodes may read the master password secret RDS manages, and the ui provisions as the master user", () => {
        const db = only("aws:rds/instance:Instance");
        const secretArn = (db.state.masterUserSecrets as { secretArn: string }[])[0].secretArn;
        const policies = recorded.filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy").map((r) => JSON.stringify(redactSecrets(r.inputs.policy)));
        assert.ok(
            policies.some((p) => p.includes(secretArn)),
            `a role policy grants ${secretArn}`,
        );
        const rt = { ofType: (type: string) => recorded.filter((r) => r.type === type) } as MockRuntime;
        assert.match(String(nodePayload(rt, "ui", "provision.env")), new RegExp(`^MATOMO_DB_ADMIN_USER='${String(db.inputs.username)}'$`, "m"));
    });

    it("the instance's security group admits the tracker and ui groups on its port, and it lives in the cluster's private subnets", () => {
        const db = only("aws:rds/instance:Instance");
        const groups = recorded.filter((r) => r.type === "aws:ec2/securityGroup:SecurityGroup");
        const dbGroup = groups.find((g) => (db.inputs.vpcSecurityGroupIds as string[]).includes(g.id))!;
        const admitted = recorded
            .filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && r.inputs.securityGroupId === dbGroup.id)
            .map((r) => [groups.find((g) => g.id === r.inputs.referencedSecurityGroupId)?.name, r.inputs.fromPort, r.inputs.toPort]);
        assert.deepEqual(admitted.sort(), [
            ["matomo-tracker-sg", 3306, 3306],
            ["matomo-ui-sg", 3306, 3306],
        ]);
        const subnetGroup = only("aws:rds/subnetGroup:SubnetGroup");
        const lb = only("aws:lb/loadBalancer:LoadBalancer");
        const nodes = recorded.filter((r) => r.type === "aws:autoscaling/group:Group").map((g) => g.inputs.vpcZoneIdentifiers);
        assert.deepEqual(subnetGroup.inputs.subnetIds, nodes[0]);
        assert.notDeepEqual(subnetGroup.inputs.subnetIds, lb.inputs.subnets);
    });
});
