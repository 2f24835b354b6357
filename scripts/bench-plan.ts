/**
 * How long the offline plan takes, against loading the Pulumi SDKs alone in the same run, and what it
 * plans: resources per sizing preset and user data bytes per role against EC2's 16 KB.
 *
 *   npm run bench:plan [-- --iterations 3 --clusters 8]      (also the first part of `npm run bench`)
 *
 * Each figure is the median (and the fastest) of `--iterations` fresh Node processes, every row once
 * per round, so a burst of load from other jobs falls on all rows alike. Two tables:
 *   - inside the process, from before the first `require` of the SDKs to the settled plan (Node's
 *     and the TypeScript loader's own start are left out, the same for every row):
 *       - SDKs alone: `require` of @pulumi/pulumi, @pulumi/aws and @pulumi/random, nothing else;
 *       - each preset: examples/reference planned with `matomo:cluster.preset` set, as `npm run plan` does;
 *       - many tracker groups: a MatomoCluster has one tracker group, so "many" is modelled as
 *         `--clusters` clusters in one program (each with its own tracker and ui group, network and database);
 *   - whole commands, from the process's start to its exit, as a user waits for them: Node with the
 *     SDKs alone, and `npm run plan` of examples/reference (scripts/plan.ts under the "plan" flags, every
 *     output written; npm's own start left out).
 * Every child runs under the Node flags this script was started with (package.json "bench:plan":
 * the same TypeScript loader as "plan", scripts/ts-cache.js), so the library's TypeScript loads as
 * `npm run plan` loads it.
 */
import { spawnSync } from "child_process";
import { mkdtempSync, rmSync } from "fs";
import { cpus, loadavg, tmpdir } from "os";
import { join, resolve } from "path";
import type { MatomoCluster as MatomoClusterType } from "../lib/aws/cluster";
import type { Plan } from "../lib/plan";

const PRESETS = ["small", "reference", "large"] as const;
/** EC2: "User data is limited to 16 KB, in raw form, before it is base64-encoded" (lib/provision USER_DATA_LIMIT_BYTES). */
const USER_DATA_LIMIT = 16384;

interface Sample {
    ms: number;
    resources?: number;
    awsResources?: number;
    /** Raw (base64-decoded) user data bytes per role; with several clusters, the largest per role. */
    userData?: Record<string, number>;
}

