/**
 * What failed while a program ran under the mock runtime, as `pulumi up` would report it.
 *
 * The SDK prepares a registration (resolving and serializing its inputs) before it reaches the
 * monitor. When an input's Output rejects (an apply threw, or it came from a resource whose own
 * registration failed), the SDK drops the registration: the resource never reaches the mock, its
 * own outputs never resolve, and the only trace is an unhandled rejection that names no resource.
 * Under `pulumi up` the language host turns that into a failed deployment; in-process, a plan would
 * return a graph without the resource, or wait forever on an export of it (and Node, its event
 * loop empty, exits 0). So this module keeps the books: each registration the SDK starts, each one
 * that reaches the monitor, each error on the way, attributed to the resource the SDK labelled it
 * with. A registration started and never sent is a failure the plan can see once the SDK's queue
 * has drained, with no timer.
 */
import * as pulumi from "@pulumi/pulumi";

/** One thing that failed while the program ran. */
export interface PlanFailure {
    /** Logical name of the resource whose registration failed, when the error belongs to one. */
    resource?: string;
    /** Its type token. */
    type?: string;
    /** The program export whose value could not be resolved, when it was one. */
    export?: string;
    /** The error's message, as it read when it happened. */
    error: string;
}

/** `planProgram`'s rejection when the program failed under the mock: each failure, the first one the cause of the rest. */
export class PlanFailedError extends Error {
    /** Each failure, in the order it happened. */
    readonly failures: PlanFailure[];

    /** @param failures what failed, the first the cause of the rest */
    constructor(failures: PlanFailure[]) {
        const listed = failures.slice(0, LISTED_FAILURES).map((f) => `  ${describe(f)}`);
        if (failures.length > LISTED_FAILURES)
            listed.push(`  … and ${failures.length - LISTED_FAILURES} more that follow from those (PlanFailedError.failures has all)`);
        super(`plan: the program failed under the mock runtime, as \`pulumi up\` would:\n${listed.join("\n")}`);
        this.name = "PlanFailedError";
        this.failures = failures;
    }
}

/** How many failures the message lists: the first is the cause, the rest mostly resources waiting on it. */
const LISTED_FAILURES = 10;

function describe(failure: PlanFailure): string {
    if (failure.resource !== undefined) return `resource ${failure.resource} (${failure.type}): ${failure.error}`;
    if (failure.export !== undefined) return `export ${failure.export}: ${failure.error}`;
    return failure.error;
}

/**
 * An error's message as it reads now. The SDK prefixes the property name to the same error object
 * for each resource it reaches through (`error serializing property "vpcId": ` over and over):
 * once is enough.
 */
