/**
 * Real validators from Debian. A missing one fails the test with the command that installs it:
 * a skipped validator would read as a pass.
 */
import { execFileSync, spawnSync } from "child_process";

export function requireTool(command: string, aptPackage: string): string {
    const found = spawnSync("sh", ["-c", `command -v ${command}`], { encoding: "utf8" });
    if (found.status !== 0 || found.stdout.trim() === "") {
        throw new Error(`${command} is not installed; install it with: apt-get install -y --no-install-recommends ${aptPackage}`);
    }
    return found.stdout.trim();
}

const PHP_PARSE_INI = `
$parsed = @parse_ini_file($argv[1], true);
if ($parsed === false) { fwrite(STDERR, (error_get_last()["message"] ?? "syntax error") . "\\n"); exit(1); }
echo json_encode($parsed, JSON_THROW_ON_ERROR | JSON_UNESCAPED_UNICODE);
`;

/** Parse INI text with PHP's own parser, in the normal scanner mode Matomo's IniReader uses. */
export function phpParseIni(path: string): Record<string, Record<string, unknown>> {
    const php = requireTool("php", "php-cli");
    const json = execFileSync(php, ["-r", PHP_PARSE_INI, path], { encoding: "utf8" });
    return JSON.parse(json) as Record<string, Record<string, unknown>>;
}
