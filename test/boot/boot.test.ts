/**
 * Boot test: each role's real user data, run by real cloud-init on a clean Debian 12 root
 * (debootstrap minbase + cloud-init, started without systemd), against a real MariaDB server.
 *
 * Two STAND-INS, because this machine cannot reach them: Matomo's release archive (a stand-in
 * "Matomo" tarball served over HTTPS from 127.0.0.1 and verified by sha256, see
 * standin-matomo/README.md) and AWS Secrets Manager (a local GetSecretValue endpoint the real AWS
 * CLI talks to). Everything else is real: Debian packages, nginx, php-fpm, config placement and
 * permissions, the database lock, cron on ui only, the health endpoint and an idempotent rerun.
 * It says nothing about real Matomo's installer or console: those are the stand-in's.
 * Mail: the `[mail]` settings (SMTP password by reference) are sent through real PHPMailer by a
 * stand-in for Matomo's few lines of mailer glue (standin-mailer.php) to an SMTP catcher on
 * loopback (support/smtpCatcher.ts), with STARTTLS on the stand-in certificate.
 */
import { strict as assert } from "assert";
import { execFileSync, spawn } from "child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from "fs";
import { request } from "http";
import { createServer, type AddressInfo } from "net";
import { cpus, tmpdir } from "os";
import { join } from "path";
import { fillSecretPlaceholders, renderConfig } from "../../lib/config";
import { debianPackages, HEALTH_CHECK_PATH, renderUserData, type LogSource, type NodeRole, type RenderedUserData } from "../../lib/provision";
import { resolveSettings } from "../../lib/settings";
import { CACHE_DIR, createNodeRoot, destroyNodeRoot, ensureBaseRoot, inRoot, inRootAsync, processesIn, REPO_ROOT, runCloudInit, seedUserData, type CloudInitRun } from "./support/chroot";
import { startMariaDb, type TestDatabase } from "./support/mariadb";
import { makeCertificate, packStandinRelease, startCloudWatch, startReleaseServer, startSecretsManager, type ReceivedMetric, type Running } from "./support/standins";
import { startSmtpCatcher, type SmtpCatcher } from "./support/smtpCatcher";
import { requireRoot, requireTools } from "../support/tools";

const ROLES: NodeRole[] = ["ui", "tracker"];
const REGION = "eu-west-1";
const ARN = (name: string) => `arn:aws:secretsmanager:${REGION}:123456789012:secret:boot-test-${name}-AbCdEf`;
// Secrets with every character config.ini.php must escape (\ " $) and one the shell quotes (').
const DB_PASSWORD = `db "pa$$" w\\ord 'x'`;
const SALT = `salt-$HOME-"q"-\\n`;
const SUPERUSER_PASSWORD = `Super "user" pa$$word`;
// Given by reference as mail.password (JSON key "password"); never in user data, the plan or logs.
const SMTP_USER = "matomo-smtp";
const SMTP_PASSWORD = `smtp "pa$$" w\\ord 'x' ;#`;
const DOMAIN = "analytics.boot-test.example";
const STANDIN_CA_IN_ROOT = "/usr/local/share/boot-test/standin-ca.pem";
const OUT_DIR = join(REPO_ROOT, "out", "boot");
/** Log group names as lib/aws/logs.ts makes them for a cluster; the metric dimension as the cluster's monitoring name. */
const BOOT_OBSERVABILITY = {
    cluster: "boot-test-matomo-0a1b2c",
    logGroups: Object.fromEntries(["nginx-access", "nginx-error", "php-fpm", "matomo", "provisioning", "archiving"].map((s) => [s, `/matomo/boot-test-logs-0a1b2c/${s}`])) as Record<LogSource, string>,
};

interface Node {
    root: string;
    port: number;
    userData: RenderedUserData;
    packages: string[];
    run?: CloudInitRun;
    healthySeconds?: number;
}

function freePort(): Promise<number> {
    return new Promise((resolve) => {
        const s = createServer();
        s.listen(0, "127.0.0.1", () => {
            const port = (s.address() as AddressInfo).port;
            s.close(() => resolve(port));
        });
    });
}

function get(port: number, path: string, headers: Record<string, string> = {}, form?: Record<string, string>): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
        const body = form === undefined ? undefined : new URLSearchParams(form).toString();
        const formHeaders: Record<string, string> = body === undefined ? {} : { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(Buffer.byteLength(body)) };
        const req = request({ host: "127.0.0.1", port, path, method: body === undefined ? "GET" : "POST", headers: { Host: DOMAIN, ...formHeaders, ...headers }, timeout: 5000 }, (res) => {
            let text = "";
            res.on("data", (c: Buffer) => (text += c.toString()));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
        });
        req.on("error", reject);
        req.on("timeout", () => req.destroy(new Error("timeout")));
        req.end(body);
    });
}

/**
 * An internet client's request as the load balancer forwards it: the ALB connects from its own
 * network (here 127.0.0.1, which the test passes as loadBalancerCidrs) and appends the client's
 * address to X-Forwarded-For, so nginx sees the client (203.0.113.7, TEST-NET-3), not loopback.
 */
const THROUGH_ALB = { "X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https" };

/** What an attacker who found the new host posts while the installer runs: Matomo's super user step has no nonce. */
const ATTACKER_SUPERUSER = { login: "attacker", password: "attacker-pass-1", password_bis: "attacker-pass-1", email: "attacker@example.net" };

/** Seconds from `started` until the health endpoint answers 200; rejects if cloud-init ends first without it. */
async function waitHealthy(port: number, started: number, finished: () => boolean): Promise<number> {
    for (;;) {
        const healthy = await get(port, HEALTH_CHECK_PATH).then((r) => r.status === 200, () => false);
        if (healthy) return (Date.now() - started) / 1000;
        if (finished()) throw new Error("cloud-init finished and the node never turned healthy");
        await new Promise((r) => setTimeout(r, 500));
    }
}

function tail(text: string, lines = 60): string {
    return text.split("\n").slice(-lines).join("\n");
}

