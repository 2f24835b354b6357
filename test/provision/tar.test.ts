/**
 * The ustar writer and the provisioning bundle, checked against the real GNU tar: what tar
 * extracts is what was written, byte for byte and mode for mode, and an archive of the same files
 * made by GNU tar itself (ustar format, root-owned, mtime 0) has exactly our bytes.
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { dirname, join } from "path";
import { gunzipSync } from "zlib";
import { listUstar, renderBundle, renderProvisioningBundle, writeUstar, type TarEntry } from "../../lib/provision";
import { requireTools } from "../support/tools";
import { inputFor, PLUGIN_SHA256, settingsWith } from "./fixtures";

const ENTRIES: TarEntry[] = [
    { path: "etc/matomo-provision/nginx-site.conf", mode: 0o644, content: Buffer.from("server {\n    listen 80;\n}\n") },
    { path: "etc/matomo-provision/secret-ish.conf", mode: 0o600, content: Buffer.from("no trailing newline") },
    { path: "usr/local/sbin/matomo-provision", mode: 0o755, content: Buffer.from("#!/bin/bash\nset -euo pipefail\necho 'ü ✓'\n") },
    // Exactly one block, an empty file, and a name over 100 bytes (ustar's prefix field).
    { path: "usr/local/lib/matomo-provision/block.txt", mode: 0o644, content: Buffer.alloc(512, "x") },
    { path: "usr/local/lib/matomo-provision/empty", mode: 0o644, content: Buffer.alloc(0) },
    { path: `usr/local/lib/${"d".repeat(60)}/${"f".repeat(90)}.php`, mode: 0o640, content: Buffer.from("<?php echo 1;\n") },
];

function tmp(): string {
    return mkdtempSync(join(tmpdir(), "tar-test-"));
}

/** Extract with the real tar (as root it keeps owners and modes, as the bootstrap does) and read every file back. */
function extract(archive: Buffer, gzip: boolean): Map<string, { mode: number; uid: number; gid: number; content: Buffer }> {
    requireTools("tar");
    const dir = tmp();
    const file = join(dir, gzip ? "a.tar.gz" : "a.tar");
    writeFileSync(file, archive);
    const out = join(dir, "out");
    mkdirSync(out);
    execFileSync("tar", [gzip ? "-xzf" : "-xf", file, "-C", out]);
    const listed = execFileSync("tar", [gzip ? "-tzf" : "-tf", file], { encoding: "utf8" })
        .trim()
        .split("\n");
    return new Map(
        listed.map((path) => {
            const st = statSync(join(out, path));
            return [path, { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, content: readFileSync(join(out, path)) }];
        }),
    );
}

describe("provision: ustar writer (checked with the real tar)", () => {
    it("the real tar extracts exactly the files written: paths, bytes and modes, in order", () => {
        const files = extract(writeUstar(ENTRIES), false);
        assert.deepEqual(
            [...files.keys()],
            ENTRIES.map((e) => e.path),
        );
        for (const e of ENTRIES) {
            const got = files.get(e.path)!;
            assert.ok(got.content.equals(e.content), e.path);
            assert.equal(got.mode.toString(8), e.mode.toString(8), e.path);
            if (process.getuid?.() === 0) assert.deepEqual([got.uid, got.gid], [0, 0], `${e.path} root-owned`);
        }
    });

    it("is byte-identical to GNU tar's own ustar archive of the same files (root:0, mtime 0)", () => {
        requireTools("tar");
        const dir = tmp();
        for (const e of ENTRIES) {
            mkdirSync(dirname(join(dir, e.path)), { recursive: true });
            writeFileSync(join(dir, e.path), e.content);
            chmodSync(join(dir, e.path), e.mode);
        }
        const gnu = join(dir, "gnu.tar");
        execFileSync("tar", [
            "--format=ustar",
            "--owner=root:0",
            "--group=root:0",
            "--mtime=@0",
            "--no-recursion",
            "-cf",
            gnu,
            "-C",
            dir,
            ...ENTRIES.map((e) => e.path),
        ]);
        const ours = writeUstar(ENTRIES);
        assert.equal(ours.length % 10240, 0, "whole 20-block records");
        assert.ok(ours.equals(readFileSync(gnu)), "same bytes as GNU tar");
    });

    it("lists what it wrote (path, mode, size, bytes), as tar -tv does", () => {
        assert.deepEqual(
            listUstar(writeUstar(ENTRIES)),
            ENTRIES.map((e) => ({ path: e.path, mode: e.mode, size: e.content.length, content: e.content })),
        );
    });

    it("equal entries give equal bytes; nothing of the time or the machine gets in", () => {
        assert.ok(writeUstar(ENTRIES).equals(writeUstar(ENTRIES.map((e) => ({ ...e, content: Buffer.from(e.content) })))));
        const h = writeUstar(ENTRIES.slice(0, 1)).subarray(0, 512);
        assert.equal(h.subarray(136, 148).toString("ascii"), "00000000000\0", "mtime 0");
        assert.equal(h.subarray(265, 269).toString("ascii"), "root");
    });

    it("refuses what it cannot write faithfully or safely: absolute or climbing paths, spaces, twice the same path, a bad mode", () => {
        const one =
            (path: string, mode = 0o644) =>
            () =>
                writeUstar([{ path, mode, content: Buffer.alloc(1) }]);
        assert.throws(one("/etc/passwd"), /refusing path/);
        assert.throws(one("etc/../../root/x"), /refusing path/);
        assert.throws(one("etc//x"), /refusing path/);
        assert.throws(one("etc/a b"), /refusing path/);
        assert.throws(one(`${"a".repeat(101)}`), /too long for ustar/);
        assert.throws(one("etc/x", 0o10000), /bad mode/);
        assert.throws(() => writeUstar([ENTRIES[0], ENTRIES[0]]), /twice/);
    });
});

