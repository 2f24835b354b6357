/**
 * A small schema language for arguments, and the checker that runs it.
 *
 * A schema both checks a value and describes itself (kind, what is allowed, defaults, fields), so
 * the same data drives validation, the docs' argument tables and the property tests that generate
 * malformed arguments. Checking collects every problem instead of stopping at the first; a value
 * that failed is `undefined` to its parent, and a parent's cross-field rules run only when all of
 * its own fields passed (so one mistake is never reported twice).
 */
import { all, isSecret, Output } from "@pulumi/pulumi/output";
import { hiddenValue, InvalidArgumentError, type ArgumentPath, type ArgumentProblem } from "./errors";

export type Kind = "string" | "number" | "boolean" | "object" | "list" | "record" | "opaque" | "union";

export class Checker {
    readonly problems: ArgumentProblem[] = [];
    /** @param component Whose arguments these are: the errors of Output values checked when they resolve name it. */
    constructor(readonly component = "arguments") {}
    fail(path: ArgumentPath, value: unknown, allowed: string): undefined {
        this.problems.push({ path, value, allowed });
        return undefined;
    }
}

/**
 * How the generated argument types (`npm run generate`, scripts/generate-args.ts) name and describe a
 * schema: its TypeScript type and its multi-language type (its name in schema.json).
 */
export interface TypeInfo {
    /** The TypeScript type's name (an interface for an object, an alias otherwise); absent: written inline. */
    readonly ts?: string;
    /** The multi-language type's name (schema.json's type token; an enum for a `oneOf`); absent: TypeScript only. */
    readonly ml?: string;
    /** The type's documentation, in both languages (required of every named type). */
    readonly doc?: string;
    /** TypeScript: the type is declared in this module (a path under lib/, e.g. `release`), not generated. */
    readonly from?: string;
    /** TypeScript: the type as written, where the schema cannot say it (a custom checker). */
    readonly tsText?: string;
    /** Types `tsText` names that no schema describes, declared beside this one. */
    readonly declares?: readonly TypeInfo[];
    /** What `tsText` needs imported: each binding and its module (a path under lib/, or a package). */
    readonly imports?: readonly { readonly name: string; readonly from: string; readonly namespace?: boolean }[];
    /** The multi-language type as written, where it differs from TypeScript's (a plain value where TypeScript takes an Input). */
    readonly mlText?: string;
    /** TypeScript: declared with lib/aws's types (it names the child components' arguments), not in lib/settings. */
    readonly inAws?: boolean;
    /** A component's arguments: its name, whose TypeScript-only arguments (lib/multilang/typescriptOnly.ts) the other languages leave out. */
    readonly component?: string;
    /**
     * An object with an `existing` field (network, database): TypeScript takes `<name> | { existing }`,
     * `<name>` being the other fields; the other languages one object with `existing` optional, as the
     * schema checks it (either, never both).
     */
    readonly newOrExisting?: { readonly name: string; readonly doc: string };
}

export interface Schema<T> {
    readonly kind: Kind;
    /** The generated types' name and documentation of this schema. */
    readonly type?: TypeInfo;
    /** `oneOf` and `integerOneOf`: the values allowed. */
    readonly values?: readonly (string | number)[];
    /** What is allowed, as error messages and docs say it. */
    readonly allowed: string;
    /** Object schemas: their fields. */
    readonly fields?: Readonly<Record<string, Field<unknown>>>;
    /** List and record schemas: the schema of each item. */
    readonly item?: Schema<unknown>;
    /** Union schemas: the alternatives (tried in order by kind). */
    readonly options?: readonly Schema<unknown>[];
    /** True when a Pulumi Output is accepted in place of the value (its value is checked when it resolves). */
    readonly acceptsOutput?: boolean;
    /** Docs: describe this object in one row instead of a row per field. */
    readonly collapsed?: boolean;
    /** A given (not null/undefined) value → the checked value, or undefined after reporting problems. */
    check(value: unknown, c: Checker, path: ArgumentPath): T | undefined;
}

