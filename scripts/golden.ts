/**
 * Rewrites the golden files (test/golden/<scenario>/<role>.cloud-config.yaml and <role>.bundle.txt)
 * from the renderers, and removes any the scenarios no longer produce. Run after a change that
 * alters what a node receives, review the diff, commit it.
 *
 *   npm run golden
 */
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "fs";
import { dirname, join } from "path";
import { GOLDEN_DIR, renderGoldenFiles } from "../test/golden/scenarios";

const files = renderGoldenFiles();
for (const entry of readdirSync(GOLDEN_DIR)) {
    const dir = join(GOLDEN_DIR, entry);
    if (!statSync(dir).isDirectory()) continue;
    for (const name of readdirSync(dir)) {
        if (!files.has(`${entry}/${name}`)) rmSync(join(dir, name));
    }
}
for (const [path, text] of files) {
    mkdirSync(dirname(join(GOLDEN_DIR, path)), { recursive: true });
    writeFileSync(join(GOLDEN_DIR, path), text);
}
console.log(`golden: wrote ${files.size} files under ${GOLDEN_DIR}`);
