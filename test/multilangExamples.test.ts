/**
 * examples/python and examples/yaml, checked offline against schema.json: what `pulumi package add`
 * would generate the Python SDK from, and what Pulumi YAML binds resource properties against.
 * No Pulumi CLI, generated SDK or YAML engine runs here (none is installed offline): the Python
 * program is read with python3's `ast` (test/support/python_calls.py) and its names mapped as
 * Pulumi's Python generator maps schema names (`PyName`, input types `<Type>Args`, enum members in
 * upper case); the YAML program is read with js-yaml. A value computed at run time (a config read,
 * an `${…}` interpolation) is checked only for its kind where that is known.
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import * as yaml from "js-yaml";
import { requireTools } from "./support/tools";
import { pythonName, pythonPackage, resolveType, typeToken, type PackageSchema, type SchemaProperty } from "./support/packageSchema";

const REPO = join(__dirname, "..");
const schema = JSON.parse(readFileSync(join(REPO, "schema.json"), "utf8")) as PackageSchema;
const typeName = (token: string) => token.split(":")[2];

/** Python's enum member name for a schema enum name (pkg/codegen/python `makeSafeEnumName`): PyName, upper case, one `_` at a time. */
function pythonEnumMember(name: string): string {
    return pythonName(name).toUpperCase().replace(/_+/g, "_");
}

// ---------------------------------------------------------------- Python

type PyValue =
    | { call: string; module: string; args: PyValue[]; kwargs: Record<string, PyValue> }
    | { enum: string; member: string }
    | { const: string | number | boolean | null }
    | { list: PyValue[] }
    | { dict: [PyValue, PyValue][] }
    | { config: "string" | "number" | "boolean" }
    | { expr: string };

interface PyProgram {
    imports: Record<string, string>;
    calls: Extract<PyValue, { call: string }>[];
    reads: { resource: string; attribute: string }[];
}

function checkPython(value: PyValue, prop: SchemaProperty, path: string, problems: string[]): void {
    const t = resolveType(schema, prop);
    const token = typeToken(prop);
    const fail = (why: string): void => void problems.push(`${path}: ${why}`);
    if ("expr" in value) return fail(`cannot be checked offline (${value.expr})`);
    if (t.enum !== undefined) {
        if ("enum" in value) {
            if (token === undefined || value.enum !== typeName(token)) return fail(`${value.enum} where the schema wants ${token}`);
            if (!t.enum.some((m) => pythonEnumMember(m.name) === value.member))
                fail(`${value.enum}.${value.member} is no member (${t.enum.map((m) => pythonEnumMember(m.name)).join(", ")})`);
            return;
        }
        if ("const" in value)
            return void (
                t.enum.some((m) => m.value === value.const) || fail(`${JSON.stringify(value.const)} is not one of ${t.enum.map((m) => m.value).join(", ")}`)
            );
        if ("config" in value && value.config === t.type) return;
        return fail(`an enum ${token} wants a member or one of its values`);
    }
    switch (t.type) {
        case "string":
        case "number":
        case "integer":
        case "boolean": {
            const want = t.type === "integer" ? "number" : t.type;
            if ("config" in value) return void (value.config === want || fail(`a ${value.config} config value where the schema wants ${want}`));
            if ("const" in value && typeof value.const === want) return;
            return fail(`${JSON.stringify(value)} where the schema wants ${want}`);
        }
        case "array":
            if (!("list" in value)) return fail(`a list is wanted`);
            return value.list.forEach((v, i) => checkPython(v, t.items!, `${path}[${i}]`, problems));
        case "object":
            if (t.additionalProperties !== undefined) {
                if (!("dict" in value)) return fail("a dict is wanted");
                for (const [k, v] of value.dict) {
                    if (!("const" in k) || typeof k.const !== "string") fail("map keys must be strings");
                    checkPython(v, t.additionalProperties, `${path}[${"const" in k ? JSON.stringify(k.const) : "?"}]`, problems);
                }
                return;
            }
            if (token === undefined || t.properties === undefined) return fail("an object type without properties");
            if (!("call" in value) || value.call !== `${typeName(token)}Args`)
                return fail(`${typeName(token)}Args(...) is wanted, got ${JSON.stringify(value).slice(0, 80)}`);
            return checkPythonKwargs(value.kwargs, t.properties, new Set(t.required ?? []), path, problems);
    }
    fail(`unhandled schema type ${JSON.stringify(t)}`);
}

function checkPythonKwargs(
    kwargs: Record<string, PyValue>,
    properties: Record<string, SchemaProperty>,
    required: Set<string>,
    path: string,
    problems: string[],
): void {
    const byPython = new Map(Object.keys(properties).map((k) => [pythonName(k), k]));
    for (const [kw, v] of Object.entries(kwargs)) {
        const name = byPython.get(kw);
        if (name === undefined) {
            problems.push(`${path}.${kw}: no such input (inputs: ${[...byPython.keys()].join(", ")})`);
            continue;
        }
        checkPython(v, properties[name], `${path}.${kw}`, problems);
    }
    for (const r of required) if (!Object.hasOwn(kwargs, pythonName(r))) problems.push(`${path}.${pythonName(r)}: required, not given`);
}

