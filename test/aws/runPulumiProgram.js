// Runs a Pulumi program the way `pulumi up` does, under the mock runtime, in its own process.
//
// The Node.js language host starts `@pulumi/pulumi/cmd/run` with `--pwd <program directory>` and
// the entry point (`.` for a directory `main`, the file name otherwise). Its `run()` picks
// the program (for `.`, through the nearest package.json's `exports`/`main`), registers ts-node
// with type-checking on (tsconfig.json from the working directory only, else ts-node's defaults)
// and requires it inside a Stack. This script calls that same `run()` with the mocks installed, so
// a wrong `main` or a program that does not type-check fails here as it would under `pulumi up`.
//
// Plain JavaScript on purpose: the program must be loaded by Pulumi's own ts-node registration,
// not by one this process set up first. The mock runtime (TypeScript) is transpiled in memory.
//
// Usage: node runPulumiProgram.js '{"pwd": "...", "program": ".", "project": "...", "config": {...}}'
// Prints one line `RESULT <json>` at exit: every registered resource's type and name. The exit
// code is the one the language host would see (non-zero when the program failed).
"use strict";
/* eslint-disable @typescript-eslint/no-require-imports */
const fs = require("fs");
const path = require("path");
const Module = require("module");

/**
 * Transpiles a TypeScript module in memory and runs it, with its own relative imports (the mock
 * runtime's helpers) loaded the same way and everything else (npm packages) by Node's require.
 */
function loadTypeScript(file, cache = new Map()) {
    if (cache.has(file)) return cache.get(file).exports;
    const ts = require("typescript");
    const js = ts.transpileModule(fs.readFileSync(file, "utf8"), {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
        fileName: file,
    }).outputText;
    const loaded = new Module(file, module);
    loaded.filename = file;
    loaded.paths = Module._nodeModulePaths(path.dirname(file));
    loaded.require = (id) => {
        const local = id.startsWith(".") ? path.resolve(path.dirname(file), `${id}.ts`) : undefined;
        return local && fs.existsSync(local) ? loadTypeScript(local, cache) : Module.prototype.require.call(loaded, id);
    };
    cache.set(file, loaded);
    loaded._compile(js, file);
    return loaded.exports;
}

async function main() {
    const request = JSON.parse(process.argv[2]);

    // The mock runtime, compiled without registering any loader (so `require.extensions[".ts"]` stays unset).
    const mocks = loadTypeScript(path.join(__dirname, "..", "..", "lib", "plan", "mockRuntime.ts"));
    if (typeof require.extensions[".ts"] === "function") throw new Error("a TypeScript loader is already registered; Pulumi's own must load the program");

    // The SDK the program will load, found from the program directory as the language host finds it.
    const runEntry = require.resolve("@pulumi/pulumi/cmd/run", { paths: [request.pwd] });
    if (require.resolve("@pulumi/pulumi", { paths: [request.pwd] }) !== require.resolve("@pulumi/pulumi", { paths: [__dirname] })) {
        throw new Error("the program would load another copy of @pulumi/pulumi than the mock runtime");
    }
    const rt = mocks.installMockRuntime(request.config, request.project);
    // The engine's last handshake; the SDK's mock monitor lacks it (it only matters for delete hooks).
    const monitor = require(require.resolve("@pulumi/pulumi/runtime/settings", { paths: [request.pwd] })).getMonitor();
    if (typeof monitor.signalAndWaitForShutdown !== "function") monitor.signalAndWaitForShutdown = (_req, callback) => callback(null, {});

    // What the language host reports when the program is done (the event loop has drained by then).
    process.on("exit", () => {
        const result = { resources: rt.resources.map((r) => ({ type: r.type, name: r.name })) };
        process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
    });

    // The language host's command line: `node <sdk>/cmd/run --monitor … --pwd <dir> <entry point>`,
    // with `PULUMI_NODEJS_TYPESCRIPT=true` for `runtime.options.typescript: true`. The monitor is the
    // mock one installed above (the SDK treats the address "mock" as such).
    process.env.PULUMI_NODEJS_TYPESCRIPT = "true";
    process.argv = [process.argv[0], runEntry, "--monitor", "mock", "--project", request.project, "--stack", "dev", "--pwd", request.pwd, request.program];
    require(runEntry);
}

main().catch((err) => {
    process.stderr.write(`${err && err.stack ? err.stack : String(err)}\n`);
    process.exit(2);
});
