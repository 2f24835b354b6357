// Run by `npm ci` / `npm install` (prepare): examples import "pulumi-matomo-aws" by name, as a user's
// program does, and each has its own package.json, so Node's own-name lookup stops at the example.
// examples/node_modules/pulumi-matomo-aws → ../.. lets Node and tsc resolve the name from every
// example to this checkout, through its package.json exports. Made here, not committed: git keeps no
// node_modules. Idempotent.
import { mkdirSync, readlinkSync, rmSync, symlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const dir = join(dirname(fileURLToPath(import.meta.url)), "..", "examples", "node_modules");
const link = join(dir, "pulumi-matomo-aws");
mkdirSync(dir, { recursive: true });
let current;
try {
    current = readlinkSync(link);
} catch {
    current = undefined;
}
if (current !== join("..", "..")) {
    if (current !== undefined) rmSync(link, { force: true });
    symlinkSync(join("..", ".."), link, "dir");
}