// ---------------------------------------------------------------- YAML

interface YamlProgram {
    config?: Record<string, { type?: string }>;
    resources: Record<string, { type: string; properties?: Record<string, unknown> }>;
    outputs?: Record<string, unknown>;
}

/** `${name}` or `${resource.property}`: the whole value is one interpolation. */
const INTERPOLATION = /^\$\{([A-Za-z0-9_:-]+)(?:\.([A-Za-z0-9_]+))?\}$/;

function checkYaml(program: YamlProgram, value: unknown, prop: SchemaProperty, path: string, problems: string[]): void {
    const t = resolveType(schema, prop);
    const fail = (why: string): void => void problems.push(`${path}: ${why}`);
    if (typeof value === "string" && value.includes("${")) {
        const m = INTERPOLATION.exec(value);
        if (m === null) return fail(`cannot be checked offline (${value})`);
        const [, name, property] = m;
        if (property === undefined) {
            const declared = program.config?.[name]?.type;
            if (declared === undefined) return fail(`\${${name}} is no declared config key`);
            if (declared !== (t.enum !== undefined ? t.type : t.type === "integer" ? "integer" : t.type))
                fail(`config ${name} is ${declared}, the schema wants ${t.type}`);
            return;
        }
        return checkYamlReference(program, name, property, path, problems);
    }
    if (t.enum !== undefined)
        return void (t.enum.some((m) => m.value === value) || fail(`${JSON.stringify(value)} is not one of ${t.enum.map((m) => m.value).join(", ")}`));
    switch (t.type) {
        case "string":
        case "boolean":
            return void (typeof value === t.type || fail(`${JSON.stringify(value)} where the schema wants ${t.type}`));
        case "number":
        case "integer":
            return void (typeof value === "number" || fail(`${JSON.stringify(value)} where the schema wants a number`));
        case "array":
            if (!Array.isArray(value)) return fail("a list is wanted");
            return value.forEach((v, i) => checkYaml(program, v, t.items!, `${path}[${i}]`, problems));
        case "object":
            if (value === null || typeof value !== "object" || Array.isArray(value)) return fail("a mapping is wanted");
            if (t.additionalProperties !== undefined) {
                for (const [k, v] of Object.entries(value)) checkYaml(program, v, t.additionalProperties, `${path}.${k}`, problems);
                return;
            }
            return checkYamlProperties(program, value as Record<string, unknown>, t.properties ?? {}, new Set(t.required ?? []), path, problems);
    }
    fail(`unhandled schema type ${JSON.stringify(t)}`);
}

function checkYamlProperties(
    program: YamlProgram,
    given: Record<string, unknown>,
    properties: Record<string, SchemaProperty>,
    required: Set<string>,
    path: string,
    problems: string[],
): void {
    for (const [k, v] of Object.entries(given)) {
        if (!Object.hasOwn(properties, k)) {
            problems.push(`${path}.${k}: no such input (inputs: ${Object.keys(properties).join(", ")})`);
            continue;
        }
        checkYaml(program, v, properties[k], `${path}.${k}`, problems);
    }
    for (const r of required) if (!Object.hasOwn(given, r)) problems.push(`${path}.${r}: required, not given`);
}

function checkYamlReference(program: YamlProgram, name: string, property: string, path: string, problems: string[]): void {
    const resource = program.resources[name];
    if (resource === undefined) return void problems.push(`${path}: \${${name}.${property}} names no resource`);
    const r = schema.resources[resource.type];
    if (r !== undefined && !Object.hasOwn(r.properties, property))
        problems.push(`${path}: ${resource.type} has no output ${property} (outputs: ${Object.keys(r.properties).join(", ")})`);
}

/** The Python program in a file, as test/support/python_calls.py reads it. */
function readPython(file: string): PyProgram {
    requireTools("python3");
    return JSON.parse(execFileSync("python3", [join(__dirname, "support", "python_calls.py"), file], { encoding: "utf8" })) as PyProgram;
}

/** Problems of every component call of a Python program. */
function pythonProblems(program: PyProgram): string[] {
    const problems: string[] = [];
    const components = program.calls.filter((c) => c.module === pythonPackage(schema));
    if (components.length === 0) problems.push("constructs no component of the package");
    for (const call of components) {
        const resource = schema.resources[`${schema.name}:index:${call.call}`];
        if (resource === undefined) {
            problems.push(`${call.call}: no such component`);
            continue;
        }
        if (!(call.args.length === 1 && "const" in call.args[0] && typeof call.args[0].const === "string"))
            problems.push(`${call.call}: the resource name is the one positional argument`);
        checkPythonKwargs(call.kwargs, resource.inputProperties, new Set(resource.requiredInputs), call.call, problems);
    }
    for (const read of program.reads) {
        const outputs = Object.keys(schema.resources[`${schema.name}:index:${read.resource}`]?.properties ?? {}).map(pythonName);
        if (!outputs.includes(read.attribute)) problems.push(`${read.resource}.${read.attribute} is no output (${outputs.join(", ")})`);
    }
    return problems;
}

