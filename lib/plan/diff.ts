/**
 * What a stack-config change would do: two planned graphs (unchanged and changed) compared resource
 * by resource (type and logical name, as Pulumi matches them in a preview), with the input paths that
 * changed, and which node groups would roll.
 *
 * A group rolls when its launch template's template data changes: the template then gets a new
 * version, the group follows `latestVersion`, and the provider starts an instance refresh (the
 * `aws.autoscaling.Group` docs, from the Terraform AWS provider it wraps: "A refresh is started when any
 * of the following Auto Scaling Group properties change: `launch_configuration`, `launch_template`,
 * `mixed_instances_policy`"; our groups name no extra `triggers`, so their own tags roll nothing).
 * The template's own `tags` are not template data: editing them makes no version and rolls nothing.
 * Under the mock runtime `latestVersion` never moves, so the roll is read off the template's inputs.
 *
 * Secret values are never part of the result: a changed secret is reported by path only.
 */
import { createHash } from "crypto";
import { isSecretValue, type RecordedResource } from "./mockRuntime";
import { decodeUserData } from "./userData";

export const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
export const AUTOSCALING_GROUP = "aws:autoscaling/group:Group";
/** Launch template inputs that are not template data: changing them makes no new version. */
const NOT_TEMPLATE_DATA = new Set(["tags", "tagsAll"]);
/** Group inputs whose change starts an instance refresh by itself (see the module comment). */
const GROUP_REFRESH_INPUTS = new Set(["launchTemplate", "launchConfiguration", "mixedInstancesPolicy"]);

/** One changed input: its path (`a.b[0]`), and its values unless secret. */
export interface InputChange {
    /** Where in the resource's inputs, `a.b[0]` style; empty for the whole input object. */
    path: string;
    /** Absent when the property was added, or when `secret`. */
    before?: unknown;
    /** Absent when the property was removed, or when `secret`. */
    after?: unknown;
    /** A secret on either side: no value is kept. */
    secret: boolean;
}

/** A resource as Pulumi matches it between two plans. */
export interface ResourceRef {
    /** Type token, e.g. `aws:rds/instance:Instance`. */
    type: string;
    /** Logical name. */
    name: string;
}

/** A resource in both plans whose inputs differ. */
export interface ChangedResource extends ResourceRef {
    /** Every changed input, by path. */
    changes: InputChange[];
}

/** Why a group rolls: one launch-template input (or part of its user data). */
export interface RollCause {
    /** The input path, e.g. `instanceType`, `userData`. */
    input: string;
    /** What it is, in words: `instance type`, `AMI`, `config hash (MATOMO_CONFIG_SHA256)`. */
    what: string;
    /** The old value, shortened for one line (`[secret]` for a secret); absent when there was none. */
    before?: string;
    /** The new value, likewise. */
    after?: string;
}

/** A node group that would roll, and why. */
export interface GroupRoll {
    /** The autoscaling group's logical name. */
    group: string;
    /** Its `matomo:role` tag, when it has one. */
    role?: string;
    /** Logical name of its launch template. */
    launchTemplate: string;
    /** Every input that makes it roll. */
    causes: RollCause[];
}

/** What changes from one plan to the next. */
export interface PlanDiff {
    /** Resources only in the changed plan. */
    added: ResourceRef[];
    /** Resources only in the unchanged plan. */
    removed: ResourceRef[];
    /** Resources in both whose inputs differ. */
    changed: ChangedResource[];
    /** Groups that would roll, in the order of the changed plan. */
    rolls: GroupRoll[];
    /** Groups that exist in both plans and would not roll. */
    steady: string[];
    /** How many resources are in both with the same inputs. */
    unchanged: number;
    /**
     * Changes of inputs a resource's `ignoreChanges` names (a group's `desiredCapacity`, which its
     * scaling policy owns): the engine keeps the deployed value on update, so they are not in `changed`.
     */
    ignored: ChangedResource[];
}

const keyOf = (r: ResourceRef) => `${r.type}::${r.name}`;

/** Deep equality over plain JSON-like values (what recorded inputs are). */
function same(a: unknown, b: unknown): boolean {
    return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(canonical);
    if (v !== null && typeof v === "object") {
        return Object.fromEntries(
            Object.keys(v as object)
                .sort()
                .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
        );
    }
    return v;
}

const joinPath = (base: string, key: string | number) => (typeof key === "number" ? `${base}[${key}]` : base === "" ? key : `${base}.${key}`);