export interface Field<T> {
    readonly schema: Schema<T>;
    /**
     * What the argument is for, as its TSDoc, schema.json and the docs say it: never its default or
     * what is allowed, which the generator adds from the rest of this field.
     */
    readonly doc?: string;
    /** The multi-language surface gives this argument as these fields instead (the analyzer cannot take its TypeScript type). */
    readonly multiLanguage?: Readonly<Record<string, { readonly type: string; readonly doc?: string }>>;
    /** The value used when the argument is not given (or null). */
    readonly default?: T;
    /** Docs: the default in words when it is computed from other arguments. */
    readonly defaultText?: string;
    /** A missing value is a problem. */
    readonly required?: boolean;
    /** Docs and property tests: required under a condition (named in `defaultText`). */
    readonly requiredWhen?: boolean;
    /** Required unless this sibling is given; checked on presence alone, so it is reported with every other problem. */
    readonly requiredUnless?: { sibling: string; allowed: string };
}

/** An argument that must be given unless `sibling` is (e.g. `certificateArn` unless `hostedZoneId`). */
export function eitherThis<T>(schema: Schema<T>, sibling: string, allowed: string, defaultText: string): Field<T> & { readonly _out?: T | undefined } {
    return { schema, defaultText, requiredWhen: true, requiredUnless: { sibling, allowed } };
}

/** An argument with no default: `T | undefined` when not given. */
export function optional<T>(schema: Schema<T>, defaultText?: string, requiredWhen?: boolean): Field<T> & { readonly _out?: T | undefined } {
    return { schema, ...(defaultText !== undefined ? { defaultText } : {}), ...(requiredWhen ? { requiredWhen } : {}) };
}

/** An argument with a fixed default. */
export function withDefault<T>(schema: Schema<T>, value: T): Field<T> & { readonly _out?: T } {
    return { schema, default: value };
}

/** An argument that must be given. */
export function required<T>(schema: Schema<T>): Field<T> & { readonly _out?: T } {
    return { schema, required: true };
}

/** `field`, documented (see `Field.doc`). */
export function doc<F extends Field<unknown>>(text: string, field: F): F {
    return { ...field, doc: text };
}

/** `schema`, named and documented for the generated types (see `TypeInfo`). */
export function named<S extends Schema<unknown>>(type: TypeInfo, schema: S): S {
    return { ...schema, type };
}

type FieldOut<F> = F extends { readonly _out?: infer O } ? O : never;
export type ObjectOut<F> = { [K in keyof F]: FieldOut<F[K]> };
export type Fields = Record<string, Field<unknown> & { readonly _out?: unknown }>;

/** A plain object (what JSON, YAML and object literals make), never an array, Output or class instance. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
    const proto = Object.getPrototypeOf(value) as unknown;
    return proto === Object.prototype || proto === null;
}

/** Edit distance counting an insertion, deletion, substitution or swap of neighbours as one (optimal string alignment), for "did you mean". */
export function editDistance(a: string, b: string): number {
    const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.length][b.length];
}

/** The known name closest to a misspelt one, when it is close enough to be a typo. */
export function nearest(name: string, known: readonly string[]): string | undefined {
    const lower = name.toLowerCase();
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const candidate of known) {
        const d = editDistance(lower, candidate.toLowerCase());
        if (d < bestDistance) [best, bestDistance] = [candidate, d];
    }
    // Case-only differences are distance 0 here; otherwise allow about one edit per four letters.
    return best !== undefined && bestDistance <= Math.max(1, Math.floor(name.length / 4)) ? best : undefined;
}

export function unknownKeyMessage(key: string, known: readonly string[]): string {
    const guess = nearest(key, known);
    return `unknown argument${guess !== undefined ? ` (did you mean '${guess}'?)` : ""}; allowed: ${known.join(", ")}`;
}

/**
 * An object with exactly these fields. `resolve` turns the checked fields into the resolved shape
 * and applies cross-field rules (it reports through `c.fail` and returns undefined on a problem).
 */
