/**
 * Tracker throughput and memory, the php-fpm pool before issue 12 against the pool we render now,
 * side by side in one run on this machine:
 *
 *   npm run bench [-- --seconds 20 --concurrency 64 --cpu-ms 8 --wait-ms 6 --alloc-mb 6 --sweep]
 *
 * Each pool runs under Debian's real nginx (the rendered tracker site) and php-fpm (the rendered
 * php.ini), on a loopback port, sized for the node we model: a c7g.large tracker (2 vCPUs like this
 * machine, MemTotal 3790 MB). A Node client keeps `--concurrency` requests in flight over
 * keep-alive connections, as the load balancer does, first cold (right after the pool starts), then
 * for `--seconds`. Printed: requests/s, p50/p95/p99 latency, errors, peak workers and their total
 * RSS, and the ratios new / old.
 *
 * STAND-IN: matomo.php is not Matomo. Each request does a fixed amount of CPU work (calibrated to
 * `--cpu-ms` on an idle core), holds `--alloc-mb` of PHP memory and sleeps `--wait-ms` where Matomo
 * waits on its database (a few round trips to RDS in the same zone). Real Matomo was not available
 * offline; the numbers show how the pool's shape behaves under such a load, not Matomo's own cost.
 * Needs root (the pools run as www-data).
 */
import { execFileSync } from "child_process";
import { mkdirSync, writeFileSync } from "fs";
import { Agent } from "http";
import { cpus } from "os";
import { join, resolve } from "path";
import { fpmPoolSize, renderFpmIni, renderFpmPool, renderNginxSite, type FpmPoolSize } from "../lib/provision";
import { startWebStack, type WebStack } from "../test/support/webStack";

const NODE = { name: "c7g.large tracker", vcpus: 2, memTotalMb: 3790 };

function flag(name: string, fallback: number): number {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const SECONDS = flag("seconds", 20);
const CONCURRENCY = flag("concurrency", 64);
const CPU_MS = flag("cpu-ms", 8);
const WAIT_MS = flag("wait-ms", 6);
const ALLOC_MB = flag("alloc-mb", 6);
const COLD_REQUESTS = 200;

/** The tracker pool and php.ini as rendered before issue 12 (pm = static, (MemTotal − 512) / 48). */
function oldPool(memTotalMb: number): { pool: string; ini: string; label: string } {
    const children = Math.min(200, Math.max(4, Math.floor((memTotalMb - 512) / 48)));
    const pool = [
        "[matomo]",
        "user = www-data",
        "group = www-data",
        "listen = /run/php/matomo-fpm.sock",
        "listen.owner = www-data",
        "listen.group = www-data",
        "listen.mode = 0660",
        "pm = static",
        `pm.max_children = ${children}`,
        "pm.max_requests = 1000",
        "request_terminate_timeout = 30",
        "catch_workers_output = yes",
        "security.limit_extensions = .php",
        "",
    ].join("\n");
    const ini =
        "memory_limit = 256M\nmax_execution_time = 30\nexpose_php = Off\nopcache.enable = 1\nopcache.memory_consumption = 128\nopcache.interned_strings_buffer = 16\nopcache.max_accelerated_files = 20000\n";
    return { pool, ini, label: `old: pm = static, ${children} workers` };
}

function newPool(size: FpmPoolSize, label = "new"): { pool: string; ini: string; label: string } {
    return {
        pool: renderFpmPool("tracker", size),
        ini: renderFpmIni("tracker"),
        label: `${label}: pm = dynamic, max ${size.maxChildren} (${size.minSpare}..${size.maxSpare} idle)`,
    };
}

/** sha256 rounds per millisecond of one idle core, measured with the CLI before any pool runs. */
function calibrate(): number {
    const out = execFileSync("php", [
        "-r",
        '$h="x"; $n=0; $t=hrtime(true); while (hrtime(true) - $t < 300e6) { for ($i=0;$i<1000;$i++) $h=hash("sha256",$h); $n+=1000; } echo $n / 300;',
    ]).toString();
    return Number(out);
}

function standinTracker(roundsPerMs: number): string {
    return `<?php
// STAND-IN for a Matomo tracking request (npm run bench only; see scripts/bench.ts).
$h = 'x';
for ($i = 0; $i < ${Math.round(roundsPerMs * CPU_MS)}; $i++) { $h = hash('sha256', $h); }
$held = [];
for ($i = 0; $i < ${ALLOC_MB * 1024}; $i++) { $held[] = str_repeat(chr(65 + $i % 26), 1000); }
usleep(${WAIT_MS * 1000});
http_response_code(204);
`;
}

interface Result {
    label: string;
    requests: number;
    errors: number;
    statuses: Record<number, number>;
    rps: number;
    p50: number;
    p95: number;
    p99: number;
    coldP95: number;
    coldMax: number;
    peakWorkers: number;
    peakRssMib: number;
    endRssMib: number;
}

const quantile = (sorted: number[], q: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);

async function load(
    stack: WebStack,
    until: (done: number, started: number) => boolean,
): Promise<{ ms: number[]; statuses: Record<number, number>; errors: number; seconds: number }> {
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const ms: number[] = [];
    const statuses: Record<number, number> = {};
    let errors = 0;
    let issued = 0;
    const started = Date.now();
    const client = async () => {
        while (!until(issued, started)) {
            issued++;
            try {
                const r = await stack.request(`/matomo.php?idsite=1&rec=1&rand=${issued}`, { agent });
                ms.push(r.ms);
                statuses[r.status] = (statuses[r.status] ?? 0) + 1;
                if (r.status >= 500) errors++;
            } catch {
                errors++;
            }
        }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, client));
    agent.destroy();
    return { ms, statuses, errors, seconds: (Date.now() - started) / 1000 };
}

