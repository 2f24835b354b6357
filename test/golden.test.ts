import { strict as assert } from "assert";
import { existsSync, readdirSync, readFileSync, statSync } from "fs";
import { join } from "path";
import { GOLDEN_DIR, renderGoldenFiles, ROLES, SCENARIOS } from "./golden/scenarios";

/** The first line where two texts differ, both sides quoted. */
function firstDifference(committed: string, rendered: string): string {
    const a = committed.split("\n");
    const b = rendered.split("\n");
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
        if (a[i] !== b[i]) return `line ${i + 1}: committed ${JSON.stringify(a[i] ?? "<end>")}, rendered ${JSON.stringify(b[i] ?? "<end>")}`;
    }
    return "identical";
}

const RERUN = "review the change, run `npm run golden` to rewrite test/golden/, and commit the files";

describe("golden files: each role's user data and bundle listing per scenario (test/golden/)", () => {
    const rendered = renderGoldenFiles();

    it("covers every scenario and role: the reference stack, large, an existing VPC, a pre-built image", () => {
        assert.deepEqual(Object.keys(SCENARIOS).sort(), ["existing-vpc", "large", "prebuilt-image", "reference"]);
        for (const scenario of Object.keys(SCENARIOS)) {
            for (const role of ROLES) {
                assert.ok(rendered.has(`${scenario}/${role}.cloud-config.yaml`) && rendered.has(`${scenario}/${role}.bundle.txt`), `${scenario}/${role}`);
            }
        }
    });

    for (const [path, text] of rendered) {
        it(`test/golden/${path} is what the renderers produce`, () => {
            const file = join(GOLDEN_DIR, path);
            assert.ok(existsSync(file), `test/golden/${path} is missing: ${RERUN}`);
            const committed = readFileSync(file, "utf8");
            assert.ok(committed === text, `test/golden/${path} differs from what the renderers produce (${firstDifference(committed, text)}): ${RERUN}`);
        });
    }

    it("holds no file the scenarios no longer produce", () => {
        const committed = readdirSync(GOLDEN_DIR)
            .filter((entry) => statSync(join(GOLDEN_DIR, entry)).isDirectory())
            .flatMap((dir) => readdirSync(join(GOLDEN_DIR, dir)).map((name) => `${dir}/${name}`));
        assert.deepEqual(
            committed.filter((path) => !rendered.has(path)),
            [],
            `test/golden/ holds files no scenario renders: ${RERUN}`,
        );
    });

    it("every secret a node reads is a placeholder in the config and an ARN in provision.env, never a value", () => {
        for (const [path, text] of rendered) {
            if (!path.endsWith(".cloud-config.yaml")) continue;
            for (const [, key, value] of text.matchAll(/^\s*(password|salt|license_key)\s*=\s*"([^"]*)"/gm)) {
                assert.match(value, /^\{\{secret:[a-z0-9_]+\}\}$/, `${path}: config ${key} is not a placeholder`);
            }
            const arns = [...text.matchAll(/^\s*MATOMO_SECRET_ARN_\w+='([^']*)'$/gm)].map((m) => m[1]);
            assert.ok(arns.length > 0, `${path}: provision.env names no secret ARN`);
            for (const arn of arns) assert.match(arn, /^arn:aws:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+$/, `${path}: ${arn}`);
        }
    });
});
