import { existsSync, readdirSync, statSync } from "fs";
import { join } from "path";

export const EXAMPLES_DIR = join(__dirname, "..", "..", "examples");

/**
 * The example folders with a TypeScript program (python and yaml use `pulumi package add`, see
 * multilangExamples.test.ts); `examples/node_modules` only links the package name to this checkout.
 */
export const TYPESCRIPT_EXAMPLES = readdirSync(EXAMPLES_DIR)
    .filter((name) => name !== "node_modules" && statSync(join(EXAMPLES_DIR, name)).isDirectory())
    .filter((name) => existsSync(join(EXAMPLES_DIR, name, "index.ts")));