/** Every changed leaf between two input trees; a secret on either side is compared whole and reported without values. */
export function inputChanges(before: unknown, after: unknown, path = ""): InputChange[] {
    if (isSecretValue(before) || isSecretValue(after)) return same(before, after) ? [] : [{ path, secret: true }];
    if (Array.isArray(before) && Array.isArray(after)) {
        const out: InputChange[] = [];
        for (let i = 0; i < Math.max(before.length, after.length); i++) out.push(...inputChanges(before[i], after[i], joinPath(path, i)));
        return out;
    }
    const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
    if (isRecord(before) && isRecord(after)) {
        const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
        return keys.flatMap((k) => inputChanges(before[k], after[k], joinPath(path, k)));
    }
    if (same(before, after)) return [];
    // A subtree that appears, disappears or changes shape may still hold secrets: keep its value only when it holds none.
    const secret = containsSecret(before) || containsSecret(after);
    return [{ path, secret, ...(secret || before === undefined ? {} : { before }), ...(secret || after === undefined ? {} : { after }) }];
}

function containsSecret(v: unknown): boolean {
    if (isSecretValue(v)) return true;
    if (Array.isArray(v)) return v.some(containsSecret);
    if (v !== null && typeof v === "object") return Object.values(v).some(containsSecret);
    return false;
}

