/**
 * README's "Layout" paragraph (under Development) matches the tree: every path it names exists,
 * and it names every folder of lib/ and every top-level folder of sources.
 */
import { strict as assert } from "assert";
import { existsSync, readdirSync, readFileSync, statSync } from "fs";
import { join } from "path";

const REPO = join(__dirname, "..");
const readme = readFileSync(join(REPO, "README.md"), "utf8");

function layoutSection(): string {
    const start = readme.indexOf("\nLayout:");
    assert.ok(start >= 0, "README has a 'Layout:' paragraph");
    const end = readme.indexOf("\n\n", start + 1);
    return readme.slice(start, end < 0 ? undefined : end);
}

const dirsOf = (dir: string) => readdirSync(join(REPO, dir)).filter((name) => statSync(join(REPO, dir, name)).isDirectory());

describe("README's Layout matches the tree", function () {
    const layout = layoutSection();
    const named = [...layout.matchAll(/`([A-Za-z0-9_.\-/]+)`/g)]
        .map((m) => m[1])
        .filter((p) => p.includes("/") || /\.(ts|json|yaml|md)$/.test(p))
        // Not paths of the tree: the package's entry points by name, and git-ignored caches.
        .filter((p) => !p.startsWith("pulumi-matomo-aws/") && !p.startsWith("."));

    it("every path it names exists", () => {
        assert.ok(named.length >= 10, `only ${named.length} paths named`);
        for (const path of named) assert.ok(existsSync(join(REPO, path)), `${path} does not exist`);
    });

    it("names every folder of lib/ and every top-level folder of sources", () => {
        const folders = [...dirsOf("lib").map((d) => `lib/${d}/`), ...["lib/", "examples/", "test/", "scripts/", "docs/", "policy-pack/"]];
        for (const folder of folders) assert.ok(named.includes(folder), `Layout does not name ${folder}`);
    });
});
