/**
 * The package as users install it: `npm pack` of this checkout (which builds it through
 * `prepare`), installed into a scratch consumer project from the tarball and, as a workspace or
 * `npm install <dir>` would, from the directory. A plain-JavaScript program in the consumer plans a
 * MatomoCluster with `pulumi-matomo-aws/plan`, with no TypeScript loader anywhere: both installs
 * must load the compiled package and plan the same graph.
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, posix } from "path";
import { gunzipSync } from "zlib";
import { compactProvisionFile } from "../lib/provision";
import { CONFIG_HASH_TAG, MATOMO_POLICIES } from "../lib/policy";
import { readExampleConfig } from "../lib/plan/example";
import { startPolicyPack } from "./support/policyAnalyzer";
import { TYPESCRIPT_EXAMPLES } from "./support/examples";

const REPO = join(__dirname, "..");

/** What `npm pack --json` reports of the tarball. */
interface Packed {
    filename: string;
    files: { path: string }[];
}

const CONSUMER_PROGRAM = `
const { planProgram } = require("pulumi-matomo-aws/plan");
planProgram(() => {
    const { MatomoCluster } = require("pulumi-matomo-aws");
    const cluster = new MatomoCluster("shop", {
        domain: "analytics.shop.example",
        certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/0b5c1a2e-3f4d-4e5f-8a9b-0c1d2e3f4a5b",
        superUser: { email: "ops@shop.example" },
    });
    return { url: cluster.url };
}, { project: "shop" }).then((plan) => {
    process.stdout.write(JSON.stringify({
        loaded: require.resolve("pulumi-matomo-aws"),
        typescriptLoader: typeof require.extensions[".ts"] === "function",
        url: plan.outputs.url,
        violations: plan.violations.length,
        resources: plan.resources,
    }));
}, (error) => { console.error(error); process.exit(1); });
`;

interface ConsumerRun {
    loaded: string;
    typescriptLoader: boolean;
    url: string;
    violations: number;
    resources: { type: string; name: string; inputs: Record<string, unknown> }[];
}

/**
 * A TypeScript consumer of every entry point. The assignments fail to compile if an import resolved
 * to nothing, or to `any` (which would hide a resolution failure behind implicit typing).
 */
const TYPED_CONSUMER = `
import { output } from "@pulumi/pulumi";
import { MatomoCluster, type MatomoClusterArgs } from "pulumi-matomo-aws";
import { planProgram, type Plan } from "pulumi-matomo-aws/plan";
const plan: (program: () => void) => Promise<Plan> = planProgram;
const args: Pick<MatomoClusterArgs, "domain"> = { domain: "analytics.shop.example" };
// Another resource's Output (a zone's name, a stack reference) is a domain too.
const fromOutput: Pick<MatomoClusterArgs, "domain"> = { domain: output("analytics.shop.example") };
// @ts-expect-error a number is no domain: proves the types are real, not any
const wrong: Pick<MatomoClusterArgs, "domain"> = { domain: 42 };
export { MatomoCluster, plan, args, fromOutput, wrong };
`;
const TYPED_POLICY_CONSUMER = `
import { MATOMO_POLICIES } from "pulumi-matomo-aws/policy";
// @ts-expect-error the policies are an array, not a string: proves the types are real, not any
const names: string = MATOMO_POLICIES;
export { names };
`;

/** Pulumi's `pulumi new typescript` tsconfig, with the module resolution under test. */
function consumerTsconfig(moduleResolution: string, files: string[], skipLibCheck: boolean): object {
    const module = moduleResolution === "node" ? "commonjs" : moduleResolution === "node16" ? "node16" : "esnext";
    return {
        compilerOptions: {
            strict: true,
            noEmit: true,
            target: "es2020",
            module,
            moduleResolution,
            skipLibCheck,
            noFallthroughCasesInSwitch: true,
            noImplicitReturns: true,
            forceConsistentCasingInFileNames: true,
            // A Pulumi project has @types/node; the consumer borrows this checkout's.
            typeRoots: [join(REPO, "node_modules", "@types")],
            types: ["node"],
        },
        files,
    };
}

