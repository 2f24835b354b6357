/**
 * The argument reference in docs/aws.md, generated from the schemas: one row per argument with
 * its default and what is allowed, in the words the validation uses. `npm run docs:args` writes
 * it; `test/docs.test.ts` fails when the docs and the schema differ. The same words end each
 * argument's TSDoc in the generated argument types (`fieldDoc`, scripts/generate-args.ts).
 */
import type { Field, Schema } from "./schema";

export interface ArgumentRow {
    path: string;
    default: string;
    allowed: string;
}

function formatDefault(value: unknown): string {
    return `\`${JSON.stringify(value)}\``;
}

/** An object's default is its fields' (each listed with its own): said so rather than as one long JSON value. */
function defaultWords(field: Field<unknown>): string {
    // Words first: a default that depends on another argument (the preset) says so.
    if (field.defaultText !== undefined) return field.defaultText;
    if (field.default === undefined) return "none";
    return field.schema.kind === "object" ? "the defaults of its fields" : formatDefault(field.default);
}

function defaultOf(field: Field<unknown>): string {
    return field.required ? "**required**" : defaultWords(field);
}

const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);
const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * An argument's documentation: its own words (`Field.doc`), then its default and what is allowed,
 * derived from the schema, so the TSDoc, schema.json and the table above say the same.
 */
export function fieldDoc(field: Field<unknown>): string[] {
    const words = defaultWords(field);
    const given = field.required
        ? "Required."
        : field.requiredWhen && /^required\b/i.test(words)
          ? sentence(capitalized(words))
          : /^by preset\b/.test(words)
            ? sentence(`Default ${words}`)
            : sentence(`Default: ${words}`);
    const kind = field.schema.kind;
    const allowed = kind === "object" || kind === "opaque" ? [] : [sentence(`Allowed: ${field.schema.allowed}`)];
    return [...(field.doc !== undefined ? [field.doc] : []), given, ...allowed];
}

/** Every argument under `schema`, depth first, in declaration order. */
export function argumentRows(schema: Schema<unknown>, prefix = ""): ArgumentRow[] {
    const rows: ArgumentRow[] = [];
    for (const [name, field] of Object.entries(schema.fields ?? {})) {
        const path = `${prefix}${name}`;
        const nested =
            field.schema.kind === "object" && !field.schema.collapsed && field.schema.fields !== undefined && Object.keys(field.schema.fields).length > 0;
        // A list of objects (plugins): one row per field of its items, as `path[].field`.
        const item =
            field.schema.kind === "list" && field.schema.item?.kind === "object" && field.schema.item.fields !== undefined ? field.schema.item : undefined;
        rows.push({ path, default: defaultOf(field), allowed: nested ? "an object:" : item ? `${field.schema.allowed}, each:` : field.schema.allowed });
        if (nested) rows.push(...argumentRows(field.schema, `${path}.`));
        if (item) rows.push(...argumentRows(item, `${path}[].`));
    }
    return rows;
}

const cell = (text: string) => text.replace(/\|/g, "\\|");

export function argumentTable(schema: Schema<unknown>): string {
    const lines = ["| Argument | Default | Allowed |", "| --- | --- | --- |"];
    for (const row of argumentRows(schema)) lines.push(`| \`${row.path}\` | ${cell(row.default)} | ${cell(row.allowed)} |`);
    return lines.join("\n");
}

/** Markers around a generated table in a markdown file. */
export function tableMarkers(name: string): { begin: string; end: string } {
    return { begin: `<!-- generated:${name} (npm run docs:args) -->`, end: `<!-- /generated:${name} -->` };
}
