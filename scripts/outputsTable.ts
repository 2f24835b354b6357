/**
 * The outputs table of docs/aws.md, generated from the `MatomoCluster` class itself: one row per
 * public readonly value property (Outputs and plain values, not the typed child components), with
 * its TSDoc. `npm run docs:args` writes it; `test/docs.test.ts` fails when the docs and the class differ.
 */
import * as ts from "typescript";

export interface OutputRow {
    name: string;
    /** The declared type, as written (`pulumi.Output<string>`, `string`, …). */
    type: string;
    /** Declared with `?`: absent in some configurations (the TSDoc says when). */
    optional: boolean;
    doc: string;
}

/** A value a program can export or read, as opposed to a child component (`Network`, `NodeGroup`, …). */
const VALUE_TYPE = /^(pulumi\.Output<.+>|string|number|boolean|Record<.+>)$/;

function tsDoc(node: ts.Node, source: ts.SourceFile): string {
    const comments = ts.getLeadingCommentRanges(source.text, node.getFullStart()) ?? [];
    const last = comments.filter((c) => source.text.startsWith("/**", c.pos)).pop();
    if (last === undefined) return "";
    return source.text
        .slice(last.pos + 3, last.end - 2)
        .split("\n")
        .map((line) => line.replace(/^\s*\*\s?/, "").trim())
        .filter((line) => line !== "")
        .join(" ");
}

/** The value properties of class `className` in `sourceText`, in declaration order. */
export function outputRows(sourceText: string, className = "MatomoCluster"): OutputRow[] {
    const source = ts.createSourceFile("cluster.ts", sourceText, ts.ScriptTarget.ES2022, true);
    const cls = source.statements.find((s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === className);
    if (cls === undefined) throw new Error(`outputs table: class ${className} not found`);
    const rows: OutputRow[] = [];
    for (const member of cls.members) {
        if (!ts.isPropertyDeclaration(member) || member.type === undefined || !ts.isIdentifier(member.name)) continue;
        const modifiers = ts.getModifiers(member) ?? [];
        const hidden = modifiers.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword);
        const readonly = modifiers.some((m) => m.kind === ts.SyntaxKind.ReadonlyKeyword);
        const type = member.type.getText(source);
        if (hidden || !readonly || !VALUE_TYPE.test(type)) continue;
        rows.push({ name: member.name.text, type, optional: member.questionToken !== undefined, doc: tsDoc(member, source) });
    }
    return rows;
}

const cell = (text: string) => text.replace(/\|/g, "\\|");

export function outputTable(rows: OutputRow[]): string {
    const lines = ["| Output | Type | What it is |", "| --- | --- | --- |"];
    for (const row of rows) lines.push(`| \`${row.name}\` | \`${cell(row.type)}\`${row.optional ? " (optional)" : ""} | ${cell(row.doc)} |`);
    return lines.join("\n");
}
