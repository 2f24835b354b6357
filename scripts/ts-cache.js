/**
 * A TypeScript loader for the offline plan (`node -r ./scripts/ts-cache.js`): what
 * `ts-node/register/transpile-only` does, minus the two costs a profile of `npm run plan` found
 * (README, "How the plan stays fast"):
 *   - transpiling every source again on every run: each file's JavaScript is kept in a cache
 *     (.cache/ts/ in this repository, or the folder PLAN_TS_CACHE names), one entry per source path,
 *     headed by the sha256 of the source's text, tsconfig.json, TypeScript's version and this file.
 *     Every load hashes the source as it is now and uses the entry only when the hash matches, so
 *     an entry is never stale: a changed source (whatever its size or time stamp) is transpiled
 *     again and its entry replaced. TypeScript itself is loaded only when a file must be transpiled.
 *   - source-map-support: ts-node installs it, and it maps every frame of every stack trace through
 *     source maps, a cost Pulumi pays for each resource it registers (it reads a full stack trace
 *     for the resource's source position) and each promise it tracks (lib/plan/promiseStacks.ts). The kept JavaScript carries an inline source map, so
 *     `NODE_OPTIONS=--enable-source-maps npm run plan` shows TypeScript lines in stack traces when wanted.
 * Like ts-node: the repository's tsconfig.json for every file, transpile only (no type check:
 * `npm run typecheck` does that), files under node_modules left to Node's own loader.
 */
"use strict";
// A preload (`node -r`) runs before any TypeScript loader, so this file is plain CommonJS.
/* eslint-disable @typescript-eslint/no-require-imports */
/* global __filename */
const { createHash } = require("crypto");
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const TSCONFIG = path.join(ROOT, "tsconfig.json");
const CACHE = process.env.PLAN_TS_CACHE || path.join(ROOT, ".cache", "ts");
/** Diagnostics ts-node ignores by default: a file outside rootDir (6059), and two about files it was not asked to emit (18002, 18003). */
const IGNORED_DIAGNOSTICS = new Set([6059, 18002, 18003]);

const sha256 = (...parts) => createHash("sha256").update(parts.join("\0")).digest("hex");

/** Everything besides a file's own text that shapes its JavaScript. */
const SALT = sha256(
    JSON.parse(fs.readFileSync(require.resolve("typescript/package.json"), "utf8")).version,
    fs.readFileSync(TSCONFIG, "utf8"),
    fs.readFileSync(__filename, "utf8"),
);

let compiler;
/** TypeScript and the compiler options, as ts-node's transpile-only mode derives them from tsconfig.json. */
function loadCompiler() {
    if (compiler !== undefined) return compiler;
    const ts = require("typescript");
    const read = ts.readConfigFile(TSCONFIG, ts.sys.readFile);
    if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, "\n"));
    const { options } = ts.parseJsonConfigFileContent(read.config, ts.sys, ROOT, undefined, TSCONFIG);
    const emit = { ...options, sourceMap: false, inlineSourceMap: true, inlineSources: false, declaration: false, declarationMap: false, noEmit: false };
    for (const key of ["out", "outFile", "outDir", "composite", "declarationDir", "emitDeclarationOnly", "tsBuildInfoFile", "incremental"]) delete emit[key];
    compiler = { ts, options: emit };
    return compiler;
}

function transpile(source, filename) {
    const { ts, options } = loadCompiler();
    const result = ts.transpileModule(source, { fileName: filename, compilerOptions: options, reportDiagnostics: true });
    const errors = (result.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error && !IGNORED_DIAGNOSTICS.has(d.code));
    if (errors.length > 0) {
        const where = (d) => (d.file && d.start !== undefined ? `:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : "");
        throw new SyntaxError(errors.map((d) => `${filename}${where(d)}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`).join("\n"));
    }
    return result.outputText;
}

/**
 * Written under a temporary name and renamed: a process running beside this one reads a whole entry
 * or the old one. A cache that cannot be written (a read-only checkout) only costs the next run time.
 */
function keep(entry, text) {
    const temporary = `${entry}.${process.pid}.tmp`;
    try {
        fs.mkdirSync(CACHE, { recursive: true });
        fs.writeFileSync(temporary, text);
        fs.renameSync(temporary, entry);
    } catch {
        try {
            fs.rmSync(temporary, { force: true });
        } catch {
            // Nothing was written.
        }
    }
}

/** The JavaScript of `filename` as its source is now: the kept entry when its hash matches, else transpiled afresh and kept. */
function javascriptOf(filename) {
    const source = fs.readFileSync(filename, "utf8");
    const header = `// ts-cache ${sha256(SALT, source)}\n`;
    const entry = path.join(CACHE, `${sha256(filename)}.js`);
    let kept = "";
    try {
        kept = fs.readFileSync(entry, "utf8");
    } catch {
        // No entry yet: transpiled below.
    }
    if (kept.startsWith(header)) return kept.slice(header.length);
    const output = transpile(source, filename);
    keep(entry, header + output);
    return output;
}

const loadJs = require.extensions[".js"];
require.extensions[".ts"] = function loadTs(module, filename) {
    if (/[\\/]node_modules[\\/]/.test(filename)) return loadJs(module, filename);
    module._compile(javascriptOf(filename), filename);
};
