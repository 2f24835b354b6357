/**
 * The API reference (`npm run docs:api`: typedoc over the package's three entry points, options in
 * typedoc.json) documents every public symbol. This runs typedoc with those options into a scratch
 * directory (its validation: not documented, referenced but not exported, broken `{@link}`, every
 * warning an error) and fails listing what it reported, so an export added without TSDoc fails
 * `npm test`. The fixture test proves the check can fail.
 *
 * The argument table in docs/aws.md and the argument types' TSDoc are both generated from the
 * settings schema (`npm run docs:args`, `npm run generate`; test/docs.test.ts and
 * test/generatedArgs.test.ts). The second test reads what typedoc made of them: every argument of
 * the table is a property of `MatomoClusterComponentArgs` in the reference, and its TSDoc says its
 * default (or when it is required), with the same value where the default is a plain number, string
 * or boolean. That holds by construction for the generated types; for the per-child overrides'
 * types, still written by hand in lib/aws, it is the check.
 *
 * typedoc runs as its CLI in a child process: it is an ES module whose types the repository's
 * `moduleResolution: node` cannot see, and the CLI is exactly what `npm run docs:api` runs.
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { dirname, join } from "path";
import { clusterComponentArgsSchema } from "../lib/settings";
import { argumentRows } from "../lib/settings/docs";
import { MATOMO_VERSION, QUEUED_TRACKING_VERSION } from "../lib/release";

const root = join(__dirname, "..");
const typedocBin = join(dirname(require.resolve("typedoc/package.json")), "bin", "typedoc");

/** typedoc's exit status and every warning or error line it printed (colours removed). */
function typedoc(cwd: string, args: string[]): { status: number | null; problems: string[]; output: string } {
    const run = spawnSync(process.execPath, [typedocBin, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    // eslint-disable-next-line no-control-regex
    const output = `${run.stdout}${run.stderr}`.replace(/\x1b\[[0-9;]*m/g, "");
    const problems = output
        .split("\n")
        .filter((line) => /^\[(warning|error)\]/.test(line) && !/^\[(warning|error)\] Found \d+ errors? and \d+ warnings?/.test(line));
    return { status: run.status, problems, output };
}

// ---- reading typedoc's JSON model (only the shapes the argument types use)

interface CommentPart {
    text: string;
}
interface Reflection {
    id: number;
    name: string;
    kind: number;
    children?: Reflection[];
    type?: TypeNode;
    extendedTypes?: TypeNode[];
    comment?: { summary: CommentPart[]; blockTags?: { tag: string; content: CommentPart[] }[] };
}
interface TypeNode {
    type: string;
    name?: string;
    target?: number | object;
    value?: unknown;
    types?: TypeNode[];
    elementType?: TypeNode;
    typeArguments?: TypeNode[];
    declaration?: Reflection;
}

const TYPE_ALIAS_KIND = 2097152; // typedoc's ReflectionKind.TypeAlias

class ApiModel {
    private readonly byId = new Map<number, Reflection>();
    constructor(readonly project: Reflection) {
        const index = (r: Reflection) => {
            this.byId.set(r.id, r);
            for (const child of r.children ?? []) index(child);
            if (r.type?.declaration) index(r.type.declaration);
        };
        index(project);
    }

    exported(module: string, name: string): Reflection {
        const found = this.project.children?.find((m) => m.name === module)?.children?.find((c) => c.name === name);
        assert.ok(found, `${module} exports ${name} in the reference`);
        return found;
    }

    /** The properties a value of this type may have (interfaces, aliases, unions, intersections, arrays, Pick/Omit). */
    members(t: TypeNode | undefined): Reflection[] {
        if (t === undefined) return [];
        switch (t.type) {
            case "reference": {
                if ((t.name === "Pick" || t.name === "Omit") && t.typeArguments?.length === 2) {
                    const keys = literals(t.typeArguments[1]);
                    return this.members(t.typeArguments[0]).filter((m) => keys.includes(m.name) === (t.name === "Pick"));
                }
                const target = typeof t.target === "number" ? this.byId.get(t.target) : undefined;
                if (target === undefined) return [];
                if (target.kind === TYPE_ALIAS_KIND) return this.members(target.type);
                return [...(target.children ?? []), ...(target.extendedTypes ?? []).flatMap((e) => this.members(e))];
            }
            case "union":
            case "intersection":
                return (t.types ?? []).flatMap((u) => this.members(u));
            case "array":
                return this.members(t.elementType);
            case "reflection":
                return t.declaration?.children ?? [];
            default:
                return [];
        }
    }

    /** Every property reached by `path` (`a.b`, list items as `a[].b`) from these members. */
    find(members: Reflection[], path: string[]): Reflection[] {
        const [head, ...rest] = path;
        const here = members.filter((m) => m.name === head);
        return rest.length === 0 ? here : here.flatMap((m) => this.find(this.members(m.type), rest));
    }
}

function literals(t: TypeNode): string[] {
    if (t.type === "union") return (t.types ?? []).flatMap(literals);
    return t.type === "literal" && typeof t.value === "string" ? [t.value] : [];
}

function commentText(r: Reflection): string {
    const parts = [...(r.comment?.summary ?? []), ...(r.comment?.blockTags ?? []).flatMap((b) => [{ text: ` ${b.tag} ` }, ...b.content])];
    return parts.map((p) => p.text).join("");
}

describe("API reference: every public symbol is documented", function () {
    // typedoc builds a TypeScript program of the whole library: tens of seconds on a loaded machine.
    let scratch: string;
    let build: ReturnType<typeof typedoc>;

    before(() => {
        scratch = mkdtempSync(join(tmpdir(), "matomo-api-"));
        // What `npm run docs:api` does, written to the scratch directory, plus typedoc's JSON model.
        build = typedoc(root, ["--options", "typedoc.json", "--out", join(scratch, "api"), "--json", join(scratch, "api.json")]);
    });

    /** typedoc's model of the package; it writes none when a warning (treated as an error) stopped it. */
    function model(): ApiModel {
        const path = join(scratch, "api.json");
        assert.ok(existsSync(path), `typedoc wrote no model (see the test above for what it reported):\n${build.problems.join("\n")}`);
        return new ApiModel(JSON.parse(readFileSync(path, "utf8")) as Reflection);
    }
    after(() => rmSync(scratch, { recursive: true, force: true }));

    it("typedoc.json's entry points build with no warning", () => {
        assert.deepEqual(build.problems, [], `document these (or stop exporting them), then run \`npm run docs:api\`:\n${build.problems.join("\n")}`);
        assert.equal(build.status, 0, build.output);
    });

    it("every argument of the docs/aws.md table is in the reference, its TSDoc saying its default", () => {
        const api = model();
        const args = ["MatomoClusterArgs", "MatomoClusterAwsArgs"].flatMap((name) => api.exported("pulumi-matomo-aws", name).children ?? []);
        const problems: string[] = [];
        for (const row of argumentRows(clusterComponentArgsSchema)) {
            const found = api.find(args, row.path.replace(/\[\]/g, "").split("."));
            if (found.length === 0) {
                problems.push(`${row.path}: in the table, not a property of MatomoClusterComponentArgs`);
                continue;
            }
            const text = found.map(commentText).join(" ");
            if (row.default !== "**required**" && !/default|required/i.test(text))
                problems.push(`${row.path}: the TSDoc names no default (the table's: ${row.default})`);
            // A plain default is written in the TSDoc as it is; the pinned releases by the constant that holds them.
            const literal = /^`(.+)`$/.exec(row.default);
            const value: unknown = literal ? JSON.parse(literal[1]) : undefined;
            if (typeof value === "number" || typeof value === "boolean" || typeof value === "string") {
                const pinned = (value === MATOMO_VERSION || value === QUEUED_TRACKING_VERSION) && text.includes("lib/release.ts");
                if (!text.includes(String(value)) && !pinned)
                    problems.push(`${row.path}: the table's default ${String(value)} is not in its TSDoc: ${JSON.stringify(text)}`);
            }
        }
        assert.deepEqual(problems, []);
    });

    it("fails, naming the symbol, on an undocumented export (fixture: one documented, one not)", () => {
        const fixture = join(root, "test", "fixtures", "typedoc");
        // The same validation settings as typedoc.json, over the fixture.
        const { status, problems } = typedoc(fixture, [
            "--entryPoints",
            "undocumented.ts",
            "--tsconfig",
            "tsconfig.json",
            "--validation.notDocumented",
            "--treatWarningsAsErrors",
            "--disableSources",
            "--readme",
            "none",
            "--emit",
            "none",
        ]);
        assert.notEqual(status, 0);
        assert.equal(problems.length, 1, problems.join("\n"));
        assert.match(problems[0], /UNDOCUMENTED_LIMIT \(Variable\).* does not have any documentation/);
    });
});
