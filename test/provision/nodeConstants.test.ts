/**
 * The node-side constants (lib/provision/nodeConstants.ts) are written once: the shell scripts
 * take them from the rendered matomo-constants.sh, every file set that carries common.sh carries
 * it too, and the PHP files that restate a path (they run without the shell) agree with the table.
 */
import { strict as assert } from "assert";
import { execFileSync, spawnSync } from "child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import {
    buildInstanceUserData,
    compactProvisionFile,
    LIB_DIR,
    NODE_CONSTANTS,
    NODE_CONSTANTS_FILE,
    PAYLOAD_DIR,
    PROVISION_FILES_DIR,
    renderBakeBundle,
    renderNodeConstants,
    renderProvisioningBundle,
} from "../../lib/provision";
import type { ProvisionFile } from "../../lib/provision/files";
import { inputFor, settingsWith } from "./fixtures";
import { requireTools } from "../support/tools";

const SHELL_SCRIPTS = readdirSync(PROVISION_FILES_DIR).filter((f) => f.endsWith(".sh")) as ProvisionFile[];

describe("provision: node constants, written once", () => {
    it("common.sh, sourced as the scripts source it, defines every constant with the table's value", () => {
        requireTools("bash");
        const lib = mkdtempSync(join(tmpdir(), "node-constants-"));
        writeFileSync(join(lib, NODE_CONSTANTS_FILE), renderNodeConstants());
        writeFileSync(join(lib, "common.sh"), readFileSync(join(PROVISION_FILES_DIR, "common.sh")));
        const names = Object.keys(NODE_CONSTANTS);
        const r = spawnSync("bash", ["-c", `LIB=$1; . "$LIB/common.sh"; for n in ${names.join(" ")}; do printf '%s=%s\\n' "$n" "\${!n}"; done`, "-", lib], {
            encoding: "utf8",
        });
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stdout, names.map((n) => `${n}=${NODE_CONSTANTS[n as keyof typeof NODE_CONSTANTS]}\n`).join(""));
    });

    it("no shell script spells a constant's value itself (only the two paths it finds common.sh by)", () => {
        const spelled: string[] = [];
        for (const name of SHELL_SCRIPTS) {
            const code = compactProvisionFile(name)
                .split("\n")
                .filter((l) => l !== `readonly PAYLOAD=${PAYLOAD_DIR}` && l !== `readonly LIB=${LIB_DIR}`);
            for (const [constant, value] of Object.entries(NODE_CONSTANTS)) {
                // The PHP release as it appears in Debian's names and paths: php8.2-fpm, /etc/php/8.2, php-fpm8.2.
                const pattern = constant === "PHP_VERSION" ? new RegExp(`(php|/)${value.replace(".", "\\.")}\\b`) : undefined;
                for (const line of code) if (pattern ? pattern.test(line) : line.includes(value)) spelled.push(`${name}: ${constant} in: ${line.trim()}`);
            }
        }
        assert.deepEqual(spelled, []);
    });

    it("every script finds common.sh where the bundle puts it, and PAYLOAD where user data writes", () => {
        for (const name of SHELL_SCRIPTS) {
            const text = readFileSync(join(PROVISION_FILES_DIR, name), "utf8");
            for (const [variable, value] of [
                ["PAYLOAD", PAYLOAD_DIR],
                ["LIB", LIB_DIR],
            ]) {
                const m = text.match(new RegExp(`^readonly ${variable}=(.*)$`, "m"));
                if (m) assert.equal(m[1], value, `${name}: ${variable}`);
            }
        }
    });

    it("every file set that carries common.sh carries matomo-constants.sh beside it: both roles' bundles, the bake's, the build instance's", () => {
        requireTools("tar");
        const settings = settingsWith({});
        const sets: Record<string, string[]> = {};
        for (const role of ["tracker", "ui"] as const) {
            sets[`${role} bundle`] = renderProvisioningBundle(inputFor(role, settings)).files.map((f) => f.path);
        }
        sets["bake bundle"] = renderBakeBundle(settings, "eu-west-1").files.map((f) => f.path);
        const script = buildInstanceUserData({ url: "https://example.com/agent.deb", fingerprint: "A".repeat(40), key: "key" });
        const archive = Buffer.from(script.match(/printf '%s' '([A-Za-z0-9+/=]+)' \| base64 -d/)![1], "base64");
        sets["build instance"] = execFileSync("tar", ["-tz"], { input: archive })
            .toString()
            .trim()
            .split("\n")
            .map((p) => `/${p}`);
        for (const [set, paths] of Object.entries(sets)) {
            assert.ok(paths.includes(`${LIB_DIR}/common.sh`), `${set} carries common.sh`);
            assert.ok(paths.includes(`${LIB_DIR}/${NODE_CONSTANTS_FILE}`), `${set}: ${paths.join(" ")}`);
        }
    });

    it("the PHP files that restate a path or option name agree with the table", () => {
        const php = (name: string) => readFileSync(join(PROVISION_FILES_DIR, name), "utf8");
        const constant = (name: string, id: string) => php(name).match(new RegExp(`^const ${id} = '([^']*)';`, "m"))?.[1];
        assert.equal(constant("health.php", "STATE_DIR"), NODE_CONSTANTS.STATE);
        assert.equal(constant("health.php", "MATOMO_ROOT"), NODE_CONSTANTS.MATOMO_ROOT);
        assert.match(php("health.php"), /^const CONFIG = MATOMO_ROOT \. '\/config\/config\.ini\.php';$/m);
        assert.equal(`${NODE_CONSTANTS.MATOMO_ROOT}/config/config.ini.php`, NODE_CONSTANTS.CONFIG);
        assert.equal(constant("matomo-config-sections.php", "SECTIONS_OPTION"), NODE_CONSTANTS.SECTIONS_OPTION);
        assert.ok(php("matomo-deep-check.php").includes(`'${NODE_CONSTANTS.STATE}/ready'`));
        for (const name of ["matomo-deep-check.php", "matomo-queue-backlog.php"]) assert.ok(php(name).includes(`?? '${NODE_CONSTANTS.CONFIG}'`), name);
    });
});
