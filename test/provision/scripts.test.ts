/**
 * The node-side scripts' logic, run for real on this machine: secret filling (PHP) must escape
 * exactly as lib/config does, the signature check must accept only the pinned key, and the
 * plugin sections must be carried over verbatim.
 */
import { strict as assert } from "assert";
import { execFile, execFileSync, spawnSync } from "child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "fs";
import { createServer, type Server } from "https";
import type { AddressInfo } from "net";
import { tmpdir } from "os";
import { join } from "path";
import { fillSecretPlaceholders } from "../../lib/config";
import { buildInstanceUserData, CONFIG_RULES_FILE, NODE_CONSTANTS_FILE, renderConfigRules } from "../../lib/provision";
import { makeCertificate } from "../boot/support/standins";
import { stagedScript } from "../support/stagedScripts";
import { phpParseIni, requireRoot, requireTools } from "../support/tools";

const script = stagedScript;
const tmp = () => mkdtempSync(join(tmpdir(), "provision-scripts-"));

describe("provision: node scripts", () => {
    describe("matomo-fill-config.php", () => {
        const template = `; <?php exit; ?> DO NOT REMOVE THIS LINE\n[database]\npassword = "{{secret:database_password}}"\n[General]\nsalt = "{{secret:salt}}"\n`;
        const fill = (env: Record<string, string>) => {
            const dir = tmp();
            writeFileSync(join(dir, "t"), template);
            return spawnSync("php", [script("matomo-fill-config.php"), join(dir, "t")], { encoding: "utf8", env: { PATH: process.env.PATH, ...env } });
        };

        it("fills placeholders escaped exactly as lib/config's fillSecretPlaceholders does", () => {
            requireTools("php");
            for (const [password, salt] of [
                [`a"b\\c$d`, "plain"],
                ["${HOME}", `\\\\"\\$`],
                ["{{secret:salt}}", "x'y;z=1 # not a comment"],
                ["&amp;&lt;&#36;&", "a&b"],
            ]) {
                const r = fill({ MATOMO_SECRET_database_password: password, MATOMO_SECRET_salt: salt });
                assert.equal(r.status, 0, r.stderr);
                assert.equal(r.stdout, fillSecretPlaceholders(template, { database_password: password, salt }));
            }
        });

        it("and Matomo's reading (PHP's ini parser, then html_entity_decode) gives the original values back", () => {
            const password = `p"a\\s$s{x}&amp;&lt;`;
            const r = fill({ MATOMO_SECRET_database_password: password, MATOMO_SECRET_salt: "s" });
            const dir = tmp();
            writeFileSync(join(dir, "c.ini.php"), r.stdout);
            assert.equal(phpParseIni(join(dir, "c.ini.php")).database.password, password);
        });

        it("matomo-pdo.php's matomo_config reads values as Matomo does, entities decoded", () => {
            requireTools("php");
            const dir = tmp();
            writeFileSync(join(dir, "c.ini.php"), fillSecretPlaceholders(template, { database_password: "a&amp;b&lt;", salt: "s" }));
            const php = `require $argv[1]; echo matomo_config($argv[2])["database"]["password"];`;
            assert.equal(execFileSync("php", ["-r", php, script("matomo-pdo.php"), join(dir, "c.ini.php")]).toString(), "a&amp;b&lt;");
        });

        it("fills a reference's placeholder (a name with capitals and digits) from MATOMO_SECRET_<name>", () => {
            const dir = tmp();
            writeFileSync(
                join(dir, "t"),
                `[mail]\npassword = "{{secret:ref_mail_password}}"\n[LicenseKey2]\nlicense_key = "{{secret:ref_LicenseKey2_license_key}}"\n`,
            );
            const env = { MATOMO_SECRET_ref_mail_password: `s"m$tp\\`, MATOMO_SECRET_ref_LicenseKey2_license_key: "k-1" };
            const r = spawnSync("php", [script("matomo-fill-config.php"), join(dir, "t")], { encoding: "utf8", env: { PATH: process.env.PATH, ...env } });
            assert.equal(r.status, 0, r.stderr);
            assert.equal(r.stdout, `[mail]\npassword = "s\\"m\\$tp\\\\"\n[LicenseKey2]\nlicense_key = "k-1"\n`);
        });

        it("refuses a missing or multi-line secret", () => {
            assert.notEqual(fill({ MATOMO_SECRET_database_password: "x" }).status, 0);
            assert.notEqual(fill({ MATOMO_SECRET_database_password: "x\ny", MATOMO_SECRET_salt: "s" }).status, 0);
        });
    });

    describe("matomo-secret-value.php", () => {
        const valueOf = (secretString: string | undefined, key?: string) =>
            spawnSync("php", [script("matomo-secret-value.php"), ...(key ? [key] : [])], {
                encoding: "utf8",
                input: JSON.stringify({ ARN: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:x", SecretString: secretString }),
            });

        it("takes the key from an RDS-format JSON secret, and the whole string of a plain one", () => {
            requireTools("php");
            assert.equal(valueOf(JSON.stringify({ username: "matomo", password: 'p"a$s\\' }), "password").stdout, 'p"a$s\\');
            assert.equal(valueOf("plain-Passw0rd{}", "password").stdout, "plain-Passw0rd{}", "an existing database's plain secret");
            assert.equal(valueOf("0123456789abcdef").stdout, "0123456789abcdef");
        });

        it("refuses a JSON secret without the key, an empty value, a multi-line value or no SecretString", () => {
            requireTools("php");
            for (const [secretString, key] of [
                [JSON.stringify({ user: "x" }), "password"],
                ["", undefined],
                ["a\nb", undefined],
                [undefined, undefined],
            ] as const) {
                const r = valueOf(secretString, key);
                assert.equal(r.status, 1, `${String(secretString)} → ${r.stdout}`);
                assert.equal(r.stdout, "");
                assert.match(r.stderr, /no single-line string value/);
            }
        });
    });

    describe("matomo-verify-signature.sh", () => {
        // Throwaway keys made here; the real check uses Matomo's key by the pinned fingerprint.
        let home = "";
        let pinned = "";
        let other = "";
        let dir = "";
        const gpg = (...args: string[]) => execFileSync("gpg", ["--batch", "--quiet", ...args], { env: { ...process.env, GNUPGHOME: home } }).toString();
        const fingerprint = (uid: string) => /^fpr:+([0-9A-F]{40}):/m.exec(gpg("--with-colons", "--fingerprint", uid))![1];
        const verify = (archive: string, signature: string, fpr: string) =>
            spawnSync(script("matomo-verify-signature.sh"), [archive, signature, fpr], { encoding: "utf8", env: { ...process.env, GNUPGHOME: home } }).status;

        before(function () {
            requireTools("gpg");
            home = tmp();
            dir = tmp();
            for (const uid of ["Pinned Release Key <pinned@test.invalid>", "Other Key <other@test.invalid>"]) {
                gpg("--passphrase", "", "--quick-gen-key", uid, "ed25519", "sign", "1d");
            }
            pinned = fingerprint("pinned@test.invalid");
            other = fingerprint("other@test.invalid");
            writeFileSync(join(dir, "matomo.tar.gz"), "release bytes");
            gpg("--local-user", pinned, "--armor", "--output", join(dir, "good.asc"), "--detach-sign", join(dir, "matomo.tar.gz"));
            gpg("--local-user", other, "--armor", "--output", join(dir, "other.asc"), "--detach-sign", join(dir, "matomo.tar.gz"));
            writeFileSync(join(dir, "tampered.tar.gz"), "release bytes, changed");
        });

        it("accepts a good signature by the pinned fingerprint (also given in lower case)", () => {
            assert.equal(verify(join(dir, "matomo.tar.gz"), join(dir, "good.asc"), pinned), 0);
            assert.equal(verify(join(dir, "matomo.tar.gz"), join(dir, "good.asc"), pinned.toLowerCase()), 0);
        });

        it("refuses a good signature by any other key in the keyring", () => {
            assert.equal(verify(join(dir, "matomo.tar.gz"), join(dir, "other.asc"), pinned), 1);
        });

        it("refuses a tampered archive", () => {
            assert.equal(verify(join(dir, "tampered.tar.gz"), join(dir, "good.asc"), pinned), 1);
        });

        it("refuses a short key id in place of the full fingerprint", () => {
            assert.equal(verify(join(dir, "matomo.tar.gz"), join(dir, "good.asc"), pinned.slice(-16)), 2);
        });
    });

    describe("matomo-config-sections.php", () => {
        // Shaped like the config.ini.php Matomo writes after installing (Config::forceSave).
        const written = [
            "; <?php exit; ?> DO NOT REMOVE THIS LINE",
            "[database]",
            'host = "db"',
            "",
            "[General]",
            'salt = "s"',
            "",
            "[Plugins]",
            'Plugins[] = "CorePluginsAdmin"',
            'Plugins[] = "CoreAdminHome"',
            "",
            "[PluginsInstalled]",
            'PluginsInstalled[] = "Diagnostics"',
            'PluginsInstalled[] = "Login"',
            "",
        ].join("\n");

        // As on a node: the script beside the rules the bundle ships (lib/provision/configRules.ts).
        const placedSectionsScript = () => {
            const dir = tmp();
            copyFileSync(script("matomo-config-sections.php"), join(dir, "matomo-config-sections.php"));
            writeFileSync(join(dir, CONFIG_RULES_FILE), renderConfigRules());
            return join(dir, "matomo-config-sections.php");
        };

        it("extracts [Plugins] and [PluginsInstalled] verbatim and nothing else", () => {
            const dir = tmp();
            writeFileSync(join(dir, "config.ini.php"), written);
            const out = execFileSync("php", [script("matomo-config-sections.php"), "extract", join(dir, "config.ini.php")]).toString();
            assert.equal(
                out,
                '[Plugins]\nPlugins[] = "CorePluginsAdmin"\nPlugins[] = "CoreAdminHome"\n\n[PluginsInstalled]\nPluginsInstalled[] = "Diagnostics"\nPluginsInstalled[] = "Login"\n',
            );
        });

        it("extracts [PluginsInstalled] alone after a plain install (Matomo writes no [Plugins] equal to global.ini.php's)", () => {
            const dir = tmp();
            writeFileSync(join(dir, "config.ini.php"), written.replace('[Plugins]\nPlugins[] = "CorePluginsAdmin"\nPlugins[] = "CoreAdminHome"\n\n', ""));
            const out = execFileSync("php", [script("matomo-config-sections.php"), "extract", join(dir, "config.ini.php")]).toString();
            assert.equal(out, '[PluginsInstalled]\nPluginsInstalled[] = "Diagnostics"\nPluginsInstalled[] = "Login"\n');
        });

        it("assembles base + blank line + sections, and refuses a config without [PluginsInstalled]", () => {
            const dir = tmp();
            writeFileSync(join(dir, "base"), '[General]\nsalt = "s"\n');
            writeFileSync(join(dir, "sections"), '[PluginsInstalled]\nPluginsInstalled[] = "Login"\n');
            const out = execFileSync("php", [placedSectionsScript(), "assemble", join(dir, "base"), join(dir, "sections")]).toString();
            assert.equal(out, '[General]\nsalt = "s"\n\n[PluginsInstalled]\nPluginsInstalled[] = "Login"\n');
            writeFileSync(join(dir, "bare"), readFileSync(join(dir, "base")));
            assert.notEqual(spawnSync("php", [script("matomo-config-sections.php"), "extract", join(dir, "bare")]).status, 0);
        });

        describe("assemble refuses a stored row that reaches beyond the plugin lists (issue 17.2)", () => {
            const assemble = (sections: string) => {
                const dir = tmp();
                writeFileSync(join(dir, "base"), '[General]\nsalt = "s"\nenable_installer = 0\n');
                writeFileSync(join(dir, "sections"), sections);
                return spawnSync("php", [placedSectionsScript(), "assemble", join(dir, "base"), join(dir, "sections")], { encoding: "utf8" });
            };
            const good = '[Plugins]\nPlugins[] = "QueuedTracking"\n\n[PluginsInstalled]\nPluginsInstalled[] = "Login"\n';

            it("still assembles what extract writes", () => {
                const r = assemble(good);
                assert.equal(r.status, 0, r.stderr);
                assert.equal(r.stdout, `[General]\nsalt = "s"\nenable_installer = 0\n\n${good}`);
            });

            for (const [what, row, named] of [
                [
                    "[General] enable_installer, trusted-host check, force_ssl",
                    "[General]\nenable_installer = 1\nenable_trusted_host_check = 0\nforce_ssl = 0\n",
                    "[General]",
                ],
                ["a [database] section", '[database]\nhost = "evil.example.com"\npassword = "hunter2-secret"\n', "[database]"],
                ["a [database_reader] section after the plugin lists", `${good}\n[database_reader]\nhost = "evil.example.com"\n`, "[database_reader]"],
                ["a section the renderer owns keys of", '[mail]\nhost = "evil.example.com"\n', "[mail]"],
                ["a plugin-free section", "[CustomSection]\nx = 1\n", "[CustomSection]"],
                ["another key in [Plugins]", '[Plugins]\nPlugins[] = "Login"\nenable_installer = 1\n', "[Plugins] enable_installer"],
                ["a key before any section", "enable_installer = 1\n" + good, "enable_installer"],
                [
                    "a value that is not a plugin name",
                    '[PluginsInstalled]\nPluginsInstalled[] = "Login"\nPluginsInstalled[] = "../../x"\n',
                    "[PluginsInstalled] PluginsInstalled[]",
                ],
                ["a header with a trailing override", '[Plugins]\nPlugins[] = "Login"\n[General] \nforce_ssl = 0\n', "[General]"],
            ] as const) {
                it(`refuses ${what}, naming it, writing nothing and no value`, () => {
                    const r = assemble(row);
                    assert.notEqual(r.status, 0, r.stdout);
                    assert.equal(r.stdout, "");
                    assert.ok(r.stderr.includes(named), r.stderr);
                    assert.ok(!/hunter2|evil\.example|\.\.\/\.\./.test(r.stderr), r.stderr);
                });
            }

            it("fails when the rules are missing (a node never assembles unchecked)", () => {
                const dir = tmp();
                copyFileSync(script("matomo-config-sections.php"), join(dir, "matomo-config-sections.php"));
                writeFileSync(join(dir, "base"), "[General]\n");
                writeFileSync(join(dir, "sections"), good);
                const r = spawnSync("php", [join(dir, "matomo-config-sections.php"), "assemble", join(dir, "base"), join(dir, "sections")], {
                    encoding: "utf8",
                });
                assert.notEqual(r.status, 0);
                assert.match(r.stderr, /matomo-config-rules\.json/);
            });
        });
    });

    describe("matomo-plugin.sh (QueuedTracking on every node)", () => {
        // A stand-in for the Marketplace: curl on PATH that records the URL and "downloads" a local zip.
        const FAKE_CURL = [
            "#!/bin/bash",
            'printf "%s\\n" "$*" >> "$FAKE_CURL_LOG.args"',
            'out=""; url=""',
            'w=""',
            "while [ $# -gt 0 ]; do case $1 in -o) out=$2; shift 2 ;; -w) w=1; shift 2 ;; --data-urlencode) shift 2 ;; -*) shift ;; *) url=$1; shift ;; esac; done",
            'echo "$url" >> "$FAKE_CURL_LOG"',
            'cp "$FAKE_ZIP" "$out"',
            '[ -z "$w" ] || echo "200 "',
        ].join("\n");
        const URL = "https://plugins.matomo.org/api/2.0/plugins/QueuedTracking/download/5.2.0";
        let dir: string;
        let bin: string;

        // A zip shaped like the Marketplace's: one QueuedTracking/ directory with its plugin.json.
        const makeZip = (name: string, pluginJson: object, dirName = "QueuedTracking") => {
            const src = join(dir, `src-${name}`);
            mkdirSync(join(src, dirName, "Queue"), { recursive: true });
            writeFileSync(join(src, dirName, "plugin.json"), JSON.stringify(pluginJson));
            writeFileSync(join(src, dirName, "Queue", "Manager.php"), "<?php\n");
            execFileSync("zip", ["-qr", join(dir, `${name}.zip`), dirName], { cwd: src });
            return {
                path: join(dir, `${name}.zip`),
                sha256: execFileSync("sha256sum", [join(dir, `${name}.zip`)])
                    .toString()
                    .split(" ")[0],
            };
        };
        const run = (zip: string, sha256: string, version = "5.2.0") =>
            spawnSync("bash", [script("matomo-plugin.sh"), "QueuedTracking", version, URL, sha256, join(dir, "matomo"), join(dir, "state")], {
                encoding: "utf8",
                env: { PATH: `${bin}:${process.env.PATH}`, FAKE_ZIP: zip, FAKE_CURL_LOG: join(dir, "curl.log") },
            });
        const downloads = () => (existsSync(join(dir, "curl.log")) ? readFileSync(join(dir, "curl.log"), "utf8").trim().split("\n").length : 0);

        beforeEach(function () {
            requireTools("php", "zip", "unzip", "sha256sum");
            requireRoot("the plugin tree is chowned to root");
            dir = tmp();
            bin = join(dir, "bin");
            mkdirSync(bin);
            writeFileSync(join(bin, "curl"), FAKE_CURL);
            chmodSync(join(bin, "curl"), 0o755);
            mkdirSync(join(dir, "matomo", "plugins"), { recursive: true });
        });

        it("installs the zip whose sha256 matches into plugins/QueuedTracking, root-owned, not writable by others", () => {
            const zip = makeZip("good", { name: "QueuedTracking", version: "5.2.0" });
            const r = run(zip.path, zip.sha256);
            assert.equal(r.status, 0, r.stderr + r.stdout);
            const dest = join(dir, "matomo", "plugins", "QueuedTracking");
            assert.ok(existsSync(join(dest, "Queue", "Manager.php")));
            const st = statSync(join(dest, "plugin.json"));
            assert.equal(st.uid, 0);
            assert.equal(st.mode & 0o022, 0, "no group/other write");
            assert.equal(st.mode & 0o004, 0o004, "world-readable, so php-fpm's user reads it");
            assert.equal(readFileSync(join(dir, "curl.log"), "utf8").trim(), URL);
        });

        it("does nothing on a rerun, and downloads again once a new Matomo release replaced plugins/", () => {
            const zip = makeZip("good", { name: "QueuedTracking", version: "5.2.0" });
            assert.equal(run(zip.path, zip.sha256).status, 0);
            const again = run(zip.path, zip.sha256);
            assert.equal(again.status, 0);
            assert.match(again.stdout, /already in place/);
            assert.equal(downloads(), 1);
            execFileSync("rm", ["-rf", join(dir, "matomo", "plugins", "QueuedTracking")]);
            assert.equal(run(zip.path, zip.sha256).status, 0);
            assert.equal(downloads(), 2);
            assert.ok(existsSync(join(dir, "matomo", "plugins", "QueuedTracking", "plugin.json")));
        });

        it("with a license file, posts the key as Matomo's Marketplace client does (access_token), read from the file, never on the command line", () => {
            const zip = makeZip("good", { name: "QueuedTracking", version: "5.2.0" });
            const key = join(dir, "license");
            writeFileSync(key, "AbC123licenseKey", { mode: 0o600 });
            const r = spawnSync(
                "bash",
                [script("matomo-plugin.sh"), "QueuedTracking", "5.2.0", URL, zip.sha256, join(dir, "matomo"), join(dir, "state"), key],
                {
                    encoding: "utf8",
                    env: { PATH: `${bin}:${process.env.PATH}`, FAKE_ZIP: zip.path, FAKE_CURL_LOG: join(dir, "curl.log") },
                },
            );
            assert.equal(r.status, 0, r.stderr + r.stdout);
            const args = readFileSync(join(dir, "curl.log.args"), "utf8");
            assert.ok(args.includes(`--data-urlencode access_token@${key}`), args);
            assert.ok(!args.includes("AbC123licenseKey") && !r.stdout.includes("AbC123licenseKey") && !r.stderr.includes("AbC123licenseKey"));
        });

        it("never replaces a plugin directory it did not install (one of Matomo's release)", () => {
            const zip = makeZip("good", { name: "QueuedTracking", version: "5.2.0" });
            mkdirSync(join(dir, "matomo", "plugins", "QueuedTracking"));
            writeFileSync(join(dir, "matomo", "plugins", "QueuedTracking", "shipped.php"), "<?php\n");
            const r = run(zip.path, zip.sha256);
            assert.notEqual(r.status, 0);
            assert.match(r.stderr, /plugins\/QueuedTracking ships with Matomo's release; refusing to replace it/);
            assert.ok(existsSync(join(dir, "matomo", "plugins", "QueuedTracking", "shipped.php")));
            assert.equal(downloads(), 0);
        });

        it("refuses a zip whose sha256 is not the configured one, and installs nothing", () => {
            const zip = makeZip("good", { name: "QueuedTracking", version: "5.2.0" });
            const wrong = "0".repeat(64);
            const r = run(zip.path, wrong);
            assert.notEqual(r.status, 0);
            assert.match(r.stderr, new RegExp(`has sha256 ${zip.sha256}, not the configured ${wrong}; refusing to install it`));
            assert.ok(!existsSync(join(dir, "matomo", "plugins", "QueuedTracking")));
        });

        it("refuses a zip that matches its sha256 but holds another release or no QueuedTracking/plugin.json", () => {
            const old = makeZip("old", { name: "QueuedTracking", version: "5.1.1" });
            const r = run(old.path, old.sha256);
            assert.notEqual(r.status, 0);
            assert.match(r.stderr, /holds release '5\.1\.1', not the pinned 5\.2\.0/);
            const github = makeZip("github", { name: "QueuedTracking", version: "5.2.0" }, "plugin-QueuedTracking-5.2.0");
            const g = run(github.path, github.sha256);
            assert.notEqual(g.status, 0);
            assert.match(g.stderr, /no QueuedTracking\/plugin\.json/);
            assert.ok(!existsSync(join(dir, "matomo", "plugins", "QueuedTracking")));
        });
    });
    describe("matomo-plugin.sh refuses archives that could place anything but plain files in the plugin's folder (issue 17.5)", () => {
        // Zips crafted entry by entry (python's zipfile), as an attacker's would be: the Unix mode sits in the external attributes.
        const CRAFT = [
            "import json, sys, zipfile",
            "out, entries = sys.argv[1], json.loads(sys.argv[2])",
            "with zipfile.ZipFile(out, 'w') as z:",
            "    for name, mode, data in entries:",
            "        info = zipfile.ZipInfo(name)",
            "        info.create_system = 3",
            "        info.external_attr = (mode << 16) | (0x10 if name.endswith('/') else 0)",
            "        z.writestr(info, data)",
        ].join("\n");
        const FILE = 0o100644;
        const base: [string, number, string][] = [
            ["QueuedTracking/", 0o040755, ""],
            ["QueuedTracking/plugin.json", FILE, JSON.stringify({ name: "QueuedTracking", version: "5.2.0" })],
            ["QueuedTracking/Queue/Manager.php", FILE, "<?php\n"],
        ];
        let dir: string;
        const craft = (entries: [string, number, string][]) => {
            const zip = join(dir, `z${Math.random().toString(36).slice(2)}.zip`);
            execFileSync("python3", ["-c", CRAFT, zip, JSON.stringify(entries)]);
            return { path: zip, sha256: execFileSync("sha256sum", [zip]).toString().split(" ")[0] };
        };
        const run = (zip: { path: string; sha256: string }) => {
            const bin = join(dir, "bin");
            mkdirSync(bin, { recursive: true });
            writeFileSync(
                join(bin, "curl"),
                `#!/bin/bash\nwhile [ $# -gt 0 ]; do case $1 in -o) out=$2; shift 2 ;; *) shift ;; esac; done\ncp "$FAKE_ZIP" "$out"\n`,
            );
            chmodSync(join(bin, "curl"), 0o755);
            return spawnSync(
                "bash",
                [script("matomo-plugin.sh"), "QueuedTracking", "5.2.0", "https://plugins.matomo.org/x", zip.sha256, join(dir, "matomo"), join(dir, "state")],
                { encoding: "utf8", env: { PATH: `${bin}:${process.env.PATH}`, FAKE_ZIP: zip.path, TMPDIR: join(dir, "tmp") } },
            );
        };

        beforeEach(function () {
            requireTools("php", "unzip", "zipinfo", "python3", "sha256sum");
            requireRoot("the plugin tree is chowned to root");
            dir = tmp();
            mkdirSync(join(dir, "matomo", "plugins"), { recursive: true });
            mkdirSync(join(dir, "matomo", "config"), { recursive: true });
            mkdirSync(join(dir, "tmp"));
        });

        it("installs a crafted archive of plain files and directories (the checks refuse only what they should)", () => {
            const r = run(craft(base));
            assert.equal(r.status, 0, r.stderr + r.stdout);
            assert.ok(existsSync(join(dir, "matomo", "plugins", "QueuedTracking", "Queue", "Manager.php")));
        });

        for (const [what, entry, says] of [
            [
                "a symlink to the config (QueuedTracking/images/cfg.png -> ../../config/config.ini.php)",
                ["QueuedTracking/images/cfg.png", 0o120777, "../../config/config.ini.php"],
                /symlink|not a plain file/,
            ],
            ["a character device", ["QueuedTracking/tty", 0o020644, ""], /not a plain file/],
            ["a fifo", ["QueuedTracking/fifo", 0o010644, ""], /not a plain file/],
            ["an entry climbing out (../x)", ["../x", FILE, "x"], /outside QueuedTracking\//],
            ["an entry climbing out from inside (QueuedTracking/../../x)", ["QueuedTracking/../../x", FILE, "x"], /outside QueuedTracking\//],
            ["an absolute path", ["/tmp/evil-abs", FILE, "x"], /outside QueuedTracking\//],
            ["an entry beside the plugin's folder", ["Other/x.php", FILE, "x"], /outside QueuedTracking\//],
        ] as const) {
            it(`refuses ${what}, before anything is written`, () => {
                const r = run(craft([...base, [entry[0], entry[1], entry[2]]]));
                assert.notEqual(r.status, 0, r.stdout);
                assert.match(r.stderr, says);
                assert.ok(!existsSync(join(dir, "matomo", "plugins", "QueuedTracking")), "nothing installed");
                assert.deepEqual(readdirSync(join(dir, "tmp")), [], "nothing left unpacked");
                assert.ok(!existsSync("/tmp/evil-abs") && !existsSync(join(dir, "matomo", "x")) && !existsSync(join(dir, "x")));
            });
        }
    });

    describe("matomo-plugin.sh sends the Marketplace license key to the download URL only, never on through a redirect (issue 17.6)", () => {
        // Real curl against two local https servers: the "Marketplace" answers 307 to the other port.
        let dir: string;
        let servers: Server[] = [];
        const seen: { port: string; method: string; body: string }[] = [];
        const listen = (handler: (req: import("http").IncomingMessage, res: import("http").ServerResponse) => void) =>
            new Promise<number>((resolve) => {
                const tls = makeCertificate(dir);
                const server = createServer({ cert: readFileSync(tls.cert), key: readFileSync(tls.key) }, (req, res) => {
                    let body = "";
                    req.on("data", (c: Buffer) => (body += c.toString()));
                    req.on("end", () => {
                        seen.push({ port: String((server.address() as AddressInfo).port), method: req.method ?? "", body });
                        handler(req, res);
                    });
                });
                servers.push(server);
                server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
            });
        const zipOf = () => {
            const src = join(dir, "src");
            mkdirSync(join(src, "QueuedTracking"), { recursive: true });
            writeFileSync(join(src, "QueuedTracking", "plugin.json"), JSON.stringify({ name: "QueuedTracking", version: "5.2.0" }));
            execFileSync("zip", ["-qr", join(dir, "p.zip"), "QueuedTracking"], { cwd: src });
            return {
                bytes: readFileSync(join(dir, "p.zip")),
                sha256: execFileSync("sha256sum", [join(dir, "p.zip")])
                    .toString()
                    .split(" ")[0],
            };
        };
        const run = (url: string, sha256: string, cas: string[]) => {
            writeFileSync(join(dir, "ca.pem"), cas.map((c) => readFileSync(c, "utf8")).join(""));
            writeFileSync(join(dir, "license"), "SeCrEtLiCeNsE42", { mode: 0o600 });
            return new Promise<{ status: number; out: string }>((resolve) => {
                execFile(
                    "bash",
                    [script("matomo-plugin.sh"), "QueuedTracking", "5.2.0", url, sha256, join(dir, "matomo"), join(dir, "state"), join(dir, "license")],
                    // One second between tries instead of 5, as the boot test runs the nodes.
                    { encoding: "utf8", env: { PATH: process.env.PATH, CURL_CA_BUNDLE: join(dir, "ca.pem"), MATOMO_RETRY_PAUSE: "1" } },
                    (err, stdout, stderr) => resolve({ status: err ? Number(err.code ?? 1) : 0, out: stdout + stderr }),
                );
            });
        };

        beforeEach(function () {
            requireTools("curl", "openssl", "zip", "unzip", "zipinfo", "php", "sha256sum");
            requireRoot("the plugin tree is chowned to root");
            dir = tmp();
            mkdirSync(join(dir, "matomo", "plugins"), { recursive: true });
            seen.length = 0;
        });
        afterEach(() => {
            for (const s of servers) s.close();
            servers = [];
        });

        for (const status of [307, 308]) {
            it(`a ${status} to another host gets no key (the zip is fetched from there without it, and its sha256 still decides)`, async () => {
                const zip = zipOf();
                const other = await listen((_req, res) => res.writeHead(200, { "content-type": "application/zip" }).end(zip.bytes));
                const otherCa = join(dir, "standin-cert.pem");
                const otherCert = join(dir, "other.pem");
                copyFileSync(otherCa, otherCert);
                const market = await listen((_req, res) => res.writeHead(status, { location: `https://127.0.0.1:${other}/cdn/p.zip` }).end());
                const r = await run(`https://127.0.0.1:${market}/api/2.0/plugins/QueuedTracking/download/5.2.0`, zip.sha256, [
                    otherCert,
                    join(dir, "standin-cert.pem"),
                ]);
                const atMarket = seen.filter((s) => s.port === String(market));
                const atOther = seen.filter((s) => s.port === String(other));
                assert.equal(atMarket.length, 1, JSON.stringify(seen));
                assert.equal(atMarket[0].body, "access_token=SeCrEtLiCeNsE42");
                assert.ok(
                    atOther.every((s) => !s.body.includes("SeCrEtLiCeNsE42") && s.method === "GET"),
                    JSON.stringify(atOther),
                );
                assert.equal(r.status, 0, r.out);
                assert.ok(existsSync(join(dir, "matomo", "plugins", "QueuedTracking", "plugin.json")));
                assert.ok(!r.out.includes("SeCrEtLiCeNsE42"));
            });
        }

        it("a 403 fails clearly, naming the status, asked once (the answer to a refused licence does not change), and installs nothing", async () => {
            const zip = zipOf();
            const market = await listen((_req, res) => res.writeHead(403).end("no"));
            const r = await run(`https://127.0.0.1:${market}/download`, zip.sha256, [join(dir, "standin-cert.pem")]);
            assert.notEqual(r.status, 0);
            assert.match(r.out, /403/);
            assert.equal(seen.length, 1, r.out);
            assert.ok(!r.out.includes("SeCrEtLiCeNsE42"));
            assert.ok(!existsSync(join(dir, "matomo", "plugins", "QueuedTracking")));
        });

        it("a 404 (a wrong version or URL) is asked once and fails naming the status; a 503 is tried again and the zip installed", async () => {
            const zip = zipOf();
            const missing = await listen((_req, res) => res.writeHead(404).end("no such version"));
            const r404 = await run(`https://127.0.0.1:${missing}/download/9.9.9`, zip.sha256, [join(dir, "standin-cert.pem")]);
            assert.notEqual(r404.status, 0);
            assert.match(r404.out, /404/);
            assert.equal(seen.length, 1, r404.out);
            seen.length = 0;
            let answered = 0;
            const busy = await listen((_req, res) => (answered++ === 0 ? res.writeHead(503).end("busy") : res.writeHead(200).end(zip.bytes)));
            const r503 = await run(`https://127.0.0.1:${busy}/download/5.2.0`, zip.sha256, [join(dir, "standin-cert.pem")]);
            assert.equal(r503.status, 0, r503.out);
            assert.equal(seen.length, 2, r503.out);
            assert.ok(existsSync(join(dir, "matomo", "plugins", "QueuedTracking", "plugin.json")));
        });
    });

    describe("matomo-plugins.sh install, in the node's own paths (a private mount namespace over overlays)", () => {
        it("matomo-plugin.sh logs under the node's role, not matomo-provision[?] (issue 21.8)", function () {
            requireTools("unshare", "zip", "unzip", "php", "sha256sum");
            requireRoot("a mount namespace with overlays over /etc, /usr/local/lib, /var/lib and /var/www");
            const dir = tmp();
            const src = join(dir, "src");
            mkdirSync(join(src, "QueuedTracking"), { recursive: true });
            writeFileSync(join(src, "QueuedTracking", "plugin.json"), JSON.stringify({ name: "QueuedTracking", version: "5.2.0" }));
            execFileSync("zip", ["-qr", join(dir, "p.zip"), "QueuedTracking"], { cwd: src });
            const sha = execFileSync("sha256sum", [join(dir, "p.zip")])
                .toString()
                .split(" ")[0];
            mkdirSync(join(dir, "bin"));
            writeFileSync(
                join(dir, "bin", "curl"),
                `#!/bin/bash\nwhile [ $# -gt 0 ]; do case $1 in -o) out=$2; shift 2 ;; *) shift ;; esac; done\ncp ${join(dir, "p.zip")} "$out"\n`,
            );
            chmodSync(join(dir, "bin", "curl"), 0o755);
            const constants = script(NODE_CONSTANTS_FILE);
            const setup = [
                "set -euo pipefail",
                `for d in /etc /usr/local/lib /var/lib /var/www; do n=$(echo "$d" | tr / _); mkdir -p "${dir}/ov$n/u" "${dir}/ov$n/w"; mount -t overlay overlay -o "lowerdir=$d,upperdir=${dir}/ov$n/u,workdir=${dir}/ov$n/w" "$d"; done`,
                "mkdir -p /etc/matomo-provision /usr/local/lib/matomo-provision /var/lib/matomo-provision /var/www/matomo/plugins",
                `install -m 0755 ${script("common.sh")} ${script("matomo-plugin.sh")} ${script("matomo-plugins.sh")} ${constants} /usr/local/lib/matomo-provision/`,
                "printf 'MATOMO_ROLE=tracker\\n' > /etc/matomo-provision/provision.env",
                `printf 'QueuedTracking 5.2.0 ${sha} https://plugins.matomo.org/QueuedTracking.zip -\\n' > /etc/matomo-provision/plugins.manifest`,
                "bash /usr/local/lib/matomo-provision/matomo-plugins.sh install",
            ].join("\n");
            const r = spawnSync("unshare", ["-m", "--propagation", "private", "bash", "-c", setup], {
                encoding: "utf8",
                env: { PATH: `${join(dir, "bin")}:${process.env.PATH}` },
            });
            assert.equal(r.status, 0, r.stderr + r.stdout);
            assert.match(r.stdout, /matomo-provision\[tracker\]: plugin QueuedTracking 5\.2\.0 installed/);
            assert.doesNotMatch(r.stdout + r.stderr, /matomo-provision\[\?\]/);
        });

        it("a bundled line (bundledPlugins) downloads nothing and leaves the release's directory alone; a name the release lacks fails, named", function () {
            requireTools("unshare", "php");
            requireRoot("a mount namespace with overlays over /etc, /usr/local/lib, /var/lib and /var/www");
            const dir = tmp();
            mkdirSync(join(dir, "bin"));
            // Any download would call curl: this one records the call and fails.
            writeFileSync(join(dir, "bin", "curl"), `#!/bin/bash\necho "curl $*" >> ${join(dir, "curl.log")}\nexit 7\n`);
            chmodSync(join(dir, "bin", "curl"), 0o755);
            const constants = script(NODE_CONSTANTS_FILE);
            const setup = (manifest: string) =>
                [
                    "set -euo pipefail",
                    `for d in /etc /usr/local/lib /var/lib /var/www; do n=$(echo "$d" | tr / _); rm -rf "${dir}/ov$n"; mkdir -p "${dir}/ov$n/u" "${dir}/ov$n/w"; mount -t overlay overlay -o "lowerdir=$d,upperdir=${dir}/ov$n/u,workdir=${dir}/ov$n/w" "$d"; done`,
                    "mkdir -p /etc/matomo-provision /usr/local/lib/matomo-provision /var/lib/matomo-provision /var/www/matomo/plugins/TagManager",
                    "echo '<?php' > /var/www/matomo/plugins/TagManager/TagManager.php",
                    `install -m 0755 ${script("common.sh")} ${script("matomo-plugin.sh")} ${script("matomo-plugins.sh")} ${constants} /usr/local/lib/matomo-provision/`,
                    "printf 'MATOMO_ROLE=tracker\\n' > /etc/matomo-provision/provision.env",
                    `printf '${manifest}' > /etc/matomo-provision/plugins.manifest`,
                    "bash /usr/local/lib/matomo-provision/matomo-plugins.sh install",
                    "ls /var/www/matomo/plugins/TagManager; ls /var/lib/matomo-provision",
                ].join("\n");
            const run = (manifest: string) =>
                spawnSync("unshare", ["-m", "--propagation", "private", "bash", "-c", setup(manifest)], {
                    encoding: "utf8",
                    env: { PATH: `${join(dir, "bin")}:${process.env.PATH}` },
                });
            const ok = run("TagManager bundled - - bundled\\n");
            assert.equal(ok.status, 0, ok.stderr + ok.stdout);
            assert.ok(!existsSync(join(dir, "curl.log")), "no download for a bundled plugin");
            // The release's files are kept, and no marker is written (so install never removes them).
            assert.equal(ok.stdout.trim(), "TagManager.php");
            const missing = run("DBStats bundled - - bundled\\n");
            assert.notEqual(missing.status, 0);
            assert.match(missing.stderr + missing.stdout, /bundled plugin DBStats is not in this Matomo release/);
            assert.ok(!existsSync(join(dir, "curl.log")));
        });
    });

    describe("matomo-ssm-agent.sh (a stand-in package signed by a throwaway key: the real SSM Agent is not downloaded offline)", () => {
        // A local HTTPS server plays AWS's bucket; apt-get, dpkg-query and systemctl on PATH are
        // stand-ins that record what they were asked (the test machine's own packages are left alone).
        const STANDIN_APT_GET = [
            "#!/bin/bash",
            "set -euo pipefail",
            'echo "apt-get $*" >> "$STANDIN_LOG"',
            'deb="${*: -1}"',
            '[ "$(dpkg-deb --field "$deb" Package)" = amazon-ssm-agent ]',
            'cp "$deb" "$STANDIN_INSTALLED"',
        ].join("\n");
        const STANDIN_DPKG_QUERY = ["#!/bin/bash", '[ -f "$STANDIN_INSTALLED" ] && printf "install ok installed"', "exit 0"].join("\n");
        const STANDIN_SYSTEMCTL = ["#!/bin/bash", 'echo "systemctl $*" >> "$STANDIN_LOG"'].join("\n");
        let dir = "";
        let home = "";
        let pinned = "";
        let server: Server | undefined;
        let base = "";
        let served: Record<string, string> = {};
        let requests: string[] = [];
        const gpg = (...args: string[]) =>
            execFileSync("gpg", ["--batch", "--quiet", ...args], { env: { ...process.env, GNUPGHOME: home }, stdio: "pipe" }).toString();
        const fingerprint = (uid: string) => /^fpr:+([0-9A-F]{40}):/m.exec(gpg("--with-colons", "--fingerprint", uid))![1];
        const sign = (signer: string, file: string, out: string, faked?: string) =>
            gpg(...(faked ? ["--faked-system-time", faked] : []), "--local-user", signer, "--output", out, "--detach-sign", file);
        const exportKey = (uid: string, out: string) => writeFileSync(out, gpg("--armor", "--export", uid));
        const log = () => (existsSync(join(dir, "standin.log")) ? readFileSync(join(dir, "standin.log"), "utf8") : "");
        /** A command with the stand-ins on PATH and the stand-in bucket's CA; asynchronous, as the bucket is served from this process. */
        const withStandins = (command: string, args: string[]) =>
            new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
                const child = execFile(
                    command,
                    args,
                    {
                        env: {
                            PATH: `${join(dir, "bin")}:${process.env.PATH}`,
                            CURL_CA_BUNDLE: join(dir, "standin-cert.pem"),
                            STANDIN_LOG: join(dir, "standin.log"),
                            STANDIN_INSTALLED: join(dir, "installed.deb"),
                        },
                    },
                    (error, stdout, stderr) => resolve({ status: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr }),
                );
                child.stdin?.end();
            });
        const run = (keyFile: string, fpr = pinned, path = "/amazon-ssm-agent.deb") =>
            withStandins("bash", [script("matomo-ssm-agent.sh"), `${base}${path}`, fpr, keyFile]);

        before(async function () {
            requireTools("gpg", "dpkg-deb", "curl", "openssl");
            dir = tmp();
            home = tmp();
            mkdirSync(join(dir, "bin"));
            for (const [name, body] of [
                ["apt-get", STANDIN_APT_GET],
                ["dpkg-query", STANDIN_DPKG_QUERY],
                ["systemctl", STANDIN_SYSTEMCTL],
            ]) {
                writeFileSync(join(dir, "bin", name), body + "\n");
                chmodSync(join(dir, "bin", name), 0o755);
            }
            for (const uid of ["Pinned SSM Key <pinned@test.invalid>", "Other Key <other@test.invalid>"]) {
                gpg("--passphrase", "", "--quick-gen-key", uid, "ed25519", "sign", "1d");
            }
            // A key that expired long ago: made, and used, with gpg's clock set to 2020.
            gpg("--faked-system-time", "20200101T000000", "--passphrase", "", "--quick-gen-key", "Expired Key <expired@test.invalid>", "ed25519", "sign", "1d");
            pinned = fingerprint("pinned@test.invalid");
            exportKey("pinned@test.invalid", join(dir, "pinned.asc"));
            exportKey("other@test.invalid", join(dir, "other.asc"));
            exportKey("expired@test.invalid", join(dir, "expired.asc"));
            // The stand-in package: a tiny .deb named like AWS's, built here by dpkg-deb.
            const pkg = join(dir, "pkg");
            mkdirSync(join(pkg, "DEBIAN"), { recursive: true });
            mkdirSync(join(pkg, "usr/share/doc/amazon-ssm-agent"), { recursive: true });
            writeFileSync(
                join(pkg, "DEBIAN/control"),
                "Package: amazon-ssm-agent\nVersion: 0.0.0-standin\nArchitecture: all\nMaintainer: boot test <test@test.invalid>\nDescription: stand-in for the SSM Agent package (not the agent)\n",
            );
            writeFileSync(join(pkg, "usr/share/doc/amazon-ssm-agent/README"), "stand-in\n");
            execFileSync("dpkg-deb", ["--root-owner-group", "--build", pkg, join(dir, "agent.deb")], { stdio: "ignore" });
            writeFileSync(join(dir, "tampered.deb"), Buffer.concat([readFileSync(join(dir, "agent.deb")), Buffer.from("x")]));
            sign(pinned, join(dir, "agent.deb"), join(dir, "pinned.sig"));
            sign(fingerprint("other@test.invalid"), join(dir, "agent.deb"), join(dir, "other.sig"));
            sign(fingerprint("expired@test.invalid"), join(dir, "agent.deb"), join(dir, "expired.sig"), "20200101T000100");

            const tls = makeCertificate(dir);
            server = createServer({ cert: readFileSync(tls.cert), key: readFileSync(tls.key) }, (req, res) => {
                requests.push(req.url ?? "");
                const file = served[req.url ?? ""];
                if (file) {
                    res.writeHead(200);
                    res.end(readFileSync(file));
                } else {
                    res.writeHead(404);
                    res.end("stand-in bucket: not found\n");
                }
            });
            await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", () => resolve()));
            base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
        });
        after(() => server?.close());
        beforeEach(() => {
            served = { "/amazon-ssm-agent.deb": join(dir, "agent.deb"), "/amazon-ssm-agent.deb.sig": join(dir, "pinned.sig") };
            requests = [];
            rmSync(join(dir, "standin.log"), { force: true });
            rmSync(join(dir, "installed.deb"), { force: true });
        });

        it("installs the stand-in .deb once its .sig verifies against the pinned fingerprint, and a rerun downloads nothing", async () => {
            const r = await run(join(dir, "pinned.asc"));
            assert.equal(r.status, 0, r.stdout + r.stderr);
            assert.deepEqual(requests, ["/amazon-ssm-agent.deb", "/amazon-ssm-agent.deb.sig"]);
            assert.match(r.stdout, new RegExp(`SSM Agent package signed by ${pinned}`));
            assert.match(log(), /^apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends \/\S+\.deb$/m);
            assert.deepEqual(readFileSync(join(dir, "installed.deb")), readFileSync(join(dir, "agent.deb")));
            // No systemd on this machine (nor in the boot test's root): installed, not run.
            assert.match(r.stdout, /SSM Agent installed; no systemd here, so it is not run/);
            requests = [];
            const again = await run(join(dir, "pinned.asc"));
            assert.equal(again.status, 0, again.stderr);
            assert.deepEqual(requests, [], "already installed: no download");
            assert.equal(
                log()
                    .split("\n")
                    .filter((l) => l.startsWith("apt-get")).length,
                1,
            );
        });

        it("refuses a tampered .deb, and installs nothing", async () => {
            served["/amazon-ssm-agent.deb"] = join(dir, "tampered.deb");
            const r = await run(join(dir, "pinned.asc"));
            assert.equal(r.status, 1);
            assert.match(r.stderr, new RegExp(`ERROR: SSM Agent: the package's signature does not verify against ${pinned}; refusing to install it`));
            assert.equal(log(), "", "nothing was installed");
        });

        it("refuses a good signature by another key, and a key file that holds another key than the pinned one", async () => {
            served["/amazon-ssm-agent.deb.sig"] = join(dir, "other.sig");
            const foreignSignature = await run(join(dir, "pinned.asc"));
            assert.equal(foreignSignature.status, 1);
            assert.match(foreignSignature.stderr, /does not verify against/);
            // An attacker who can change the key file and the package: the fingerprint still says no.
            const swappedKey = await run(join(dir, "other.asc"));
            assert.equal(swappedKey.status, 1);
            assert.match(swappedKey.stderr, new RegExp(`does not hold exactly the pinned key ${pinned}; refusing to install`));
            assert.equal(log(), "");
        });

        it("refuses a package without its signature", async function () {
            delete served["/amazon-ssm-agent.deb.sig"];
            const r = await run(join(dir, "pinned.asc"));
            assert.equal(r.status, 1);
            assert.match(r.stderr, /no signature at https:\/\/127\.0\.0\.1:\d+\/amazon-ssm-agent\.deb\.sig; refusing to install an unsigned package/);
            assert.equal(log(), "");
        });

        it("says so when the pinned key has expired, and installs nothing", async () => {
            served["/amazon-ssm-agent.deb.sig"] = join(dir, "expired.sig");
            const expired = fingerprint("expired@test.invalid");
            const r = await run(join(dir, "expired.asc"), expired);
            assert.equal(r.status, 1);
            assert.match(r.stderr, new RegExp(`the pinned key ${expired} expired on 2020-01-02; AWS publishes its successor`));
            assert.equal(log(), "");
        });

        describe("the Image Builder build instance's user data (issue 20.7: Debian's image has no agent, and Image Builder's own install does not know Debian)", () => {
            // Run as the build instance runs it, as root, in a private mount namespace whose /etc and
            // /usr/local/lib are overlays: it unpacks the installer where nodes keep it.
            const boot = (agentPath = "/amazon-ssm-agent.deb") => {
                const script = buildInstanceUserData({ url: `${base}${agentPath}`, fingerprint: pinned, key: readFileSync(join(dir, "pinned.asc"), "utf8") });
                const work = tmp();
                writeFileSync(join(work, "user-data"), script, { mode: 0o755 });
                const setup = [
                    "set -euo pipefail",
                    `for d in /etc /usr/local/lib; do n=$(echo "$d" | tr / _); mkdir -p "${work}/ov$n/u" "${work}/ov$n/w"; mount -t overlay overlay -o "lowerdir=$d,upperdir=${work}/ov$n/u,workdir=${work}/ov$n/w" "$d"; done`,
                    `${join(work, "user-data")}`,
                ].join("\n");
                return withStandins("unshare", ["-m", "--propagation", "private", "bash", "-c", setup]);
            };
            before(function () {
                requireTools("unshare", "tar", "base64");
                requireRoot("a mount namespace with overlays over /etc and /usr/local/lib");
            });

            it("installs the agent from the bucket once its signature verifies against the pinned key, as nodes do", async () => {
                const r = await boot();
                assert.equal(r.status, 0, r.stdout + r.stderr);
                assert.deepEqual(requests, ["/amazon-ssm-agent.deb", "/amazon-ssm-agent.deb.sig"]);
                assert.match(r.stdout, new RegExp(`matomo-provision\\[image-build\\]: SSM Agent package signed by ${pinned}`));
                assert.deepEqual(readFileSync(join(dir, "installed.deb")), readFileSync(join(dir, "agent.deb")));
            });

            it("stops with an ERROR line, installing nothing, when the package does not verify or cannot be downloaded", async () => {
                served["/amazon-ssm-agent.deb"] = join(dir, "tampered.deb");
                const tampered = await boot();
                assert.equal(tampered.status, 1);
                assert.match(tampered.stderr, /the package's signature does not verify/);
                assert.match(tampered.stderr, /ERROR: the SSM Agent is not installed; Image Builder cannot reach this build instance/);
                const missing = await boot("/nothing-here.deb");
                assert.equal(missing.status, 1, "a download that fails is no warning here: without the agent the build cannot run");
                assert.match(missing.stderr, /ERROR: the SSM Agent is not installed/);
                assert.equal(log(), "", "nothing was installed");
            });
        });

        it("exits 3 with a warning when the package cannot be downloaded (provisioning goes on), and never uses plain http", async function () {
            const missing = await run(join(dir, "pinned.asc"), pinned, "/nothing-here.deb");
            assert.equal(missing.status, 3, missing.stderr);
            assert.match(
                missing.stdout,
                /WARNING: could not download the SSM Agent from \S+: this node has no Session Manager access until matomo-provision runs again/,
            );
            const plain = await new Promise<{ code: number; stderr: string }>((resolve) =>
                execFile(
                    "bash",
                    [script("matomo-ssm-agent.sh"), base.replace("https:", "http:") + "/amazon-ssm-agent.deb", pinned, join(dir, "pinned.asc")],
                    {
                        env: {
                            PATH: `${join(dir, "bin")}:${process.env.PATH}`,
                            STANDIN_LOG: join(dir, "standin.log"),
                            STANDIN_INSTALLED: join(dir, "installed.deb"),
                        },
                    },
                    (e, _out, stderr) => resolve({ code: e ? Number(e.code) : 0, stderr }),
                ),
            );
            assert.equal(plain.code, 3);
            assert.match(plain.stderr, /Protocol "http" (disabled|not supported)/, "curl refused http:// itself");
            assert.equal(log(), "");
        });
    });

    describe("matomo-generated-files.sh (a fake console as Matomo's, run by real PHP)", () => {
        // What `console list --raw` prints: one command per line, name first. A real release lists
        // about 200 commands; the line Tag Manager adds is followed by as many as the test wants.
        const run = (commands: { tagManager: boolean; after: number }) => {
            requireTools("php", "bash");
            const root = tmp();
            const calls = join(root, "calls.log");
            const others = Array.from({ length: commands.after }, (_, i) => `zz:command-${i} A command listed after Tag Manager's, with its description`);
            writeFileSync(
                join(root, "list.txt"),
                [...(commands.tagManager ? ["tagmanager:regenerate-released-containers Re-generates all released container files"] : []), ...others].join(
                    "\n",
                ) + "\n",
            );
            writeFileSync(
                join(root, "console"),
                `<?php\nfile_put_contents(__DIR__ . '/calls.log', $argv[1] . "\\n", FILE_APPEND);\nif ($argv[1] === 'list') { readfile(__DIR__ . '/list.txt'); }\n`,
            );
            const r = spawnSync("bash", [script("matomo-generated-files.sh"), root], { encoding: "utf8" });
            return { status: r.status, stderr: r.stderr, calls: readFileSync(calls, "utf8").trim().split("\n") };
        };

        it("regenerates Tag Manager's containers whenever the console lists the command, however long the list (no early exit of grep cutting the pipe)", () => {
            // Over a pipe's 64 KiB after the match: a `console list | grep -q` under pipefail loses the
            // race to SIGPIPE every time here, and on a real node sometimes (a container never written).
            for (const after of [0, 200, 3000]) {
                const r = run({ tagManager: true, after });
                assert.equal(r.status, 0, r.stderr);
                assert.deepEqual(r.calls, ["custom-matomo-js:update", "list", "tagmanager:regenerate-released-containers"], `${after} commands after it`);
            }
        });

        it("does not ask for containers while Tag Manager is not active (its command is not listed)", () => {
            const r = run({ tagManager: false, after: 3000 });
            assert.equal(r.status, 0, r.stderr);
            assert.deepEqual(r.calls, ["custom-matomo-js:update", "list"]);
        });
    });
});
