// `npm run test:all`'s mocha step: every test file, in two mocha processes side by side. The boot
// test (test/boot/) spends most of its 15-20 minutes waiting on its nodes (cloud-init, cron's next
// minute, a 60 s database outage, a drain), leaving the CPU idle; every other file is CPU-bound and
// runs one after another in the second process, as before. Each process reads .mocharc.json, so the
// options (reporter, forbid-only, forbid-pending) are the same as for `npx mocha <file>`.
//
// The other files' output streams as it comes; the boot test's is kept in out/test-all/boot.log and
// printed whole when it ends, so the two never interleave. The closing line sums both runs in the
// reporter's form ("tests: N passed, N failed, N skipped"); the exit status is non-zero when either
// run failed, or ended without its totals line (a crash).
import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const mocha = join(root, "node_modules", "mocha", "bin", "mocha.js");
const BOOT = "test/boot/**/*.test.ts";
const TOTALS = /^tests: (\d+) passed, (\d+) failed, (\d+) skipped$/m;

/** Runs mocha with args; each output chunk goes to sink. Resolves with the exit status and all output. */
function run(args, sink) {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, [mocha, ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        const collect = (chunk) => {
            output += chunk.toString();
            sink(chunk);
        };
        child.stdout.on("data", collect);
        child.stderr.on("data", collect);
        child.on("close", (code, signal) => resolve({ status: code ?? `signal ${signal}`, output }));
    });
}

const outDir = join(root, "out", "test-all");
mkdirSync(outDir, { recursive: true });
const bootLog = join(outDir, "boot.log");
const bootFile = createWriteStream(bootLog);
console.log(`test:all: the boot test runs beside the other test files; its output: ${bootLog} (printed when it ends)`);

const [boot, rest] = await Promise.all([
    run([BOOT], (chunk) => bootFile.write(chunk)).then(async (result) => {
        await new Promise((r) => bootFile.end(r));
        return result;
    }),
    run(["--ignore", BOOT, "test/**/*.test.ts"], (chunk) => process.stdout.write(chunk)),
]);

console.log("\ntest:all: the boot test's output (test/boot/):");
process.stdout.write(readFileSync(bootLog, "utf8"));

const totals = [0, 0, 0];
let failed = false;
for (const [name, result] of [
    ["boot test", boot],
    ["other test files", rest],
]) {
    const match = TOTALS.exec(result.output);
    if (!match) {
        console.log(`test:all: the ${name} ended (status ${result.status}) without its totals line`);
        failed = true;
        continue;
    }
    match.slice(1).forEach((n, i) => (totals[i] += Number(n)));
    if (result.status !== 0) failed = true;
}
console.log(`\ntests: ${totals[0]} passed, ${totals[1]} failed, ${totals[2]} skipped`);
process.exit(failed ? 1 : 0);