export function object<F extends Fields, R = ObjectOut<F>>(
    fields: F,
    resolve?: (v: ObjectOut<F>, c: Checker, path: ArgumentPath, given: ReadonlySet<string>) => R | undefined,
    allowed = "an object",
    /** Extra words for keys users are likely to write here by mistake (e.g. an old shape). */
    hints: Readonly<Record<string, string>> = {},
): Schema<R> {
    const known = Object.keys(fields);
    return {
        kind: "object",
        allowed,
        fields,
        check(value, c, path) {
            if (!isPlainObject(value)) return c.fail(path, value, `${allowed} with the keys ${known.join(", ")}`);
            const before = c.problems.length;
            for (const key of Object.keys(value)) {
                if (Object.hasOwn(fields, key)) continue;
                const hint = Object.hasOwn(hints, key) ? `: ${hints[key]}` : "";
                c.fail([...path, key], value[key], unknownKeyMessage(key, known) + hint);
            }
            const out: Record<string, unknown> = {};
            const givenKeys = new Set<string>();
            for (const key of known) {
                const field = fields[key];
                const given = Object.hasOwn(value, key) ? value[key] : undefined;
                if (given !== undefined && given !== null) givenKeys.add(key);
                if (given === undefined || given === null) {
                    if (field.required) c.fail([...path, key], given, `required: ${field.schema.allowed}`);
                    else if (field.requiredUnless && (value[field.requiredUnless.sibling] ?? null) === null)
                        c.fail([...path, key], given, field.requiredUnless.allowed);
                    else if (field.default !== undefined) out[key] = field.default;
                    continue;
                }
                const checked = field.schema.check(given, c, [...path, key]);
                if (checked !== undefined) out[key] = checked;
            }
            if (c.problems.length > before) return undefined;
            return resolve ? resolve(out as ObjectOut<F>, c, path, givenKeys) : (out as R);
        },
    };
}

/** Any string for which `test` holds (after the universal text rule). */
export function text(allowed: string, test: (value: string) => boolean = () => true): Schema<string> {
    return {
        kind: "string",
        allowed,
        check(value, c, path) {
            if (typeof value !== "string") return c.fail(path, value, allowed);
            const bad = textProblem(value);
            if (bad !== undefined) return c.fail(path, value, `${allowed}; ${bad}`);
            return test(value) ? value : c.fail(path, value, allowed);
        },
    };
}

export function pattern(allowed: string, re: RegExp): Schema<string> {
    return text(allowed, (v) => re.test(v));
}

/**
 * `output`, checked by `schema` when it resolves: a bad value rejects it, and with it every resource
 * input derived from it, with the InvalidArgumentError (same path, same words) construction throws
 * for a plain value, so no resource that depends on the value is created. A secret's value is
 * never shown. Under `pulumi preview` an unknown value is checked at `pulumi up`.
 */
export function checkedOutput<T>(output: Output<unknown>, schema: Schema<T>, component: string, path: ArgumentPath): Output<T> {
    return ruledOutput(
        output,
        component,
        (value, late) =>
            value === undefined || value === null
                ? late.fail(path, value, `${schema.allowed} (the Output resolved to nothing)`)
                : schema.check(value, late, path),
        (value) => ({ path, value, allowed: schema.allowed }),
    );
}

/**
 * `rule` (a cross-field rule that needs the value, e.g. what the domain names by default) on a value
 * that may be an Output: on a plain value now, reporting to `c`; on an Output's value when it
 * resolves, where a problem rejects the Output, as `checkedOutput` does, with the error construction
 * gives the plain value.
 */
export function whenKnown<T, R>(value: T | Output<T>, c: Checker, rule: (value: T, c: Checker) => R | undefined): R | Output<R> | undefined {
    if (!Output.isInstance(value)) return rule(value, c);
    return ruledOutput(value as Output<unknown>, c.component, (v, late) => rule(v as T, late));
}

/** `output`'s value through `rule` once it resolves; the problems it reports (or `fallback`) reject it, a secret's value hidden. */
function ruledOutput<R>(
    output: Output<unknown>,
    component: string,
    rule: (value: unknown, late: Checker) => R | undefined,
    fallback?: (value: unknown) => ArgumentProblem,
): Output<R> {
    return all([output, isSecret(output)]).apply(([value, secret]): R => {
        const late = new Checker(component);
        const checked = rule(value, late);
        if (late.problems.length === 0 && checked !== undefined) return checked;
        const problems = late.problems.length > 0 ? late.problems : fallback ? [fallback(value)] : [];
        if (problems.length === 0) throw new Error(`settings: a rule of ${component} refused a value without saying why`);
        throw new InvalidArgumentError(component, secret ? problems.map((p) => ({ ...p, value: hiddenValue(p.value) })) : problems);
    });
}