function flag(name: string, fallback: number): number {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function summarise(plan: Plan, ms: number): Sample {
    const userData: Record<string, number> = {};
    for (const r of plan.recorded.filter((x) => x.type === "aws:ec2/launchTemplate:LaunchTemplate" && typeof x.inputs.userData === "string")) {
        const role = ((r.inputs.tags ?? {}) as Record<string, string>)["matomo:role"] ?? r.name;
        userData[role] = Math.max(userData[role] ?? 0, Buffer.from(String(r.inputs.userData), "base64").length);
    }
    return { ms, resources: plan.resources.length, awsResources: plan.resources.filter((r) => r.type.startsWith("aws:")).length, userData };
}

/** One measurement, in this (fresh) process. Everything heavy is required inside the timed span. */
async function child(what: string): Promise<Sample> {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const t0 = performance.now();
    require("@pulumi/pulumi");
    require("@pulumi/aws");
    require("@pulumi/random");
    if (what === "sdk") return { ms: performance.now() - t0 };
    const { planExample, readExampleConfig } = require("../lib/plan/example") as typeof import("../lib/plan/example");
    const { applyConfigSets, parseConfigSet } = require("../lib/plan/configSet") as typeof import("../lib/plan/configSet");
    if (what.startsWith("preset:")) {
        const preset = what.slice("preset:".length);
        const example = resolve(__dirname, "..", "examples", "reference");
        const { project, config } = readExampleConfig(example);
        const sets = [`matomo:cluster.preset=${preset}`, ...(preset === "large" ? [`matomo:cluster.queuedTracking.pluginSha256=${"0".repeat(64)}`] : [])];
        const { plan } = await planExample(
            example,
            project,
            applyConfigSets(
                config,
                sets.map((s) => parseConfigSet(s, project)),
            ),
        );
        return summarise(plan, performance.now() - t0);
    }
    const clusters = Number(what.slice("clusters:".length));
    const { planProgram } = require("../lib/plan") as typeof import("../lib/plan");
    const { MatomoCluster } = require("../lib") as { MatomoCluster: typeof MatomoClusterType };
    const plan = await planProgram(() => {
        for (let i = 0; i < clusters; i++) {
            new MatomoCluster(`m${i}`, {
                domain: `a${i}.example.com`,
                certificateArn: `arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
                superUser: { email: "ops@example.com" },
            });
        }
    });
    return summarise(plan, performance.now() - t0);
    /* eslint-enable @typescript-eslint/no-require-imports */
}

const REPOSITORY = resolve(__dirname, "..");

/** One measurement in a fresh process, timed inside it. */
function runChild(what: string): Sample {
    const run = spawnSync(process.execPath, [...process.execArgv, __filename, "--child", what], { encoding: "utf8", cwd: REPOSITORY });
    if (run.status !== 0) throw new Error(`bench:plan: ${what} failed:\n${run.stderr}`);
    return JSON.parse(run.stdout.trim().split("\n").pop()!) as Sample;
}

/** A whole command, timed from outside: `sdk` (Node and the SDKs, nothing else) or `plan` (`npm run plan` of examples/reference). */
function runCommand(what: string): Sample {
    const out = mkdtempSync(join(tmpdir(), "bench-plan-"));
    const args = what === "sdk" ? [__filename, "--child", "sdk"] : [join(REPOSITORY, "scripts", "plan.ts"), "--out", out];
    try {
        const t0 = performance.now();
        const run = spawnSync(process.execPath, [...process.execArgv, ...args], { encoding: "utf8", cwd: REPOSITORY });
        const ms = performance.now() - t0;
        if (run.status !== 0) throw new Error(`bench:plan: ${what} failed:\n${run.stderr}`);
        const resources = /^(\d+) resources:$/m.exec(run.stdout)?.[1];
        return { ms, ...(resources !== undefined ? { resources: Number(resources) } : {}) };
    } finally {
        rmSync(out, { recursive: true, force: true });
    }
}

/** Every row once per round, round after round, so a burst of load from other jobs falls on all rows alike. */
function measure(whats: string[], iterations: number, run: (what: string) => Sample): (Sample & { minMs: number })[] {
    const samples: Sample[][] = whats.map(() => []);
    for (let i = 0; i < iterations; i++) whats.forEach((what, row) => samples[row].push(run(what)));
    return samples.map((runs) => {
        const sorted = runs.map((s) => s.ms).sort((a, b) => a - b);
        return { ...runs[0], ms: sorted[Math.floor(sorted.length / 2)], minMs: sorted[0] };
    });
}

/** One table: each row against the first (the SDKs alone, measured the same way in the same run). */
function printTable(title: string, rows: [string, string][], iterations: number, run: (what: string) => Sample): void {
    const results = measure(
        rows.map(([, what]) => what),
        iterations,
        run,
    ).map((sample, i) => ({ label: rows[i][0], ...sample }));
    const sdk = results[0];
    // The median is the figure; the fastest run says what the machine does when no other job shares its cores.
    const head = `${title.padEnd(66)}${"median ms".padStart(10)}${"× SDKs".padStart(8)}${"min ms".padStart(8)}${"× SDKs".padStart(8)}${"resources".padStart(11)}${"AWS".padStart(6)}  user data bytes per role (of ${USER_DATA_LIMIT})`;
    console.log(`\n${head}`);
    for (const r of results) {
        const userData = Object.entries(r.userData ?? {})
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([role, bytes]) => `${role} ${bytes} (${Math.round((100 * bytes) / USER_DATA_LIMIT)}%)`)
            .join(", ");
        console.log(
            `${r.label.padEnd(66)}${r.ms.toFixed(0).padStart(10)}${(r.ms / sdk.ms).toFixed(2).padStart(8)}${r.minMs.toFixed(0).padStart(8)}${(r.minMs / sdk.minMs).toFixed(2).padStart(8)}${String(r.resources ?? "").padStart(11)}${String(r.awsResources ?? "").padStart(6)}  ${userData}`,
        );
    }
}

async function main(): Promise<void> {
    const childAt = process.argv.indexOf("--child");
    if (childAt >= 0) {
        console.log(JSON.stringify(await child(process.argv[childAt + 1])));
        return;
    }
    const iterations = flag("iterations", 3);
    const clusters = flag("clusters", 8);
    const rows: [string, string][] = [
        ["SDKs alone (@pulumi/pulumi, @pulumi/aws, @pulumi/random)", "sdk"],
        ...PRESETS.map((p): [string, string] => [`preset ${p} (examples/reference)`, `preset:${p}`]),
        [`${clusters} clusters in one program (${clusters} tracker + ${clusters} ui groups)`, `clusters:${clusters}`],
    ];
    console.log(
        `bench:plan: median of ${iterations} fresh Node processes per row; this machine: ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)}`,
    );
    printTable("inside the process (SDK require to settled plan)", rows, iterations, runChild);
    printTable(
        "whole commands (process start to exit)",
        [
            ["node and the SDKs alone", "sdk"],
            ["npm run plan of examples/reference, less npm's own start", "plan"],
        ],
        iterations,
        runCommand,
    );
}

main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
});
