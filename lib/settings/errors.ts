/**
 * The one error type for bad arguments: every problem of a call at once, each naming the argument
 * path as the user wrote it for that component, the value given and what is allowed.
 *
 * It is a `pulumi.InputPropertiesError` (the SDK's own shape for failed input validation: one
 * `{ propertyPath, reason }` per problem), so the engine and any tooling that knows that type
 * can list the properties; the message keeps our one-line-per-problem format.
 */
import { InputPropertiesError } from "@pulumi/pulumi/errors";

/** A path into the arguments: object keys and list indexes, e.g. `["trackers", "minSize"]`. */
export type ArgumentPath = readonly (string | number)[];

/** One bad argument: where it is, what was given, what is allowed. */
export interface ArgumentProblem {
    /** Where the bad value is, as segments. */
    path: ArgumentPath;
    /** The value given (`undefined` when a required argument is missing). */
    value: unknown;
    /** What is allowed, in words. */
    allowed: string;
}

/** `trackers.minSize`, `ingressCidrs[1]`, `extraConfig.General.cors_domains[0]`. */
export function formatPath(path: ArgumentPath): string {
    let text = "";
    for (const segment of path) {
        text += typeof segment === "number" ? `[${segment}]` : text === "" ? segment : `.${segment}`;
    }
    return text === "" ? "args" : text;
}

/** A value no message may show: a secret given in plain text. Messages say only its length. */
export class HiddenValue {
    /** @param description What messages show instead of the value, e.g. `(hidden: 12 characters)`. */
    constructor(readonly description: string) {}
}

/** Stand-in for a refused secret in a problem, so the error (and any log of it) never carries it. */
export function hiddenValue(value: unknown): HiddenValue {
    return new HiddenValue(typeof value === "string" ? `(hidden: ${value.length} character${value.length === 1 ? "" : "s"})` : "(hidden)");
}

/** A value as the message shows it: JSON where possible (so control characters appear escaped). */
export function describeValue(value: unknown): string {
    if (value === undefined) return "undefined";
    if (value instanceof HiddenValue) return value.description;
    if (typeof value === "string") return JSON.stringify(value);
    if (typeof value === "bigint" || typeof value === "symbol" || typeof value === "function") return String(value);
    if (typeof value === "object" && value !== null && isOutputLike(value)) return "<Output>";
    // JSON shows a Promise as {}: say what it is, since this argument does not take one.
    if (value instanceof Promise || (typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function"))
        return "<Promise: not taken here; await it first, or give a pulumi.Output where the argument takes one>";
    try {
        const json = JSON.stringify(value);
        if (json === undefined) return String(value);
        return json.length > 200 ? `${json.slice(0, 200)}…` : json;
    } catch {
        return Object.prototype.toString.call(value);
    }
}

function isOutputLike(value: object): boolean {
    return (value as { __pulumiOutput?: unknown }).__pulumiOutput === true;
}

function problemLine(component: string, p: ArgumentProblem): string {
    return `${component}: invalid argument '${formatPath(p.path)}' = ${describeValue(p.value)}: ${p.allowed}`;
}

/** Thrown for bad input: lists every problem found in one call, one per line. */
export class InvalidArgumentError extends InputPropertiesError {
    /** Every problem, in the order the arguments were checked. */
    readonly problems: readonly ArgumentProblem[];
    /** The first problem's path (as text), value and allowed values: most callers look at one. */
    readonly argument: string;
    /** The first problem's value as given (a `HiddenValue` for a refused secret). */
    readonly value: unknown;
    /** What the first problem's argument allows, in words. */
    readonly allowed: string;
    /** The component whose arguments these are, e.g. `MatomoCluster`, `Database`. */
    readonly component: string;

    /** `new InvalidArgumentError("MatomoCluster", problems)`, or one problem as `(component, path, value, allowed)`. */
    constructor(component: string, problems: readonly ArgumentProblem[]);
    constructor(component: string, path: ArgumentPath | string, value: unknown, allowed: string);
    constructor(component: string, problemsOrPath: readonly ArgumentProblem[] | ArgumentPath | string, value?: unknown, allowed?: string) {
        const problems: readonly ArgumentProblem[] =
            typeof problemsOrPath === "string"
                ? [{ path: [problemsOrPath], value, allowed: allowed ?? "" }]
                : isProblemList(problemsOrPath)
                  ? problemsOrPath
                  : [{ path: problemsOrPath as ArgumentPath, value, allowed: allowed ?? "" }];
        if (problems.length === 0) throw new Error("InvalidArgumentError needs at least one problem");
        const lines = problems.map((p) => problemLine(component, p));
        const message = lines.length === 1 ? lines[0] : `${component}: ${lines.length} invalid arguments:\n${lines.map((l) => `  ${l}`).join("\n")}`;
        super({ message, errors: problems.map((p) => ({ propertyPath: formatPath(p.path), reason: `${describeValue(p.value)}: ${p.allowed}` })) });
        this.name = "InvalidArgumentError";
        this.problems = problems;
        this.component = component;
        this.argument = formatPath(problems[0].path);
        this.value = problems[0].value;
        this.allowed = problems[0].allowed;
    }
}

function isProblemList(value: readonly ArgumentProblem[] | ArgumentPath | string): value is readonly ArgumentProblem[] {
    return Array.isArray(value) && value.length > 0 && typeof value[0] === "object" && value[0] !== null;
}
