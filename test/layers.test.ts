/**
 * The layers point down (shared/design/ARCHITECTURE.md, "Layers"): the library never imports its
 * offline tooling, ships nothing that needs a devDependency, and its argument schema never imports
 * the renderer it validates for. Read from the sources' own import statements with TypeScript's
 * parser, so a dynamic `require` or a re-export counts as well as an `import`.
 */
import { strict as assert } from "assert";
import { readdirSync, readFileSync, statSync } from "fs";
import { dirname, join, relative, resolve } from "path";
import * as ts from "typescript";

const ROOT = resolve(__dirname, "..");
const LIB = join(ROOT, "lib");

/**
 * The tools layer: the offline plan and the policy pack import the library; nothing in the library
 * imports them. (lib/import, the config reader, is library: the package entry exports it.)
 */
const TOOL_DIRS = ["lib/plan", "lib/policy"];

function sourceFiles(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) return name === "files" ? [] : sourceFiles(path);
        return path.endsWith(".ts") ? [path] : [];
    });
}

interface ImportEdge {
    from: string;
    specifier: string;
    /** The imported file relative to the repository (for relative specifiers), without extension. */
    target?: string;
    typeOnly: boolean;
}

function importsOf(file: string): ImportEdge[] {
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const edges: ImportEdge[] = [];
    const add = (specifier: string, typeOnly: boolean) => {
        const target = specifier.startsWith(".") ? relative(ROOT, resolve(dirname(file), specifier)) : undefined;
        edges.push({ from: relative(ROOT, file), specifier, target, typeOnly });
    };
    const visit = (node: ts.Node) => {
        if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
            const typeOnly = ts.isImportDeclaration(node) ? (node.importClause?.isTypeOnly ?? false) : node.isTypeOnly;
            add(node.moduleSpecifier.text, typeOnly);
        } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0])) {
            const callee = node.expression;
            if ((ts.isIdentifier(callee) && callee.text === "require") || callee.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0].text, false);
        }
        ts.forEachChild(node, visit);
    };
    visit(source);
    return edges;
}

const inDir = (path: string | undefined, dir: string) => path !== undefined && (path === dir || path.startsWith(dir + "/"));
const EDGES = sourceFiles(LIB).flatMap(importsOf);

describe("layers: the library never imports its tooling, a devDependency or (from the schema) the renderer", () => {
    it("reads a realistic number of imports (the reader works)", () => {
        assert.ok(EDGES.length > 200, `only ${EDGES.length} imports read under lib/`);
        assert.ok(EDGES.some((e) => e.specifier === "@pulumi/pulumi"));
    });

    it("nothing outside the tools layer (lib/plan, lib/policy) imports it", () => {
        const offending = EDGES.filter((e) => !TOOL_DIRS.some((d) => inDir(e.from, d)) && TOOL_DIRS.some((d) => inDir(e.target, d)));
        assert.deepEqual(
            offending.map((e) => `${e.from} → ${e.specifier}`),
            [],
        );
    });

    it("nothing under lib/ imports a devDependency at run time (type-only imports of @types are erased)", () => {
        const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
            devDependencies: Record<string, string>;
            dependencies: Record<string, string>;
        };
        const dev = new Set(Object.keys(pkg.devDependencies));
        const packageOf = (specifier: string) => (specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]);
        const offending = EDGES.filter((e) => e.target === undefined && !e.typeOnly && dev.has(packageOf(e.specifier)));
        assert.deepEqual(
            offending.map((e) => `${e.from} → ${e.specifier}`),
            [],
        );
    });

    it("the argument schema (lib/settings) never imports the config renderer", () => {
        const offending = EDGES.filter((e) => inDir(e.from, "lib/settings") && e.target === "lib/config/render");
        assert.deepEqual(
            offending.map((e) => `${e.from} → ${e.specifier}`),
            [],
        );
    });

    it("shell quoting has one home: no second function that quotes for the shell", () => {
        const quoters = sourceFiles(LIB).filter((file) => /export function shellQuote\b/.test(readFileSync(file, "utf8")));
        assert.equal(quoters.length, 1, quoters.join(", "));
        const borrowers = EDGES.filter((e) => inDir(e.from, "lib/import") && inDir(e.target, "lib/provision"));
        assert.deepEqual(
            borrowers.map((e) => `${e.from} → ${e.specifier}`),
            [],
        );
    });
});
