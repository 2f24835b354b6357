/**
 * The rendered text through the real tools that will read it: cloud-init's schema check,
 * shellcheck, php -l, nginx -t and php-fpm -t. A missing tool fails (see requireTools).
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import {
    BOOTSTRAP_SCRIPT,
    compactProvisionFile,
    COMMON_SCRIPTS,
    fpmPoolSize,
    GEOIP_SCRIPTS,
    OBSERVABILITY_SCRIPTS,
    PLUGIN_DOWNLOAD_SCRIPTS,
    PLUGIN_SCRIPTS,
    PROVISION_FILES_DIR,
    renderFpmPool,
    renderInstallerGate,
    renderNginxSite,
    QUEUED_TRACKING_UI_SCRIPTS,
    UI_SCRIPTS,
} from "../../lib/provision";
import { requireTools } from "../support/tools";
import { OBSERVABILITY, PLUGIN_SHA256, renderBoth, settingsWith } from "./fixtures";

function run(command: string, args: string[]): { status: number; output: string } {
    const r = spawnSync(command, args, { encoding: "utf8" });
    return { status: r.status ?? -1, output: `${r.stdout ?? ""}${r.stderr ?? ""}` };
}

const tmp = () => mkdtempSync(join(tmpdir(), "provision-validate-"));

describe("provision: validators on the rendered text", () => {
    const variants = {
        default: renderBoth(settingsWith()),
        "sha256 mirror + QueuedTracking": renderBoth(
            settingsWith({
                matomo: { downloadUrl: "https://mirror.example.com/m.tar.gz", sha256: "b".repeat(64) },
                queuedTracking: { enabled: true, pluginSha256: PLUGIN_SHA256 },
            }),
        ),
        observability: renderBoth(settingsWith(), { observability: OBSERVABILITY }),
    };

    for (const [name, both] of Object.entries(variants)) {
        for (const role of ["tracker", "ui"] as const) {
            it(`cloud-init schema accepts the ${role} user data (${name})`, () => {
                requireTools("cloud-init");
                const file = join(tmp(), "user-data");
                writeFileSync(file, both[role].text);
                const r = run("cloud-init", ["schema", "--config-file", file]);
                assert.equal(r.status, 0, r.output);
                assert.match(r.output, /Valid cloud-config/);
            });
        }
    }

    it("shellcheck passes every shell script, as written and as shipped (user data's bootstrap, the bundle's scripts)", () => {
        requireTools("shellcheck");
        const scripts = readdirSync(PROVISION_FILES_DIR).filter((f) => f.endsWith(".sh"));
        assert.deepEqual(
            scripts.sort(),
            [
                ...COMMON_SCRIPTS,
                ...UI_SCRIPTS,
                ...PLUGIN_SCRIPTS,
                ...PLUGIN_DOWNLOAD_SCRIPTS,
                ...QUEUED_TRACKING_UI_SCRIPTS,
                ...GEOIP_SCRIPTS,
                ...OBSERVABILITY_SCRIPTS,
                BOOTSTRAP_SCRIPT,
            ]
                .filter((f) => f.endsWith(".sh"))
                .sort(),
            "every script is shipped",
        );
        const dir = tmp();
        const paths = scripts.map((s) => join(PROVISION_FILES_DIR, s));
        for (const s of scripts) {
            writeFileSync(join(dir, s), compactProvisionFile(s as (typeof COMMON_SCRIPTS)[number]));
            paths.push(join(dir, s));
        }
        paths.push(join(__dirname, "..", "..", "scripts", "boot", "prepare-root.sh"));
        const r = run("shellcheck", ["--shell=bash", ...paths]);
        assert.equal(r.status, 0, r.output);
    });

    it("no script has a heredoc, so dropping indentation in user data changes no string", () => {
        for (const f of readdirSync(PROVISION_FILES_DIR)) {
            for (const line of readFileSync(join(PROVISION_FILES_DIR, f), "utf8").split("\n")) assert.doesNotMatch(line, /(?<!<)<<(?!<)/, `${f}: ${line}`);
        }
    });

    it("every script starts with set -euo pipefail", () => {
        for (const s of readdirSync(PROVISION_FILES_DIR).filter((f) => f.endsWith(".sh"))) {
            assert.match(compactProvisionFile(s as (typeof COMMON_SCRIPTS)[number]), /^#!\/bin\/bash\n(?:#.*\n)*set -euo pipefail\n/, s);
        }
    });

    it("php -l passes every PHP file", () => {
        requireTools("php");
        for (const f of readdirSync(PROVISION_FILES_DIR).filter((f) => f.endsWith(".php"))) {
            const r = run("php", ["-l", join(PROVISION_FILES_DIR, f)]);
            assert.equal(r.status, 0, `${f}: ${r.output}`);
        }
    });

    for (const role of ["tracker", "ui"] as const) {
        for (const gate of role === "ui" ? (["closed", "open"] as const) : ([undefined] as const)) {
            // Closed: the payload's snippet; open: an empty file.
            it(`nginx -t accepts the ${role} site${gate ? ` with the installer gate ${gate}` : ""}`, () => {
                requireTools("nginx");
                const dir = tmp();
                if (gate) writeFileSync(join(dir, "gate.conf"), gate === "closed" ? renderInstallerGate() : "");
                writeFileSync(
                    join(dir, "site.conf"),
                    renderNginxSite({ role, httpPort: 80, trustedProxyCidrs: ["10.80.0.0/16"], installerGatePath: join(dir, "gate.conf") }),
                );
                copyFileSync("/etc/nginx/mime.types", join(dir, "mime.types"));
                mkdirSync(join(dir, "logs"));
                writeFileSync(
                    join(dir, "nginx.conf"),
                    `pid ${dir}/nginx.pid;\nerror_log ${dir}/logs/error.log;\nevents {}\nhttp {\n    include mime.types;\n    access_log off;\n    include ${dir}/site.conf;\n}\n`,
                );
                const r = run("nginx", ["-t", "-p", dir, "-c", join(dir, "nginx.conf")]);
                assert.equal(r.status, 0, r.output);
                assert.match(r.output, /syntax is ok/);
            });
        }

        it(`php-fpm8.2 -t accepts the ${role} pool`, () => {
            requireTools("php-fpm8.2");
            const dir = tmp();
            writeFileSync(join(dir, "pool.conf"), renderFpmPool(role, fpmPoolSize(role, 2, 8192)));
            writeFileSync(join(dir, "php-fpm.conf"), `[global]\npid = ${dir}/fpm.pid\nerror_log = ${dir}/fpm.log\ninclude = ${dir}/pool.conf\n`);
            const r = run("php-fpm8.2", ["-t", "-y", join(dir, "php-fpm.conf")]);
            assert.equal(r.status, 0, r.output);
            assert.match(r.output, /test is successful/);
        });
    }
});
