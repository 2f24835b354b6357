/**
 * Host tools the validator and boot tests need. A missing tool FAILS the test with the apt
 * command that installs it: a skipped validator would pass CI without validating anything.
 */
import { spawnSync } from "child_process";

/** Command → the Debian package that provides it. */
const PROVIDERS: Record<string, string> = {
    "cloud-init": "cloud-init",
    shellcheck: "shellcheck",
    nginx: "nginx-light",
    "php-fpm8.2": "php8.2-fpm",
    php: "php-cli",
    debootstrap: "debootstrap",
    mariadbd: "mariadb-server",
    "mariadb-install-db": "mariadb-server",
    mariadb: "mariadb-client",
    openssl: "openssl",
    gpg: "gnupg",
    tar: "tar",
    chroot: "coreutils",
    mount: "mount",
};

function onPath(command: string): boolean {
    return spawnSync("sh", ["-c", `command -v '${command}'`], { stdio: "ignore" }).status === 0;
}

/** Throws naming every missing command and the apt-get line that installs them all. */
export function requireTools(...commands: string[]): void {
    const missing = commands.filter((c) => !onPath(c));
    if (missing.length > 0) {
        const packages = [...new Set(missing.map((c) => PROVIDERS[c] ?? c))];
        throw new Error(`missing ${missing.join(", ")}: install with  apt-get install -y ${packages.join(" ")}`);
    }
}

export function requireRoot(why: string): void {
    if (typeof process.getuid === "function" && process.getuid() !== 0) {
        throw new Error(`must run as root: ${why}`);
    }
}
