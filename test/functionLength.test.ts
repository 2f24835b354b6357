/**
 * Components a reader can hold in their head (issue 18, item 3): no function under lib/ runs over
 * MAX_LINES lines. Read with TypeScript's parser, so every function-like node with a body counts:
 * constructors, methods, accessors, function declarations and expressions, arrows. A long switch of
 * data counts too; a table of small functions reads better and each entry can be tested alone.
 */
import { strict as assert } from "assert";
import { readdirSync, readFileSync, statSync } from "fs";
import { join, relative, resolve } from "path";
import * as ts from "typescript";

const ROOT = resolve(__dirname, "..");
const LIB = join(ROOT, "lib");

/** About a screenful and a half: beyond it a reader scrolls back to remember what a name meant. */
const MAX_LINES = 150;

/**
 * Functions allowed over the limit for now, with their length when they were listed. An entry may
 * only shrink: one that grew fails, and one that now fits (or is gone) fails as stale, so the list
 * cannot silently rot. Keyed by "file:name" so moving a function within its file does not break it.
 */
const ALLOWED: Record<string, number> = {};

interface FunctionSpan {
    file: string;
    line: number;
    name: string;
    lines: number;
}

function sourceFiles(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) return sourceFiles(path);
        return path.endsWith(".ts") ? [path] : [];
    });
}

/** A name a reader can find the function by: its own, or the binding, property or class that holds it. */
function nameOf(node: ts.FunctionLikeDeclaration): string {
    const own = (n: ts.Node | undefined): string | undefined =>
        n && (ts.isIdentifier(n) || ts.isStringLiteral(n) || ts.isPrivateIdentifier(n)) ? n.text : undefined;
    const className = (n: ts.Node): string => {
        const cls = n.parent;
        return cls && (ts.isClassDeclaration(cls) || ts.isClassExpression(cls)) ? (own(cls.name) ?? "<class>") : "<class>";
    };
    if (ts.isConstructorDeclaration(node)) return `${className(node)} constructor`;
    if (ts.isMethodDeclaration(node) || ts.isGetAccessor(node) || ts.isSetAccessor(node)) {
        const name = own(node.name) ?? node.name.getText();
        return ts.isClassLike(node.parent) ? `${className(node)}.${name}` : name;
    }
    const direct = ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) ? own(node.name) : undefined;
    if (direct) return direct;
    const holder = node.parent;
    if (ts.isVariableDeclaration(holder) || ts.isPropertyAssignment(holder) || ts.isPropertyDeclaration(holder)) {
        return own(holder.name) ?? holder.name.getText();
    }
    return "<anonymous>";
}

function functionSpans(file: string): FunctionSpan[] {
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const spans: FunctionSpan[] = [];
    const visit = (node: ts.Node) => {
        if (ts.isFunctionLike(node) && "body" in node && node.body) {
            const fn = node as ts.FunctionLikeDeclaration;
            const start = source.getLineAndCharacterOfPosition(fn.getStart(source)).line;
            const end = source.getLineAndCharacterOfPosition(fn.getEnd()).line;
            spans.push({ file: relative(ROOT, file), line: start + 1, name: nameOf(fn), lines: end - start + 1 });
        }
        ts.forEachChild(node, visit);
    };
    visit(source);
    return spans;
}

describe("function length", () => {
    const spans = sourceFiles(LIB).flatMap(functionSpans);
    const key = (s: FunctionSpan) => `${s.file}:${s.name}`;
    const describeSpan = (s: FunctionSpan) => `${s.file}:${s.line} ${s.name} (${s.lines} lines)`;

    it("finds the functions it measures (a parser change that found none would pass everything)", () => {
        assert.ok(
            spans.some((s) => s.name === "MatomoCluster constructor"),
            "the MatomoCluster constructor was not found",
        );
        assert.ok(spans.length > 100, `only ${spans.length} functions found under lib/`);
    });

    it(`no function under lib/ is longer than ${MAX_LINES} lines, except the allow-listed ones, which may only shrink`, () => {
        const tooLong = spans.filter((s) => s.lines > MAX_LINES && !(key(s) in ALLOWED)).map(describeSpan);
        assert.deepEqual(tooLong, [], `split these into named steps of at most ${MAX_LINES} lines:\n${tooLong.join("\n")}`);
        const grown = spans.filter((s) => key(s) in ALLOWED && s.lines > ALLOWED[key(s)]).map((s) => `${describeSpan(s)}, listed at ${ALLOWED[key(s)]}`);
        assert.deepEqual(grown, [], "allow-listed functions may only shrink");
    });

    it("every allow-list entry still names a function over the limit (a stale entry would let it grow back)", () => {
        const stale = Object.keys(ALLOWED).filter((k) => !spans.some((s) => key(s) === k && s.lines > MAX_LINES));
        assert.deepEqual(stale, [], "remove these entries: their function now fits or is gone");
    });
});