function npm(args: string[], cwd: string): string {
    return execFileSync("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], {
        cwd,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
        timeout: 300_000,
    });
}

function consumer(work: string, name: string, install: string): ConsumerRun {
    const dir = join(work, name);
    mkdirSync(dir);
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `consumer-${name}`, private: true }));
    // The dependencies come from npm's cache when `npm ci` already fetched them.
    npm(["install", "--prefer-offline", install], dir);
    writeFileSync(join(dir, "plan.js"), CONSUMER_PROGRAM);
    // NODE_OPTIONS cleared: mocha's `--conditions=development` must not leak into the consumer.
    const out = execFileSync(process.execPath, ["plan.js"], { cwd: dir, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" }, timeout: 120_000 });
    return JSON.parse(out) as ConsumerRun;
}

/**
 * Plans an example copied out of the repository: type-checked by ts-node with the example's own
 * tsconfig.json, the package loaded from the installed tarball, planned by the tarball's
 * `pulumi-matomo-aws/plan`. Plain JavaScript, run with no loader of this process.
 */
const EXAMPLE_PLANNER = `
const { join } = require("path");
require("ts-node").register({ project: join(__dirname, "tsconfig.json"), transpileOnly: false });
const { planProgram, formatViolation } = require("pulumi-matomo-aws/plan");
const { project, config } = JSON.parse(process.argv[2]);
planProgram(() => require("./index.ts"), { project, config }).then((plan) => {
    process.stdout.write(JSON.stringify({
        loaded: require.resolve("pulumi-matomo-aws"),
        url: plan.outputs.url,
        violations: plan.violations.map(formatViolation),
        resources: plan.resources.length,
    }));
}, (error) => { console.error(error); process.exit(1); });
`;

interface ExampleRun {
    loaded: string;
    url: string;
    violations: string[];
    resources: number;
}

/**
 * The example folder copied to `dir` as a user copies it, with the package the consumer installed
 * from the tarball. The other dependencies (@pulumi/*, typescript, ts-node) are links to this
 * checkout's node_modules: installing them afresh per example takes minutes, and the package
 * under test is the tarball's either way.
 */
function copyExample(name: string, dir: string, installed: string): void {
    cpSync(join(REPO, "examples", name), dir, { recursive: true });
    const modules = join(dir, "node_modules");
    mkdirSync(modules);
    for (const entry of readdirSync(join(REPO, "node_modules"))) {
        if (entry !== "pulumi-matomo-aws") symlinkSync(join(REPO, "node_modules", entry), join(modules, entry));
    }
    cpSync(installed, join(modules, "pulumi-matomo-aws"), { recursive: true });
}

describe("the npm package, packed and installed into a consumer project", function () {
    let work = "";
    let packed: Packed;
    let fromTarball: ConsumerRun;
    let fromDirectory: ConsumerRun;

    before(function () {
        work = mkdtempSync(join(tmpdir(), "matomo-package-"));
        packed = (JSON.parse(npm(["pack", "--json", "--pack-destination", work], REPO)) as Packed[])[0];
        fromTarball = consumer(work, "tarball", join(work, packed.filename));
        fromDirectory = consumer(work, "directory", REPO);
    });

    describe("each TypeScript example, copied out of the repository with the package from the tarball", function () {
        const runs = new Map<string, ExampleRun>();
        before(function () {
            for (const name of TYPESCRIPT_EXAMPLES) {
                const dir = join(work, "examples", name);
                copyExample(name, dir, join(work, "tarball", "node_modules", "pulumi-matomo-aws"));
                writeFileSync(join(dir, "plan.js"), EXAMPLE_PLANNER);
                const request = JSON.stringify(readExampleConfig(dir));
                const out = execFileSync(process.execPath, ["plan.js", request], { cwd: dir, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });
                runs.set(name, JSON.parse(out) as ExampleRun);
            }
        });

        for (const name of TYPESCRIPT_EXAMPLES) {
            it(`examples/${name}: type-checks with its own tsconfig.json, loads the installed package and plans a cluster AWS would accept`, () => {
                const run = runs.get(name)!;
                assert.equal(run.loaded, join(work, "examples", name, "node_modules", "pulumi-matomo-aws", "build", "lib", "index.js"));
                assert.equal(run.url, "https://analytics.example.com");
                assert.deepEqual(run.violations, []);
                assert.ok(run.resources > 50, `a whole cluster, not ${run.resources} resources`);
            });
        }
    });

    it("npm run plan -- --example <dir> plans a TypeScript program outside the repository, with the package it installed", function () {
        // Issue 19 item 3: the repository's own runs load TypeScript sources (--conditions=development),
        // which made the consumer's installed package resolve to lib/index.ts under node_modules, where
        // ts-node does not compile: "Unexpected token 'export'".
        const dir = join(work, "outside", "reference");
        copyExample("reference", dir, join(work, "tarball", "node_modules", "pulumi-matomo-aws"));
        const out = join(work, "outside", "out");
        const summary = execFileSync("npm", ["run", "--silent", "plan", "--", "--example", dir, "--out", out], { cwd: REPO, encoding: "utf8", stdio: "pipe" });
        assert.match(summary, /AWS limits: \d+ rules checked over \d+ resources, none broken/);
        assert.ok(JSON.parse(readFileSync(join(out, "resources.json"), "utf8")).length > 50, "a whole cluster planned");
    });

    after(function () {
        if (work !== "") rmSync(work, { recursive: true, force: true });
    });

    it("ships the compiled library, its types, the plan module, the node files, LICENSE and CHANGELOG, and nothing from tests, plans or caches", function () {
        const paths = new Set(packed.files.map((f) => f.path));
        for (const required of [
            "LICENSE",
            "README.md",
            "CHANGELOG.md",
            "package.json",
            "build/lib/index.js",
            "build/lib/index.d.ts",
            "build/lib/plan/index.js",
            "build/lib/plan/index.d.ts",
            "build/lib/provision/files/matomo-provision.sh",
            "build/lib/provision/files/health.php",
            "build/lib/policy/index.js",
            "policy-pack/PulumiPolicy.yaml",
            "policy-pack/package.json",
            "policy-pack/index.js",
        ]) {
            assert.ok(paths.has(required), `${required} is missing from the tarball`);
        }
        const stray = [...paths].filter((p) => /^(test|out|scripts|examples|node_modules|\.boot-cache|\.ci)\//.test(p) || p === "index.js");
        assert.deepEqual(stray, []);
    });

    it("every source map in the tarball points at a source file the tarball ships", function () {
        const paths = new Set(packed.files.map((f) => f.path));
        const maps = [...paths].filter((p) => p.endsWith(".js.map"));
        assert.ok(maps.length >= 10, `only ${maps.length} source maps shipped`);
        const unpacked = join(work, "tarball", "node_modules", "pulumi-matomo-aws");
        for (const map of maps) {
            const sources = (JSON.parse(readFileSync(join(unpacked, map), "utf8")) as { sources: string[] }).sources;
            for (const source of sources) {
                const shipped = posix.normalize(posix.join(posix.dirname(map), source));
                assert.ok(paths.has(shipped), `${map} points at ${shipped}, which the tarball does not ship`);
            }
        }
    });

    it("installed from the tarball, a plain Node.js program loads the compiled package (no TypeScript loader) and plans a cluster AWS would accept", function () {
        assert.equal(fromTarball.typescriptLoader, false);
        assert.equal(fromTarball.loaded, join(work, "tarball", "node_modules", "pulumi-matomo-aws", "build", "lib", "index.js"));
        assert.equal(fromTarball.url, "https://analytics.shop.example");
        assert.equal(fromTarball.violations, 0);
        assert.equal(fromTarball.resources.filter((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate").length, 2);
        // The node files were found inside the installed package: each role's provisioning bundle carries them.
        const bundles = fromTarball.resources.filter((r) => r.type === "aws:s3/bucketObjectv2:BucketObjectv2" && /^provisioning\//.test(String(r.inputs.key)));
        assert.equal(bundles.length, 2);
        const provision = compactProvisionFile("matomo-provision.sh").split("\n")[1];
        for (const bundle of bundles) {
            const tar = gunzipSync(Buffer.from(String(bundle.inputs.contentBase64), "base64")).toString("utf8");
            assert.ok(provision.length > 10 && tar.includes(provision), `${String(bundle.inputs.key)}: the bundle lacks matomo-provision.sh`);
        }
    });

    it("installed from the directory (workspace or `npm install <dir>`), it loads the same compiled code and plans the same graph", function () {
        assert.ok(existsSync(join(REPO, "build", "lib", "index.js")));
        assert.equal(fromDirectory.typescriptLoader, false);
        assert.equal(fromDirectory.loaded, join(REPO, "build", "lib", "index.js"));
        assert.deepEqual(fromDirectory.resources, fromTarball.resources);
    });

    for (const moduleResolution of ["node", "node16", "bundler"]) {
        it(`a TypeScript consumer resolves every entry point's types with moduleResolution "${moduleResolution}"`, function () {
            const dir = join(work, "tarball");
            writeFileSync(join(dir, "consumer.ts"), TYPED_CONSUMER);
            writeFileSync(join(dir, "policyConsumer.ts"), TYPED_POLICY_CONSUMER);
            const tsc = (files: string[], skipLibCheck: boolean): string => {
                const config = join(dir, `tsconfig.${moduleResolution}.json`);
                writeFileSync(config, JSON.stringify(consumerTsconfig(moduleResolution, files, skipLibCheck)));
                try {
                    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", config], { cwd: dir, encoding: "utf8", stdio: "pipe" });
                    return "";
                } catch (error) {
                    return String((error as { stdout?: string }).stdout ?? error);
                }
            };
            // The main and plan entries type-check whole, declarations included (Pulumi's template has no skipLibCheck).
            assert.equal(tsc(["consumer.ts"], false), "");
            // @pulumi/policy 1.21's own index.d.ts re-exports members its proxy.d.ts strips, so any consumer of it needs skipLibCheck.
            assert.equal(tsc(["policyConsumer.ts"], true), "");
        });
    }

    it("the shipped policy pack serves the Analyzer protocol as `pulumi preview --policy-pack` drives it: the planned cluster passes, a TLS 1.0 listener and two config hashes fail, mandatory", async function () {
        const packDir = join(work, "tarball", "node_modules", "pulumi-matomo-aws", "policy-pack");
        const packManifest = JSON.parse(readFileSync(join(packDir, "package.json"), "utf8")) as { version: string };
        assert.equal(packManifest.version, (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string }).version);
        const pack = await startPolicyPack(packDir);
        try {
            assert.deepEqual(
                await pack.policyNames(),
                MATOMO_POLICIES.map((p) => p.name),
            );
            const graph = fromTarball.resources.map((r) => ({ type: r.type, name: r.name, props: structuredClone(r.inputs) }));
            for (const resource of graph) assert.deepEqual(await pack.analyze(resource), [], `${resource.type} ${resource.name}`);
            assert.deepEqual(await pack.analyzeStack(graph), []);

            const https = graph.find((r) => r.type === "aws:lb/listener:Listener" && r.props.protocol === "HTTPS")!;
            const weak = await pack.analyze({ ...https, props: { ...https.props, sslPolicy: "ELBSecurityPolicy-2016-08" } });
            assert.deepEqual(
                weak.map((d) => [d.policy, d.mandatory]),
                [["matomo-https-only", true]],
            );

            const template = graph.find((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate")!;
            (template.props.tags as Record<string, string>)[CONFIG_HASH_TAG] = "0".repeat(64);
            const split = await pack.analyzeStack(graph);
            assert.deepEqual(
                split.map((d) => [d.policy, d.mandatory]),
                [["matomo-one-config-hash", true]],
            );
        } finally {
            pack.stop();
        }
    });
});
