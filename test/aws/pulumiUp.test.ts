/**
 * `pulumi up` for the root project and each example, through Pulumi's own program loader.
 *
 * Requiring an example's folder (examples.test.ts) is not what the CLI does. The CLI turns the
 * project's `main` into a working directory and an entry point (pulumi/pulumi pkg/engine/project.go,
 * `getPwdMain`): a directory → that directory and `.`, a file → its directory and its file name.
 * The Node.js language host then starts `@pulumi/pulumi/cmd/run`, which resolves `.` through the
 * nearest package.json and type-checks with the tsconfig.json of that directory only. Each project
 * runs here that way, in a child process (runPulumiProgram.js beside this file), type-checking on.
 */
import { strict as assert } from "assert";
import { execFile, execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";

const ROOT = path.join(__dirname, "..", "..");

/** Pulumi's rule from `main` in Pulumi.yaml to the language host's `--pwd` and entry point. */
export function pwdAndProgram(projectDir: string): { pwd: string; program: string } {
    const main = (yaml.load(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) as { main?: string }).main;
    if (main === undefined || main === "") return { pwd: projectDir, program: "." };
    const full = path.resolve(projectDir, main);
    if (fs.statSync(full).isDirectory()) return { pwd: full, program: "." };
    return { pwd: path.dirname(full), program: path.basename(full) };
}

/** Stack config from a sample Pulumi.<stack>.yaml, as the CLI hands it to a program (objects as JSON). */
function stackConfig(file: string): Record<string, string> {
    const doc = yaml.load(fs.readFileSync(file, "utf8")) as { config: Record<string, unknown> };
    return Object.fromEntries(Object.entries(doc.config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

interface Run {
    code: number;
    stderr: string;
    types: string[];
}

function runProject(projectDir: string, configFile: string): Promise<Run> {
    const { pwd, program } = pwdAndProgram(projectDir);
    const project = (yaml.load(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) as { name: string }).name;
    const request = JSON.stringify({ pwd, program, project, config: stackConfig(configFile) });
    // A clean environment as the language host gives: no ts-node or Pulumi settings from this process.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("TS_NODE_") && !k.startsWith("PULUMI_")));
    return new Promise((resolve) => {
        execFile(
            process.execPath,
            [path.join(__dirname, "runPulumiProgram.js"), request],
            { cwd: pwd, env, maxBuffer: 64 * 1024 * 1024 },
            (error, stdout, stderr) => {
                const line = stdout.split("\n").find((l) => l.startsWith("RESULT "));
                const resources = line ? (JSON.parse(line.slice("RESULT ".length)).resources as { type: string }[]) : [];
                const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
                resolve({ code, stderr, types: resources.map((r) => r.type) });
            },
        );
    });
}

const count = (run: Run, type: string) => run.types.filter((t) => t === type).length;

const PROJECTS = [
    // The root project's stack config lives beside its Pulumi.yaml (docs/aws.md); the reference sample is the one to copy there.
    { name: "the repository root", dir: ROOT, config: path.join(ROOT, "examples", "reference", "Pulumi.dev.yaml"), vpcs: 1 },
    { name: "examples/reference", dir: path.join(ROOT, "examples", "reference"), config: path.join(ROOT, "examples", "reference", "Pulumi.dev.yaml"), vpcs: 1 },
    {
        name: "examples/existing-vpc",
        dir: path.join(ROOT, "examples", "existing-vpc"),
        config: path.join(ROOT, "examples", "existing-vpc", "Pulumi.dev.yaml"),
        vpcs: 0,
    },
    {
        name: "examples/queued-tracking",
        dir: path.join(ROOT, "examples", "queued-tracking"),
        config: path.join(ROOT, "examples", "queued-tracking", "Pulumi.dev.yaml"),
        vpcs: 1,
    },
];

describe("pulumi up through Pulumi's program loader (type-checked, mock runtime)", function () {
    // Each run type-checks the library and @pulumi/aws with ts-node, as `pulumi up` does; they run side by side.
    const runs = new Map<string, Run>();
    before(async () => {
        // `pulumi up` loads the package by name, which resolves to the compiled build/ as for any
        // install (`npm ci` built it through `prepare`); build it now so this runs today's code.
        execFileSync("npm", ["run", "build", "--silent"], { cwd: ROOT, stdio: "ignore" });
        const results = await Promise.all(PROJECTS.map((p) => runProject(p.dir, p.config)));
        PROJECTS.forEach((p, i) => runs.set(p.name, results[i]));
    });

    it("maps each project's main to the example's own folder and file, not to the package entry point", () => {
        for (const p of PROJECTS) {
            const { pwd, program } = pwdAndProgram(p.dir);
            assert.notEqual(program, ".", `${p.name}: '.' would load package.json's exports, the library`);
            assert.ok(fs.existsSync(path.join(pwd, "tsconfig.json")), `${p.name}: the loader reads tsconfig.json from ${pwd} only`);
        }
    });

    for (const p of PROJECTS) {
        it(`${p.name}: the program type-checks, runs, and registers the cluster's resources`, () => {
            const run = runs.get(p.name)!;
            assert.equal(run.code, 0, `exit code ${run.code}; stderr:\n${run.stderr}`);
            assert.equal(count(run, "matomo:aws:MatomoCluster"), 1);
            assert.equal(count(run, "aws:lb/loadBalancer:LoadBalancer"), 1);
            assert.equal(count(run, "aws:autoscaling/group:Group"), 2, "a tracker group and a ui group");
            assert.equal(count(run, "aws:ec2/vpc:Vpc"), p.vpcs);
        });
    }
});
