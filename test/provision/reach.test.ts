/**
 * matomo-reach.sh, run for real with real curl: a host that listens on loopback is reached, an
 * unused loopback port is not, and the node says which, naming host, port and what needs it, on
 * the line the provisioning-failures metric filter counts (issue 20 item 2). The bound is shown by
 * the tries and timeouts curl and sleep are given (recorded by thin wrappers), never by a clock.
 */
import { strict as assert } from "assert";
import { execFile } from "child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "fs";
import { createServer, type Server } from "http";
import type { AddressInfo } from "net";
import { freePort } from "../support/ports";
import { tmpdir } from "os";
import { join } from "path";
import { stagedScript } from "../support/stagedScripts";
import { renderProvisionEnv } from "../../lib/provision/env";
import { PROVISIONING_ERROR_PATTERN } from "../../lib/aws/logs";
import { requireTools } from "../support/tools";
import { inputFor, settingsWith } from "./fixtures";

const SCRIPT = stagedScript("matomo-reach.sh");

/** A loopback port nothing listens on (connection refused). */
const unusedPort = freePort;

/** CloudWatch Logs' filter: every quoted term, in order, on the line (how PROVISIONING_ERROR_PATTERN matches). */
function matchesFilter(line: string): boolean {
    let at = 0;
    for (const term of [...PROVISIONING_ERROR_PATTERN.matchAll(/"([^"]*)"/g)].map((m) => m[1])) {
        const i = line.indexOf(term, at);
        if (i < 0) return false;
        at = i + term.length;
    }
    return true;
}

