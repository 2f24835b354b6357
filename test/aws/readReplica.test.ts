/**
 * The read replica as the `large` preset plans it. Matomo reads archiving and Live queries on log
 * tables from `[database_reader]` and warns in config/global.ini.php: "You only want to enable a
 * reader if you can ensure there is minimal replication lag / delay on the reader. Otherwise you
 * might get corrupt data in the reports." So the replica gets the primary's storage performance;
 * the other choices (no backups, single-AZ) are documented exceptions (docs/observability.md).
 */
import { strict as assert } from "assert";
import { BASE_ARGS, LARGE_ARGS, buildCluster } from "./harness";
import type { MockRuntime, RecordedResource } from "../../lib/plan/mockRuntime";

function instances(rt: MockRuntime): { primary: RecordedResource; replica: RecordedResource } {
    const all = rt.ofType("aws:rds/instance:Instance");
    const replica = all.find((i) => i.inputs.replicateSourceDb !== undefined);
    const primary = all.find((i) => i.inputs.replicateSourceDb === undefined);
    assert.ok(replica && primary, "a primary and a replica");
    return { primary: primary!, replica: replica! };
}

describe("read replica at the large preset", function () {
    let rt: MockRuntime;
    before(async function () {
        rt = (await buildCluster(LARGE_ARGS)).rt;
    });

    it("has the primary's provisioned IOPS and throughput (20,000 / 1,000 MiB/s), so it does not fall behind on I/O", function () {
        const { primary, replica } = instances(rt);
        assert.deepEqual([primary.inputs.iops, primary.inputs.storageThroughput], [20000, 1000]);
        assert.deepEqual([replica.inputs.iops, replica.inputs.storageThroughput, replica.inputs.storageType], [20000, 1000, "gp3"]);
        assert.equal(replica.inputs.instanceClass, primary.inputs.instanceClass);
    });

    it("copies its tags to snapshots like the primary (FSBP RDS.17)", function () {
        assert.equal(instances(rt).replica.inputs.copyTagsToSnapshot, true);
    });

    it("takes no backups of its own and stays single-AZ, the documented exceptions, while the primary is Multi-AZ with backups", function () {
        const { primary, replica } = instances(rt);
        assert.deepEqual([primary.inputs.multiAz, Number(primary.inputs.backupRetentionPeriod) > 0], [true, true]);
        assert.deepEqual([replica.inputs.backupRetentionPeriod, replica.inputs.multiAz ?? false], [0, false]);
    });

    it("a primary without provisioned IOPS gives its replica none either (gp3's baseline)", async function () {
        const { rt: reference } = await buildCluster({ ...BASE_ARGS, database: { readReplica: true } });
        const { replica } = instances(reference);
        assert.deepEqual([replica.inputs.iops, replica.inputs.storageThroughput], [undefined, undefined]);
    });
});
