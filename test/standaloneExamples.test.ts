/**
 * Each TypeScript example stands alone, as a user copies it out of the repository: its own
 * package.json (depending on this package by the version a user would install, and on the same
 * @pulumi/* ranges the package itself takes), its own tsconfig.json (not the repository's), a
 * Pulumi.yaml and a README whose cost figure is the offline plan's. Planning each copied out of the
 * repository from the packed tarball is in package.test.ts (which packs it once).
 */
import { strict as assert } from "assert";
import { existsSync, readdirSync, readFileSync } from "fs";
import { join } from "path";
import { planExample, readExampleConfig } from "../lib/plan/example";
import { costOf } from "../lib/plan/cost";
import { US_EAST_1 } from "../lib/plan/prices/us-east-1";
import { EXAMPLES_DIR, TYPESCRIPT_EXAMPLES } from "./support/examples";

const REPO = join(__dirname, "..");
const EXAMPLES = EXAMPLES_DIR;

interface Manifest {
    name: string;
    version: string;
    main?: string;
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
}

const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;

describe("examples stand alone", function () {
    const root = manifest(REPO);

    it("the TypeScript examples are the reference, existing-vpc, queued-tracking, awsx-vpc and rds-same-program ones", () => {
        assert.deepEqual([...TYPESCRIPT_EXAMPLES].sort(), ["awsx-vpc", "existing-vpc", "queued-tracking", "rds-same-program", "reference"]);
    });

    it("every example folder has a README.md and a Pulumi.yaml", () => {
        for (const name of readdirSync(EXAMPLES).filter((n) => n !== "node_modules")) {
            for (const file of ["README.md", "Pulumi.yaml"]) assert.ok(existsSync(join(EXAMPLES, name, file)), `examples/${name}/${file} is missing`);
        }
    });

    for (const name of TYPESCRIPT_EXAMPLES) {
        describe(`examples/${name}`, function () {
            const dir = join(EXAMPLES, name);

            it("depends on pulumi-matomo-aws by this version's range, and on @pulumi/pulumi and @pulumi/aws as the package does", () => {
                const own = manifest(dir);
                assert.equal(own.main, "index.ts", "Pulumi's TypeScript template names its program in main");
                const deps = own.dependencies ?? {};
                assert.equal(deps["pulumi-matomo-aws"], `^${root.version}`);
                for (const dep of ["@pulumi/pulumi", "@pulumi/aws"]) assert.equal(deps[dep], root.dependencies?.[dep], dep);
                for (const dep of ["typescript", "@types/node"]) assert.equal(own.devDependencies?.[dep], root.devDependencies?.[dep], dep);
                // awsx is the repository's devDependency only for the examples that compose it: the same range.
                const source = readFileSync(join(dir, "index.ts"), "utf8");
                if (source.includes('from "@pulumi/awsx"')) assert.equal(deps["@pulumi/awsx"], root.devDependencies?.["@pulumi/awsx"], "@pulumi/awsx");
                assert.ok(!Object.values({ ...deps, ...own.devDependencies }).some((v) => /^(file|link):|\.\.\//.test(v)), "no path into the repository");
            });

            it("has its own tsconfig.json, which names nothing outside the folder", () => {
                const text = readFileSync(join(dir, "tsconfig.json"), "utf8");
                const tsconfig = JSON.parse(text) as { extends?: string; compilerOptions?: { paths?: unknown } };
                assert.equal(tsconfig.extends, undefined);
                assert.equal(tsconfig.compilerOptions?.paths, undefined);
                assert.doesNotMatch(text, /\.\.\//);
            });

            it("imports the package by its name only, never by a path into the repository", () => {
                const source = readFileSync(join(dir, "index.ts"), "utf8");
                assert.match(source, /from "pulumi-matomo-aws"/);
                assert.doesNotMatch(source, /from "\.\.?\//);
            });

            it("its README states the offline plan's monthly estimate and the date of the prices it used", async () => {
                const readme = readFileSync(join(dir, "README.md"), "utf8");
                const { project, config } = readExampleConfig(dir);
                const { plan } = await planExample(dir, project, config);
                assert.equal(plan.violations.length, 0);
                const report = costOf(plan.recorded, US_EAST_1);
                assert.ok(readme.includes(`npm run plan -- --example examples/${name}`), "the README names the command that computes its figure");
                const stated = /\*\*~\$([\d,.]+) a month\*\* at us-east-1 on-demand list prices looked up (\d{4}-\d{2}-\d{2})/.exec(
                    readme.replace(/\s+/g, " "),
                );
                assert.ok(stated, "the README states '**~$<total> a month** at us-east-1 on-demand list prices looked up <date>'");
                assert.equal(stated[1], report.totalUsd.toFixed(2));
                assert.equal(stated[2], US_EAST_1.looked);
            });
        });
    }
});
