/**
 * matomo-queue-worker.sh run for real against a fake `console` that behaves as the real
 * QueuedTracking plugin does in the two respects the worker exists for (plugin 5.1.1, read in
 * matomo-org/plugin-QueuedTracking): a run stops after 501 batches (Queue/Processor.php
 * `if ($loops > $this->numMaxBatchesToProcess)`, 500 from Commands/Process.php), and a queue is
 * taken only while it holds a full batch (Queue.php `shouldProcess`, numRequestsToProcess = 25),
 * unless `--force-num-requests-process-at-once` sets the batch. It prints the plugin's summary line.
 */
import { strict as assert } from "assert";
import { spawn, type ChildProcess } from "child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { PROVISION_FILES_DIR } from "../../lib/provision";
import { requireTools } from "../support/tools";

const FAKE_CONSOLE = `<?php
// Fake QueuedTracking console for one queue kept as a number in queue.txt.
$dir = __DIR__;
$batch = 25;
foreach ($argv as $a) {
    if (str_starts_with($a, '--force-num-requests-process-at-once=')) $batch = (int) substr($a, 37);
}
$fp = fopen("$dir/queue.txt", 'c+');
flock($fp, LOCK_EX);
$queued = (int) stream_get_contents($fp);
$loops = 0; $tracked = 0;
while ($queued >= $batch) {          // lockNext(): shouldProcess() = at least a batch queued
    if ($loops > 500) break;         // Processor: stop after numMaxBatchesToProcess (500) + 1
    $loops++;
    $queued -= $batch; $tracked += $batch;
}
ftruncate($fp, 0); rewind($fp); fwrite($fp, (string) $queued); fclose($fp);
usleep(50000);
file_put_contents("$dir/runs.log", "$batch $tracked\\n", FILE_APPEND);
echo "This worker finished queue processing with 1req/s ($tracked requests in 0.05 seconds)\\n";
`;

function setup(queued: number): string {
    const dir = mkdtempSync(join(tmpdir(), "queue-worker-"));
    writeFileSync(join(dir, "console"), FAKE_CONSOLE);
    writeFileSync(join(dir, "queue.txt"), String(queued));
    writeFileSync(join(dir, "runs.log"), "");
    return dir;
}
const queued = (dir: string) => Number(readFileSync(join(dir, "queue.txt"), "utf8"));
const runs = (dir: string) =>
    readFileSync(join(dir, "runs.log"), "utf8")
        .trim()
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => l.split(" ").map(Number) as [number, number]);

async function until(condition: () => boolean, seconds: number): Promise<number> {
    const started = Date.now();
    while (!condition()) {
        if (Date.now() - started > seconds * 1000) throw new Error(`not within ${seconds}s`);
        await new Promise((r) => setTimeout(r, 100));
    }
    return (Date.now() - started) / 1000;
}

describe("provision: matomo-queue-worker.sh (a fake console with the plugin's batch cap and minimum batch)", function () {
    let worker: ChildProcess | undefined;
    const start = (dir: string, forceAfter: number) => {
        worker = spawn("bash", [join(PROVISION_FILES_DIR, "matomo-queue-worker.sh"), "0", String(forceAfter), join(dir, "console")], { stdio: "ignore" });
    };
    afterEach(() => worker?.kill("SIGKILL"));

    it("relaunches a run as soon as one ends while there is work: 30,010 queued drain in seconds, at most 12,525 per run, the last 10 left for the forced run", async () => {
        requireTools("php");
        const dir = setup(30_010);
        start(dir, 3600);
        const seconds = await until(() => runs(dir).length >= 3, 20);
        const r = runs(dir);
        assert.deepEqual(
            r.slice(0, 3),
            [
                [25, 12_525],
                [25, 12_525],
                [25, 4_950],
            ],
            "three runs back to back, the first two stopped by the cap",
        );
        assert.equal(queued(dir), 10, "below a full batch: the plugin does not take it");
        assert.ok(seconds < 10, `drained in ${seconds}s (a run per minute would have needed 3 minutes)`);
        // Nothing forced within FORCE_AFTER (3600 s): the next runs find nothing.
        await new Promise((res) => setTimeout(res, 1500));
        assert.ok(runs(dir).every(([batch]) => batch === 25));
    });

    it("a quiet queue of 24 hits (one short of a batch) is processed within FORCE_AFTER + 5 s + two runs, by one forced run in batches of 1", async () => {
        requireTools("php");
        const dir = setup(24);
        const forceAfter = 2;
        start(dir, forceAfter);
        const seconds = await until(() => runs(dir).some(([batch]) => batch === 1), 20);
        assert.equal(queued(dir), 0);
        // The bound docs/provisioning.md states: FORCE_AFTER + the idle pause (5 s) + two runs (here 0.1 s each, plus PHP's start).
        assert.ok(seconds <= forceAfter + 5 + 2, `processed after ${seconds}s`);
        const r = runs(dir);
        const forced = r.findIndex(([batch]) => batch === 1);
        assert.deepEqual(r[forced], [1, 24], "the forced run took batches of 1");
        assert.ok(
            r.slice(0, forced).every(([batch, tracked]) => batch === 25 && tracked === 0),
            "normal runs left the 24 alone, as the plugin does",
        );
    });
});
