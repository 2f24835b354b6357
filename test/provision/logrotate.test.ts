/**
 * /etc/logrotate.d/matomo, run by Debian's real logrotate over a scratch log directory shaped like a
 * node's (www-data's, 0750; files of www-data and of root).
 */
import { strict as assert } from "assert";
import { execFileSync, spawnSync } from "child_process";
import {
    appendFileSync,
    chownSync,
    closeSync,
    existsSync,
    mkdirSync,
    mkdtempSync,
    openSync,
    readFileSync,
    statSync,
    truncateSync,
    writeFileSync,
    writeSync,
} from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { debianPackages, renderLogrotate, renderProvisioningBundle } from "../../lib/provision";
import { requireRoot, requireTools } from "../support/tools";
import { inputFor, settingsWith } from "./fixtures";

const WWW_DATA = {
    uid: Number(execFileSync("id", ["-u", "www-data"], { encoding: "utf8" })),
    gid: Number(execFileSync("id", ["-g", "www-data"], { encoding: "utf8" })),
};

/** A node-like log directory, its rendered config and a logrotate state file that says "rotated today". */
function scratch() {
    const base = mkdtempSync(join(tmpdir(), "logrotate-"));
    const logs = join(base, "matomo");
    mkdirSync(logs, { mode: 0o750 });
    chownSync(logs, WWW_DATA.uid, WWW_DATA.gid);
    const conf = join(base, "matomo.conf");
    writeFileSync(conf, renderLogrotate(logs));
    const state = join(base, "state");
    const today = new Date();
    const stamp = `${today.getFullYear()}-${today.getMonth() + 1}-${today.getDate()}-0:0:0`;
    const log = (name: string) => join(logs, name);
    const run = (...flags: string[]) => spawnSync("logrotate", [...flags, "-s", state, conf], { encoding: "utf8" });
    const rotatedToday = (...names: string[]) => writeFileSync(state, `logrotate state -- version 2\n${names.map((n) => `"${log(n)}" ${stamp}`).join("\n")}\n`);
    return { logs, log, run, rotatedToday };
}

describe("provision: log rotation (Debian's logrotate)", () => {
    before(() => {
        requireTools("logrotate");
        requireRoot("the log files belong to www-data and root, as on a node");
    });

    it("logrotate accepts the config without an error or warning", () => {
        const s = scratch();
        writeFileSync(s.log("matomo-core-archive.log"), "Done archiving!\n");
        const r = s.run("-d");
        assert.equal(r.status, 0, r.stderr);
        // Debug mode's own notice ("does nothing except printing") is the one warning expected.
        const said = r.stderr.split("\n").filter((line) => !line.startsWith("warning: logrotate in debug mode"));
        assert.deepEqual(
            said.filter((line) => /error|warning|insecure|unknown|skipping/i.test(line)),
            [],
        );
        assert.match(r.stderr, /rotating pattern: .*\/matomo\/\*\.log {2}after 1 days \(7 rotations\)/);
    });

    it("rotates www-data's and root's files alike once a day, keeping the old lines compressed a day later", () => {
        const s = scratch();
        writeFileSync(s.log("matomo-core-archive.log"), "run 1\n");
        chownSync(s.log("matomo-core-archive.log"), WWW_DATA.uid, WWW_DATA.gid);
        writeFileSync(s.log("matomo-geoip.log"), "checked\n");
        const first = s.run();
        assert.equal(first.status, 0, first.stderr);
        // The first run only records the files; a run "a day later" (forced) rotates them.
        assert.equal(s.run("-f").status, 0);
        assert.equal(readFileSync(s.log("matomo-core-archive.log.1"), "utf8"), "run 1\n");
        assert.equal(readFileSync(s.log("matomo-geoip.log.1"), "utf8"), "checked\n");
        assert.equal(statSync(s.log("matomo-core-archive.log")).size, 0);
        assert.equal(statSync(s.log("matomo-core-archive.log.1")).uid, WWW_DATA.uid, "the rotated copy keeps its owner");
        appendFileSync(s.log("matomo-core-archive.log"), "run 2\n");
        assert.equal(s.run("-f").status, 0);
        assert.ok(existsSync(s.log("matomo-core-archive.log.2.gz")), "the day before's file compressed (delaycompress)");
        assert.equal(execFileSync("gzip", ["-dc", s.log("matomo-core-archive.log.2.gz")], { encoding: "utf8" }), "run 1\n");
    });

    it("rotates a file past 100 MB the same day; a small one waits for its day", () => {
        const s = scratch();
        writeFileSync(s.log("small.log"), "x\n");
        writeFileSync(s.log("big.log"), "");
        truncateSync(s.log("big.log"), 100 * 1024 * 1024 + 1); // sparse: logrotate reads the size
        s.rotatedToday("small.log", "big.log");
        const r = s.run();
        assert.equal(r.status, 0, r.stderr);
        assert.ok(existsSync(s.log("big.log.1")), "the big file is rotated");
        assert.equal(statSync(s.log("big.log")).size, 0);
        assert.ok(!existsSync(s.log("small.log.1")), "the small file is not");
    });

    it("a writer that keeps its file open (a queue worker's >> redirect) goes on writing into the live file", () => {
        const s = scratch();
        const fd = openSync(s.log("matomo-queuedtracking.log"), "a");
        try {
            writeSync(fd, "before\n");
            assert.equal(s.run().status, 0);
            assert.equal(s.run("-f").status, 0);
            writeSync(fd, "after\n");
        } finally {
            closeSync(fd);
        }
        assert.equal(readFileSync(s.log("matomo-queuedtracking.log.1"), "utf8"), "before\n");
        // O_APPEND writes land at the (truncated) end: only the new line, no hole of NULs before it.
        assert.equal(readFileSync(s.log("matomo-queuedtracking.log"), "utf8"), "after\n");
    });

    it("every node installs logrotate and carries the config in its provisioning bundle", () => {
        const settings = settingsWith();
        for (const role of ["tracker", "ui"] as const) {
            assert.ok(debianPackages(role, settings).includes("logrotate"), role);
            const payload = renderProvisioningBundle(inputFor(role, settings)).files.find((f) => f.path === "/etc/matomo-provision/logrotate");
            assert.equal(payload?.content, renderLogrotate("/var/log/matomo"), role);
        }
    });
});
