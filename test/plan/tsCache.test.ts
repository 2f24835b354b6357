/**
 * scripts/ts-cache.js, the TypeScript loader `npm run plan` and `npm run bench:plan` run under: it
 * keeps each file's JavaScript between runs, and must never run an old copy of a changed source
 * (a plan of stale code is a wrong plan that looks right).
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";

const LOADER = resolve(__dirname, "..", "..", "scripts", "ts-cache.js");
const STAMP = new Date("2026-01-01T00:00:00Z");

/** A program that imports a TypeScript module and prints its value and whether TypeScript was loaded to run it. */
const MAIN = `
import { value } from "./value";
const typescriptLoaded = Object.keys(require.cache).some((path) => /[\\\\/]typescript[\\\\/]lib[\\\\/]typescript\\.js$/.test(path));
console.log(JSON.stringify({ value, typescriptLoaded }));
`;

describe("scripts/ts-cache.js: the plan's TypeScript loader", function () {
    let dir = "";
    let cache = "";
    const run = (): { value: unknown; typescriptLoaded: boolean } =>
        JSON.parse(execFileSync(process.execPath, ["-r", LOADER, join(dir, "main.ts")], { encoding: "utf8", env: { ...process.env, PLAN_TS_CACHE: cache } }));
    /** Writes value.ts with one fixed time stamp, so that a rewrite of the same size looks unchanged to a check by size or mtime. */
    const writeValue = (text: string) => {
        const file = join(dir, "value.ts");
        writeFileSync(file, text);
        utimesSync(file, STAMP, STAMP);
    };

    beforeEach(function () {
        dir = mkdtempSync(join(tmpdir(), "ts-cache-program-"));
        cache = mkdtempSync(join(tmpdir(), "ts-cache-entries-"));
        writeFileSync(join(dir, "main.ts"), MAIN);
    });
    afterEach(function () {
        rmSync(dir, { recursive: true, force: true });
        rmSync(cache, { recursive: true, force: true });
    });

    it("runs TypeScript (type annotations and all), and a second run of the same sources loads no TypeScript", function () {
        writeValue("export const value: number = 1 as number;\n");
        assert.deepEqual(run(), { value: 1, typescriptLoaded: true });
        assert.deepEqual(run(), { value: 1, typescriptLoaded: false });
    });

    it("runs a changed source as it is now, even when its size and time stamps are the same as before", function () {
        writeValue("export const value: string = 'a';\n");
        assert.deepEqual(run().value, "a");
        const before = statSync(join(dir, "value.ts"));
        writeValue("export const value: string = 'b';\n");
        const after = statSync(join(dir, "value.ts"));
        assert.deepEqual([after.size, after.mtimeMs], [before.size, before.mtimeMs]);
        assert.deepEqual(run().value, "b");
        // One entry per source path: a change replaces the file's entry instead of adding one.
        assert.equal(readdirSync(cache).length, 2);
    });

    it("runs when its cache cannot be written (the next run transpiles again)", function () {
        writeValue("export const value: number = 3;\n");
        const blocked = join(cache, "a-file");
        writeFileSync(blocked, "");
        const output = execFileSync(process.execPath, ["-r", LOADER, join(dir, "main.ts")], {
            encoding: "utf8",
            env: { ...process.env, PLAN_TS_CACHE: join(blocked, "cache") },
        });
        assert.equal(JSON.parse(output).value, 3);
    });

    it("refuses a source TypeScript cannot parse, naming the file", function () {
        writeValue("export const value = ;\n");
        assert.throws(
            () =>
                execFileSync(process.execPath, ["-r", LOADER, join(dir, "main.ts")], {
                    encoding: "utf8",
                    stdio: "pipe",
                    env: { ...process.env, PLAN_TS_CACHE: cache },
                }),
            (error: { stderr?: string }) => String(error.stderr).includes(join(dir, "value.ts")) && /Expression expected/.test(String(error.stderr)),
        );
    });
});
