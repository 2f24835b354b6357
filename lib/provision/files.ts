/**
 * The shell and PHP files a node runs, read from `lib/provision/files/` at render time.
 *
 * They are real files (linted by shellcheck, `php -l`) rather than strings in TypeScript, found
 * beside this module: `lib/provision/files` when the sources run (tests, `npm run plan`), and
 * `build/lib/provision/files` in the package, where `npm run build` copies them. The same lookup
 * holds however the package was installed (tarball, git, workspace).
 */
import { readFileSync } from "fs";
import { join } from "path";
import type { WrittenFile } from "./cloudConfig";
import { nodeConstantsFile } from "./nodeConstants";
import { LIB_DIR, PROVISION_COMMAND } from "./paths";

/** Absolute path of `lib/provision/files`. */
export const PROVISION_FILES_DIR = join(__dirname, "files");

/** The scripts every role carries, by file name. */
export const COMMON_SCRIPTS = [
    "common.sh",
    "matomo-provision.sh",
    "matomo-fpm-pool.sh",
    "matomo-release.sh",
    "matomo-verify-signature.sh",
    "matomo-reach.sh",
    "matomo-ssm-agent.sh",
    "matomo-secret.sh",
    "matomo-secret-value.php",
    "matomo-fill-config.php",
    "matomo-pdo.php",
    "matomo-db.php",
    "matomo-config-sections.php",
    "health.php",
    "matomo-deep-check.php",
    "matomo-generated-files.sh",
] as const;

/** Only ui nodes install Matomo, adopt an installed one (matomo-adopt.sh), run core:update, manage the database users (matomo-db-users.php) or ask the database for its version. */
export const UI_SCRIPTS = ["matomo-ui-setup.sh", "matomo-adopt.sh", "matomo-db-users.php", "matomo-version-check.php"] as const;

/**
 * Every role, always: matomo-plugins.sh installs the manifest's plugins (QueuedTracking is one),
 * takes away those no longer listed, and on a ui node activates and deactivates them. With no
 * plugin left the ui must still deactivate those it activated before.
 */
export const PLUGIN_SCRIPTS = ["matomo-plugins.sh"] as const;

/** Every role, only with plugins to download: matomo-plugin.sh fetches and checks one archive. */
export const PLUGIN_DOWNLOAD_SCRIPTS = ["matomo-plugin.sh"] as const;

/** Every role, unless `geoIp.provider` is "off": installs and refreshes the location database. */
export const GEOIP_SCRIPTS = ["matomo-geoip.sh"] as const;
/** ui nodes only, only with QueuedTracking: the supervised worker loop of one queue. */
export const QUEUED_TRACKING_UI_SCRIPTS = ["matomo-queue-worker.sh"] as const;

/** The one script user data carries itself: it fetches the provisioning bundle that holds the others. */
export const BOOTSTRAP_SCRIPT = "matomo-bootstrap.sh";

/** Every role, only with observability on: the CloudWatch agent's installer and the metric publisher. */
export const OBSERVABILITY_SCRIPTS = ["matomo-cloudwatch-agent.sh", "matomo-metric.sh", "matomo-queue-backlog.php"] as const;

export type ProvisionFile =
    | (typeof COMMON_SCRIPTS)[number]
    | (typeof UI_SCRIPTS)[number]
    | (typeof PLUGIN_SCRIPTS)[number]
    | (typeof PLUGIN_DOWNLOAD_SCRIPTS)[number]
    | (typeof GEOIP_SCRIPTS)[number]
    | (typeof QUEUED_TRACKING_UI_SCRIPTS)[number]
    | (typeof OBSERVABILITY_SCRIPTS)[number]
    | typeof BOOTSTRAP_SCRIPT;

export function readProvisionFile(name: ProvisionFile): string {
    return readFileSync(join(PROVISION_FILES_DIR, name), "utf8");
}

/**
 * The file as a node gets it: whole-line comments, blank lines and indentation dropped to keep
 * the user data well under EC2's 16 KB (the commented original is in the package and the
 * repository). Kept: the shebang, shellcheck directives and everything on a line with code.
 * Indentation means nothing to bash or PHP here: no script has a heredoc (a test checks).
 */
export function compactProvisionFile(name: ProvisionFile): string {
    const comment = name.endsWith(".php") ? /^\s*\/\// : /^\s*#(?!!|\s*shellcheck)/;
    return (
        readProvisionFile(name)
            .split("\n")
            .filter((line) => line.trim() !== "" && !comment.test(line))
            .map((line) => line.trimStart())
            .join("\n") + "\n"
    );
}

/**
 * The scripts as a node gets them: in LIB_DIR (matomo-provision.sh as the provision command),
 * root's, executable but the sourced common.sh and the PHP files; with common.sh comes the
 * constants file it sources (nodeConstants.ts).
 */
export function scriptFiles(names: readonly ProvisionFile[]): WrittenFile[] {
    return [
        ...names.map((name): WrittenFile => ({
            path: name === "matomo-provision.sh" ? PROVISION_COMMAND : `${LIB_DIR}/${name}`,
            owner: "root:root",
            permissions: name.endsWith(".sh") && name !== "common.sh" ? "0755" : "0644",
            content: compactProvisionFile(name),
        })),
        ...(names.includes("common.sh") ? [nodeConstantsFile()] : []),
    ];
}