function messageOf(error: unknown): string {
    const message = error instanceof Error ? error.message : String(error);
    return message.replace(/(error serializing property "[^"]*": )\1+/g, "$1");
}

/** A resource whose registration the SDK started and never sent to the monitor. */
export interface UnsentRegistration {
    /** Its logical name. */
    resource: string;
    /** Its type token. */
    type: string;
}

/** The books of one run: the registrations started and not yet sent, and the failures so far. */
export interface FailureWatch {
    /** Every failure so far, in the order they happened. */
    readonly failures: PlanFailure[];
    /** Rejects with a PlanFailedError at the first failure (never resolves). */
    readonly failed: Promise<never>;
    /** Note a failure; `cause` is the error object, so that the same error reported again is noted once. */
    record(failure: PlanFailure, cause?: unknown): void;
    /** The resources whose registration the SDK started and never sent to the monitor. */
    unsent(): UnsentRegistration[];
}

/** The books as the SDK's hooks write them. */
interface Books extends FailureWatch {
    started(type: string, name: string): void;
    sent(type: string, name: string): void;
}

/** The run the SDK's hooks report to; a new `watchFailures` replaces it, as `setMocks` replaces the monitor. */
let current: Books | undefined;

/** A module of the SDK's runtime (not part of its typed surface). */
function sdk<T>(path: string): T {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(`@pulumi/pulumi/${path}`) as T;
}

type Registration = (res: unknown, parent: unknown, type: string, name: string, ...rest: unknown[]) => unknown;
type Serialize = (label: string, ...rest: unknown[]) => Promise<unknown>;
const HOOKED = Symbol.for("pulumi-matomo-aws/plan/failures");

/**
 * Wrap the SDK's registration entry points once per process. `Resource`'s constructor calls them
 * through the module object (`resource_1.registerResource`), and `prepareResource` calls
 * `rpc_1.serializeResourceProperties` the same way, so replacing the exports reaches every call.
 */
function hookSdk(): void {
    const resource = sdk<Record<string, Registration> & { [HOOKED]?: true }>("runtime/resource");
    const rpc = sdk<Record<string, Serialize>>("runtime/rpc");
    if (resource[HOOKED]) return;
    for (const method of ["registerResource", "readResource"]) {
        const original = resource[method];
        if (typeof original !== "function") throw new Error(`mock runtime: the Pulumi SDK has no runtime.${method}; update lib/plan/failures.ts`);
        resource[method] = function (this: unknown, res, parent, type, name, ...rest) {
            current?.started(type, name);
            return original.call(this, res, parent, type, name, ...rest);
        };
    }
    const serialize = rpc.serializeResourceProperties;
    if (typeof serialize !== "function") throw new Error("mock runtime: the Pulumi SDK has no rpc.serializeResourceProperties; update lib/plan/failures.ts");
    rpc.serializeResourceProperties = function (this: unknown, label, ...rest) {
        return serialize.call(this, label, ...rest).catch((error: unknown) => {
            // The SDK labels a registration `resource:<name>[<type>]` (`#...` after it for a read).
            const labelled = /^resource:(.*)\[([^\]]+)\](?:#\.\.\.)?$/.exec(label);
            current?.record(labelled ? { resource: labelled[1], type: labelled[2], error: messageOf(error) } : { error: messageOf(error) }, error);
            throw error;
        });
    };
    resource[HOOKED] = true;
}

type MonitorCallback = (error: unknown, response?: unknown) => void;
type Monitor = Record<string, (req: { getType(): string; getName(): string }, cb: MonitorCallback) => unknown>;

/** Start the books for a run on the mock monitor `setMocks` just installed. */
export function watchFailures(monitor: unknown): FailureWatch {
    hookSdk();
    const failures: PlanFailure[] = [];
    const seen = new Set<unknown>();
    const pending = new Map<string, number>();
    const key = (type: string, name: string) => `${type}\u0000${name}`;
    let fail: (error: PlanFailedError) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => (fail = reject));
    failed.catch(() => undefined); // a run that never fails is not a rejection
    const record = (failure: PlanFailure, cause?: unknown) => {
        if (cause !== undefined && seen.has(cause)) return;
        if (cause !== undefined) seen.add(cause);
        failures.push(failure);
        // The first failure settles `failed`; an error per later one would only be thrown away.
        if (failures.length === 1) fail(new PlanFailedError(failures));
    };
    const watch: Books = {
        failures,
        failed,
        record,
        started: (type: string, name: string) => pending.set(key(type, name), (pending.get(key(type, name)) ?? 0) + 1),
        sent(type: string, name: string) {
            const left = (pending.get(key(type, name)) ?? 1) - 1;
            if (left > 0) pending.set(key(type, name), left);
            else pending.delete(key(type, name));
        },
        unsent: () =>
            [...pending.keys()].map((k) => {
                const [type, resource] = k.split("\u0000");
                return { resource, type };
            }),
    };
    current = watch;
    watchMonitor(monitor as Monitor, watch);
    return watch;
}

/** Note each request the monitor receives, and the error it answers with when the mock refuses it. */
function watchMonitor(monitor: Monitor, watch: Books): void {
    for (const method of ["registerResource", "readResource"]) {
        const original = monitor[method];
        if (typeof original !== "function") throw new Error(`mock runtime: the Pulumi SDK's mock monitor has no ${method}; update lib/plan/failures.ts`);
        monitor[method] = function (this: unknown, req, cb) {
            const [type, name] = [req.getType(), req.getName()];
            watch.sent(type, name);
            return original.call(this, req, (error: unknown, response?: unknown) => {
                if (error) watch.record({ resource: name, type, error: messageOf(error) }, error);
                cb(error, response);
            });
        };
    }
}

/**
 * Note every unhandled rejection as a failure until the returned function is called: `pulumi up`'s
 * language host fails the deployment on one. Only while a plan runs: a listener left behind would
 * also stop Node's own exit on unhandled rejections in whatever runs afterwards.
 */
export function failOnUnhandledRejections(watch: FailureWatch): () => void {
    const unhandled = (reason: unknown) => watch.record({ error: messageOf(reason) }, reason);
    process.on("unhandledRejection", unhandled);
    return () => process.off("unhandledRejection", unhandled);
}

/** Resolve an Output (or a value holding Outputs), or reject with its error: an Output's own `apply` never sees a rejection. */
export function resolveOutput(value: unknown): Promise<unknown> {
    const output = pulumi.output(value) as unknown as { promise(): Promise<unknown> };
    return output.promise();
}