describe("provision: the provisioning bundle (tar.gz per role)", () => {
    const settings = settingsWith({ queuedTracking: { enabled: true, pluginSha256: PLUGIN_SHA256 } });

    it("unpacks with the real tar to exactly the files and modes the list renders, root-owned", () => {
        for (const role of ["tracker", "ui"] as const) {
            const bundle = renderProvisioningBundle(inputFor(role, settings));
            const files = extract(bundle.content, true);
            assert.deepEqual(
                [...files.keys()],
                bundle.files.map((f) => f.path.slice(1)),
            );
            for (const f of bundle.files) {
                const got = files.get(f.path.slice(1))!;
                assert.equal(got.content.toString("utf8"), f.content, f.path);
                assert.equal(got.mode.toString(8).padStart(4, "0"), f.permissions, f.path);
            }
            assert.ok(files.has("usr/local/sbin/matomo-provision"));
            assert.ok(files.has("usr/local/lib/matomo-provision/matomo-plugin.sh"), "QueuedTracking's installer with QueuedTracking on");
            assert.ok(files.has("etc/matomo-provision/cron"), "every role runs cron (archiving only on ui)");
        }
    });

    it("is deterministic: the same inputs give the same bytes and sha256, whatever the order of the list", () => {
        const a = renderProvisioningBundle(inputFor("ui", settings));
        const b = renderProvisioningBundle(inputFor("ui", settings));
        assert.ok(a.content.equals(b.content));
        assert.equal(a.sha256, b.sha256);
        assert.ok(renderBundle([...a.files].reverse()).content.equals(a.content), "sorted by path, not by list order");
        assert.equal(a.content[9], 3, "gzip OS byte fixed to Unix");
        assert.equal(a.content.readUInt32LE(4), 0, "no time in the gzip header");
        assert.equal(a.content[3] & 0x08, 0, "no file name in the gzip header");
        assert.ok(
            gunzipSync(a.content).equals(
                writeUstar(a.files.map((f) => ({ path: f.path.slice(1), mode: parseInt(f.permissions, 8), content: Buffer.from(f.content) }))),
            ),
        );
    });

    it("does not depend on where the bundle is stored, or on the deployment's secrets' ARNs", () => {
        const base = renderProvisioningBundle(inputFor("tracker", settings));
        const elsewhere = renderProvisioningBundle({
            ...inputFor("tracker", settings),
            region: "us-east-2",
            secrets: { ...inputFor("tracker", settings).secrets, salt: { secretArn: "arn:aws:secretsmanager:us-east-2:210987654321:secret:other-XyZabc" } },
        });
        // provision.env names the region and ARNs; it travels in user data, so the bundle stays the same.
        assert.ok(elsewhere.content.equals(base.content));
    });

    it("refuses a file that is not root's (the bootstrap unpacks as root and keeps owners)", () => {
        assert.throws(() => renderBundle([{ path: "/etc/x", owner: "www-data:www-data", permissions: "0644", content: "" }]), /owned by www-data/);
    });
});
