/**
 * The API reference (`npm run docs:api`: typedoc over the package's three entry points, options in
 * typedoc.json) documents every public symbol. This runs typedoc with those options and no output
 * (its validation: not documented, referenced but not exported, broken `{@link}`, every warning an
 * error) and fails listing what it reported, so an export added without TSDoc fails `npm test`.
 * The fixture test proves the check can fail.
 *
 * typedoc runs as its CLI in a child process: it is an ES module whose types the repository's
 * `moduleResolution: node` cannot see, and the CLI is exactly what `npm run docs:api` runs.
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import { dirname, join } from "path";

const root = join(__dirname, "..");
const typedocBin = join(dirname(require.resolve("typedoc/package.json")), "bin", "typedoc");

/** typedoc's exit status and every warning or error line it printed (colours removed). */
function typedoc(cwd: string, args: string[]): { status: number | null; problems: string[]; output: string } {
    const run = spawnSync(process.execPath, [typedocBin, ...args, "--emit", "none"], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    // eslint-disable-next-line no-control-regex
    const output = `${run.stdout}${run.stderr}`.replace(/\x1b\[[0-9;]*m/g, "");
    const problems = output
        .split("\n")
        .filter((line) => /^\[(warning|error)\]/.test(line) && !/^\[(warning|error)\] Found \d+ errors? and \d+ warnings?/.test(line));
    return { status: run.status, problems, output };
}

describe("API reference: every public symbol is documented", function () {
    // typedoc builds a TypeScript program of the whole library: tens of seconds on a loaded machine.
    this.timeout(240_000);

    it("typedoc.json's entry points validate with no warning", () => {
        const { status, problems, output } = typedoc(root, ["--options", "typedoc.json"]);
        assert.deepEqual(problems, [], `document these (or stop exporting them), then run \`npm run docs:api\`:\n${problems.join("\n")}`);
        assert.equal(status, 0, output);
    });

    it("fails, naming the symbol, on an undocumented export (fixture: one documented, one not)", () => {
        const fixture = join(root, "test", "fixtures", "typedoc");
        // The same validation settings as typedoc.json, over the fixture.
        const { status, problems } = typedoc(fixture, ["--entryPoints", "undocumented.ts", "--tsconfig", "tsconfig.json", "--validation.notDocumented", "--treatWarningsAsErrors"]);
        assert.notEqual(status, 0);
        assert.equal(problems.length, 1, problems.join("\n"));
        assert.match(problems[0], /UNDOCUMENTED_LIMIT \(Variable\).* does not have any documentation/);
    });
});
