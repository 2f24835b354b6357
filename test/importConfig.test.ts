/**
 * `npm run import-config`: reading an old config.ini.php as Matomo reads it, proven against PHP on
 * text Matomo's own config writer produced (test/fixtures/import/README.md says how), and the
 * arguments, secret commands and refusals it prints.
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import * as fc from "fast-check";
import { HTML401_ENTITIES } from "../lib/import/htmlEntities";
import { arnPlaceholder, formatImport, importMatomoConfig } from "../lib/import/importConfig";
import { htmlEntityDecode, readMatomoIni, type MatomoIni } from "../lib/import/matomoIni";
import { resolveSettings, type MatomoClusterArgs } from "../lib/settings";
import { requireTools } from "./support/tools";

const FIXTURES = join(__dirname, "fixtures", "import");
const WRITTEN = join(FIXTURES, "matomo-written.config.ini.php");
const HAND = join(FIXTURES, "hand-edited.config.ini.php");

/** Matomo's reading as PHP does it: parse_ini_string in normal mode (matomo/ini IniReader), then html_entity_decode of every string twice (IniFileChain::reload runs decodeValues twice over the same values). */
function readByPhp(text: string): Record<string, Record<string, unknown>> {
    const php = `$a = parse_ini_string(stream_get_contents(STDIN), true);
        array_walk_recursive($a, function (&$v) { $v = html_entity_decode(html_entity_decode($v, ENT_COMPAT, "UTF-8"), ENT_COMPAT, "UTF-8"); });
        echo json_encode($a, JSON_UNESCAPED_UNICODE);`;
    return JSON.parse(execFileSync("php", ["-r", php], { input: text }).toString()) as Record<string, Record<string, unknown>>;
}

const asObject = (ini: MatomoIni) => Object.fromEntries([...ini.sections].map(([name, entries]) => [name, Object.fromEntries(entries)]));