describe("boot test [stand-ins: Matomo release archive, Secrets Manager] — real cloud-init boots each role's user data on a clean Debian 12 root against a real MariaDB", function () {
    this.timeout(45 * 60_000);
    const nodes = {} as Record<NodeRole, Node>;
    let db: TestDatabase | undefined;
    let release: (Running & { downloads: () => number; serve: (path: string) => void }) | undefined;
    let secrets: (Running & { requests: string[] }) | undefined;
    let smtp: SmtpCatcher | undefined;
    let cloudWatch: (Running & { metrics: ReceivedMetric[]; requests: string[] }) | undefined;
    let work = "";
    let template = "";
    let nodeEnv: Record<string, string> = {};
    /** Answers to the attacker's requests sent while the ui's config said installation_in_progress. */
    const attackerAnswers: number[] = [];

    before(async function () {
        requireRoot("the boot test builds a debootstrap root and chroots into it");
        requireTools("debootstrap", "chroot", "mount", "mariadbd", "mariadb-install-db", "mariadb", "openssl", "tar");

        work = mkdtempSync(join(tmpdir(), "matomo-boot-"));
        const [dbPort, uiPort, trackerPort] = [await freePort(), await freePort(), await freePort()];
        db = await startMariaDb(dbPort, "matomo", "matomo", DB_PASSWORD);

        const archive = join(work, "matomo-5.10.0.tar.gz");
        const { sha256 } = packStandinRelease(join(__dirname, "standin-matomo"), archive);
        const tls = makeCertificate(work);
        release = await startReleaseServer(tls, "matomo-5.10.0.tar.gz", archive);
        smtp = await startSmtpCatcher(tls, { username: SMTP_USER, password: SMTP_PASSWORD });
        secrets = await startSecretsManager({
            [ARN("db")]: JSON.stringify({ username: "matomo", password: DB_PASSWORD }),
            [ARN("salt")]: SALT,
            [ARN("superuser")]: SUPERUSER_PASSWORD,
            [ARN("smtp")]: JSON.stringify({ username: SMTP_USER, password: SMTP_PASSWORD }),
        });
        cloudWatch = await startCloudWatch();
        console.log(`      stand-in Matomo release: ${release.url} (sha256 ${sha256}); stand-in Secrets Manager: ${secrets.url}; stand-in CloudWatch metrics: ${cloudWatch.url}`);

        const settings = resolveSettings({
            domain: DOMAIN,
            certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/boot-test",
            database: { existing: { host: "127.0.0.1", port: dbPort, username: "matomo", passwordSecretArn: ARN("db"), tls: false } },
            matomo: { downloadUrl: release.url, sha256 },
            superUser: { email: "ops@boot-test.example" },
            mail: { host: "127.0.0.1", port: smtp.port, encryption: "tls", username: SMTP_USER, password: { secretArn: ARN("smtp"), jsonKey: "password" } },
        });
        // The clean root, and the .deb files its apt would download for what the user data installs
        // (lib/provision's own list for these settings), fetched once for both nodes.
        const debs = ensureBaseRoot([...new Set(ROLES.flatMap((role) => debianPackages(role, settings)))]);
        const config = renderConfig(settings, { databaseHost: "127.0.0.1" });
        template = config.text;
        nodeEnv = {
            PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            HOME: "/root",
            LANG: "C.UTF-8",
            // Stand-in wiring, not in the user data: where the stand-ins listen and the stand-in CA.
            MATOMO_SECRETS_ENDPOINT_URL: secrets.url,
            AWS_ACCESS_KEY_ID: "boot-test-standin",
            AWS_SECRET_ACCESS_KEY: "boot-test-standin",
            AWS_EC2_METADATA_DISABLED: "true",
            CURL_CA_BUNDLE: STANDIN_CA_IN_ROOT,
        };
        const ports: Record<NodeRole, number> = { ui: uiPort, tracker: trackerPort };
        for (const role of ROLES) {
            const userData = renderUserData({
                role,
                settings,
                config,
                region: REGION,
                secrets: {
                    database_password: { secretArn: ARN("db"), jsonKey: "password" },
                    salt: { secretArn: ARN("salt") },
                    superuser_password: { secretArn: ARN("superuser") },
                    references: { ref_mail_password: { secretArn: ARN("smtp"), jsonKey: "password" } },
                },
                httpPort: ports[role],
                // The test's requests come from 127.0.0.1, which here plays the load balancer.
                loadBalancerCidrs: ["127.0.0.1/32"],
                // Observability as the cluster renders it, metrics to the stand-in CloudWatch endpoint.
                observability: { ...BOOT_OBSERVABILITY, metricsEndpointUrl: cloudWatch.url },
            });
            const root = createNodeRoot(role, debs);
            // Stand-in wiring, not in the user data: what the instance role gives on EC2. With static
            // credentials in www-data's home the AWS CLI under cron never asks for the instance
            // metadata service, which exists only on EC2 (uid/gid 33 is www-data in Debian's base-passwd).
            mkdirSync(join(root, "var/www/.aws"), { recursive: true });
            writeFileSync(join(root, "var/www/.aws/credentials"), "[default]\naws_access_key_id = boot-test-standin\naws_secret_access_key = boot-test-standin\n");
            for (const p of ["var/www/.aws", "var/www/.aws/credentials"]) execFileSync("chown", ["33:33", join(root, p)]);
            seedUserData(root, `boot-test-${role}`, userData.content);
            mkdirSync(join(root, "usr/local/share/boot-test"), { recursive: true });
            copyFileSync(tls.cert, join(root, STANDIN_CA_IN_ROOT));
            nodes[role] = { root, port: ports[role], userData, packages: debianPackages(role, settings) };
        }

        // While the ui installs, knock on its installer from the internet (through the load balancer),
        // as often as possible: the installer's super user step must never answer anyone but loopback.
        let uiDone = false;
        const attacker = (async () => {
            const uiConfig = join(nodes.ui.root, "var/www/matomo/config/config.ini.php");
            while (!uiDone) {
                let installing = false;
                try {
                    installing = /^installation_in_progress = 1$/m.test(readFileSync(uiConfig, "utf8"));
                } catch {
                    /* not there yet */
                }
                if (installing) {
                    const answer = await get(nodes.ui.port, "/index.php?module=Installation&action=setupSuperUser", THROUGH_ALB, ATTACKER_SUPERUSER).then(
                        (r) => r.status,
                        () => -1,
                    );
                    attackerAnswers.push(answer);
                }
                await new Promise((r) => setTimeout(r, 100));
            }
        })();

        // Both boot at once, as an auto scaling group would start them: the tracker must wait for the ui's install.
        await Promise.all(
            ROLES.map(async (role) => {
                const node = nodes[role];
                const started = Date.now();
                let done = false;
                const run = runCloudInit(node.root, nodeEnv).then((r) => ((done = true), (uiDone ||= role === "ui"), r));
                const healthy = waitHealthy(node.port, started, () => done).then(
                    (s) => s,
                    () => undefined,
                );
                node.run = await run;
                node.healthySeconds = await healthy;
                console.log(`      ${role}: cloud-init exit ${node.run.code} after ${node.run.seconds.toFixed(1)}s; boot to healthy: ${node.healthySeconds === undefined ? "NEVER" : node.healthySeconds.toFixed(1) + "s"}`);
            }),
        );
        await attacker;
    });

    after(async function () {
        for (const role of ROLES) {
            const node = nodes[role];
            if (!node) continue;
            const keep = join(OUT_DIR, role);
            mkdirSync(keep, { recursive: true });
            for (const log of ["var/log/cloud-init-output.log", "var/log/cloud-init.log", "var/www/matomo/tmp/standin-console.log", "var/www/matomo/tmp/standin-installer.log"]) {
                const from = join(node.root, log);
                if (existsSync(from)) copyFileSync(from, join(keep, log.split("/").pop() as string));
            }
            if (node.run) writeFileSync(join(keep, "cloud-init-stages.log"), node.run.output);
            destroyNodeRoot(node.root);
        }
        await release?.close();
        await secrets?.close();
        await smtp?.close();
        await cloudWatch?.close();
        await db?.stop();
        if (work) rmSync(work, { recursive: true, force: true });
        console.log(`      logs kept in ${OUT_DIR}; cached clean root in ${CACHE_DIR}/base`);
    });

    for (const role of ROLES) {
        it(`${role}: cloud-init runs the user data to the end and the node turns healthy`, function () {
            const node = nodes[role];
            assert.ok(node.run, "cloud-init did not run");
            const output = readFileSync(join(node.root, "var/log/cloud-init-output.log"), "utf8");
            assert.equal(node.run.code, 0, `cloud-init failed:\n${tail(node.run.output)}\n--- cloud-init-output.log:\n${tail(output)}`);
            const result = JSON.parse(readFileSync(join(node.root, "run/cloud-init/result.json"), "utf8")) as { v1: { errors: string[] } };
            assert.deepEqual(result.v1.errors, []);
            assert.match(output, new RegExp(`matomo-provision\\[${role}\\]: ready after`));
            // The user data's own apt-get really installed the packages in this clean root.
            // (ca-certificates comes with the base, as on the AMI; everything else is installed here.)
            const installing = output.match(new RegExp(`matomo-provision\\[${role}\\]: installing packages: (.*)`))?.[1].split(" ");
            assert.deepEqual(installing, node.packages.filter((p) => p !== "ca-certificates"));
            for (const pkg of installing ?? []) assert.match(output, new RegExp(`^Setting up ${pkg.replace(".", "\\.")}[: ]`, "m"), `${pkg} set up by the user data's apt-get`);
            assert.ok(node.healthySeconds !== undefined, `${role} never answered 200 on ${HEALTH_CHECK_PATH}:\n${tail(output)}`);
        });
    }

    it("both nodes verified the stand-in release by sha256 and read secrets from the stand-in Secrets Manager", function () {
        for (const role of ROLES) {
            const output = readFileSync(join(nodes[role].root, "var/log/cloud-init-output.log"), "utf8");
            assert.match(output, /archive matches the configured sha256/);
        }
        assert.equal(release?.downloads(), 2);
        const reads = secrets?.requests ?? [];
        assert.equal(reads.filter((r) => r === `secretsmanager.GetSecretValue ${ARN("db")}`).length, 2);
        assert.equal(reads.filter((r) => r === `secretsmanager.GetSecretValue ${ARN("salt")}`).length, 2);
        // Only the ui installs, so only it reads the super user's password.
        assert.equal(reads.filter((r) => r === `secretsmanager.GetSecretValue ${ARN("superuser")}`).length, 1);
    });

    it("every node tried to install AWS's SSM Agent from its region's bucket with AWS's key in place; offline the bucket is unreachable, so no agent (real or stand-in) is installed and provisioning went on with a warning", function () {
        // AWS's "Verifying the signature of SSM Agent": the Debian package for ARM64 (the default
        // architecture) in the region's bucket, and the current key's fingerprint.
        const url = `https://s3.${REGION}.amazonaws.com/amazon-ssm-${REGION}/latest/debian_arm64/amazon-ssm-agent.deb`;
        for (const role of ROLES) {
            const output = readFileSync(join(nodes[role].root, "var/log/cloud-init-output.log"), "utf8");
            assert.ok(output.includes(`matomo-provision[${role}]: downloading the SSM Agent from ${url}\n`), role);
            assert.match(output, /WARNING: could not download the SSM Agent from \S+: this node has no Session Manager access until matomo-provision runs again/);
            const key = execFileSync("gpg", ["--batch", "--with-colons", "--show-keys", join(nodes[role].root, "etc/matomo-provision/amazon-ssm-agent.asc")], {
                env: { ...process.env, GNUPGHOME: mkdtempSync(join(tmpdir(), "boot-ssm-key-")) },
                stdio: "pipe",
            }).toString();
            assert.deepEqual([...key.matchAll(/^fpr:+([0-9A-F]{40}):/gm)].map((m) => m[1]), ["1C5B395CBE5E74E2F1CA21592784DBF388D19D46"], role);
            assert.notEqual(inRoot(nodes[role].root, ["dpkg-query", "-W", "-f=${Status}", "amazon-ssm-agent"]).stdout, "install ok installed");
        }
    });

    it("every node writes the same config.ini.php: template with escaped secrets + Matomo's plugin sections from the database, readable only by PHP", function () {
        const sections = Buffer.from(db!.query("SELECT TO_BASE64(option_value) FROM matomo.matomo_option WHERE option_name = 'provision_config_sections'"), "base64").toString("utf8");
        // As real Matomo 5 writes it after an install: every plugin of global.ini.php's [Plugins]
        // installed, and no [Plugins] section, since the activated list equals global.ini.php's.
        const globalIni = readFileSync(join(__dirname, "standin-matomo/config/global.ini.php"), "utf8");
        const plugins = [...globalIni.matchAll(/^Plugins\[\] = (\w+)$/gm)].map((m) => m[1]);
        assert.equal(plugins.length, 66, "Matomo 5's default plugin list");
        const expectedSections = `[PluginsInstalled]\n${plugins.map((p) => `PluginsInstalled[] = "${p}"`).join("\n")}\n`;
        assert.equal(sections, expectedSections);
        const expected = fillSecretPlaceholders(template, { database_password: DB_PASSWORD, salt: SALT, ref_mail_password: SMTP_PASSWORD }) + "\n" + expectedSections;
        assert.ok(expected.includes(`password = "db \\"pa\\$\\$\\" w\\\\ord 'x'"`), "hand check of the escaping");
        for (const role of ROLES) {
            const path = join(nodes[role].root, "var/www/matomo/config/config.ini.php");
            assert.equal(readFileSync(path, "utf8"), expected, `${role}'s config.ini.php`);
            const st = statSync(path);
            assert.equal(st.uid, 0, "owner root");
            assert.equal(st.gid, 33, "group www-data (gid 33 on Debian)");
            assert.equal(st.mode & 0o777, 0o440);
            assert.equal(statSync(join(nodes[role].root, "etc/matomo/config.base.ini.php")).mode & 0o777, 0o600);
        }
    });

    it("the SMTP password given by reference is in [mail] on both nodes, filled from its secret, and nowhere in user data, the plan or logs", function () {
        assert.equal(secrets!.requests.filter((r) => r === `secretsmanager.GetSecretValue ${ARN("smtp")}`).length, 2, "each node read it once");
        for (const role of ROLES) {
            const read = inRoot(nodes[role].root, ["php", "-r", 'echo json_encode(parse_ini_file("/var/www/matomo/config/config.ini.php", true)["mail"]);'], { user: "www-data" });
            assert.equal(read.status, 0, read.stderr);
            assert.deepEqual(JSON.parse(read.stdout), { transport: "smtp", host: "127.0.0.1", port: String(smtp!.port), encryption: "tls", type: "LOGIN", username: SMTP_USER, password: SMTP_PASSWORD });
        }
        const places: [string, string][] = [["config template (the plan's configIniPhp)", template]];
        for (const role of ROLES) {
            const node = nodes[role];
            places.push([`${role} user data`, node.userData.text], [`${role} user data (gzip, base64)`, node.userData.base64], [`${role} cloud-init stages`, node.run?.output ?? ""]);
            for (const log of ["var/log/cloud-init-output.log", "var/log/cloud-init.log"]) places.push([`${role} ${log}`, readFileSync(join(node.root, log), "utf8")]);
        }
        for (const [where, text] of places) {
            for (const form of [SMTP_PASSWORD, SMTP_PASSWORD.replace(/[\\"$]/g, (c) => `\\${c}`), Buffer.from(SMTP_PASSWORD).toString("base64")]) {
                assert.ok(!text.includes(form), `the SMTP password appears in ${where}`);
            }
        }
        assert.ok(template.includes('password = "{{secret:ref_mail_password}}"'));
    });

    it("a message sent with exactly the node's [mail] settings reaches the SMTP catcher: STARTTLS, AUTH LOGIN with the secret, never to an unverified server [stand-in: Matomo's mailer glue; real PHPMailer]", async function () {
        const root = nodes.ui.root;
        // Debian's PHPMailer (Matomo bundles the same library), added to the booted ui root for this test only.
        execFileSync("apt-get", ["download", "-q", "libphp-phpmailer"], { cwd: work, stdio: "ignore" });
        const deb = execFileSync("sh", ["-c", "ls libphp-phpmailer_*_all.deb"], { cwd: work, encoding: "utf8" }).trim();
        copyFileSync(join(work, deb), join(root, "tmp", deb));
        const installed = inRoot(root, ["dpkg", "-i", `/tmp/${deb}`]);
        assert.equal(installed.status, 0, installed.stdout + installed.stderr);
        copyFileSync(join(__dirname, "standin-mailer.php"), join(root, "tmp/standin-mailer.php"));
        // Async: the catcher answers from this process, so it must not block waiting for the mailer.
        const sent = await inRootAsync(root, ["php", "/tmp/standin-mailer.php", "/var/www/matomo/config/config.ini.php", "ops@boot-test.example", "boot test mail"], {
            user: "www-data",
            // Stand-in wiring: PHP's OpenSSL trusts the stand-in CA, as a real node trusts a real SMTP server's CA.
            env: { ...nodeEnv, SSL_CERT_FILE: STANDIN_CA_IN_ROOT },
        });
        assert.equal(sent.status, 0, sent.stdout + sent.stderr);
        assert.equal(smtp!.messages.length, 1);
        const [message] = smtp!.messages;
        assert.deepEqual(
            { tls: message.tls, mechanism: message.mechanism, username: message.username, passwordMatches: message.password === SMTP_PASSWORD, from: message.from, to: message.to },
            { tls: true, mechanism: "LOGIN", username: SMTP_USER, passwordMatches: true, from: `noreply@${DOMAIN}`, to: ["ops@boot-test.example"] },
        );
        assert.match(message.data, /^Subject: boot test mail$/m);
        assert.match(message.data, /^From: Matomo <noreply@analytics\.boot-test\.example>$/m);
        assert.deepEqual(smtp!.transcript.slice(0, 3).map((l) => l.split(" ")[0]), ["EHLO", "STARTTLS", "EHLO"], "TLS before any credential");
        assert.ok(!sent.stdout.includes(SMTP_PASSWORD) && !sent.stderr.includes(SMTP_PASSWORD));

        // Without the stand-in CA the server's certificate cannot be verified: nothing is sent, and no credential either.
        const transcriptBefore = smtp!.transcript.length;
        const untrusted = await inRootAsync(root, ["php", "/tmp/standin-mailer.php", "/var/www/matomo/config/config.ini.php", "ops@boot-test.example", "must not arrive"], { user: "www-data", env: nodeEnv });
        assert.notEqual(untrusted.status, 0, "sent to a server whose certificate was not verified");
        assert.match(untrusted.stderr + untrusted.stdout, /certificate verify failed/);
        assert.ok(!(untrusted.stderr + untrusted.stdout).includes(SMTP_PASSWORD), "the error shows no password");
        assert.equal(smtp!.messages.length, 1);
        assert.ok(!smtp!.transcript.slice(transcriptBefore).some((l) => l.startsWith("AUTH") || l === "[credentials]"), smtp!.transcript.slice(transcriptBefore).join(" | "));
    });

    it("the ui installed Matomo once (super user, first website) and the tracker waited for it instead of installing", function () {
        assert.equal(db!.query("SELECT option_value FROM matomo.matomo_option WHERE option_name = 'version_core'").trim(), "5.10.0");
        // The super user, and the anonymous user Matomo creates with its tables (no super user access).
        assert.equal(db!.query("SELECT login, email, superuser_access FROM matomo.matomo_user ORDER BY login").trim(), "admin\tops@boot-test.example\t1\nanonymous\tanonymous@example.org\t0");
        assert.equal(db!.query("SELECT name, main_url, timezone FROM matomo.matomo_site").trim(), `${DOMAIN}\thttps://${DOMAIN}\tUTC`);
        const ui = readFileSync(join(nodes.ui.root, "var/log/cloud-init-output.log"), "utf8");
        const tracker = readFileSync(join(nodes.tracker.root, "var/log/cloud-init-output.log"), "utf8");
        assert.match(ui, /installing Matomo 5\.10\.0 through its web installer over loopback/);
        // A step's page answers 200; a POST Matomo accepted answers 302 (to the next step).
        for (const [step, code] of [["tablesCreation", 200], ["setupSuperUser", 302], ["firstWebsiteSetup", 302], ["finished", 302]]) assert.match(ui, new RegExp(`installer step ${step}: HTTP ${code}\n`));
        assert.match(tracker, /waiting for a ui node to install or update Matomo to 5\.10\.0/);
        assert.doesNotMatch(tracker, /installer step/);
    });

    it("during the install the installer answers only loopback: an internet request through the load balancer is refused (403)", function () {
        // Sent whenever the ui's config said installation_in_progress, i.e. while Matomo's installer was live.
        assert.ok(attackerAnswers.length >= 3, `the attacker got several tries in while the ui installed (got ${attackerAnswers.length} answers)`);
        assert.deepEqual([...new Set(attackerAnswers)], [403], `answers to the attacker: ${attackerAnswers.join(", ")}`);
        assert.equal(db!.query("SELECT COUNT(*) FROM matomo.matomo_user WHERE login = 'attacker'").trim(), "0");
        // Every request the stand-in installer saw came from loopback (provisioning's own).
        const seen = readFileSync(join(nodes.ui.root, "var/www/matomo/tmp/standin-installer.log"), "utf8").trim().split("\n");
        assert.deepEqual(seen.map((line) => line.replace(/^\S+ /, "")), ["tablesCreation GET from 127.0.0.1", "setupSuperUser POST from 127.0.0.1", "firstWebsiteSetup POST from 127.0.0.1", "finished POST from 127.0.0.1"]);
    });

    it("the install kept Matomo's privacy default: IP anonymisation on, as its installer's box is pre-checked", function () {
        assert.equal(db!.query("SELECT option_value FROM matomo.matomo_option WHERE option_name = 'PrivacyManager.ipAnonymizerEnabled'").trim(), "1");
        assert.match(readFileSync(join(nodes.ui.root, "var/log/cloud-init-output.log"), "utf8"), /IP anonymisation stored as 1\n/);
    });

    it("ui runs cron with the archiving jobs; the tracker has neither cron nor its jobs", async function () {
        const daemons = (role: NodeRole) => processesIn(nodes[role].root).map((pid) => readFileSync(`/proc/${pid}/comm`, "utf8").trim());
        assert.ok(daemons("ui").includes("cron"), `ui processes: ${daemons("ui").join(", ")}`);
        assert.ok(!daemons("tracker").includes("cron"));
        for (const role of ROLES) {
            assert.ok(daemons(role).includes("nginx"), `${role} runs nginx`);
            assert.ok(daemons(role).some((d) => d.startsWith("php-fpm")), `${role} runs php-fpm`);
        }
        assert.ok(!existsSync(join(nodes.tracker.root, "etc/cron.d/matomo")));
        const cron = readFileSync(join(nodes.ui.root, "etc/cron.d/matomo"), "utf8");
        const archive = cron.split("\n").find((l) => l.includes("core:archive"));
        assert.ok(archive?.startsWith("5 * * * * www-data flock -n /run/lock/matomo-core-archive.lock "), archive);
        assert.match(cron, /^35 \* \* \* \* www-data .* lock-run matomo-scheduled-tasks 0 -- php \/var\/www\/matomo\/console scheduled-tasks:run /m);

        // Run the archiving job's command line as cron would (as www-data, through both locks, HOME from passwd).
        // Not blocking: the job reports to the stand-in CloudWatch this process serves.
        const command = archive!.replace(/^5 \* \* \* \* www-data /, "");
        const run = await inRootAsync(nodes.ui.root, ["sh", "-c", command], { user: "www-data", env: { HOME: "/var/www" } });
        assert.equal(run.status, 0, run.stderr);
        const consoleLog = readFileSync(join(nodes.ui.root, "var/www/matomo/tmp/standin-console.log"), "utf8");
        assert.match(consoleLog, /user=www-data core:archive --concurrent-archivers=-1 --url=https:\/\/analytics\.boot-test\.example\//);
        // Matomo counts every process whose command line holds "console " and " core:archive" (the
        // job's wrappers too) against --concurrent-archivers and quietly stops when over it.
        const archiveLog = readFileSync(join(nodes.ui.root, "var/log/matomo/matomo-core-archive.log"), "utf8");
        assert.doesNotMatch(archiveLog, /aborting run/, archiveLog);
        assert.match(archiveLog, /Done archiving!/, archiveLog);
    });

    it("the archiving lock is database-wide: while one node holds it, another node's run exits 75 without running", async function () {
        const tool = "/usr/local/lib/matomo-provision/matomo-db.php";
        const config = "/var/www/matomo/config/config.ini.php";
        const holder = spawn("chroot", [nodes.ui.root, "runuser", "-u", "www-data", "--", "php", tool, config, "lock-run", "matomo-core-archive", "0", "--", "sleep", "4"]);
        const holderDone = new Promise<number>((resolve) => holder.on("close", (code) => resolve(code ?? -1)));
        await new Promise((r) => setTimeout(r, 1500));
        const marker = "/tmp/lock-test-ran";
        const blocked = inRoot(nodes.tracker.root, ["php", tool, config, "lock-run", "matomo-core-archive", "0", "--", "touch", marker], { user: "www-data" });
        assert.equal(blocked.status, 75, blocked.stderr);
        assert.ok(!existsSync(join(nodes.tracker.root, marker)), "the blocked command must not run");
        assert.equal(await holderDone, 0);
        const free = inRoot(nodes.tracker.root, ["php", tool, config, "lock-run", "matomo-core-archive", "0", "--", "touch", marker], { user: "www-data" });
        assert.equal(free.status, 0, free.stderr);
        assert.ok(existsSync(join(nodes.tracker.root, marker)));
    });

    it("[stand-in: CloudWatch metrics endpoint] a successful core:archive run, as cron runs it, publishes the archiving heartbeat with its duration; a failed one does not; the ui's every-minute deep check publishes the database as reachable", async function () {
        const cron = readFileSync(join(nodes.ui.root, "etc/cron.d/matomo"), "utf8");
        const archive = cron.split("\n").find((l) => l.includes("core:archive"))!.replace(/^5 \* \* \* \* www-data /, "");
        const cluster = { Cluster: BOOT_OBSERVABILITY.cluster };
        const before = cloudWatch!.metrics.length;
        const started = Date.now();
        const run = await inRootAsync(nodes.ui.root, ["sh", "-c", archive], { user: "www-data", env: { HOME: "/var/www" } });
        assert.equal(run.status, 0, run.stderr);
        // (cron's deep check may report in between: only the archiving metrics are this run's.)
        const archiving = () => cloudWatch!.metrics.slice(before).filter((m) => m.name.startsWith("Archiving"));
        const sent = archiving();
        assert.deepEqual(sent.map((m) => [m.namespace, m.name, m.unit, m.dimensions]), [
            ["Matomo", "ArchivingSucceeded", "Count", cluster],
            ["Matomo", "ArchivingDurationSeconds", "Seconds", cluster],
        ]);
        assert.equal(sent[0].value, 1);
        assert.ok(sent[1].value >= 0 && sent[1].value <= (Date.now() - started) / 1000 + 1, `duration ${sent[1].value}`);
        // The wrapper passes the archiver's failure through and reports no success.
        const failed = await inRootAsync(nodes.ui.root, ["/usr/local/lib/matomo-provision/matomo-metric.sh", "archive", "false"], { user: "www-data", env: { HOME: "/var/www" } });
        assert.equal(failed.status, 1);
        assert.equal(archiving().length, 2, "no heartbeat for a failed run");
        // cron runs the deep check every minute on its own: wait for one report (at most ~70 s).
        const deadline = Date.now() + 75_000;
        while (!cloudWatch!.metrics.some((m) => m.name === "DatabaseReachable") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1000));
        const reachable = cloudWatch!.metrics.filter((m) => m.name === "DatabaseReachable");
        assert.ok(reachable.length > 0, `no DatabaseReachable from cron; metrics log:\n${readFileSync(join(nodes.ui.root, "var/log/matomo/matomo-metrics.log"), "utf8")}`);
        assert.deepEqual([reachable[0].value, reachable[0].dimensions], [1, cluster]);
        assert.deepEqual([...new Set(cloudWatch!.requests)], ["PutMetricData"]);
    });

    it("the files the CloudWatch agent is configured to read are where the node writes them, and they grow; offline the agent's signed package cannot be downloaded, so no agent runs and provisioning went on with a warning", async function () {
        for (const role of ROLES) {
            const root = nodes[role].root;
            const output = readFileSync(join(root, "var/log/cloud-init-output.log"), "utf8");
            // AWS's CloudWatch agent table: the region's bucket, Ubuntu ARM64 package for arm64.
            assert.ok(output.includes(`matomo-provision[${role}]: downloading the CloudWatch agent from https://amazoncloudwatch-agent-${REGION}.s3.${REGION}.amazonaws.com/ubuntu/arm64/latest/amazon-cloudwatch-agent.deb\n`), role);
            assert.match(output, /WARNING: could not download the CloudWatch agent, its signature or AWS's key/);
            assert.notEqual(inRoot(root, ["dpkg-query", "-W", "-f=${Status}", "amazon-cloudwatch-agent"]).stdout, "install ok installed");
            const config = JSON.parse(readFileSync(join(root, "etc/matomo-provision/cloudwatch-agent.json"), "utf8")) as { logs: { logs_collected: { files: { collect_list: { file_path: string; log_group_name: string }[] } } } };
            const files = config.logs.logs_collected.files.collect_list.map((f) => f.file_path);
            assert.deepEqual(files.length, role === "ui" ? 6 : 5);
            const size = (f: string) => (existsSync(join(root, f)) ? statSync(join(root, f)).size : -1);
            const before = Object.fromEntries(files.map((f) => [f, size(f)]));
            // Traffic and work each log records: a request (access log), a body over client_max_body_size
            // (nginx logs "client intended to send too large body" at its error level), a php-fpm reload
            // (its master log), an archiving run. Provisioning wrote its log at boot (checked below).
            const entry = role === "ui" ? "/index.php" : "/matomo.php?idsite=1&rec=1";
            await get(nodes[role].port, entry, THROUGH_ALB);
            await get(nodes[role].port, entry, { ...THROUGH_ALB, "Content-Length": String(1024 ** 3) }).catch(() => undefined);
            inRoot(root, ["sh", "-c", "kill -USR2 $(cat /run/php/php8.2-fpm.pid)"]);
            if (role === "ui") {
                const cron = readFileSync(join(root, "etc/cron.d/matomo"), "utf8");
                const archive = cron.split("\n").find((l) => l.includes("core:archive"))!.replace(/^5 \* \* \* \* www-data /, "");
                await inRootAsync(root, ["sh", "-c", archive], { user: "www-data", env: { HOME: "/var/www" } });
            }
            await new Promise((r) => setTimeout(r, 500));
            for (const f of files) {
                if (f === "/var/log/matomo/matomo.log") {
                    // The stand-in Matomo writes no log of its own: Matomo's file writer (Monolog's
                    // StreamHandler) creates the file, so what must hold is that PHP's user may create it there.
                    const probe = inRoot(root, ["runuser", "-u", "www-data", "--", "sh", "-c", "touch /var/log/matomo/matomo.log && test -w /var/log/matomo/matomo.log"]);
                    assert.equal(probe.status, 0, `${role}: www-data cannot write ${f}: ${probe.stderr}`);
                    assert.match(readFileSync(join(root, "var/www/matomo/config/config.ini.php"), "utf8"), /^logger_file_path = "\/var\/log\/matomo\/matomo\.log"$/m);
                    continue;
                }
                if (f === "/var/log/cloud-init-output.log") {
                    assert.match(readFileSync(join(root, f), "utf8"), new RegExp(`matomo-provision\\[${role}\\]: ready after`));
                    continue;
                }
                assert.ok(size(f) > Math.max(before[f], 0), `${role}: ${f} did not grow (${before[f]} → ${size(f)} bytes)`);
            }
        }
    });

    it("ui's nginx executes only Matomo's entry points and denies config, tmp, core, lang, dot-files and other PHP", async function () {
        const expectations: [string, number][] = [
            // The health answer is the load balancer's own check's (no X-Forwarded-For), not a client's.
            [HEALTH_CHECK_PATH, 404],
            ["/index.php", 200],
            ["/matomo.php", 200],
            ["/matomo.js", 200],
            ["/config/config.ini.php", 403],
            ["/config/global.ini.php", 403],
            ["/tmp/standin-console.log", 403],
            ["/core/Version.php", 403],
            ["/lang/en.json", 403],
            ["/.git/config", 403],
            ["/standin.php", 403],
            ["/plugins/Foo/Bar.php", 403],
            ["/console", 404],
        ];
        // Through the load balancer (an internet client's address): the installer gate is open now.
        for (const [path, status] of expectations) assert.equal((await get(nodes.ui.port, path, THROUGH_ALB)).status, status, `ui ${path}`);
        assert.equal((await get(nodes.ui.port, "/index.php", THROUGH_ALB)).body, "stand-in Matomo UI\n");
        assert.equal((await get(nodes.ui.port, HEALTH_CHECK_PATH)).status, 200, "the load balancer's health check");
    });

    it("tracker's nginx serves only the tracking endpoints and the health check", async function () {
        const expectations: [string, number][] = [
            [HEALTH_CHECK_PATH, 200],
            ["/matomo.php", 200],
            ["/piwik.php", 200],
            ["/js/index.php", 200],
            ["/js/tracker.php", 200],
            ["/matomo.js", 200],
            ["/piwik.js", 200],
            ["/", 404],
            ["/index.php", 404],
            ["/config/config.ini.php", 404],
            ["/standin.php", 404],
        ];
        for (const [path, status] of expectations) assert.equal((await get(nodes.tracker.port, path)).status, status, `tracker ${path}`);
    });

    it("tracker answers /js/ as Matomo's js/ endpoint: the tracker JS to a plain GET, tracking with parameters; and serves Tag Manager containers", async function () {
        const js = readFileSync(join(nodes.tracker.root, "var/www/matomo/matomo.js"), "utf8");
        for (const path of ["/js/", "/js"]) {
            const r = await get(nodes.tracker.port, path);
            assert.deepEqual([r.status, r.body], [200, js], path);
        }
        for (const path of ["/js/?idsite=1&rec=1", "/js?idsite=1&rec=1"]) {
            const r = await get(nodes.tracker.port, path);
            assert.deepEqual([r.status, r.body], [200, "stand-in tracker REMOTE_ADDR=127.0.0.1\n"], path);
        }
        // A container as Matomo's Tag Manager writes it into js/ (where nodes get containers is another issue's).
        const container = join(nodes.tracker.root, "var/www/matomo/js/container_bOoT1234.js");
        writeFileSync(container, "/* container */\n");
        try {
            assert.deepEqual(await get(nodes.tracker.port, "/js/container_bOoT1234.js"), { status: 200, body: "/* container */\n" });
        } finally {
            rmSync(container);
        }
        assert.equal((await get(nodes.tracker.port, "/js/container_nOnE1234.js")).status, 404);
    });

    it("ui serves the web app manifest every page links, and no top-level file that tells the release", async function () {
        // The stand-in tree has these where a release has them (no file is added or removed here:
        // with a real release tree, the test must not delete Matomo's own plugins/CoreHome).
        assert.deepEqual(await get(nodes.ui.port, "/plugins/CoreHome/javascripts/manifest.json"), { status: 200, body: '{"name":"Matomo"}\n' });
        for (const path of ["/CHANGELOG.md", "/composer.json"]) assert.equal((await get(nodes.ui.port, path)).status, 404, path);
    });

    it("tracker's php-fpm pool holds a bounded load (400 requests of 50 ms, 20 at a time): no 5xx, it grows to at most max_children workers, their RSS within max_children × memory_limit", async function () {
        const root = nodes.tracker.root;
        // The chroot shares this machine's CPUs and memory. docs/provisioning.md: a tracker's pool is
        // pm = dynamic with max_children = min(4 × vCPUs, (MemTotal − 768 MB) / 256 MB); memory_limit 256 MB.
        const memMb = Math.floor(Number(/^MemTotal:\s+(\d+) kB$/m.exec(readFileSync("/proc/meminfo", "utf8"))?.[1]) / 1024);
        const maxChildren = Math.min(4 * cpus().length, Math.floor((memMb - 768) / 256));
        const pool = readFileSync(join(root, "etc/php/8.2/fpm/pool.d/matomo.conf"), "utf8");
        assert.match(pool, /^pm = dynamic$/m);
        assert.match(pool, new RegExp(`^pm\\.max_children = ${maxChildren}$`, "m"));

        const workers = () =>
            processesIn(root).filter((pid) => {
                try {
                    return readFileSync(`/proc/${pid}/cmdline`, "utf8").startsWith("php-fpm: pool matomo");
                } catch {
                    return false;
                }
            });
        const rssKib = (pid: number) => Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
        let peakWorkers = 0;
        let peakRssKib = 0;
        const sample = () => {
            const pids = workers();
            peakWorkers = Math.max(peakWorkers, pids.length);
            peakRssKib = Math.max(peakRssKib, pids.reduce((sum, pid) => sum + (() => { try { return rssKib(pid); } catch { return 0; } })(), 0));
        };
        const sampler = setInterval(sample, 100);
        const total = 400;
        const deadline = Date.now() + 120_000;
        const statuses: Record<number, number> = {};
        let next = 0;
        const started = Date.now();
        try {
            await Promise.all(
                Array.from({ length: 20 }, async () => {
                    while (next < total && Date.now() < deadline) {
                        const i = next++;
                        const r = await get(nodes.tracker.port, `/matomo.php?idsite=1&rec=1&r=${i}&standin_wait_ms=50`).catch(() => ({ status: 0, body: "" }));
                        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
                    }
                }),
            );
        } finally {
            clearInterval(sampler);
        }
        sample();
        const seconds = (Date.now() - started) / 1000;
        console.log(`      tracker load: ${total} requests in ${seconds.toFixed(1)}s (${(total / seconds).toFixed(0)}/s), statuses ${JSON.stringify(statuses)}, peak ${peakWorkers} workers (max_children ${maxChildren}), peak worker RSS ${(peakRssKib / 1024).toFixed(1)} MiB (budget ${maxChildren * 256} MiB)`);
        assert.deepEqual(statuses, { 200: total }, "every request answered 200 within the 120 s bound");
        // Each request holds its worker 50 ms (as one waits on the database), so the pool grows past its
        // idle workers (one per vCPU), and never beyond max_children.
        assert.ok(peakWorkers > cpus().length && peakWorkers <= maxChildren, `${peakWorkers} workers`);
        assert.ok(peakRssKib < maxChildren * 256 * 1024, `${peakRssKib} KiB of workers`);
    });

    it("PHP sees the client address the load balancer appended last to X-Forwarded-For, not one the client forged", async function () {
        for (const role of ROLES) {
            const r = await get(nodes[role].port, "/matomo.php", { "X-Forwarded-For": "203.0.113.66, 198.51.100.7" });
            assert.equal(r.body, "stand-in tracker REMOTE_ADDR=198.51.100.7\n", role);
        }
    });

    it("every node ran custom-matomo-js:update as www-data, and matomo.js/piwik.js are the release's tracker (no plugin additions in the stand-in)", function () {
        const tracker = readFileSync(join(__dirname, "standin-matomo/js/piwik.min.js"), "utf8");
        assert.match(tracker, /^\/\*!!\n/, "the real tracker's header shape");
        assert.match(tracker, /window\.Matomo=window\.Piwik=/);
        for (const role of ROLES) {
            for (const js of ["matomo.js", "piwik.js"]) assert.equal(readFileSync(join(nodes[role].root, "var/www/matomo", js), "utf8"), tracker, `${role} ${js}`);
            assert.match(readFileSync(join(nodes[role].root, "var/www/matomo/tmp/standin-console.log"), "utf8"), /user=www-data custom-matomo-js:update --no-interaction/);
            assert.match(readFileSync(join(nodes[role].root, "var/log/cloud-init-output.log"), "utf8"), /^The Javascript Tracker has been updated$/m);
        }
    });

    it("a 60 s database outage leaves health at 200 on both roles; the deep check reports the database unreachable, then reachable again", async function () {
        const deepCheck = (role: NodeRole) => inRootAsync(nodes[role].root, ["php", "/usr/local/lib/matomo-provision/matomo-deep-check.php"]);
        for (const role of ROLES) {
            const r = await deepCheck(role);
            assert.equal(r.status, 0, r.stdout + r.stderr);
            assert.equal(r.stdout, "provisioning: finished\ndatabase: reachable\n");
        }
        await db!.stopServer();
        const answers: string[] = [];
        try {
            const until = Date.now() + 60_000;
            let deepChecked = false;
            while (Date.now() < until) {
                for (const role of ROLES) {
                    // As the load balancer's health checker asks: directly, no X-Forwarded-For.
                    const r = await get(nodes[role].port, HEALTH_CHECK_PATH).catch((e: Error) => ({ status: -1, body: e.message }));
                    answers.push(`${role} ${r.status}`);
                }
                if (!deepChecked) {
                    for (const role of ROLES) {
                        const r = await deepCheck(role);
                        assert.equal(r.status, 1, `${role}: ${r.stdout}`);
                        assert.match(r.stdout, /^provisioning: finished\ndatabase: unreachable \(SQLSTATE\[HY000\] \[2002\] Connection refused\)\n$/);
                        assert.doesNotMatch(r.stdout + r.stderr, /pa\$\$/, "no password in the output");
                    }
                    deepChecked = true;
                }
                await new Promise((r) => setTimeout(r, 2000));
            }
        } finally {
            await db!.startServer();
        }
        assert.ok(answers.length >= 40, `health polled through the outage (${answers.length} answers)`);
        assert.deepEqual([...new Set(answers)].sort(), ["tracker 200", "ui 200"]);
        for (const role of ROLES) {
            const r = await deepCheck(role);
            assert.equal(r.status, 0, r.stdout);
        }
    });

    it("rerunning provisioning on both nodes changes nothing (files, modes, database) and they stay healthy", async function () {
        const files = [
            "var/www/matomo/config/config.ini.php",
            "etc/matomo/config.base.ini.php",
            "etc/nginx/sites-available/matomo",
            "etc/nginx/matomo-installer-gate.conf",
            "etc/php/8.2/fpm/pool.d/matomo.conf",
            "etc/php/8.2/fpm/conf.d/90-matomo.ini",
            "etc/php/8.2/cli/conf.d/90-matomo.ini",
            "etc/cron.d/matomo",
            "var/lib/matomo-provision/release",
            "var/www/matomo/matomo.js",
            "var/www/matomo/core/Version.php",
        ];
        const snapshot = (role: NodeRole) =>
            files.map((f) => {
                const p = join(nodes[role].root, f);
                if (!existsSync(p)) return `${f} absent`;
                const st = statSync(p);
                return `${f} ${st.uid}:${st.gid} ${(st.mode & 0o7777).toString(8)} ${readFileSync(p).toString("base64")}`;
            });
        const database = () => db!.query("SELECT option_name, option_value FROM matomo.matomo_option ORDER BY 1; SELECT COUNT(*) FROM matomo.matomo_user; SELECT COUNT(*) FROM matomo.matomo_site; SHOW TABLES FROM matomo");
        // The daemons too: a rerun that changed nothing has no reason to restart or reload them.
        // (php-fpm's pool workers come and go by design: pm = dynamic stops idle ones after a burst.)
        const poolWorker = (pid: number) => {
            try {
                return readFileSync(`/proc/${pid}/cmdline`, "utf8").startsWith("php-fpm: pool ");
            } catch {
                return true;
            }
        };
        const daemons = (role: NodeRole) => processesIn(nodes[role].root).filter((pid) => !poolWorker(pid)).sort((a, b) => a - b);
        const before = { ui: snapshot("ui"), tracker: snapshot("tracker"), db: database(), www: ROLES.map((r) => inRoot(nodes[r].root, ["ls", "/var/www"]).stdout), pids: ROLES.map(daemons) };
        for (const role of ROLES) {
            const rerun = await inRootAsync(nodes[role].root, ["/usr/local/sbin/matomo-provision"], { env: nodeEnv });
            assert.equal(rerun.status, 0, rerun.stdout + rerun.stderr);
            assert.match(rerun.stdout, /packages already installed/);
            assert.match(rerun.stdout, /Matomo 5\.10\.0 already in place/);
            if (role === "ui") assert.match(rerun.stdout, /Matomo 5\.10\.0 is installed and current/);
            assert.doesNotMatch(rerun.stdout, /wrote \//, "no file rewritten");
            assert.doesNotMatch(rerun.stdout, /reloading|starting/, "no daemon reloaded or started");
        }
        assert.deepEqual({ ui: snapshot("ui"), tracker: snapshot("tracker"), db: database(), www: ROLES.map((r) => inRoot(nodes[r].root, ["ls", "/var/www"]).stdout), pids: ROLES.map(daemons) }, before);
        assert.equal(release?.downloads(), 2, "no second download");
        for (const role of ROLES) assert.equal((await get(nodes[role].port, HEALTH_CHECK_PATH)).status, 200, role);
    });

    it("a node refuses a release archive that does not match the configured sha256 and keeps the one it has", async function () {
        const tampered = join(work, "tampered.tar.gz");
        writeFileSync(tampered, Buffer.concat([readFileSync(join(work, "matomo-5.10.0.tar.gz")), Buffer.from("tampered")]));
        release!.serve(tampered);
        const root = nodes.tracker.root;
        const versionBefore = readFileSync(join(root, "var/www/matomo/core/Version.php"));
        rmSync(join(root, "var/lib/matomo-provision/release")); // forget the release, so the script fetches again
        const r = await inRootAsync(root, ["/usr/local/lib/matomo-provision/matomo-release.sh"], { env: nodeEnv });
        assert.equal(r.status, 1, r.stdout + r.stderr);
        assert.match(r.stderr, /the archive does not match the configured sha256; refusing to install it/);
        assert.deepEqual(readFileSync(join(root, "var/www/matomo/core/Version.php")), versionBefore);
        // Nothing moved aside or replaced (Debian's nginx package owns /var/www/html).
        assert.deepEqual(inRoot(root, ["ls", "/var/www"]).stdout.split("\n").filter((d) => d.startsWith("matomo")), ["matomo"]);
    });

    it("a release swap removes the previous tree (with its filled config.ini.php) once the new one is in place", async function () {
        release!.serve(join(work, "matomo-5.10.0.tar.gz"));
        const root = nodes.tracker.root;
        rmSync(join(root, "var/lib/matomo-provision/release"), { force: true }); // forget the release (the refusal above left none): the script installs it again
        const r = await inRootAsync(root, ["/usr/local/lib/matomo-provision/matomo-release.sh"], { env: nodeEnv });
        assert.equal(r.status, 0, r.stdout + r.stderr);
        assert.match(r.stdout, /moving the existing \/var\/www\/matomo aside to \/var\/www\/matomo\.previous-\d+/);
        assert.match(r.stdout, /removed the previous tree \/var\/www\/matomo\.previous-\d+/);
        assert.deepEqual(inRoot(root, ["ls", "/var/www"]).stdout.split("\n").filter((d) => d.startsWith("matomo")), ["matomo"]);
        // Provisioning writes the config into the new tree, as after any swap.
        const again = await inRootAsync(root, ["/usr/local/sbin/matomo-provision"], { env: nodeEnv });
        assert.equal(again.status, 0, again.stdout + again.stderr);
        assert.equal((await get(nodes.tracker.port, "/matomo.php", THROUGH_ALB)).status, 200);
    });

    it("provisioning refuses a database server whose max_allowed_packet is below Matomo's 64 MB, with a clear message, and changes nothing on it", async function () {
        const original = db!.query("SELECT @@GLOBAL.max_allowed_packet").trim();
        const tables = db!.query("SHOW TABLES FROM matomo");
        db!.query("SET GLOBAL max_allowed_packet = 16777216");
        try {
            const r = await inRootAsync(nodes.tracker.root, ["/usr/local/sbin/matomo-provision"], { env: nodeEnv });
            assert.equal(r.status, 1, r.stdout + r.stderr);
            assert.match(r.stderr, /max_allowed_packet is 16777216 bytes; Matomo needs at least 64 MB \(64000000\)/);
            assert.match(r.stderr, /ERROR: the database server does not meet Matomo's requirements/);
            assert.equal((await get(nodes.tracker.port, HEALTH_CHECK_PATH)).status, 503, "a node that failed provisioning leaves the load balancer");
        } finally {
            db!.query(`SET GLOBAL max_allowed_packet = ${Number(original)}`);
        }
        assert.equal(db!.query("SHOW TABLES FROM matomo"), tables);
        const again = await inRootAsync(nodes.tracker.root, ["/usr/local/sbin/matomo-provision"], { env: nodeEnv });
        assert.equal(again.status, 0, again.stdout + again.stderr);
        assert.equal((await get(nodes.tracker.port, HEALTH_CHECK_PATH)).status, 200);
        // The test server is MariaDB, given as an existing database (engine unknown): a warning, not a refusal.
        assert.match(again.stdout, /warning: the server is MariaDB but \[database\] schema is 'Mysql'/);
    });
});
