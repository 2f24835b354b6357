/**
 * The shell and PHP files a node runs, read from `lib/provision/files/` at render time.
 *
 * They are real files (linted by shellcheck, `php -l`) rather than strings in TypeScript. The
 * directory is found from the package root, so the same lookup works under ts-node
 * (`lib/provision`) and from the compiled package (`build/lib/provision`); `package.json`'s
 * `files` ships `lib/provision/files/**` beside `build/`.
 */
import { existsSync, readFileSync } from "fs";
import { dirname, join } from "path";

const PACKAGE_NAME = "pulumi-matomo-aws";

function packageRoot(start: string): string {
    for (let dir = start; ; dir = dirname(dir)) {
        const manifest = join(dir, "package.json");
        if (existsSync(manifest)) {
            const name = (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name;
            if (name === PACKAGE_NAME) return dir;
        }
        if (dirname(dir) === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package root above ${start}`);
    }
}

/** Absolute path of `lib/provision/files`. */
export const PROVISION_FILES_DIR = join(packageRoot(__dirname), "lib", "provision", "files");

/** The scripts every role carries, by file name. */
export const COMMON_SCRIPTS = [
    "common.sh",
    "matomo-provision.sh",
    "matomo-fpm-pool.sh",
    "matomo-release.sh",
    "matomo-verify-signature.sh",
    "matomo-ssm-agent.sh",
    "matomo-secret.sh",
    "matomo-secret-value.php",
    "matomo-fill-config.php",
    "matomo-pdo.php",
    "matomo-db.php",
    "matomo-config-sections.php",
    "health.php",
    "matomo-deep-check.php",
] as const;

/** Only ui nodes install Matomo or run core:update. */
export const UI_SCRIPTS = ["matomo-ui-setup.sh"] as const;

/** Every role, only with QueuedTracking: puts the plugin on the node. */
export const QUEUED_TRACKING_SCRIPTS = ["matomo-plugin.sh"] as const;

/** Every role, only with observability on: the CloudWatch agent's installer and the metric publisher. */
export const OBSERVABILITY_SCRIPTS = ["matomo-cloudwatch-agent.sh", "matomo-metric.sh", "matomo-queue-backlog.php"] as const;

export type ProvisionFile =
    | (typeof COMMON_SCRIPTS)[number]
    | (typeof UI_SCRIPTS)[number]
    | (typeof QUEUED_TRACKING_SCRIPTS)[number]
    | (typeof OBSERVABILITY_SCRIPTS)[number];

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
