/**
 * The php-fpm pool's size: from vCPUs, capped so that workers × memory_limit plus the role's
 * reserve fits in the node's memory. The node computes it with matomo-fpm-pool.sh (run here for
 * real); fpmPoolSize is the same formula in TypeScript, for docs and the benchmark.
 * Expected values are worked out by hand from the formula in docs/provisioning.md:
 *   tracker: min(4 × vCPUs, (MemTotal − 768) / 256)     ui: min(4 × vCPUs, (MemTotal − 1024 − 2048) / 512)
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { FPM_SIZING, fpmPoolSize, PROVISION_FILES_DIR, renderFpmPool, type NodeRole } from "../../lib/provision";
import { requireTools } from "../support/tools";

function sizeOnNode(role: NodeRole, vcpus: number, memMb: number): { status: number; pool: string; stderr: string } {
    const dir = mkdtempSync(join(tmpdir(), "provision-pool-"));
    writeFileSync(join(dir, "pool.conf"), renderFpmPool(role));
    const r = spawnSync("bash", [join(PROVISION_FILES_DIR, "matomo-fpm-pool.sh"), join(dir, "pool.conf"), String(vcpus), String(memMb)], { encoding: "utf8" });
    return { status: r.status ?? -1, pool: r.stdout, stderr: r.stderr };
}

function setting(pool: string, key: string): number {
    const m = new RegExp(`^${key.replace(/\./g, "\\.")} = (\\d+)$`, "m").exec(pool);
    assert.ok(m, `${key} in\n${pool}`);
    return Number(m[1]);
}

// [role, instance, vCPUs, MemTotal MB (what Linux reports: a little under the nominal GiB), max_children, min_spare, max_spare]
const CASES: [NodeRole, string, number, number, number, number, number][] = [
    ["tracker", "c7g.large (2 vCPU, 4 GiB)", 2, 3790, 8, 2, 4], // min(8, 11)
    ["tracker", "t4g.small (2 vCPU, 2 GiB)", 2, 1900, 4, 2, 4], // min(8, 4): memory caps it
    ["tracker", "c7g.4xlarge (16 vCPU, 32 GiB)", 16, 31500, 64, 16, 32], // min(64, 120)
    ["ui", "m7g.large (2 vCPU, 8 GiB)", 2, 7800, 8, 2, 4], // min(8, 9)
    ["ui", "m7g.xlarge (4 vCPU, 16 GiB)", 4, 15700, 16, 4, 8], // min(16, 24)
    ["ui", "c7g.xlarge (4 vCPU, 8 GiB)", 4, 7600, 8, 4, 8], // min(16, 8): memory caps it
];

describe("provision: php-fpm pool sized from vCPUs and memory", () => {
    for (const [role, instance, vcpus, mem, maxChildren, minSpare, maxSpare] of CASES) {
        it(`${role} on ${instance}: pm = dynamic, max_children ${maxChildren}, ${minSpare} to ${maxSpare} idle`, () => {
            requireTools("bash");
            const r = sizeOnNode(role, vcpus, mem);
            assert.equal(r.status, 0, r.stderr);
            assert.match(r.pool, /^pm = dynamic$/m);
            assert.deepEqual(
                ["pm.max_children", "pm.start_servers", "pm.min_spare_servers", "pm.max_spare_servers"].map((k) => setting(r.pool, k)),
                [maxChildren, minSpare, minSpare, maxSpare],
            );
            assert.doesNotMatch(r.pool, /@[A-Z_]+@/, "no placeholder left");
            assert.deepEqual(fpmPoolSize(role, vcpus, mem), { maxChildren, minSpare, maxSpare }, "fpmPoolSize agrees");
        });
    }

    it("refuses a node too small for its role (a ui node needs one archiving run's 2 GB besides two workers)", () => {
        const r = sizeOnNode("ui", 2, 3790);
        assert.notEqual(r.status, 0);
        assert.match(r.stderr, /needs at least 4096 MB/);
        assert.throws(() => fpmPoolSize("ui", 2, 3790), /a ui node needs at least 4096 MB of memory; this one has 3790 MB/);
        assert.notEqual(sizeOnNode("tracker", 0, 3790).status, 0, "zero vCPUs");
    });

    it("never lets workers × memory_limit + reserve exceed MemTotal, and the node script agrees with fpmPoolSize", () => {
        for (const role of ["tracker", "ui"] as NodeRole[]) {
            const s = FPM_SIZING[role];
            for (const vcpus of [1, 2, 3, 4, 8, 16, 48, 64]) {
                for (const mem of [1500, 1900, 3790, 4096, 7800, 15700, 31500, 63000, 126000, 252000]) {
                    let size;
                    try {
                        size = fpmPoolSize(role, vcpus, mem);
                    } catch {
                        assert.ok(s.reserveMb + 2 * s.memoryLimitMb > mem, `${role} ${vcpus}/${mem} refused though it fits`);
                        continue;
                    }
                    assert.ok(size.maxChildren * s.memoryLimitMb + s.reserveMb <= mem, `${role} ${vcpus} vCPU ${mem} MB: ${size.maxChildren} workers`);
                    assert.ok(size.maxChildren <= s.workersPerVcpu * vcpus);
                    assert.ok(size.minSpare >= 1 && size.minSpare <= size.maxSpare && size.maxSpare <= size.maxChildren);
                }
            }
        }
        for (const [role, vcpus, mem] of [
            ["tracker", 1, 1500],
            ["tracker", 64, 252000],
            ["ui", 3, 63000],
            ["ui", 48, 15700],
        ] as [NodeRole, number, number][]) {
            const r = sizeOnNode(role, vcpus, mem);
            assert.equal(r.status, 0, r.stderr);
            const size = fpmPoolSize(role, vcpus, mem);
            assert.deepEqual(
                [setting(r.pool, "pm.max_children"), setting(r.pool, "pm.min_spare_servers"), setting(r.pool, "pm.max_spare_servers")],
                [size.maxChildren, size.minSpare, size.maxSpare],
            );
        }
    });
});
