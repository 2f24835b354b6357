/**
 * Reading a Pulumi package schema (schema.json) the way the SDK generators do, for the offline
 * checks of the multi-language surface and its examples: property types, `$ref`s into `types`,
 * enums, and the Python names Pulumi's Python generator gives properties and input types.
 */

export interface SchemaProperty {
    type?: string;
    $ref?: string;
    items?: SchemaProperty;
    additionalProperties?: SchemaProperty;
    properties?: Record<string, SchemaProperty>;
    required?: string[];
    enum?: { name: string; value: string | number }[];
    optional?: boolean;
    plain?: boolean;
    description?: string;
}

export interface SchemaResource {
    isComponent: boolean;
    inputProperties: Record<string, SchemaProperty>;
    requiredInputs: string[];
    properties: Record<string, SchemaProperty>;
    required: string[];
}

export interface PackageSchema {
    name: string;
    version: string;
    resources: Record<string, SchemaResource>;
    types: Record<string, SchemaProperty>;
}

/** The type a property stands for: its own shape, or the type its local `$ref` names. */
export function resolveType(schema: PackageSchema, prop: SchemaProperty): SchemaProperty {
    if (prop.$ref === undefined) return prop;
    const local = /^#\/types\/(.+)$/.exec(prop.$ref);
    if (local === null) throw new Error(`a $ref outside this package: ${prop.$ref}`);
    const target = schema.types[decodeURIComponent(local[1])];
    if (target === undefined) throw new Error(`$ref to a missing type: ${prop.$ref}`);
    return target;
}

/** The token of the type a property refers to (`pulumi-matomo-aws:index:SuperUser`), if any. */
export function typeToken(prop: SchemaProperty): string | undefined {
    const local = prop.$ref === undefined ? null : /^#\/types\/(.+)$/.exec(prop.$ref);
    return local === null ? undefined : decodeURIComponent(local[1]);
}

/** A property's object properties and required names, when it is (or refers to) an object type. */
export function propertiesOf(schema: PackageSchema, prop: SchemaProperty): { properties: Record<string, SchemaProperty>; required: Set<string> } | undefined {
    const t = resolveType(schema, prop);
    return t.properties === undefined ? undefined : { properties: t.properties, required: new Set(t.required ?? []) };
}

/**
 * Pulumi's Python name for a camelCase property (pkg/codegen/python `PyName`): words split where a
 * lower-case letter or digit meets an upper-case one, and at the last capital of an acronym that
 * a lower-case letter follows; digits and an `s` right after an acronym stay in it; a Python
 * keyword gets a trailing `_`.
 */
export function pythonName(name: string): string {
    const words: string[] = [];
    let current = "";
    let state: "first" | "upper" | "acronym" | "lower" = "first";
    for (const ch of name) {
        const upper = ch !== ch.toLowerCase() && ch === ch.toUpperCase();
        const digit = /[0-9]/.test(ch);
        if (state === "first") {
            current += upper ? ch.toLowerCase() : ch;
            state = upper ? "upper" : "lower";
        } else if (state === "upper") {
            current += upper ? ch.toLowerCase() : ch;
            state = upper ? "acronym" : "lower";
        } else if (state === "acronym") {
            if (upper) current += ch.toLowerCase();
            else if (digit || ch === "s") {
                current += ch;
                state = "lower";
            } else {
                words.push(current.slice(0, -1));
                current = current.slice(-1) + ch;
                state = "lower";
            }
        } else if (upper) {
            words.push(current);
            current = ch.toLowerCase();
            state = "upper";
        } else {
            current += ch;
        }
    }
    if (current !== "") words.push(current);
    const joined = words.filter((w) => w !== "").join("_");
    return PYTHON_KEYWORDS.has(joined) ? `${joined}_` : joined;
}

const PYTHON_KEYWORDS = new Set(
    "False None True and as assert async await break class continue def del elif else except exec finally for from global if import in is lambda nonlocal not or pass print raise return try while with yield".split(
        " ",
    ),
);

/** The Python module Pulumi's generator names a package (`PyPack`: no namespace, so `pulumi_` + the name with `-` as `_`). */
export function pythonPackage(schema: PackageSchema): string {
    return `pulumi_${schema.name.replace(/-/g, "_")}`;
}
