/**
 * health.php run by Debian's PHP on this machine, its node paths moved to a temporary directory:
 * the load balancer's health check must fail on a ui node whose Matomo is older than the
 * database's (Matomo then answers every UI/API request with 500), from the cached answer only,
 * and never because the database could not be asked.
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { PROVISION_FILES_DIR } from "../../lib/provision";
import { requireTools } from "../support/tools";

function node(codeVersion: string, cache?: object | string): { dir: string; ask: () => { status: number; body: string } } {
    const dir = mkdtempSync(join(tmpdir(), "health-"));
    mkdirSync(join(dir, "state/version-check"), { recursive: true });
    mkdirSync(join(dir, "matomo/core"), { recursive: true });
    writeFileSync(join(dir, "state/ready"), "");
    // As Matomo's core/Version.php declares it.
    writeFileSync(
        join(dir, "matomo/core/Version.php"),
        `<?php\nnamespace Piwik;\nfinal class Version\n{\n    public const VERSION = '${codeVersion}';\n    public const MAJOR_VERSION = 5;\n}\n`,
    );
    if (cache !== undefined) writeFileSync(join(dir, "state/version-check/database-version.json"), typeof cache === "string" ? cache : JSON.stringify(cache));
    const script = readFileSync(join(PROVISION_FILES_DIR, "health.php"), "utf8")
        .replace("'/var/lib/matomo-provision'", `'${dir}/state'`)
        .replace("'/var/www/matomo'", `'${dir}/matomo'`);
    assert.ok(script.includes(`'${dir}/state'`) && script.includes(`'${dir}/matomo'`), "health.php's node paths moved");
    writeFileSync(join(dir, "health.php"), script);
    return {
        dir,
        ask: () => {
            const r = spawnSync(
                "php",
                [
                    "-r",
                    `register_shutdown_function(function () { $body = ob_get_clean(); echo http_response_code() ?: 200, "\\n", $body; }); ob_start(); include '${dir}/health.php';`,
                ],
                { encoding: "utf8" },
            );
            assert.equal(r.status, 0, r.stderr);
            const [status, ...body] = r.stdout.split("\n");
            return { status: Number(status), body: body.join("\n") };
        },
    };
}

describe("provision: health.php and the database's Matomo version", () => {
    const now = () => Math.floor(Date.now() / 1000);

    it("fails (503) when the cached database version is newer than this node's code, as Matomo's FrontController refuses to run then", () => {
        requireTools("php");
        const n = node("5.10.0", { checkedAt: now() - 30, database: "5.10.1" });
        const r = n.ask();
        assert.equal(r.status, 503);
        assert.match(r.body, /^unhealthy: this node runs Matomo 5\.10\.0, the database has already been upgraded to 5\.10\.1 \(checked 3\ds ago\)\n$/);
        rmSync(n.dir, { recursive: true });
    });

    it("compares as PHP's version_compare does (Matomo's own rule): a pre-release is older than its release, 5.10.0 newer than 5.9.9", () => {
        requireTools("php");
        for (const [code, database, status] of [
            ["5.2.0-b5", "5.2.0", 503],
            ["5.10.0", "5.9.9", 200],
            ["5.10.0", "5.10.0", 200],
        ] as const) {
            const n = node(code, { checkedAt: now(), database });
            assert.equal(n.ask().status, status, `${code} vs ${database}`);
            rmSync(n.dir, { recursive: true });
        }
    });

    it("stays 200 without a verdict: no cached answer (a tracker, or a ui before its first check), an answer without a version, or garbage", () => {
        requireTools("php");
        for (const cache of [undefined, { checkedAt: now(), database: null }, "not json"]) {
            const n = node("5.10.0", cache);
            assert.deepEqual(n.ask(), { status: 200, body: "ok\n" }, JSON.stringify(cache));
            rmSync(n.dir, { recursive: true });
        }
    });

    it("an old answer still counts (a database never goes back to an older Matomo); an old 'current' answer is no failure", () => {
        requireTools("php");
        const newer = node("5.10.0", { checkedAt: now() - 86_400, database: "5.10.1" });
        assert.equal(newer.ask().status, 503);
        const current = node("5.10.0", { checkedAt: now() - 86_400, database: "5.10.0" });
        assert.equal(current.ask().status, 200);
        rmSync(newer.dir, { recursive: true });
        rmSync(current.dir, { recursive: true });
    });

    // matomo-pdo.php as health.php calls it, answering from a fixed version_core (or unreachable):
    // no MySQL on this machine, and health.php's own part is what to do with the answer.
    const fakeDatabase = (dir: string, version: string | null) =>
        writeFileSync(
            join(dir, "matomo-pdo.php"),
            [
                "<?php",
                "function matomo_config(string $path): array { return ['database' => ['tables_prefix' => 'matomo_']]; }",
                version === null
                    ? "function matomo_pdo(array $db, int $t = 5) { throw new PDOException('SQLSTATE[HY000] [2002] Connection refused'); }"
                    : `function matomo_pdo(array $db, int $t = 5) { return new class { function prepare($sql) { return new class { function execute($a) { return true; } function fetchColumn() { return '${version}'; } }; } }; }`,
                "",
            ].join("\n"),
        );

    it("on a ui, asks the database on every check: fails (503) the moment core:update elsewhere set a newer version_core, not a minute later; the answer is kept", () => {
        requireTools("php");
        const n = node("5.10.0", { checkedAt: now() - 30, database: "5.10.0" });
        fakeDatabase(n.dir, "5.10.1");
        const r = n.ask();
        assert.equal(r.status, 503);
        assert.match(r.body, /^unhealthy: this node runs Matomo 5\.10\.0, the database has already been upgraded to 5\.10\.1 \(checked [01]s ago\)\n$/);
        assert.equal((JSON.parse(readFileSync(join(n.dir, "state/version-check/database-version.json"), "utf8")) as { database: string }).database, "5.10.1");
        rmSync(n.dir, { recursive: true });
    });

    it("on a ui with the database unreachable, the last answer stands: an unreachable database is no newer one", () => {
        requireTools("php");
        for (const [database, status] of [
            ["5.10.0", 200],
            ["5.10.1", 503],
        ] as const) {
            const n = node("5.10.0", { checkedAt: now() - 600, database });
            fakeDatabase(n.dir, null);
            assert.equal(n.ask().status, status, database);
            rmSync(n.dir, { recursive: true });
        }
    });

    it("a node drained for a release swap (matomo-release.sh's marker) answers 503 until the marker is gone", () => {
        requireTools("php");
        const n = node("5.10.0");
        writeFileSync(join(n.dir, "state/drain"), "");
        assert.deepEqual(n.ask(), { status: 503, body: "unhealthy: draining for a release swap\n" });
        rmSync(join(n.dir, "state/drain"));
        assert.deepEqual(n.ask(), { status: 200, body: "ok\n" });
        rmSync(n.dir, { recursive: true });
    });

    it("still says 503 'provisioning has not finished' first", () => {
        requireTools("php");
        const n = node("5.10.0", { checkedAt: now(), database: "5.10.1" });
        rmSync(join(n.dir, "state/ready"));
        assert.deepEqual(n.ask(), { status: 503, body: "unhealthy: provisioning has not finished\n" });
        rmSync(n.dir, { recursive: true });
    });
});