/** Problems of every resource of this package and every output of a YAML program. */
function yamlProblems(program: YamlProgram): string[] {
    const problems: string[] = [];
    const ours = Object.entries(program.resources).filter(([, r]) => r.type.startsWith(`${schema.name}:`));
    if (ours.length === 0) problems.push("declares no component of the package");
    for (const [name, r] of ours) {
        const resource = schema.resources[r.type];
        if (resource === undefined) {
            problems.push(`${name}: ${r.type} is no component of the schema`);
            continue;
        }
        checkYamlProperties(program, r.properties ?? {}, resource.inputProperties, new Set(resource.requiredInputs), name, problems);
    }
    for (const [name, value] of Object.entries(program.outputs ?? {})) {
        const m = typeof value === "string" ? INTERPOLATION.exec(value) : null;
        if (m === null || m[2] === undefined) problems.push(`outputs.${name}: not a \${resource.output} reference`);
        else checkYamlReference(program, m[1], m[2], `outputs.${name}`, problems);
    }
    return problems;
}

describe("the multi-language examples, checked against schema.json offline", function () {
    describe("examples/python", function () {
        let program: PyProgram;
        before(function () {
            program = readPython(join(REPO, "examples", "python", "__main__.py"));
        });

        it("imports the module Pulumi's Python generator names the package, which requirements.txt installs from sdks/ as `pulumi package add` writes it", function () {
            assert.ok(Object.values(program.imports).includes(pythonPackage(schema)), `import ${pythonPackage(schema)}`);
            const requirements = readFileSync(join(REPO, "examples", "python", "requirements.txt"), "utf8").split("\n");
            assert.ok(requirements.includes(`sdks/${schema.name}`), `requirements.txt lacks sdks/${schema.name}`);
            const project = yaml.load(readFileSync(join(REPO, "examples", "python", "Pulumi.yaml"), "utf8")) as {
                runtime: { name: string };
                packages: Record<string, string>;
            };
            assert.equal(project.runtime.name, "python");
            assert.equal(project.packages[schema.name], "../..");
        });

        it("every component it constructs is in the schema, with keyword arguments that are its inputs (snake_case) of their types, the required ones given; every attribute it reads is an output", function () {
            assert.deepEqual(pythonProblems(program), []);
            assert.ok(program.reads.length > 0);
        });
    });

    describe("examples/yaml", function () {
        const file = join(REPO, "examples", "yaml", "Pulumi.yaml");
        const program = yaml.load(readFileSync(file, "utf8")) as YamlProgram & { runtime: string; packages: Record<string, string> };

        it("is a YAML program that names this package as `pulumi package add` records it", function () {
            assert.equal(program.runtime, "yaml");
            assert.equal(program.packages[schema.name], "../..");
        });

        it("every resource of this package has a type token the schema has, properties that are its inputs of their types, the required ones given; every output it reads is the component's", function () {
            assert.deepEqual(yamlProblems(program), []);
        });
    });

    describe('the README\'s snippets (section "Using it from Python, Go, C#, Java or YAML")', function () {
        const readme = readFileSync(join(REPO, "README.md"), "utf8");
        const section = readme.slice(readme.indexOf("## Using it from Python, Go, C#, Java or YAML"), readme.indexOf("## Policy pack"));
        const block = (language: string) => {
            const m = new RegExp("```" + language + "\\n([\\s\\S]*?)```").exec(section);
            assert.ok(m, `no ${language} block`);
            return m[1];
        };

        it("the Python snippet passes the example's checks", function () {
            const dir = mkdtempSync(join(tmpdir(), "readme-python-"));
            try {
                writeFileSync(join(dir, "__main__.py"), block("python"));
                assert.deepEqual(pythonProblems(readPython(join(dir, "__main__.py"))), []);
            } finally {
                rmSync(dir, { recursive: true, force: true });
            }
        });

        it("the YAML snippet passes the example's checks (with the example's config declarations)", function () {
            const example = yaml.load(readFileSync(join(REPO, "examples", "yaml", "Pulumi.yaml"), "utf8")) as YamlProgram;
            const snippet = yaml.load(block("yaml")) as YamlProgram;
            assert.deepEqual(yamlProblems({ ...snippet, config: example.config }), []);
        });

        it("gives the pulumi package add command", function () {
            assert.match(section, /\npulumi package add \.\/pulumi-matomo-aws /);
        });
    });
});