/** A value, or a Pulumi Output of one (another resource's attribute, a StackReference output), checked when it resolves. */
export function input<T>(schema: Schema<T>): Schema<T | Output<T>> {
    return {
        // Its kind, values and items describe the value inside the Output (the generated types wrap it in Input<>).
        ...(schema as Schema<unknown> as Schema<T | Output<T>>),
        acceptsOutput: true,
        check(value, c, path) {
            if (Output.isInstance(value)) return checkedOutput(value, schema, c.component, path);
            return schema.check(value, c, path);
        },
    };
}

export function integer(min: number, max: number, allowed = `a whole number from ${min} to ${max}`): Schema<number> {
    return {
        kind: "number",
        allowed,
        check(value, c, path) {
            if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) return c.fail(path, value, allowed);
            return value;
        },
    };
}

export const boolean: Schema<boolean> = {
    kind: "boolean",
    allowed: "true or false",
    check(value, c, path) {
        return typeof value === "boolean" ? value : c.fail(path, value, "true or false");
    },
};

export function oneOf<const T extends string>(values: readonly T[], why = ""): Schema<T> {
    const allowed = `one of ${values.map((v) => `'${v}'`).join(", ")}${why}`;
    return {
        kind: "string",
        allowed,
        values,
        check(value, c, path) {
            return typeof value === "string" && (values as readonly string[]).includes(value) ? (value as T) : c.fail(path, value, allowed);
        },
    };
}

/** Integers from a fixed set (e.g. `ui.count`: 1 or 2). */
export function integerOneOf<const T extends number>(values: readonly T[], allowed: string): Schema<T> {
    return {
        kind: "number",
        allowed,
        values,
        check(value, c, path) {
            return typeof value === "number" && (values as readonly number[]).includes(value) ? (value as T) : c.fail(path, value, allowed);
        },
    };
}

export interface ListOptions {
    min?: number;
    max?: number;
    /** Refuse the same plain string twice. */
    unique?: boolean;
    /** Accept an Output of the whole list (its items are then checked by AWS). */
    acceptsOutput?: boolean;
}

export function list<T>(item: Schema<T>, options: ListOptions = {}, allowed = `a list of ${item.allowed}`): Schema<T[] | Output<T[]>> {
    const { min = 0, max = Infinity, unique = false } = options;
    const counted = min > 0 || max < Infinity ? `${allowed}${min > 0 ? `, at least ${min}` : ""}${max < Infinity ? `, at most ${max}` : ""}` : allowed;
    const plain: Schema<T[]> = {
        kind: "list",
        allowed: counted,
        item: item as Schema<unknown>,
        check(value, c, path) {
            if (!Array.isArray(value)) return c.fail(path, value, counted);
            if (value.length < min || value.length > max) return c.fail(path, value, counted);
            const before = c.problems.length;
            const out: T[] = [];
            const seen = new Map<string, number>();
            value.forEach((v, i) => {
                if (v === undefined || v === null) return void c.fail([...path, i], v, item.allowed);
                const checked = item.check(v, c, [...path, i]);
                if (checked === undefined) return;
                if (unique && typeof checked === "string") {
                    const first = seen.get(checked);
                    if (first !== undefined) return void c.fail([...path, i], v, `not a repeat of item [${first}]: each entry once`);
                    seen.set(checked, i);
                }
                out.push(checked);
            });
            return c.problems.length > before ? undefined : out;
        },
    };
    if (!options.acceptsOutput) return plain;
    return {
        ...plain,
        acceptsOutput: true,
        check(value, c, path) {
            return Output.isInstance(value) ? checkedOutput(value, plain, c.component, path) : plain.check(value, c, path);
        },
    };
}

/** A list that is always plain (no Output of the whole list). */
export function plainList<T>(item: Schema<T>, options: Omit<ListOptions, "acceptsOutput"> = {}, allowed?: string): Schema<T[]> {
    return list(item, options, allowed) as Schema<T[]>;
}

/**
 * An object of user-chosen keys (tags, extraConfig sections). Keys are read with `Object.hasOwn`,
 * so `constructor` or `toString` are plain names; `__proto__` is refused, because no plain object
 * handed on to Pulumi can carry it as a key (an assignment changes the prototype instead).
 */