describe("import-config: reading config.ini.php as Matomo does", () => {
    before(() => requireTools("php"));

    it("reads the config Matomo's own writer wrote exactly as Matomo 5 read it back (entities, $, \\, quotes, arrays, booleans, unicode)", () => {
        // What real Matomo read from this file (core/Config/IniFileChain over it, 5.2.0-b5's tree):
        // its numbers and booleans cast (matomo/ini decode), which the cluster's config writes as text.
        const matomo = JSON.parse(readFileSync(join(FIXTURES, "matomo-written.read-by-matomo.json"), "utf8")) as Record<string, Record<string, unknown>>;
        const asText = (v: unknown): unknown => (Array.isArray(v) ? v.map(asText) : typeof v === "boolean" ? (v ? "1" : "") : String(v));
        const expected = Object.fromEntries(
            Object.entries(matomo).map(([s, entries]) => [s, Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, asText(v)]))]),
        );
        const read = readMatomoIni(readFileSync(WRITTEN, "utf8"));
        assert.deepEqual(read.refused, []);
        assert.deepEqual(asObject(read), expected);
        // Hand-checked values from the fixture's writer: every character Matomo encodes.
        assert.equal(read.sections.get("General")!.get("salt"), 'a3f1c2"e$HOME\\x;y');
        assert.equal(read.sections.get("database")!.get("password"), 'p"a$$w\\o;rd#=&{x}');
        assert.equal(read.sections.get("General")!.get("unicode"), "Müller – 日本");
        assert.deepEqual(readByPhp(readFileSync(WRITTEN, "utf8")).General.trusted_hosts, ["analytics.example.com", "old.example.com"]);
    });

    it("reads a hand-edited config as PHP does, and refuses (with the reason) what depends on the old server or spans lines", () => {
        const text = readFileSync(HAND, "utf8");
        const read = readMatomoIni(text);
        assert.deepEqual(
            read.refused.map((r) => `${r.section}.${r.key}: ${r.reason}`),
            [
                "General.from_env: PHP expands ${…} in it from the old server's environment or PHP settings",
                "General.expression: an unquoted value PHP reads as an expression, a variable or a syntax error",
                "General.constant_like: an unquoted upper-case word PHP replaces when it names a constant",
                "General.joined: text after its closing quote, which PHP joins to it",
                "General.keyed: an array with named keys (key[name] = …), which the cluster's arguments cannot express",
                "General.multi: a quoted value that goes on past the end of the line",
            ],
        );
        const php = readByPhp(text);
        for (const [section, entries] of read.sections) {
            for (const [key, value] of entries) assert.deepEqual(value, php[section][key], `${section}.${key}`);
        }
        // Everything PHP read is either read the same or refused.
        const refused = new Set(read.refused.map((r) => `${r.section}.${r.key}`));
        for (const [section, entries] of Object.entries(php)) {
            for (const key of Object.keys(entries)) assert.ok(read.sections.get(section)?.has(key) || refused.has(`${section}.${key}`), `${section}.${key}`);
        }
        assert.equal(read.sections.get("General")!.get("entity_by_hand"), "Fish & Chips <3 &#39;quoted&#39; €", "ENT_COMPAT leaves single quotes encoded");
    });

    it("decodes HTML entities with PHP's own table (HTML 4.01, 252 names)", () => {
        const table = JSON.parse(
            execFileSync("php", ["-r", 'echo json_encode(get_html_translation_table(HTML_ENTITIES, ENT_COMPAT | ENT_HTML401, "UTF-8"));']).toString(),
        ) as Record<string, string>;
        assert.deepEqual(new Map(Object.entries(table).map(([ch, entity]) => [entity.slice(1, -1), ch.codePointAt(0)!])), HTML401_ENTITIES);
    });

    it("(property) any text Matomo's writer encodes (htmlentities, $ as &#36;) reads as Matomo reads it back", () => {
        // One line each: a value with a line break is refused (the reader reads one line per value).
        // None ending in a backslash: Matomo writes it before the closing quote, and PHP then takes
        // that quote as escaped and reads on into the next line (a value Matomo itself cannot read back).
        const unit = fc.oneof(
            fc.constantFrom('"', "$", "\\", "&", ";", "#", "'", "{", "}", "=", "<", "é", "€", "日", "😀", "&amp;", "${x}"),
            fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }),
        );
        const strings = fc.sample(
            // eslint-disable-next-line no-control-regex -- leaving out control characters is the point
            fc.string({ unit }).filter((v) => !/[\u0000-\u001f\u007f]|\\$/.test(v)),
            300,
        );
        const php = `foreach (json_decode(stream_get_contents(STDIN)) as $i => $s) { echo "k$i = \\"", str_replace("$", "&#36;", htmlentities($s, ENT_COMPAT, "UTF-8")), "\\"\\n"; }`;
        const written = `[S]\n${execFileSync("php", ["-r", php], { input: JSON.stringify(strings) }).toString()}`;
        const byPhp = readByPhp(written).S;
        const read = readMatomoIni(written);
        strings.forEach((original, i) => {
            const key = `k${i}`;
            assert.equal(read.sections.get("S")!.get(key), byPhp[key], key);
            // Matomo's own round trip loses a backslash of each pair (the writer leaves \\ as is, PHP reads it as \), and
            // its second decoding turns what was entity-like in the original (`&amp;`) into the character: no other change.
            assert.equal(byPhp[key], htmlEntityDecode(original.replace(/\\\\/g, "\\")), key);
        });
    });

    it('(property) hand-written double-quoted values with \\\\, \\" and \\$ escapes, entities and comments read as PHP reads them', () => {
        const piece = fc.constantFrom('\\"', "\\\\", "\\$", "\\n", "\\x", "&amp;", "&#36;", "&#39;", "&nosuch;", ";", "#", "=", "$x", "é", "a", " ");
        const values = fc.sample(
            fc.array(piece, { maxLength: 12 }).map((p) => p.join("")),
            200,
        );
        const text = `[S]\n${values.map((v, i) => `k${i} = "${v}" ; comment`).join("\n")}\n`;
        const php = readByPhp(text).S;
        const read = readMatomoIni(text);
        assert.deepEqual(read.refused, []);
        values.forEach((_, i) => assert.equal(read.sections.get("S")!.get(`k${i}`), php[`k${i}`], `k${i}`));
        assert.equal(htmlEntityDecode("&#128;&#x0;&#xD800;&#1114112;"), "&#128;&#x0;&#xD800;&#1114112;", "what PHP leaves encoded stays encoded");
    });

    it("the design card's `ini` npm package does not read Matomo's config correctly: quotes kept around the salt, \\t turned into a tab, entities left", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- ini ships no types
        const ini = require("ini") as { parse(text: string): Record<string, Record<string, unknown>> };
        const parsed = ini.parse(readFileSync(WRITTEN, "utf8"));
        assert.equal(parsed.General.salt, '"a3f1c2&quot;e&#36;HOME\\x;y"', "its JSON.parse of the quoted value fails on \\x, so it keeps the quotes");
        assert.equal(parsed.mail.password, "sm\tp&quot;pass", "JSON's \\t escape where PHP keeps a backslash and a t");
        assert.notEqual(parsed.General.salt, readMatomoIni(readFileSync(WRITTEN, "utf8")).sections.get("General")!.get("salt"));
    });
});

