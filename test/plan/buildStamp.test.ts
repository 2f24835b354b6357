/**
 * A program outside the repository that installed this checkout by path (`npm install <dir>`, a
 * workspace) loads its compiled build/, so `npm run plan -- --example <dir>` plans what build/ holds.
 * A build/ older than lib/ would plan old code and look right: the plan refuses it, naming the fix.
 */
import { strict as assert } from "assert";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { staleBuildOf } from "../../scripts/plan";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { writeBuildStamp } = require("../../scripts/build-stamp.js") as { writeBuildStamp: (root: string) => void };

describe("npm run plan -- --example <dir>: a program that loads this checkout's build/", function () {
    let work = "";
    let checkout = "";
    let program = "";

    beforeEach(function () {
        work = mkdtempSync(join(tmpdir(), "build-stamp-"));
        // A checkout: its package name, sources and a build/ made from them.
        checkout = join(work, "checkout");
        mkdirSync(join(checkout, "lib", "provision", "files"), { recursive: true });
        mkdirSync(join(checkout, "build", "lib"), { recursive: true });
        writeFileSync(join(checkout, "package.json"), JSON.stringify({ name: "pulumi-matomo-aws", main: "build/lib/index.js" }));
        writeFileSync(join(checkout, "tsconfig.json"), "{}");
        writeFileSync(join(checkout, "tsconfig.build.json"), "{}");
        writeFileSync(join(checkout, "lib", "index.ts"), "export const size = 1;\n");
        writeFileSync(join(checkout, "lib", "provision", "files", "health.php"), "<?php echo 'ok';\n");
        writeFileSync(join(checkout, "build", "lib", "index.js"), "exports.size = 1;\n");
        writeBuildStamp(checkout);
        // A program that installed it by path.
        program = join(work, "program");
        mkdirSync(join(program, "node_modules"), { recursive: true });
        symlinkSync(checkout, join(program, "node_modules", "pulumi-matomo-aws"), "dir");
    });
    afterEach(function () {
        rmSync(work, { recursive: true, force: true });
    });

    it("plans when build/ was made from the sources as they are", function () {
        assert.equal(staleBuildOf(program, checkout), undefined);
    });

    it("refuses when a source changed after the build, naming npm run build", function () {
        writeFileSync(join(checkout, "lib", "index.ts"), "export const size = 2;\n");
        assert.match(String(staleBuildOf(program, checkout)), /build\/ is older than the sources .*npm run build/);
    });

    it("refuses when a node file the build copies changed, or a source was added", function () {
        writeFileSync(join(checkout, "lib", "provision", "files", "health.php"), "<?php echo 'changed';\n");
        assert.match(String(staleBuildOf(program, checkout)), /npm run build/);
        writeBuildStamp(checkout);
        writeFileSync(join(checkout, "lib", "added.ts"), "export {};\n");
        assert.match(String(staleBuildOf(program, checkout)), /npm run build/);
    });

    it("refuses a build/ that records no sources (made before builds recorded them)", function () {
        rmSync(join(checkout, "build", "sources.sha256"));
        assert.match(String(staleBuildOf(program, checkout)), /npm run build/);
    });

    it("has nothing to say about a program whose package is installed elsewhere (a tarball's copy)", function () {
        rmSync(join(program, "node_modules", "pulumi-matomo-aws"));
        const copy = join(program, "node_modules", "pulumi-matomo-aws");
        mkdirSync(copy);
        writeFileSync(join(copy, "package.json"), JSON.stringify({ name: "pulumi-matomo-aws", main: "index.js" }));
        writeFileSync(join(copy, "index.js"), "");
        writeFileSync(join(checkout, "lib", "index.ts"), "export const size = 3;\n");
        assert.equal(staleBuildOf(program, checkout), undefined);
    });
});
