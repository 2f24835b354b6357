// Entry point of the `pulumi-matomo-aws` package (see "exports" in package.json).
//
// Published, the package ships build/ only, so this loads the compiled library. Inside this
// repository, when a TypeScript loader is active (ts-node under `pulumi up`, mocha, the plan
// script) and lib/ is present, it loads the sources instead, so examples that import the package
// by name always run the code beside them, never a stale build.
"use strict";
/* eslint-disable @typescript-eslint/no-require-imports */
const fs = require("fs");
const path = require("path");

const source = path.join(__dirname, "lib", "index.ts");
const useSource = typeof require.extensions[".ts"] === "function" && fs.existsSync(source);
module.exports = useSource ? require(source) : require("./build/lib/index.js");
