/**
 * What build/ was compiled from: `npm run build` ends with `node scripts/build-stamp.js`, which writes
 * build/sources.sha256, the sha256 of every file under lib/ (the TypeScript tsc compiles and the node
 * files the build copies) and of the two tsconfig files. `staleBuild` compares it with the sources
 * as they are now, so a plan that would load build/ can refuse an old one instead of planning old
 * code (scripts/plan.ts, for a program outside the repository that installed this checkout by path).
 */
"use strict";
// Run by `npm run build` with plain Node, and required by scripts/plan.ts: plain CommonJS.
/* eslint-disable @typescript-eslint/no-require-imports */
const { createHash } = require("crypto");
const fs = require("fs");
const path = require("path");

const STAMP = path.join("build", "sources.sha256");
const INPUTS = ["tsconfig.json", "tsconfig.build.json"];

/** Every file under `dir`, as paths relative to `root` with forward slashes, sorted. */
function filesUnder(root, dir) {
    return fs
        .readdirSync(path.join(root, dir), { withFileTypes: true })
        .flatMap((entry) => {
            const relative = `${dir}/${entry.name}`;
            return entry.isDirectory() ? filesUnder(root, relative) : [relative];
        })
        .sort();
}

/** The sha256 of the build's inputs in checkout `root`: each file's path and bytes, in order. */
function sourcesDigest(root) {
    const hash = createHash("sha256");
    for (const file of [...INPUTS, ...filesUnder(root, "lib")]) {
        hash.update(`${file}\0`);
        hash.update(fs.readFileSync(path.join(root, file)));
        hash.update("\0");
    }
    return hash.digest("hex");
}

/** Records that build/ of checkout `root` was compiled from its sources as they are now. */
function writeBuildStamp(root) {
    fs.writeFileSync(path.join(root, STAMP), `${sourcesDigest(root)}\n`);
}

/** Undefined when build/ of checkout `root` was compiled from its sources as they are now; else why not, and the fix. */
function staleBuild(root) {
    let recorded;
    try {
        recorded = fs.readFileSync(path.join(root, STAMP), "utf8").trim();
    } catch {
        return `${path.join(root, "build")} records no sources (${STAMP} is missing): run npm run build`;
    }
    if (recorded !== sourcesDigest(root)) {
        return `${path.join(root, "build")}/ is older than the sources in ${path.join(root, "lib")} (or its tsconfig files): run npm run build`;
    }
    return undefined;
}

module.exports = { sourcesDigest, staleBuild, writeBuildStamp };

if (require.main === module) writeBuildStamp(path.resolve(__dirname, ".."));
