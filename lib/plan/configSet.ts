/**
 * `--set key=value` for the offline plan: a stack-config change applied to the config the program
 * reads, as `pulumi config set [--path]` would store it, and a record of which keys the program
 * actually reads (so a key it never reads is refused instead of silently changing nothing).
 *
 * Keys are full config keys, `namespace:name` (`matomo:domain`); a bare `name` is `<project>:name`,
 * as the Pulumi CLI qualifies it. A key may continue with a path into a structured value, like
 * `pulumi config set --path`: `matomo:cluster.database.multiAz`, `matomo:cluster.plugins[0].version`.
 * The value is JSON when it parses as JSON (`true`, `3`, `{"minSize":3}`, `"007"`), else the text
 * as given, so `--set matomo:cluster.preset=large` sets the string `large`.
 */
import * as pulumi from "@pulumi/pulumi";

/** One parsed `--set`. */
export interface ConfigSet {
    /** The full config key, `namespace:name`. */
    key: string;
    /** Path inside the key's structured value; empty for the whole value. */
    path: (string | number)[];
    /** The value as the program will see it at that path. */
    value: unknown;
    /** The argument as given, for messages. */
    text: string;
}

/** Parse `key=value` (split at the first `=`). `project` qualifies a key without a namespace. */
export function parseConfigSet(text: string, project: string): ConfigSet {
    const eq = text.indexOf("=");
    if (eq <= 0) throw new Error(`plan: --set wants key=value, got '${text}'`);
    const rawKey = text.slice(0, eq);
    const rawValue = text.slice(eq + 1);
    // The namespace ends at the first colon; the config name ends where a path starts.
    const colon = rawKey.indexOf(":");
    const namespace = colon > 0 ? rawKey.slice(0, colon) : project;
    const rest = colon > 0 ? rawKey.slice(colon + 1) : rawKey;
    const nameEnd = rest.search(/[.[]/);
    const name = nameEnd < 0 ? rest : rest.slice(0, nameEnd);
    if (name === "") throw new Error(`plan: --set '${text}' names no config key`);
    return { key: `${namespace}:${name}`, path: nameEnd < 0 ? [] : parsePath(rest.slice(nameEnd), text), value: parseValue(rawValue), text };
}

function parsePath(path: string, text: string): (string | number)[] {
    const parts: (string | number)[] = [];
    const token = /\.([^.[\]]+)|\[(\d+)\]/y;
    let at = 0;
    while (at < path.length) {
        token.lastIndex = at;
        const m = token.exec(path);
        if (m === null) throw new Error(`plan: --set '${text}': cannot read the path at '${path.slice(at)}' (use .name and [index])`);
        parts.push(m[1] !== undefined ? m[1] : Number(m[2]));
        at = token.lastIndex;
    }
    return parts;
}

function parseValue(raw: string): unknown {
    try {
        return JSON.parse(raw);
    } catch {
        return raw;
    }
}

/**
 * The config with the sets applied, each on the result of the ones before. Config values are text, as
 * the Pulumi CLI hands them to programs: a structured value is stored as its JSON.
 */
export function applyConfigSets(config: Readonly<Record<string, string>>, sets: readonly ConfigSet[]): Record<string, string> {
    const out = { ...config };
    for (const set of sets) {
        if (set.path.length === 0) {
            out[set.key] = typeof set.value === "string" ? set.value : JSON.stringify(set.value);
            continue;
        }
        let root: unknown = {};
        if (out[set.key] !== undefined) {
            try {
                root = JSON.parse(out[set.key]);
            } catch {
                throw new Error(`plan: --set '${set.text}': ${set.key} holds plain text, not a structured value, so it has no path`);
            }
        }
        out[set.key] = JSON.stringify(setAtPath(root, set.path, set.value, set.text));
    }
    return out;
}

function setAtPath(node: unknown, path: (string | number)[], value: unknown, text: string): unknown {
    if (path.length === 0) return value;
    const [head, ...rest] = path;
    if (typeof head === "number") {
        const list = node === undefined || node === null ? [] : node;
        if (!Array.isArray(list)) throw new Error(`plan: --set '${text}': [${head}] indexes something that is not a list`);
        const copy = [...list];
        copy[head] = setAtPath(copy[head], rest, value, text);
        return copy;
    }
    const record = node === undefined || node === null ? {} : node;
    if (typeof record !== "object" || Array.isArray(record)) throw new Error(`plan: --set '${text}': .${head} goes into something that is not an object`);
    const obj = record as Record<string, unknown>;
    return { ...obj, [head]: setAtPath(obj[head], rest, value, text) };
}

/** Which config keys a program read, and which of them through a `*Secret*` getter. */
export interface ConfigReads {
    /** Every full key read (`namespace:name`). */
    keys: Set<string>;
    /** The keys among them read through a `*Secret*` getter. */
    secret: Set<string>;
}

type ConfigGetter = (this: pulumi.Config, key: string, ...rest: unknown[]) => unknown;

/**
 * Record every config read until the returned `stop()`: each public getter of `pulumi.Config` (get,
 * require, and their Boolean/Number/Object/Secret forms) is wrapped to note the full key it reads,
 * whether or not the key is set. A key read through a `*Secret*` getter is noted as secret.
 */
export function recordConfigReads(): { reads: ConfigReads; stop(): void } {
    const proto = pulumi.Config.prototype as unknown as Record<string, ConfigGetter>;
    const reads: ConfigReads = { keys: new Set(), secret: new Set() };
    const getters = Object.getOwnPropertyNames(proto).filter((m) => /^(get|require)/.test(m) && !m.endsWith("Impl") && typeof proto[m] === "function");
    if (!getters.includes("get") || !getters.includes("requireObject"))
        throw new Error("plan: the Pulumi SDK's Config has changed shape; update lib/plan/configSet.ts");
    const originals = new Map(getters.map((m) => [m, proto[m]]));
    for (const [method, original] of originals) {
        proto[method] = function (this: pulumi.Config, key: string, ...rest: unknown[]) {
            const fullKey = `${this.name}:${key}`;
            reads.keys.add(fullKey);
            if (method.includes("Secret")) reads.secret.add(fullKey);
            return original.call(this, key, ...rest);
        };
    }
    return {
        reads,
        stop() {
            for (const [method, original] of originals) proto[method] = original;
        },
    };
}

/** The sets whose key the program never read: an error naming each and the keys it reads. */
export function checkSetsWereRead(sets: readonly ConfigSet[], reads: ConfigReads, exampleName: string): void {
    const unread = [...new Set(sets.map((s) => s.key).filter((k) => !reads.keys.has(k)))];
    if (unread.length === 0) return;
    const known = [...reads.keys].sort();
    throw new Error(
        `plan: ${exampleName} never reads ${unread.map((k) => `'${k}'`).join(", ")}, so --set would change nothing. ` + `It reads: ${known.join(", ")}.`,
    );
}

/**
 * Sets the program read that changed nothing in the plan: an error. The usual cause is a program
 * that reads a structured key and then sets the same argument from another key over it (the
 * reference example takes `domain` from `matomo:domain`, whatever `matomo:cluster.domain` says);
 * the message names such a key when one fits, else says the value may be the one in effect.
 */
export function checkSetsChangedPlan(
    sets: readonly ConfigSet[],
    reads: ConfigReads,
    diff: { added: readonly unknown[]; removed: readonly unknown[]; changed: readonly unknown[] },
    exampleName: string,
): void {
    if (sets.length === 0 || diff.added.length + diff.removed.length + diff.changed.length > 0) return;
    const hints = sets.flatMap((s) => {
        const field = s.path[0];
        const namespace = s.key.slice(0, s.key.indexOf(":"));
        const instead = typeof field === "string" ? `${namespace}:${field}` : undefined;
        return instead !== undefined && reads.keys.has(instead) && instead !== s.key
            ? [`'${s.text}': ${exampleName} reads '${instead}' and sets ${field} from it over what ${s.key} holds; set '${instead}' instead`]
            : [];
    });
    throw new Error(
        `plan: --set ${sets.map((s) => `'${s.text}'`).join(" ")} changed nothing in the plan. ` +
            (hints.length > 0
                ? hints.join("; ")
                : "The program reads the key but may set that argument from elsewhere, or the value is the one already in effect."),
    );
}