export function record<T>(key: Schema<string>, item: Schema<T>, allowed: string, maxKeys = Infinity): Schema<Record<string, T>> {
    return {
        kind: "record",
        allowed,
        item: item as Schema<unknown>,
        check(value, c, path) {
            if (!isPlainObject(value)) return c.fail(path, value, allowed);
            const keys = Object.keys(value);
            if (keys.length > maxKeys) return c.fail(path, value, `${allowed}, at most ${maxKeys} keys`);
            const before = c.problems.length;
            const out: Record<string, T> = {};
            for (const k of keys) {
                if (k === "__proto__") {
                    c.fail([...path, k], value[k], "any key but __proto__");
                    continue;
                }
                if (key.check(k, c, [...path, k]) === undefined) continue;
                const v = value[k];
                if (v === undefined || v === null) {
                    c.fail([...path, k], v, item.allowed);
                    continue;
                }
                const checked = item.check(v, c, [...path, k]);
                if (checked !== undefined) Object.defineProperty(out, k, { value: checked, enumerable: true, writable: true, configurable: true });
            }
            return c.problems.length > before ? undefined : out;
        },
    };
}

/** Something we pass through unchecked beyond being a plain object (e.g. a child resource's own args, checked by its provider). */
export function opaqueObject<T>(allowed: string): Schema<T> {
    return {
        kind: "opaque",
        allowed,
        check(value, c, path) {
            return isPlainObject(value) ? (value as T) : c.fail(path, value, allowed);
        },
    };
}

/** Alternatives told apart by the value's type: the first option whose kind fits checks it. */
export function union<T>(options: readonly Schema<T>[], allowed: string): Schema<T> {
    const kindOf = (v: unknown): Kind | undefined =>
        typeof v === "string"
            ? "string"
            : typeof v === "number"
              ? "number"
              : typeof v === "boolean"
                ? "boolean"
                : Array.isArray(v)
                  ? "list"
                  : isPlainObject(v)
                    ? "object"
                    : undefined;
    return {
        kind: "union",
        allowed,
        options: options as readonly Schema<unknown>[],
        check(value, c, path) {
            const kind = kindOf(value);
            const option = options.find((o) => o.kind === kind || (o.acceptsOutput === true && Output.isInstance(value)));
            return option ? option.check(value, c, path) : c.fail(path, value, allowed);
        },
    };
}

/**
 * Text that reaches user data and config files must be one line of printable characters: C0 and C1
 * controls (tab, newline, ESC, NUL, NEL …), DEL, the Unicode line and paragraph separators (YAML
 * parsers such as cloud-init's PyYAML break lines at U+2028/U+2029), the BOM, U+FFFE/U+FFFF and
 * unpaired surrogates (outside YAML's printable set) are refused, as is a `{{secret:` placeholder,
 * which the nodes would fill with a real secret.
 */
export function textProblem(value: string): string | undefined {
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    const bad = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/.exec(value);
    if (bad) return `a single line of printable text (found U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")} at ${bad.index})`;
    if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value))
        return "a single line of printable text (found an unpaired surrogate)";
    if (value.includes("{{secret:")) return "'{{secret:' is reserved for the secrets nodes fill in at boot; give a secret as a { secretArn } reference";
    return undefined;
}

/** What an object schema resolves `{}` to: its defaults, from its own fields (so they are written once). */
export function defaultsOf<T>(schema: Schema<T>): T {
    const c = new Checker();
    const defaults = schema.check({}, c, []);
    if (defaults === undefined) throw new Error(`settings: the defaults of ${schema.allowed} do not validate: ${c.problems.map((p) => p.allowed).join("; ")}`);
    return defaults;
}

/** Check `value` against a schema; throw every problem at once, naming the component. */
export function validate<T>(component: string, schema: Schema<T>, value: unknown): T {
    const c = new Checker(component);
    if (value === undefined || value === null) {
        c.fail([], value, schema.allowed);
    } else {
        const out = schema.check(value, c, []);
        if (c.problems.length === 0 && out !== undefined) return out;
    }
    throw new InvalidArgumentError(component, c.problems.length > 0 ? c.problems : [{ path: [], value, allowed: schema.allowed }]);
}
