/**
 * `npm run import-config -- path/to/config.ini.php [--json]`: prints the MatomoClusterArgs that run
 * an existing single-server Matomo on the cluster (lib/import). Secrets are never printed: the
 * output holds commands that read them from the file and store them in Secrets Manager.
 */
import { readFileSync } from "fs";
import { resolve } from "path";
import { formatImport, importMatomoConfig } from "../lib/import/importConfig";

const args = process.argv.slice(2);
const path = args.find((a) => !a.startsWith("--"));
if (path === undefined) {
    console.error("usage: npm run import-config -- path/to/config.ini.php [--json]");
    process.exit(2);
}
const absolute = resolve(path);
const result = importMatomoConfig(readFileSync(absolute, "utf8"), absolute);
process.stdout.write(args.includes("--json") ? JSON.stringify(result, null, 2) + "\n" : formatImport(result));