/** Compare two recorded graphs. Component resources (no cloud object) count as resources too: they are in the preview. */
export function diffPlans(before: readonly RecordedResource[], after: readonly RecordedResource[]): PlanDiff {
    const old = new Map(before.map((r) => [keyOf(r), r]));
    const now = new Map(after.map((r) => [keyOf(r), r]));
    const added = after.filter((r) => !old.has(keyOf(r))).map(({ type, name }) => ({ type, name }));
    const removed = before.filter((r) => !now.has(keyOf(r))).map(({ type, name }) => ({ type, name }));
    const changed: ChangedResource[] = [];
    const ignored: ChangedResource[] = [];
    let unchanged = 0;
    for (const r of after) {
        const was = old.get(keyOf(r));
        if (was === undefined) continue;
        const all = inputChanges(was.inputs, r.inputs);
        const isIgnored = (c: InputChange) => (r.ignoreChanges ?? []).includes(c.path.split(/[.[]/)[0]);
        const changes = all.filter((c) => !isIgnored(c));
        if (changes.length < all.length) ignored.push({ type: r.type, name: r.name, changes: all.filter(isIgnored) });
        if (changes.length > 0) changed.push({ type: r.type, name: r.name, changes });
        else unchanged++;
    }
    const rolls: GroupRoll[] = [];
    const steady: string[] = [];
    for (const group of after.filter((r) => r.type === AUTOSCALING_GROUP)) {
        const was = old.get(keyOf(group));
        if (was === undefined) continue;
        const roll = groupRoll(was, group, before, after);
        if (roll) rolls.push(roll);
        else steady.push(group.name);
    }
    return { added, removed, changed, rolls, steady, unchanged, ignored };
}

function templateOf(group: RecordedResource, graph: readonly RecordedResource[]): RecordedResource | undefined {
    const id = (group.inputs.launchTemplate as { id?: unknown } | undefined)?.id;
    return graph.find((r) => r.type === LAUNCH_TEMPLATE && r.id === id);
}

function groupRoll(
    was: RecordedResource,
    group: RecordedResource,
    before: readonly RecordedResource[],
    after: readonly RecordedResource[],
): GroupRoll | undefined {
    const causes: RollCause[] = [];
    const oldTemplate = templateOf(was, before);
    const template = templateOf(group, after);
    if (template !== undefined && oldTemplate !== undefined && oldTemplate.name !== template.name) {
        causes.push({ input: "launchTemplate", what: "a different launch template", before: oldTemplate.name, after: template.name });
    } else if (template !== undefined && oldTemplate !== undefined) {
        for (const change of inputChanges(oldTemplate.inputs, template.inputs)) {
            const top = change.path.split(/[.[]/)[0];
            if (NOT_TEMPLATE_DATA.has(top)) continue;
            if (top === "userData" && !change.secret) causes.push(...userDataCauses(String(change.before ?? ""), String(change.after ?? "")));
            else causes.push(templateCause(change));
        }
    }
    for (const change of inputChanges(was.inputs, group.inputs)) {
        const top = change.path.split(/[.[]/)[0];
        if (GROUP_REFRESH_INPUTS.has(top) && !change.path.startsWith("launchTemplate.id"))
            causes.push({ input: `group ${change.path}`, what: "the group's launch settings", ...shown(change) });
    }
    if (causes.length === 0) return undefined;
    const role = (group.inputs.tags as { key: string; value: string }[] | undefined)?.find((t) => t.key === "matomo:role")?.value;
    return { group: group.name, ...(role !== undefined ? { role } : {}), launchTemplate: template?.name ?? "?", causes: dedupe(causes) };
}

/** One cause per change: the same change at several paths (both tag specifications) is one line naming every path. */
function dedupe(causes: RollCause[]): RollCause[] {
    const byChange = new Map<string, RollCause>();
    for (const c of causes) {
        const k = `${c.what}|${c.before}|${c.after}`;
        const seen = byChange.get(k);
        if (seen === undefined) byChange.set(k, { ...c });
        else if (!seen.input.split(", ").includes(c.input)) seen.input = `${seen.input}, ${c.input}`;
    }
    return [...byChange.values()];
}

const TEMPLATE_INPUTS: [RegExp, string][] = [
    [/^imageId$/, "AMI"],
    [/^instanceType$/, "instance type"],
    [/^blockDeviceMappings/, "root volume"],
    [/^tagSpecifications.*matomo:config-sha256/, "config hash tag on new instances"],
    [/^tagSpecifications/, "tags on new instances"],
    [/^iamInstanceProfile/, "instance profile"],
    [/^vpcSecurityGroupIds/, "security groups"],
    [/^metadataOptions/, "instance metadata options"],
];

function templateCause(change: InputChange): RollCause {
    const what = TEMPLATE_INPUTS.find(([re]) => re.test(change.path))?.[1] ?? "launch template input";
    return { input: change.path, what, ...shown(change) };
}

function shown(change: InputChange): { before?: string; after?: string } {
    if (change.secret) return { before: "[secret]", after: "[secret]" };
    return { ...(change.before !== undefined ? { before: brief(change.before) } : {}), ...(change.after !== undefined ? { after: brief(change.after) } : {}) };
}

/** A value short enough for one line: long text as its length and sha256 prefix. */
export function brief(value: unknown): string {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    if (text.length <= 72) return typeof value === "string" ? JSON.stringify(value) : text;
    return `(${text.length} chars, sha256 ${createHash("sha256").update(text).digest("hex").slice(0, 12)})`;
}

/** The names user data gives its variables, in words. */
const USER_DATA_VARIABLES: Record<string, string> = {
    MATOMO_CONFIG_SHA256: "config hash",
    MATOMO_BUNDLE_SHA256: "provisioning bundle sha256",
    MATOMO_BUNDLE_VERSION_ID: "provisioning bundle object version",
    MATOMO_VERSION: "Matomo release",
    MATOMO_DATABASE_PASSWORD_VERSION: "database password version",
};

/**
 * What changed inside user data: each changed `NAME='value'` line by name, and for every other
 * changed line the file (cloud-init `write_files` path) it belongs to, with a count of lines.
 */
export function userDataCauses(beforeBase64: string, afterBase64: string): RollCause[] {
    const parse = (b64: string) => (b64 === "" ? new Map<string, string[]>() : sections(decodeUserData(b64)));
    const before = parse(beforeBase64);
    const after = parse(afterBase64);
    const causes: RollCause[] = [];
    for (const file of [...new Set([...before.keys(), ...after.keys()])]) {
        const a = before.get(file) ?? [];
        const b = after.get(file) ?? [];
        const varsA = assignments(a);
        const varsB = assignments(b);
        for (const name of [...new Set([...varsA.keys(), ...varsB.keys()])]) {
            if (varsA.get(name) === varsB.get(name)) continue;
            const label = USER_DATA_VARIABLES[name];
            causes.push({
                input: inputOf(file),
                what: label ? `${label} (${name})` : name,
                ...(varsA.has(name) ? { before: brief(varsA.get(name)) } : {}),
                ...(varsB.has(name) ? { after: brief(varsB.get(name)) } : {}),
            });
        }
        const other = (lines: string[]) => lines.filter((l) => !ASSIGNMENT.test(l));
        const changedLines = symmetricDifference(other(a), other(b));
        if (changedLines > 0)
            causes.push({
                input: inputOf(file),
                what: `${changedLines} changed line${changedLines === 1 ? "" : "s"} of ${file === "" ? "the cloud-config" : file}`,
            });
    }
    return causes;
}

const inputOf = (file: string) => (file === "" ? "userData" : `userData ${file}`);

const ASSIGNMENT = /^\s*([A-Z][A-Z0-9_]*)=(.*)$/;

function assignments(lines: string[]): Map<string, string> {
    const out = new Map<string, string>();
    for (const line of lines) {
        const m = ASSIGNMENT.exec(line);
        if (m) out.set(m[1], m[2].replace(/^'(.*)'$/, "$1"));
    }
    return out;
}

/** Lines of a cloud-config by the `write_files` path they sit under ("" before the first). */
function sections(text: string): Map<string, string[]> {
    const out = new Map<string, string[]>();
    let current = "";
    for (const line of text.split("\n")) {
        const m = /^\s*- path: '?([^']+)'?\s*$/.exec(line);
        if (m) current = m[1];
        out.set(current, [...(out.get(current) ?? []), line]);
    }
    return out;
}

function symmetricDifference(a: string[], b: string[]): number {
    const count = new Map<string, number>();
    for (const l of a) count.set(l, (count.get(l) ?? 0) + 1);
    for (const l of b) count.set(l, (count.get(l) ?? 0) - 1);
    return [...count.values()].reduce((n, c) => n + Math.abs(c), 0);
}
