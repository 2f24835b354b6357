/**
 * Real validators and host tools from Debian. A missing tool FAILS the test with the apt command
 * that installs it: a skipped validator would pass CI without validating anything.
 */
import { execFileSync, spawnSync } from "child_process";

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
    zip: "zip",
    unzip: "unzip",
    dot: "graphviz",
    sha256sum: "coreutils",
    chroot: "coreutils",
    mount: "mount",
    "redis-server": "redis-server",
    "redis-cli": "redis-tools",
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

const PHP_PARSE_INI = `
$parsed = @parse_ini_file($argv[1], true);
if ($parsed === false) { fwrite(STDERR, (error_get_last()["message"] ?? "syntax error") . "\\n"); exit(1); }
array_walk_recursive($parsed, function (&$v) { if (is_string($v)) { $v = html_entity_decode(html_entity_decode($v, ENT_COMPAT, "UTF-8"), ENT_COMPAT, "UTF-8"); } });
echo json_encode($parsed, JSON_THROW_ON_ERROR | JSON_UNESCAPED_UNICODE);
`;

/**
 * Read a config file as Matomo does: PHP's own parser in the normal scanner mode Matomo's IniReader
 * uses, then html_entity_decode of every string twice (core/Config/IniFileChain.php reload() runs
 * decodeValues over each file's values twice: once for its result, once in place; real Matomo's
 * `console config:get` reads `&amp;amp;` as `&`).
 */
export function phpParseIni(path: string): Record<string, Record<string, unknown>> {
    requireTools("php");
    const json = execFileSync("php", ["-r", PHP_PARSE_INI, path], { encoding: "utf8" });
    return JSON.parse(json) as Record<string, Record<string, unknown>>;
}
