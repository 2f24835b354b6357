/**
 * Rewrites the golden files (test/golden/<scenario>/<role>.cloud-config.yaml and <role>.bundle.txt)
 * from the renderers, and removes any the scenarios no longer produce; then docs/provisioning.md's
 * measured sizes (test/support/provisioningFigures.ts), which the same changes move. Run after a
 * change that alters what a node receives, review the diff, commit it.
 *
 *   npm run golden
 */
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "fs";
import { dirname, join } from "path";
import { GOLDEN_DIR, renderGoldenFiles } from "../test/golden/scenarios";
import { measureReferenceFigures, PROVISIONING_DOC, readProvisioningDoc, withFigures } from "../test/support/provisioningFigures";

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

void measureReferenceFigures().then((figures) => {
    writeFileSync(PROVISIONING_DOC, withFigures(readProvisioningDoc(), figures));
    console.log(`golden: wrote the measured sizes of ${figures.map((f) => f.role).join(" and ")} into docs/provisioning.md`);
});