async function measure(variant: { pool: string; ini: string; label: string }, roundsPerMs: number): Promise<Result> {
    const stack = await startWebStack({
        site: renderNginxSite({ role: "tracker", httpPort: 80, trustedProxyCidrs: ["127.0.0.1/32"] }),
        pool: variant.pool,
        fpmIni: variant.ini,
    });
    try {
        writeFileSync(join(stack.root, "matomo.php"), standinTracker(roundsPerMs));
        let peakWorkers = 0;
        let peakRss = 0;
        const sampler = setInterval(() => {
            peakWorkers = Math.max(peakWorkers, stack.workerPids().length);
            peakRss = Math.max(peakRss, stack.workersRssKib());
        }, 250);
        const cold = await load(stack, (n) => n >= COLD_REQUESTS);
        const warm = await load(stack, (_n, started) => Date.now() - started >= SECONDS * 1000);
        clearInterval(sampler);
        const sorted = [...warm.ms].sort((a, b) => a - b);
        const coldSorted = [...cold.ms].sort((a, b) => a - b);
        const statuses: Record<number, number> = { ...cold.statuses };
        for (const [s, n] of Object.entries(warm.statuses)) statuses[Number(s)] = (statuses[Number(s)] ?? 0) + n;
        return {
            label: variant.label,
            requests: warm.ms.length,
            errors: cold.errors + warm.errors,
            statuses,
            rps: warm.ms.length / warm.seconds,
            p50: quantile(sorted, 0.5),
            p95: quantile(sorted, 0.95),
            p99: quantile(sorted, 0.99),
            coldP95: quantile(coldSorted, 0.95),
            coldMax: coldSorted[coldSorted.length - 1],
            peakWorkers,
            peakRssMib: peakRss / 1024,
            endRssMib: stack.workersRssKib() / 1024,
        };
    } finally {
        await stack.stop();
    }
}

function row(r: Result): string {
    const f = (n: number, d = 0) => n.toFixed(d).padStart(8);
    return `${r.label.padEnd(44)}${f(r.rps, 1)}${f(r.p50, 1)}${f(r.p95, 1)}${f(r.p99, 1)}${f(r.coldP95, 1)}${f(r.coldMax, 1)}${f(r.errors)}${f(r.peakWorkers)}${f(r.peakRssMib, 1)}${f(r.endRssMib, 1)}`;
}

async function main(): Promise<void> {
    const roundsPerMs = calibrate();
    const size = fpmPoolSize("tracker", NODE.vcpus, NODE.memTotalMb);
    const variants = [oldPool(NODE.memTotalMb), newPool(size)];
    if (process.argv.includes("--sweep")) {
        for (const k of [1, 2, 8]) {
            const n = k * NODE.vcpus;
            variants.push(newPool({ maxChildren: n, minSpare: Math.min(NODE.vcpus, n), maxSpare: Math.min(2 * NODE.vcpus, n) }, `sweep ${k}/vCPU`));
        }
    }
    console.log(`bench: modelled node ${NODE.name} (${NODE.vcpus} vCPUs, MemTotal ${NODE.memTotalMb} MB); this machine: ${cpus().length} CPUs`);
    console.log(
        `STAND-IN tracking request: ${CPU_MS} ms CPU (${Math.round(roundsPerMs * CPU_MS)} sha256 rounds), ${ALLOC_MB} MB held, ${WAIT_MS} ms wait; ${CONCURRENCY} in flight, ${SECONDS} s after ${COLD_REQUESTS} cold requests`,
    );
    const results: Result[] = [];
    for (const v of variants) {
        results.push(await measure(v, roundsPerMs));
        console.log(`  done: ${v.label}`);
    }
    console.log(
        `\n${"pool".padEnd(44)}${["req/s", "p50 ms", "p95 ms", "p99 ms", "cold95", "coldmax", "5xx/err", "workers", "RSS MiB", "end MiB"].map((h) => h.padStart(8)).join("")}`,
    );
    for (const r of results) console.log(row(r));
    const [old, cur] = results;
    console.log(
        `\nnew / old: requests/s ${(cur.rps / old.rps).toFixed(2)}, p95 ${(cur.p95 / old.p95).toFixed(2)}, cold p95 ${(cur.coldP95 / old.coldP95).toFixed(2)}, peak worker RSS ${(cur.peakRssMib / old.peakRssMib).toFixed(2)}`,
    );
    const out = resolve(__dirname, "..", "out", "bench");
    mkdirSync(out, { recursive: true });
    writeFileSync(
        join(out, "result.json"),
        JSON.stringify(
            { node: NODE, standin: { cpuMs: CPU_MS, waitMs: WAIT_MS, allocMb: ALLOC_MB }, concurrency: CONCURRENCY, seconds: SECONDS, results },
            null,
            2,
        ) + "\n",
    );
    console.log(`written: ${join(out, "result.json")}`);
}

main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
});
