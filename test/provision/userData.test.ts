import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { createHash } from "crypto";
import { mkdtempSync, writeFileSync } from "fs";
import { load } from "js-yaml";
import { tmpdir } from "os";
import { join } from "path";
import { gunzipSync } from "zlib";
import * as pulumi from "@pulumi/pulumi";
import { renderConfig } from "../../lib/config";
import {
    renderBakeBundle,
    COMMON_SCRIPTS,
    compactProvisionFile,
    HEALTH_CHECK_PATH,
    renderProvisioningBundle,
    renderUserData,
    UI_SCRIPTS,
    SSM_AGENT_KEY_EXPIRES,
    USER_DATA_LIMIT_BYTES,
    type RenderedUserData,
} from "../../lib/provision";
import { largestUserDataBytes } from "../../lib/provision/budget";
import { requireTools } from "../support/tools";
import { ARNS, bundleAt, inputFor, PLUGIN_SHA256, renderBoth, settingsWith, type CloudConfig } from "./fixtures";

/** The largest user data the arguments build without extraConfig. */
const LARGEST = settingsWith({
    queuedTracking: { enabled: true, pluginSha256: PLUGIN_SHA256, numQueueWorkers: 16 },
    database: { readReplica: true },
    mail: {
        host: "email-smtp.eu-west-1.amazonaws.com",
        username: "AKIAEXAMPLESMTPUSER",
        password: { secretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:smtp-AbCdEf" },
    },
});

function parse(text: string): CloudConfig {
    return load(text) as CloudConfig;
}
/** A file the user data itself writes. */
function written(text: string, path: string): { owner: string; permissions: string; content: string } | undefined {
    return parse(text).write_files.find((f) => f.path === path);
}
/** A file the node gets: written by the user data, or unpacked from the provisioning bundle it pins. */
function file(u: RenderedUserData, path: string): { owner: string; permissions: string; content: string } | undefined {
    return written(u.text, path) ?? u.bundle.files.find((f) => f.path === path);
}
function env(text: string): string {
    return written(text, "/etc/matomo-provision/provision.env")?.content ?? "";
}

describe("provision: user data per role", () => {
    const settings = settingsWith();
    const both = renderBoth(settings);

    it("both roles carry the same config text and sha256, the one renderConfig produced", () => {
        const config = renderConfig(settings, { databaseHost: "matomo.c0abcdefghij.eu-west-1.rds.amazonaws.com" });
        for (const role of ["tracker", "ui"] as const) {
            assert.equal(both[role].configSha256, config.sha256);
            assert.equal(file(both[role], "/etc/matomo-provision/config.ini.php.template")?.content, config.text);
            assert.match(env(both[role].text), new RegExp(`^MATOMO_CONFIG_SHA256='${config.sha256}'$`, "m"));
        }
        assert.equal(both.tracker.configSha256, both.ui.configSha256);
    });

    it("no secret value appears in any user data, only the ARNs to read them from", () => {
        const values = ["Pr0d-DB-passw0rd!x", "5f0c8e7d6b5a4f3e2d1c0b9a8f7e6d5c", "SuperUser-Secret-42"];
        for (const role of ["tracker", "ui"] as const) {
            const u = both[role];
            for (const v of values) {
                assert.ok(!u.text.includes(v) && !gunzipSync(u.content).toString().includes(v) && !u.base64.includes(Buffer.from(v).toString("base64")));
            }
            assert.match(file(u, "/etc/matomo-provision/config.ini.php.template")!.content, /password = "\{\{secret:database_password\}\}"/);
            assert.match(env(u.text), /^MATOMO_CONFIG_SECRETS='database_username database_password salt'$/m);
            assert.match(env(u.text), new RegExp(`^MATOMO_SECRET_ARN_database_password='${ARNS.database_password}'$`, "m"));
            // The user's name from the same secret (JSON {"username", "password"}).
            assert.match(env(u.text), new RegExp(`^MATOMO_SECRET_ARN_database_username='${ARNS.database_password}'$`, "m"));
            assert.match(env(u.text), /^MATOMO_SECRET_KEY_database_username='username'$/m);
            assert.match(env(u.text), /^MATOMO_SECRET_KEY_database_password='password'$/m);
            assert.match(env(u.text), new RegExp(`^MATOMO_SECRET_ARN_salt='${ARNS.salt}'$`, "m"));
            assert.match(env(u.text), /^MATOMO_SECRET_KEY_salt=''$/m);
        }
        // Only the ui installs Matomo, so only it is told where the super user's password is.
        assert.ok(both.ui.text.includes(ARNS.superuser_password));
        assert.ok(!both.tracker.text.includes(ARNS.superuser_password));
    });

    it("is gzip of the readable text, base64 of those bytes, and far below EC2's 16 KB now that the files travel in the bundle", () => {
        assert.equal(USER_DATA_LIMIT_BYTES, 16384);
        // Before the provisioning bundle, user data carried every script and the SSM Agent's key:
        // 12,087 (tracker) and 14,422 (ui) bytes on this cluster, 15,513 for the largest ui. Now it
        // carries provision.env, the config template, bundle.env and the bootstrap: at most 4 KB
        // here and 5 KB for the largest configuration (QueuedTracking with 16 queue workers, a
        // replica, mail with a login), with the longest runtime values AWS hands back (a 1,024-byte
        // S3 version id among them), leaving over 11 KB for what issue 9 adds.
        for (const role of ["tracker", "ui"] as const) {
            const u = both[role];
            assert.equal(gunzipSync(u.content).toString("utf8"), u.text);
            assert.equal(u.base64, u.content.toString("base64"));
            assert.ok(u.content.length <= 4096, `${role}: ${u.content.length} bytes, more than 4 KB`);
            console.log(
                `      ${role}: ${u.content.length} bytes gzip (${u.base64.length} base64, ${u.text.length} text); its bundle ${u.bundle.content.length} bytes`,
            );
        }
        const largest = largestUserDataBytes(LARGEST);
        for (const role of ["tracker", "ui"] as const) {
            assert.ok(largest[role] <= 5120, `${role}, largest configuration: ${largest[role]} bytes, more than 5 KB`);
            console.log(`      ${role}, largest configuration with the longest runtime values: ${largest[role]} bytes gzip`);
        }
    });

    it("is never larger than the budget the cluster checks before creating resources (longest runtime values)", () => {
        const mailSecret = {
            secrets: {
                ...inputFor("ui", LARGEST).secrets,
                references: { ref_mail_password: { secretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:smtp-AbCdEf" } },
            },
        };
        for (const [settings, extra] of [
            [settingsWith(), {}],
            [LARGEST, mailSecret],
        ] as const) {
            const actual = renderBoth(settings, extra);
            const budget = largestUserDataBytes(settings);
            for (const role of ["tracker", "ui"] as const)
                assert.ok(actual[role].content.length <= budget[role], `${role}: ${actual[role].content.length} > budget ${budget[role]}`);
        }
    });

    it("counts a domain given as an Output at the longest hostname, in everything named after it", () => {
        // 253 characters, the most a DNS name may have (RFC 1035: 255 octets on the wire).
        const longest = `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(61)}`;
        const mail = { host: "email-smtp.eu-west-1.amazonaws.com" };
        const budget = largestUserDataBytes(settingsWith({ domain: pulumi.output("analytics.example.com"), mail }));
        // The longest the Output could resolve to, named apart from the domain (a site name has at most 90 characters).
        const actual = renderBoth(settingsWith({ domain: longest, firstSite: { name: "n".repeat(90) }, mail }));
        for (const role of ["tracker", "ui"] as const)
            assert.ok(actual[role].content.length <= budget[role], `${role}: ${actual[role].content.length} > budget ${budget[role]}`);
    });

    it("renders the same bytes every time (the launch template must not change between runs)", () => {
        const again = renderBoth(settings);
        assert.equal(again.ui.base64, both.ui.base64);
        assert.equal(again.tracker.base64, both.tracker.base64);
        assert.equal(both.ui.content[9], 3, "gzip header OS byte fixed to Unix");
    });

    it("is a #cloud-config that writes provision.env, the config template, bundle.env and the bootstrap, and runs only the bootstrap", () => {
        for (const role of ["tracker", "ui"] as const) {
            const u = both[role];
            assert.ok(u.text.startsWith("#cloud-config\n"));
            assert.deepEqual(parse(u.text).runcmd, [["/usr/local/sbin/matomo-bootstrap"]]);
            assert.deepEqual(
                parse(u.text).write_files.map((f) => [f.path, f.owner, f.permissions]),
                [
                    ["/etc/matomo-provision/provision.env", "root:root", "0600"],
                    ["/etc/matomo-provision/config.ini.php.template", "root:root", "0600"],
                    ["/etc/matomo-provision/bundle.env", "root:root", "0644"],
                    ["/usr/local/sbin/matomo-bootstrap", "root:root", "0755"],
                ],
            );
            assert.equal(written(u.text, "/usr/local/sbin/matomo-bootstrap")?.content, compactProvisionFile("matomo-bootstrap.sh"));
            // The provisioning command itself comes from the bundle, as it was written before.
            const provision = file(u, "/usr/local/sbin/matomo-provision");
            assert.deepEqual([provision?.owner, provision?.permissions], ["root:root", "0755"]);
            assert.equal(provision?.content, compactProvisionFile("matomo-provision.sh"));
            assert.match(compactProvisionFile("matomo-bootstrap.sh"), /\nexec \/usr\/local\/sbin\/matomo-provision\n$/);
        }
    });

    it("pins the bundle by bucket, key, S3 version id and the sha256 of exactly the bundle rendered from the same inputs", () => {
        for (const role of ["tracker", "ui"] as const) {
            const u = both[role];
            const location = bundleAt(role);
            const sha256 = createHash("sha256")
                .update(renderProvisioningBundle(inputFor(role, settings)).content)
                .digest("hex");
            assert.equal(u.bundle.sha256, sha256);
            assert.equal(
                written(u.text, "/etc/matomo-provision/bundle.env")
                    ?.content.split("\n")
                    .filter((l) => !l.startsWith("#"))
                    .join("\n"),
                `MATOMO_BUNDLE_BUCKET='${location.bucket}'\nMATOMO_BUNDLE_KEY='provisioning/${role}.tar.gz'\nMATOMO_BUNDLE_VERSION_ID='${location.versionId}'\nMATOMO_BUNDLE_SHA256='${sha256}'\n`,
            );
            // bash reads back the version id as S3 gave it (it holds + and /).
            const dir = mkdtempSync(join(tmpdir(), "bundle-env-"));
            writeFileSync(join(dir, "bundle.env"), written(u.text, "/etc/matomo-provision/bundle.env")!.content);
            assert.equal(
                execFileSync("bash", ["-c", `set -euo pipefail; . "${dir}/bundle.env"; printf '%s' "$MATOMO_BUNDLE_VERSION_ID"`]).toString(),
                location.versionId,
            );
        }
        // Another version of the same object: user data changes, the bundle does not.
        const other = renderUserData(inputFor("ui", settings, undefined, { bundle: { ...bundleAt("ui"), versionId: "null-but-not-really.2" } }));
        assert.notEqual(other.base64, both.ui.base64);
        assert.equal(other.bundle.sha256, both.ui.bundle.sha256);
    });

    it("every file of the list travels exactly once: provision.env and the template in user data, the rest in the bundle", () => {
        for (const role of ["tracker", "ui"] as const) {
            const u = both[role];
            const inUserData = parse(u.text).write_files.map((f) => f.path);
            const inBundle = u.bundle.files.map((f) => f.path);
            assert.deepEqual(
                inUserData.filter((p) => inBundle.includes(p)),
                [],
            );
            assert.ok(inBundle.includes("/etc/matomo-provision/amazon-ssm-agent.asc"), "the SSM Agent's key");
            assert.ok(inBundle.includes("/etc/matomo-provision/nginx-site.conf"));
            for (const script of [...COMMON_SCRIPTS, ...(role === "ui" ? UI_SCRIPTS : [])]) {
                assert.ok(
                    inBundle.includes(script === "matomo-provision.sh" ? "/usr/local/sbin/matomo-provision" : `/usr/local/lib/matomo-provision/${script}`),
                    script,
                );
            }
            assert.deepEqual(inBundle, [...inBundle].sort(), "sorted by path");
            // The config every node must have byte for byte stays in user data, as the design says.
            assert.ok(!inBundle.some((p) => p.endsWith("config.ini.php.template") || p.endsWith("provision.env")));
        }
    });

    it("every role carries the stored sections' rules beside matomo-config-sections.php: extraConfig's locked sections and keys (issue 17.2)", () => {
        for (const role of ["tracker", "ui"] as const) {
            const rules = file(both[role], "/usr/local/lib/matomo-provision/matomo-config-rules.json");
            assert.ok(rules, role);
            const parsed = JSON.parse(rules.content) as { managedSections: string[]; lockedKeys: Record<string, string[]> };
            assert.deepEqual(parsed.managedSections, ["Plugins", "PluginsInstalled"]);
            assert.ok(parsed.lockedKeys.General.includes("enable_installer") && parsed.lockedKeys.General.includes("enable_trusted_host_check"));
            assert.ok(parsed.lockedKeys.General.includes("force_ssl") && parsed.lockedKeys.database.includes("host"));
        }
    });

    it("only the ui carries the installer/update script and the archiving jobs (both carry cron: runtimeFiles.test.ts)", () => {
        assert.ok(file(both.ui, "/usr/local/lib/matomo-provision/matomo-ui-setup.sh"));
        assert.equal(file(both.tracker, "/usr/local/lib/matomo-provision/matomo-ui-setup.sh"), undefined);
        assert.match(file(both.ui, "/etc/matomo-provision/cron")!.content, /core:archive/);
        assert.doesNotMatch(file(both.tracker, "/etc/matomo-provision/cron")!.content, /core:archive|scheduled-tasks/);
    });

    it("installs nginx, php8.2-fpm with Matomo's extensions, a MySQL client, gpg and the AWS CLI; php-redis only with QueuedTracking", () => {
        const packages = (text: string) => /^MATOMO_PACKAGES='([^']*)'$/m.exec(env(text))![1].split(" ");
        for (const pkg of [
            "nginx",
            "php8.2-fpm",
            "php8.2-cli",
            "php8.2-mysql",
            "php8.2-gd",
            "php8.2-curl",
            "php8.2-xml",
            "php8.2-mbstring",
            "php8.2-zip",
            "php8.2-intl",
            "php8.2-opcache",
            "mariadb-client",
            "gnupg",
            "awscli",
            "curl",
            "ca-certificates",
        ]) {
            assert.ok(packages(both.tracker.text).includes(pkg), pkg);
        }
        assert.ok(!packages(both.tracker.text).includes("php-redis"));
        const queued = renderBoth(settingsWith({ queuedTracking: { enabled: true, pluginSha256: PLUGIN_SHA256 } }));
        assert.ok(packages(queued.tracker.text).includes("php-redis"));
        assert.ok(packages(queued.ui.text).includes("php-redis"));
        assert.match(file(queued.ui, "/etc/matomo-provision/cron")!.content, /matomo-queue-worker\.sh/);
        assert.doesNotMatch(file(both.ui, "/etc/matomo-provision/cron")!.content, /queuedtracking/);
    });

    it("with QueuedTracking, both roles carry the plugin in their manifest (URL, sha256) and its installer, and only then", () => {
        const sha = "d".repeat(64);
        const queued = renderBoth(settingsWith({ queuedTracking: { enabled: true, pluginSha256: sha } }));
        for (const role of ["tracker", "ui"] as const) {
            assert.equal(
                file(queued[role], "/etc/matomo-provision/plugins.manifest")?.content,
                `QueuedTracking 5.2.0 ${sha} https://plugins.matomo.org/api/2.0/plugins/QueuedTracking/download/5.2.0 -\n`,
                role,
            );
            assert.ok(file(queued[role], "/usr/local/lib/matomo-provision/matomo-plugin.sh"), role);
            assert.match(env(queued[role].text), /^MATOMO_PACKAGES='.*\bunzip\b.*'$/m, role);
        }
        assert.doesNotMatch(env(both.tracker.text), /unzip/);
        assert.equal(file(both.tracker, "/etc/matomo-provision/plugins.manifest")?.content, "");
        assert.equal(file(both.tracker, "/usr/local/lib/matomo-provision/matomo-plugin.sh"), undefined);
        // The ui activates the listed plugins while it holds the provisioning lock.
        assert.match(file(queued.ui, "/usr/local/lib/matomo-provision/matomo-ui-setup.sh")!.content, /matomo-plugins\.sh" apply/);
        assert.match(file(queued.ui, "/usr/local/lib/matomo-provision/matomo-plugins.sh")!.content, /console plugin:activate "\$name"/);
    });

    it("keeps one supervised QueuedTracking worker per queue on the ui (cron restarts it under flock; it forces a queue below a full batch after forceProcessAfterSeconds), none on trackers", () => {
        const render = (queuedTracking: Record<string, unknown>) =>
            renderBoth(settingsWith({ queuedTracking: { enabled: true, pluginSha256: PLUGIN_SHA256, ...queuedTracking } }));
        const workers = (u: RenderedUserData) =>
            (file(u, "/etc/matomo-provision/cron")?.content ?? "").split("\n").filter((l) => l.includes("matomo-queue-worker.sh"));
        const one = render({});
        assert.deepEqual(workers(one.ui), [
            // Every minute: a running worker holds the lock (cron's start exits at once); a killed one is started again.
            "* * * * * www-data flock -n /run/lock/matomo-queuedtracking.lock /usr/local/lib/matomo-provision/matomo-queue-worker.sh all 60 /var/www/matomo/console >> /var/log/matomo/matomo-queuedtracking.log 2>&1",
        ]);
        assert.doesNotMatch(
            file(one.ui, "/etc/matomo-provision/cron")!.content,
            /^\S+ \S+ \S+ \S+ \S+ www-data .*console queuedtracking:process/m,
            "no single cron-started run any more",
        );
        assert.equal(file(one.ui, "/usr/local/lib/matomo-provision/matomo-queue-worker.sh")?.permissions, "0755");
        assert.equal(file(one.tracker, "/usr/local/lib/matomo-provision/matomo-queue-worker.sh"), undefined, "trackers process no queue");
        assert.deepEqual(workers(one.tracker), [], "trackers' cron starts no worker");
        const four = workers(render({ numQueueWorkers: 4, forceProcessAfterSeconds: 20 }).ui);
        assert.deepEqual(
            four.map((l) => /\/matomo-queue-worker\.sh (\d+) (\d+) /.exec(l)!.slice(1).join(" ")),
            ["0 20", "1 20", "2 20", "3 20"],
        );
        assert.equal(new Set(four.map((l) => /flock -n (\S+)/.exec(l)![1])).size, 4, "each queue has its own lock");
    });

    it("sizes the queues from a peak rate: ⌈peak / 300⌉ workers unless numQueueWorkers is given", () => {
        const queues = (queuedTracking: Record<string, unknown>) => {
            const s = settingsWith({ queuedTracking: { enabled: true, pluginSha256: PLUGIN_SHA256, ...queuedTracking } }).queuedTracking;
            return s.enabled ? s.numQueueWorkers : 0;
        };
        assert.equal(queues({}), 1, "today's default");
        // 1 billion hits a month average 386/s; at a peak of 4 times that, 1,543/s: 6 workers of 300/s.
        assert.equal(queues({ peakRequestsPerSecond: 1543 }), 6);
        assert.equal(queues({ peakRequestsPerSecond: 300 }), 1);
        assert.equal(queues({ peakRequestsPerSecond: 301 }), 2);
        assert.equal(queues({ peakRequestsPerSecond: 1543, numQueueWorkers: 3 }), 3, "an explicit number wins");
        assert.throws(
            () => settingsWith({ queuedTracking: { enabled: true, pluginSha256: PLUGIN_SHA256, peakRequestsPerSecond: 4801 } }),
            /queuedTracking\.peakRequestsPerSecond.*at most 4800/,
        );
    });

    it("verifies the release by Matomo's signature by default, or by the user's sha256 when given", () => {
        const e = env(both.ui.text);
        assert.match(e, /^MATOMO_VERSION='5\.10\.0'$/m);
        assert.match(e, /^MATOMO_DOWNLOAD_URL='https:\/\/builds\.matomo\.org\/matomo-5\.10\.0\.tar\.gz'$/m);
        assert.match(e, /^MATOMO_VERIFY='signature'$/m);
        assert.match(e, /^MATOMO_SIGNING_KEY_FINGERPRINT='F529A27008477483777FC23D63BB30D0E5D2C749'$/m);
        const sha = "a".repeat(64);
        const mirrored = renderBoth(settingsWith({ matomo: { downloadUrl: "https://my-bucket.s3.amazonaws.com/matomo-5.10.0.tar.gz", sha256: sha } }));
        assert.match(env(mirrored.tracker.text), /^MATOMO_DOWNLOAD_URL='https:\/\/my-bucket\.s3\.amazonaws\.com\/matomo-5\.10\.0\.tar\.gz'$/m);
        assert.match(env(mirrored.tracker.text), /^MATOMO_VERIFY='sha256'$/m);
        assert.match(env(mirrored.tracker.text), new RegExp(`^MATOMO_SHA256='${sha}'$`, "m"));
    });

    it("fetches Amazon's RDS CA bundle when the database uses TLS", () => {
        assert.match(env(both.ui.text), /^MATOMO_DB_TLS='1'$/m);
        assert.match(env(both.ui.text), /^MATOMO_DB_CA_URL='https:\/\/truststore\.pki\.rds\.amazonaws\.com\/global\/global-bundle\.pem'$/m);
        assert.match(env(both.ui.text), /^MATOMO_DB_CA_PATH='\/etc\/matomo\/database-ca\.pem'$/m);
    });

    it("provision.env reads back in bash as exactly the values rendered, quotes and dollars included", () => {
        const tricky = settingsWith({ firstSite: { name: `Bob's "$HOME" \`site\` \\ 100%` } });
        const u = renderUserData(inputFor("ui", tricky));
        const dir = mkdtempSync(join(tmpdir(), "provision-env-"));
        writeFileSync(join(dir, "provision.env"), env(u.text));
        const out = execFileSync("bash", ["-c", `set -euo pipefail; . "${dir}/provision.env"; printf '%s' "$MATOMO_SITE_NAME"`]).toString();
        assert.equal(out, `Bob's "$HOME" \`site\` \\ 100%`);
    });

    it("the ui site answers loopback only until provisioning opens its installer gate; trackers have no installer and no gate", () => {
        const site = file(both.ui, "/etc/matomo-provision/nginx-site.conf")!.content;
        assert.match(site, /^ {4}include \/etc\/nginx\/matomo-installer-gate\.conf;$/m, "included at server level, so every location is gated");
        // Closed as shipped; provisioning opens it by emptying the file.
        const closed = file(both.ui, "/etc/matomo-provision/installer-gate.conf")!.content;
        assert.deepEqual(
            closed.split("\n").filter((l) => l !== "" && !l.startsWith("#")),
            ["allow 127.0.0.1;", "deny all;"],
        );
        assert.match(env(both.ui.text), /^MATOMO_INSTALLER_GATE='\/etc\/nginx\/matomo-installer-gate\.conf'$/m);
        assert.doesNotMatch(file(both.tracker, "/etc/matomo-provision/nginx-site.conf")!.content, /installer-gate/);
        assert.equal(file(both.tracker, "/etc/matomo-provision/installer-gate.conf"), undefined);
    });

    it("the ui answers the installer's privacy question as Matomo proposes (anonymise IPs) unless privacy.anonymizeIp is false", () => {
        assert.match(env(both.ui.text), /^MATOMO_ANONYMIZE_IP='1'$/m);
        assert.match(env(renderBoth(settingsWith({ privacy: { anonymizeIp: false } })).ui.text), /^MATOMO_ANONYMIZE_IP='0'$/m);
        assert.doesNotMatch(env(both.tracker.text), /MATOMO_ANONYMIZE_IP/);
    });

    // health.php asks a ui's database only for its Matomo version and never fails when it cannot
    // (test/provision/health.test.ts runs it so); reachability is the deep check's.
    it("every node carries the deep check (database reachability) and the health check with the PDO helper it reads a ui's database version with", () => {
        for (const role of ["tracker", "ui"] as const) {
            assert.ok(file(both[role], "/usr/local/lib/matomo-provision/matomo-deep-check.php"), role);
            assert.ok(file(both[role], "/usr/local/lib/matomo-provision/health.php"), role);
            assert.ok(file(both[role], "/usr/local/lib/matomo-provision/matomo-pdo.php"), role);
        }
    });

    it("the health check path is a dedicated script, not index.php", () => {
        assert.equal(HEALTH_CHECK_PATH, "/matomo-health.php");
        assert.match(
            file(both.tracker, "/etc/matomo-provision/nginx-site.conf")!.content,
            /location = \/matomo-health\.php \{[\s\S]*?fastcgi_param SCRIPT_FILENAME \/usr\/local\/lib\/matomo-provision\/health\.php;/,
        );
    });

    it("trusts X-Forwarded-For only from the VPC (new network) or private ranges (existing network)", () => {
        const site = (u: RenderedUserData) => file(u, "/etc/matomo-provision/nginx-site.conf")!.content;
        assert.deepEqual(site(both.ui).match(/set_real_ip_from \S+;/g), ["set_real_ip_from 10.80.0.0/16;"]);
        assert.match(site(both.ui), /real_ip_header X-Forwarded-For;\n {4}real_ip_recursive off;/);
        const existing = renderBoth(
            settingsWith({
                network: {
                    existing: {
                        vpcId: "vpc-0000000a",
                        publicSubnetIds: ["subnet-0000000a", "subnet-0000000b"],
                        privateSubnetIds: ["subnet-0000000c", "subnet-0000000d"],
                    },
                },
            }),
        );
        assert.deepEqual(site(existing.tracker).match(/set_real_ip_from \S+;/g), [
            "set_real_ip_from 10.0.0.0/8;",
            "set_real_ip_from 172.16.0.0/12;",
            "set_real_ip_from 192.168.0.0/16;",
        ]);
    });

    it("refuses a load balancer range that is not an IPv4 CIDR block (it goes into nginx's config)", () => {
        assert.throws(() => renderUserData(inputFor("ui", settings, undefined, { loadBalancerCidrs: ["10.0.0.0/8; allow all"] })), /not an IPv4 CIDR block/);
        assert.throws(() => renderUserData(inputFor("ui", settings, undefined, { loadBalancerCidrs: [] })), /must not be empty/);
    });
    describe("SSM Agent (Session Manager access; Debian's AMIs do not ship the agent)", () => {
        // From AWS's "Verifying the signature of SSM Agent": the current key's primary fingerprint,
        // its user ID, and the regional download for Debian Server per architecture.
        const AWS_FINGERPRINT = "1C5B395CBE5E74E2F1CA21592784DBF388D19D46";
        const keyIn = (u: RenderedUserData) => {
            requireTools("gpg");
            const home = mkdtempSync(join(tmpdir(), "ssm-key-"));
            const key = join(home, "key.asc");
            writeFileSync(key, file(u, "/etc/matomo-provision/amazon-ssm-agent.asc")?.content ?? "");
            execFileSync("gpg", ["--batch", "--quiet", "--import", key], { env: { ...process.env, GNUPGHOME: home }, stdio: "pipe" });
            return execFileSync("gpg", ["--batch", "--with-colons", "--fingerprint"], { env: { ...process.env, GNUPGHOME: home }, stdio: "pipe" }).toString();
        };

        it("every node carries AWS's signing key with exactly the pinned fingerprint, and provisioning runs the agent's installer", () => {
            for (const role of ["tracker", "ui"] as const) {
                const keys = keyIn(both[role]);
                assert.deepEqual(
                    [...keys.matchAll(/^fpr:+([0-9A-F]{40}):/gm)].map((m) => m[1]),
                    [AWS_FINGERPRINT],
                    role,
                );
                assert.match(keys, /^uid:.*:SSM Agent <ssm-agent-signer@amazon\.com>:/m);
                assert.match(env(both[role].text), new RegExp(`^MATOMO_SSM_AGENT_FINGERPRINT='${AWS_FINGERPRINT}'$`, "m"));
                const installer = file(both[role], "/usr/local/lib/matomo-provision/matomo-ssm-agent.sh");
                assert.deepEqual([installer?.owner, installer?.permissions], ["root:root", "0755"]);
                assert.match(
                    file(both[role], "/usr/local/sbin/matomo-provision")!.content,
                    /MATOMO_ROLE=\$MATOMO_ROLE "\$LIB\/matomo-ssm-agent\.sh" "\$MATOMO_SSM_AGENT_URL" "\$MATOMO_SSM_AGENT_FINGERPRINT" "\$PAYLOAD\/amazon-ssm-agent\.asc"/,
                );
            }
        });

        it("downloads the regional Debian package for the nodes' architecture, over https", () => {
            assert.match(
                env(both.tracker.text),
                /^MATOMO_SSM_AGENT_URL='https:\/\/s3\.eu-west-1\.amazonaws\.com\/amazon-ssm-eu-west-1\/latest\/debian_arm64\/amazon-ssm-agent\.deb'$/m,
            );
            const x86 = renderBoth(settingsWith({ architecture: "x86_64" }));
            assert.match(
                env(x86.ui.text),
                /^MATOMO_SSM_AGENT_URL='https:\/\/s3\.eu-west-1\.amazonaws\.com\/amazon-ssm-eu-west-1\/latest\/debian_amd64\/amazon-ssm-agent\.deb'$/m,
            );
        });

        it("the pinned key is valid for at least 60 more days (else take its successor from AWS's documentation)", () => {
            const expires = Number(/^pub:[^:]*:[^:]*:[^:]*:[^:]*:[^:]*:(\d+):/m.exec(keyIn(both.ui))![1]);
            assert.equal(new Date(expires * 1000).toISOString().slice(0, 10), "2027-11-25", "the expiry AWS's key carries");
            assert.equal(SSM_AGENT_KEY_EXPIRES, "2027-11-25");
            assert.ok(
                expires * 1000 - Date.now() > 60 * 86_400_000,
                `AWS's SSM Agent key expires on ${new Date(expires * 1000).toISOString().slice(0, 10)}: nodes will refuse the agent after that`,
            );
        });
    });
});

describe("provision: secrets given by reference", () => {
    const MAIL_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:matomo-smtp-AbCdEf";
    const LICENSE_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:matomo-license-GhIjKl";
    const settings = settingsWith({
        mail: { host: "smtp.example.com", username: "matomo", password: { secretArn: MAIL_ARN, jsonKey: "password" } },
        extraConfig: { LicenseKey: { license_key: { secretArn: LICENSE_ARN } } },
    });
    const references = { ref_mail_password: { secretArn: MAIL_ARN, jsonKey: "password" }, ref_LicenseKey_license_key: { secretArn: LICENSE_ARN } };

    it("every role is told where to read each one, by placeholder name; the config text holds only placeholders", () => {
        const both = {
            tracker: renderUserData(inputFor("tracker", settings, undefined, { secrets: { ...inputFor("tracker", settings).secrets, references } })),
            ui: renderUserData(inputFor("ui", settings, undefined, { secrets: { ...inputFor("ui", settings).secrets, references } })),
        };
        for (const role of ["tracker", "ui"] as const) {
            const e = env(both[role].text);
            // In the order the config holds them: [mail] is ours, [LicenseKey] a section added after ours.
            assert.match(e, /^MATOMO_CONFIG_SECRETS='database_username database_password salt ref_mail_password ref_LicenseKey_license_key'$/m);
            // The SMTP password: the ui sends mail; a tracker is not told where it is (and may not read it).
            if (role === "ui") {
                assert.match(e, new RegExp(`^MATOMO_SECRET_ARN_ref_mail_password='${MAIL_ARN}'$`, "m"));
                assert.match(e, /^MATOMO_SECRET_KEY_ref_mail_password='password'$/m);
            } else {
                assert.match(e, /^MATOMO_SECRET_ARN_ref_mail_password=''$/m);
                assert.ok(!both[role].text.includes(MAIL_ARN), "a tracker's user data never names the SMTP password's secret");
            }
            assert.match(e, new RegExp(`^MATOMO_SECRET_ARN_ref_LicenseKey_license_key='${LICENSE_ARN}'$`, "m"));
            assert.match(e, /^MATOMO_SECRET_KEY_ref_LicenseKey_license_key=''$/m);
            const template = file(both[role], "/etc/matomo-provision/config.ini.php.template")!.content;
            assert.match(template, /^password = "\{\{secret:ref_mail_password\}\}"$/m);
            assert.ok(!template.includes(MAIL_ARN) && !template.includes(LICENSE_ARN), "ARNs live in provision.env, not in the config");
        }
    });

    it("refuses to render a placeholder no secret was given for, or a secret the config does not use", () => {
        assert.throws(() => renderBoth(settings), /placeholder ref_mail_password that no secret was given for/);
        const plain = settingsWith();
        assert.throws(() => renderBoth(plain, { secrets: { ...inputFor("ui", plain).secrets, references } }), /was given but the config has no placeholder/);
    });
});

describe("provision: the image bake's bundle", () => {
    it("carries every script provisioning runs in bake mode, the reach probe of its first step included", () => {
        const paths = renderBakeBundle(settingsWith({}), "eu-west-1").files.map((f) => f.path);
        for (const script of ["common.sh", "matomo-reach.sh", "matomo-release.sh", "matomo-verify-signature.sh", "matomo-ssm-agent.sh", "matomo-plugins.sh"])
            assert.ok(paths.includes(`/usr/local/lib/matomo-provision/${script}`), `${script} is not in the bake bundle: ${paths.join(", ")}`);
    });
});
