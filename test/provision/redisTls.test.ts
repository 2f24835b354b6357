/**
 * QueuedTracking's Redis over TLS with AUTH (issue 17 item 9), against Debian's real redis-server
 * listening only for TLS and requiring a password, the way ElastiCache runs with transit
 * encryption "required" and an AUTH token. The config is the one lib/config renders, filled as a
 * node fills it; the backlog publisher runs as the ui's cron runs it; the plugin's connection is
 * the call sequence of QueuedTracking's Queue/Backend/Redis.php connect() (5.x):
 * `connect($host, $port, $timeout, null, 100)`, then `auth($password)` when one is set, then
 * `select($database)`, with the values Matomo's SystemSetting reads from `[QueuedTracking]`.
 */
import { strict as assert } from "assert";
import { execFileSync, spawnSync } from "child_process";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { fillSecretPlaceholders, renderConfig } from "../../lib/config";
import { PROVISION_FILES_DIR } from "../../lib/provision";
import { makeCertificate } from "../boot/support/standins";
import { startTlsRedis, type TlsRedis } from "../support/redis";
import { requireTools } from "../support/tools";
import { settingsWith, PLUGIN_SHA256 } from "./fixtures";

/** A token with every non-alphanumeric ElastiCache allows (auth.html: ! & # $ ^ < > -), so escaping is exercised end to end. */
const TOKEN = "Tk3n!&#$^<>-Zq9wXy7vUt5sRr4pOo2n";

/** The plugin's connect() sequence, with the [QueuedTracking] values as Matomo reads them (matomo-pdo.php's matomo_config reads as Matomo does). */
const PLUGIN_CONNECT = `
require $argv[1];
$q = matomo_config($argv[2])['QueuedTracking'];
$host = (string) $q['redisHost']; $port = (string) $q['redisPort']; $timeout = (float) ($q['redisTimeout'] ?? 0.0);
$password = (string) ($q['redisPassword'] ?? ''); $database = (int) $q['redisDatabase'];
$redis = new \\Redis();
$success = $redis->connect($host, $port, $timeout, null, 100);
if ($success && !empty($password)) { $success = $redis->auth($password); }
$redis->select($database);
if (!$success || $redis->echo('TEST') !== 'TEST') { fwrite(STDERR, "no connection\\n"); exit(1); }
$redis->rPush('trackingQueueV1', gzcompress('idsite=1&rec=1'));
echo $redis->lLen('trackingQueueV1');
`;

describe("QueuedTracking's Redis: TLS and AUTH against a real redis-server", function () {
    let dir: string;
    let port: number;
    let cert: string;
    let redis: TlsRedis | undefined;
    let config: string;

    const cli = (...args: string[]) => redis!.cli(...args);
    /** php with the stand-in CA as its default trust (a node trusts Debian's CA store, where Amazon's roots are). */
    const php = (args: string[], trust = true) =>
        spawnSync("php", [...(trust ? ["-d", `openssl.cafile=${cert}`] : ["-d", "openssl.cafile=", "-d", "openssl.capath=/nonexistent"]), ...args], {
            encoding: "utf8",
        });
    const writeConfig = (name: string, token: string, host = "127.0.0.1") => {
        const settings = settingsWith({ queuedTracking: { enabled: true, pluginSha256: PLUGIN_SHA256, numQueueWorkers: 2 } });
        const template = renderConfig(settings, { databaseHost: "db.internal", redis: { host, port } }).text;
        const path = join(dir, name);
        writeFileSync(path, fillSecretPlaceholders(template, { database_username: "matomo_app", database_password: "p", salt: "s", redis_password: token }));
        return path;
    };

    before(async function () {
        requireTools("redis-server", "redis-cli", "openssl", "php");
        const modules = execFileSync("php", ["-m"], { encoding: "utf8" });
        if (!/^redis$/m.test(modules)) throw new Error("missing phpredis: install with  apt-get install -y php-redis");
        dir = mkdtempSync(join(tmpdir(), "redis-tls-"));
        const tls = makeCertificate(dir);
        cert = tls.cert;
        redis = await startTlsRedis(tls, TOKEN, dir);
        port = redis.port;
        config = writeConfig("config.ini.php", TOKEN);
    });

    after(() => {
        redis?.stop();
        if (dir) rmSync(dir, { recursive: true, force: true });
    });

    beforeEach(() => cli("FLUSHALL"));

    it("the server refuses what ElastiCache 'required' refuses: no plain connection, no command without the token", () => {
        const plain = spawnSync("redis-cli", ["-h", "127.0.0.1", "-p", String(port), "PING"], { encoding: "utf8", timeout: 10_000 });
        assert.notEqual(plain.stdout.trim(), "PONG");
        const noAuth = spawnSync("redis-cli", ["--tls", "--cacert", cert, "-h", "127.0.0.1", "-p", String(port), "LLEN", "trackingQueueV1"], {
            encoding: "utf8",
        });
        assert.match(noAuth.stdout + noAuth.stderr, /NOAUTH/);
    });

    it("the plugin's connection (QueuedTracking's connect, auth, select) enqueues over TLS with the rendered host and filled password", () => {
        const r = php(["-r", PLUGIN_CONNECT, join(PROVISION_FILES_DIR, "matomo-pdo.php"), config]);
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stdout, "1");
        assert.equal(cli("LLEN", "trackingQueueV1"), "1");
    });

    it("the backlog publisher reads every queue's length over TLS with the token", () => {
        cli("RPUSH", "trackingQueueV1", "a", "b", "c");
        cli("RPUSH", "trackingQueueV1_1", "d", "e");
        const r = php([join(PROVISION_FILES_DIR, "matomo-queue-backlog.php"), config]);
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stdout, "0 3\n1 2\n");
    });

    it("the backlog publisher fails, printing no backlog, with a wrong token or against a certificate it cannot verify", () => {
        cli("RPUSH", "trackingQueueV1", "a");
        for (const [why, path, trust] of [
            ["wrong token", writeConfig("wrong.ini.php", "Wr0ng-Token-0123456789"), true],
            ["untrusted certificate", config, false],
        ] as const) {
            const r = php([join(PROVISION_FILES_DIR, "matomo-queue-backlog.php"), path], trust);
            assert.notEqual(r.status, 0, why);
            assert.equal(r.stdout, "", why);
        }
        // The plugin's own sequence against an unverifiable certificate cannot connect either: peers are verified.
        const r = php(["-r", PLUGIN_CONNECT, join(PROVISION_FILES_DIR, "matomo-pdo.php"), config], false);
        assert.notEqual(r.status, 0);
        assert.equal(cli("LLEN", "trackingQueueV1"), "1");
    });
});