describe("import-config: the arguments it prints", () => {
    const text = readFileSync(WRITTEN, "utf8");
    const result = importMatomoConfig(text, WRITTEN);
    const matomo = JSON.parse(readFileSync(join(FIXTURES, "matomo-written.read-by-matomo.json"), "utf8")) as Record<string, Record<string, unknown>>;

    it("maps hosts, database, mail, plugin sections and extras; the arguments validate once each ARN is filled in", () => {
        const a = result.args;
        assert.equal(a.domain, "analytics.example.com");
        assert.deepEqual(a.additionalTrustedHosts, ["old.example.com"]);
        assert.deepEqual(a.database, {
            existing: {
                host: "db.internal.example.com",
                username: "matomo",
                passwordSecretArn: arnPlaceholder("database.existing.passwordSecretArn"),
                name: "matomo",
                tablesPrefix: "matomo_",
            },
        });
        assert.deepEqual(a.mail, {
            host: "smtp.example.com",
            encryption: "tls",
            port: 587,
            username: "user@example.com",
            password: { secretArn: arnPlaceholder("mail.password") },
            fromAddress: "noreply@example.com",
            fromName: 'Matomo "Stats" ${USER} ; not a comment',
        });
        assert.equal(a.trackingEnabled, false);
        assert.deepEqual(a.adopt, { installedPlugins: matomo.PluginsInstalled.PluginsInstalled, activatedPlugins: matomo.Plugins.Plugins });
        assert.deepEqual(a.extraConfig, {
            General: {
                default_language: "de",
                login_allowlist_ip: ["10.0.0.0/8", "192.168.1.1"],
                numeric_text: "0123",
                float_value: "1.5",
                unicode: "Müller – 日本",
                empty: "",
            },
        });
        const filled = JSON.parse(
            JSON.stringify(a).replace(/<ARN printed by the command for [^>]+>/g, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:adopted-AbCdEf"),
        ) as MatomoClusterArgs;
        const s = resolveSettings({ ...filled, certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/x", superUser: { email: "ops@example.com" } });
        assert.equal(s.salt.kind, "existing");
    });

    it("says what it does not carry over and why: keys the cluster sets, values it cannot express", () => {
        const why = Object.fromEntries(result.notCarried.map((n) => [n.setting, n.reason]));
        assert.match(why["QueuedTracking"], /queuedTracking: \{ enabled: true, pluginSha256 \}/);
        assert.ok(!result.notCarried.some((n) => n.reason.startsWith("refused by the arguments' validation")), JSON.stringify(result.notCarried));
        for (const k of [
            "General.force_ssl",
            "General.assume_secure_protocol",
            "General.session_save_handler",
            "General.proxy_client_headers",
            "database.charset",
        ]) {
            assert.match(why[k] ?? "", /the cluster sets it/, k);
        }
        const hand = importMatomoConfig(readFileSync(HAND, "utf8"), HAND);
        const handWhy = Object.fromEntries(hand.notCarried.map((n) => [n.setting, n.reason]));
        assert.match(handWhy["General.trusted_hosts"], /intranet\.example\.com:8080/);
        assert.match(handWhy["General.from_env"], /\$\{…\}/);
        assert.match(handWhy["mail"], /only SMTP/);
        assert.match(handWhy["CustomPlugin.api_token"], /a secret: store it/);
        assert.equal(hand.args.domain, "analytics.example.com");
        assert.deepEqual(hand.args.extraConfig?.CustomPlugin, { setting: "value ; with semicolon" });
    });

    it("carries an adopted MariaDB's [database] schema (its database is existing), and leaves a weakening setting behind with the reason and the escape", () => {
        const text = [
            "[database]",
            'host = "db.internal"',
            'username = "matomo"',
            'password = "pw"',
            'schema = "Mariadb"',
            "[General]",
            'salt = "0123456789abcdef0123456789abcdef"',
            'trusted_hosts[] = "analytics.example.com"',
            "enable_framed_pages = 1",
            "",
        ].join("\n");
        const imported = importMatomoConfig(text, "/var/www/matomo/config/config.ini.php");
        assert.deepEqual(imported.args.extraConfig?.database, { schema: "Mariadb" });
        const why = Object.fromEntries(imported.notCarried.map((n) => [n.setting, n.reason]));
        assert.match(why["General.enable_framed_pages"] ?? "", /click-jacking.*extraConfigAllowUnsafe/);
    });

    it("never prints a secret; its commands store exactly what Matomo reads, taken from the file", () => {
        requireTools("php", "bash");
        const printed = formatImport(result) + JSON.stringify(result);
        for (const secret of [matomo.General.salt, matomo.database.password, matomo.mail.password] as string[]) {
            assert.ok(!printed.includes(secret), "a secret value in the output");
            assert.ok(!printed.includes(secret.replace(/"/g, "&quot;").replace(/\$/g, "&#36;")), "an encoded secret value in the output");
        }
        // Run each printed command with a stand-in `aws` that keeps what it was given on stdin.
        const dir = mkdtempSync(join(tmpdir(), "import-config-"));
        try {
            writeFileSync(
                join(dir, "aws"),
                `#!/bin/bash\nset -euo pipefail\n[ "$*" = "secretsmanager create-secret --name $4 --secret-string file:///dev/stdin --query ARN --output text" ]\ncat > "${dir}/stored-$(echo "$4" | tr / _)"\necho arn:aws:secretsmanager:eu-west-1:123456789012:secret:x\n`,
            );
            chmodSync(join(dir, "aws"), 0o755);
            const stored: Record<string, string> = {};
            for (const s of result.secrets) {
                // A shell function wins over any aws on PATH, so the real AWS CLI is never reached.
                execFileSync("bash", ["-c", `aws() { "${join(dir, "aws")}" "$@"; }; set -euo pipefail; ${s.command}`]);
                stored[s.argument] = readFileSync(join(dir, `stored-${s.name.replace(/\//g, "_")}`), "utf8");
            }
            assert.deepEqual(stored, {
                "salt.existingSecretArn": matomo.General.salt,
                "database.existing.passwordSecretArn": matomo.database.password,
                "mail.password.secretArn": matomo.mail.password,
            });
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});