describe("provision: matomo-reach.sh names every host a node cannot reach (issue 20 item 2)", () => {
    let dir: string;
    let server: Server;
    let up: number;
    const paths: string[] = [];

    // Wrappers on PATH that record their arguments: the real curl still connects; sleep returns at once.
    const wrap = (name: string, body: string) => {
        writeFileSync(join(dir, "bin", name), `#!/bin/bash\nprintf '%s\\n' "$*" >> "${join(dir, name)}.log"\n${body}\n`);
        chmodSync(join(dir, "bin", name), 0o755);
    };
    const calls = (name: string) =>
        existsSync(join(dir, `${name}.log`))
            ? readFileSync(join(dir, `${name}.log`), "utf8")
                  .trim()
                  .split("\n")
            : [];
    const runWith = (env: Record<string, string>, targets: string, ...args: string[]) =>
        new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
            const child = execFile(
                "bash",
                [SCRIPT, ...args],
                { env: { PATH: `${join(dir, "bin")}:${process.env.PATH}`, MATOMO_ROLE: "tracker", ...env } },
                (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
            );
            child.stdin!.end(targets);
        });
    const run = (targets: string, ...args: string[]) => runWith({}, targets, ...args);

    beforeEach(async () => {
        requireTools("curl");
        dir = mkdtempSync(join(tmpdir(), "provision-reach-"));
        mkdirSync(join(dir, "bin"));
        const realCurl = await new Promise<string>((r) => execFile("bash", ["-c", "command -v curl"], (_e, out) => r(out.trim())));
        wrap("curl", `exec ${realCurl} "$@"`);
        wrap("sleep", "exit 0");
        paths.length = 0;
        server = createServer((req, res) => {
            paths.push(req.url ?? "");
            // Any HTTP answer is an answer: the probe asks for the root, which may well be 404 or 403.
            res.writeHead(404).end();
        });
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
        up = (server.address() as AddressInfo).port;
    });
    afterEach(async () => {
        await new Promise<void>((r) => server.close(() => r()));
    });

    it("a required host not reached: an ERROR line naming host:port and what needs it, on the metric filter's pattern; exit 1", async () => {
        const down = await unusedPort();
        const r = await run(
            `required http://127.0.0.1:${up}/matomo-5.10.0.tar.gz the Matomo release\nrequired https://127.0.0.1:${down} Secrets Manager: the config's secrets\n`,
        );
        assert.equal(r.status, 1, r.stderr);
        const errors = r.stderr.split("\n").filter((l) => l.includes("ERROR:"));
        assert.equal(errors.length, 1, r.stderr);
        assert.match(
            errors[0],
            new RegExp(`matomo-provision\\[tracker\\]: ERROR: cannot reach 127\\.0\\.0\\.1:${down} \\(Secrets Manager: the config's secrets\\)`),
        );
        assert.ok(matchesFilter(errors[0]), "the provisioning-failures metric filter counts the line");
        assert.doesNotMatch(r.stderr, new RegExp(`127\\.0\\.0\\.1:${up}\\b`), "the host that answered is not reported");
        // The probe asked the reachable host for its root, not for the release.
        assert.deepEqual(paths, ["/"]);
    });

    it("is bounded: 3 tries per host, each 5 s to connect and 10 s in all, 5 s apart: at most 40 s, under a minute", async () => {
        const down = await unusedPort();
        const r = await run(`required http://127.0.0.1:${down}/x the Matomo release\nrequired http://127.0.0.1:${up}/ apt: Debian packages\n`);
        assert.equal(r.status, 1);
        const tries = calls("curl");
        const toDown = tries.filter((a) => a.includes(`127.0.0.1:${down}/`));
        const toUp = tries.filter((a) => a.includes(`127.0.0.1:${up}/`));
        assert.equal(toDown.length, 3, tries.join("\n"));
        assert.equal(toUp.length, 1, "a host that answers is asked once");
        for (const a of tries) assert.match(a, /--connect-timeout 5 --max-time 10 /);
        assert.deepEqual(calls("sleep"), ["5", "5"], "two pauses of 5 s between the three tries of the host that failed");
        assert.equal((await run("", "bound")).stdout.trim(), String(3 * 10 + 2 * 5));
        assert.ok(3 * 10 + 2 * 5 <= 60);
    });

    it("MATOMO_RETRY_PAUSE (set by the boot test only) replaces the 5 s pause, tries and bound following it; anything but whole seconds is refused", async () => {
        const down = await unusedPort();
        const r = await runWith({ MATOMO_RETRY_PAUSE: "1" }, `optional http://127.0.0.1:${down}/x the SSM Agent package\n`);
        assert.equal(r.status, 0, r.stderr);
        assert.equal(calls("curl").length, 3, "still three tries");
        assert.deepEqual(calls("sleep"), ["1", "1"]);
        assert.equal((await runWith({ MATOMO_RETRY_PAUSE: "1" }, "", "bound")).stdout.trim(), String(3 * 10 + 2 * 1));
        for (const bad of ["", "0.5", "5s", "-1"]) {
            const refused = await runWith({ MATOMO_RETRY_PAUSE: bad }, "", "bound");
            if (bad === "") {
                // Empty is unset: the default.
                assert.equal(refused.stdout.trim(), "40");
                continue;
            }
            assert.equal(refused.status, 1, bad);
            assert.match(refused.stderr, new RegExp(`MATOMO_RETRY_PAUSE must be whole seconds, not '${bad.replace(".", "\\.")}'`));
        }
    });

    it("an optional host not reached only warns (exit 0); one probe per host:port names everything that needs it", async () => {
        const down = await unusedPort();
        const r = await run(
            [
                `optional https://127.0.0.1:${down}/amazon-ssm-eu-west-1/latest/debian_amd64/amazon-ssm-agent.deb the SSM Agent package`,
                `optional https://127.0.0.1:${down}/other the CloudWatch agent package`,
                `required http://127.0.0.1:${up}/geoip/dbip-city-lite-{month}.mmdb.gz the location database`,
            ].join("\n"),
        );
        assert.equal(r.status, 0, r.stderr);
        assert.doesNotMatch(r.stderr, /ERROR:/);
        const warnings = r.stderr.split("\n").filter((l) => l.includes("WARNING:"));
        assert.equal(warnings.length, 1, r.stderr);
        assert.match(warnings[0], new RegExp(`WARNING: cannot reach 127\\.0\\.0\\.1:${down} \\(the SSM Agent package; the CloudWatch agent package\\)`));
        assert.ok(!matchesFilter(warnings[0]), "a warning raises no provisioning alarm");
        assert.equal(calls("curl").filter((a) => a.includes(`:${down}/`)).length, 3);
    });

    it("probes a scheme's default port (https and hkps 443, http 80) and refuses what it cannot probe", async () => {
        // Ports made explicit in what curl is asked; connecting to them is not the point (no listener needed for the refusal).
        const r = await run(`optional hkps://127.0.0.1 a keyserver\noptional http://127.0.0.1/debian apt\n`);
        assert.equal(r.status, 0);
        const tries = calls("curl");
        assert.ok(
            tries.some((a) => a.endsWith("https://127.0.0.1:443/")),
            tries.join("\n"),
        );
        assert.ok(
            tries.some((a) => a.endsWith("http://127.0.0.1:80/")),
            tries.join("\n"),
        );
        const bad = await run("required ftp://127.0.0.1/x something\n");
        assert.equal(bad.status, 1);
        assert.match(bad.stderr, /ERROR: matomo-reach: cannot probe 'ftp:\/\/127\.0\.0\.1\/x'/);
        const kind = await run(`maybe http://127.0.0.1:${up}/ something\n`);
        assert.equal(kind.status, 1);
        assert.match(kind.stderr, /'maybe' is neither required nor optional/);
    });

    it("before curl is installed (a minimal image), a TCP connect through bash's /dev/tcp, bounded by timeout at the same 5 s", async () => {
        const down = await unusedPort();
        // A PATH with only what the script needs besides curl: bash, timeout, dirname, date, and the sleep wrapper.
        const onlyBin = join(dir, "nocurl");
        mkdirSync(onlyBin);
        const which = (tool: string) => new Promise<string>((r) => execFile("bash", ["-c", `command -v ${tool}`], (_e, out) => r(out.trim())));
        for (const tool of ["bash", "dirname", "date"]) symlinkSync(await which(tool), join(onlyBin, tool));
        symlinkSync(join(dir, "bin", "sleep"), join(onlyBin, "sleep"));
        writeFileSync(
            join(onlyBin, "timeout"),
            `#!${await which("bash")}\nprintf '%s\\n' "$*" >> "${join(dir, "timeout")}.log"\nexec ${await which("timeout")} "$@"\n`,
        );
        chmodSync(join(onlyBin, "timeout"), 0o755);
        const r = await new Promise<{ status: number; stderr: string }>((resolve) => {
            const child = execFile("bash", [SCRIPT], { env: { PATH: onlyBin, MATOMO_ROLE: "ui" } }, (error, _out, stderr) =>
                resolve({ status: error ? Number(error.code ?? 1) : 0, stderr }),
            );
            child.stdin!.end(`required http://127.0.0.1:${up}/ apt: Debian packages\nrequired http://127.0.0.1:${down}/ the Matomo release\n`);
        });
        assert.equal(r.status, 1, r.stderr);
        assert.match(r.stderr, new RegExp(`matomo-provision\\[ui\\]: ERROR: cannot reach 127\\.0\\.0\\.1:${down} \\(the Matomo release\\)`));
        assert.match(
            r.stderr,
            /ERROR: cannot reach \S+ \(the Matomo release\): no TCP connection: connect: Connection refused \(TCP only: curl is not installed yet\)\n/,
        );
        assert.doesNotMatch(r.stderr, new RegExp(`:${up}\\b`));
        const tries = calls("timeout");
        assert.equal(tries.filter((a) => a.endsWith(` 127.0.0.1 ${down}`)).length, 3, tries.join("\n"));
        assert.equal(tries.filter((a) => a.endsWith(` 127.0.0.1 ${up}`)).length, 1, tries.join("\n"));
        for (const a of tries) assert.match(a, /^5 bash -c /);
        assert.equal(calls("curl").length, 0);
    });

    it("every required host answering: exit 0, nothing reported", async () => {
        const r = await run(`required http://127.0.0.1:${up}/a one\nrequired http://127.0.0.1:${up}/b two\n`);
        assert.equal(r.status, 0, r.stderr);
        assert.doesNotMatch(r.stderr, /ERROR|WARNING/);
        assert.equal(calls("curl").length, 1, "one probe for one host:port");
    });

    describe("targets: what provisioning will fetch, from the node's own provision.env", () => {
        const targets = async (settings: ReturnType<typeof settingsWith>, env: Record<string, string> = {}, ...missing: string[]) => {
            const payload = join(dir, "payload");
            mkdirSync(payload, { recursive: true });
            writeFileSync(join(payload, "provision.env"), renderProvisionEnv(inputFor("tracker", settings), 8080));
            const r = await new Promise<{ status: number; stdout: string; stderr: string }>((resolve) =>
                execFile("bash", [SCRIPT, "targets", payload, ...missing], { env: { PATH: process.env.PATH, ...env } }, (error, stdout, stderr) =>
                    resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
                ),
            );
            assert.equal(r.status, 0, r.stderr);
            return r.stdout.trim().split("\n");
        };
        // This machine: no Matomo node state, no SSM or CloudWatch agent installed.
        const hosts = (lines: string[]) =>
            lines.map((l) => {
                const [kind, url] = l.split(" ");
                return `${kind} ${new URL(url.replace(/^hkps:/, "https:")).host}`;
            });

        it("by default: the release from builds.matomo.org, Matomo's key from the keyservers, the SSM Agent from the regional S3, Secrets Manager, RDS's CA bundle, DB-IP; no apt mirror with nothing to install", async () => {
            assert.deepEqual(hosts(await targets(settingsWith())).sort(), [
                "optional keys.openpgp.org",
                "optional keyserver.ubuntu.com",
                "optional s3.eu-west-1.amazonaws.com",
                "required builds.matomo.org",
                "required download.db-ip.com",
                "required secretsmanager.eu-west-1.amazonaws.com",
                // The database uses TLS by default: RDS's CA bundle.
                "required truststore.pki.rds.amazonaws.com",
            ]);
        });

        it("follows the settings: a sha256 needs no keyserver, geoIp off no DB-IP, a Secrets Manager endpoint URL replaces the regional one, a bake needs no secret", async () => {
            const s = settingsWith({
                matomo: { downloadUrl: "https://mirror.example.org/matomo-5.10.0.tar.gz", sha256: "a".repeat(64) },
                geoIp: { provider: "off" },
            });
            assert.deepEqual(hosts(await targets(s, { MATOMO_SECRETS_ENDPOINT_URL: "https://vpce-0abc.secretsmanager.eu-west-1.vpce.amazonaws.com" })).sort(), [
                "optional s3.eu-west-1.amazonaws.com",
                "required mirror.example.org",
                "required truststore.pki.rds.amazonaws.com",
                "required vpce-0abc.secretsmanager.eu-west-1.vpce.amazonaws.com",
            ]);
            assert.deepEqual(hosts(await targets(s, { MATOMO_PROVISION_MODE: "bake" })).sort(), [
                "optional s3.eu-west-1.amazonaws.com",
                "required mirror.example.org",
            ]);
        });

        it("with packages to install, the mirrors of both apt source formats and of apt's mirror+file lists, required; nothing apt cannot fetch over http(s)", async () => {
            const apt = join(dir, "apt");
            mkdirSync(join(apt, "sources.list.d"), { recursive: true });
            writeFileSync(join(dir, "mirrors.list"), "https://cdn-aws.deb.debian.org/debian\n");
            writeFileSync(
                join(apt, "sources.list"),
                "# deb http://commented.example.org/debian bookworm main\ndeb [arch=arm64 signed-by=/usr/share/keyrings/k.gpg] https://deb.example.org/debian bookworm main\ndeb cdrom:[Debian 12]/ bookworm main\n",
            );
            writeFileSync(
                join(apt, "sources.list.d", "debian.sources"),
                `Types: deb\nURIs: mirror+file://${join(dir, "mirrors.list")}\nSuites: bookworm\n\nTypes: deb\nURIs: http://security.example.org/debian-security\nSuites: bookworm-security\n`,
            );
            const lines = await targets(settingsWith(), { MATOMO_REACH_APT_DIR: apt }, "nginx");
            assert.deepEqual(hosts(lines.filter((l) => l.endsWith(" apt: Debian packages"))).sort(), [
                "required cdn-aws.deb.debian.org",
                "required deb.example.org",
                "required security.example.org",
            ]);
            assert.equal(lines.filter((l) => l.endsWith(" apt: Debian packages")).length, 3);
        });

        it("with packages to install, every mirror the node's apt sources name, required", async () => {
            const lines = await targets(settingsWith(), {}, "nginx");
            const apt = lines.filter((l) => l.endsWith(" apt: Debian packages"));
            // This machine's own sources (a Debian system: it runs the validators) name at least one http(s) mirror.
            assert.ok(apt.length > 0, lines.join("\n"));
            for (const l of apt) assert.match(l, /^required https?:\/\/\S+ apt: Debian packages$/);
        });
    });
});
