/**
 * Pulumi's promise-leak stacks, left out while a plan runs.
 *
 * The SDK wraps every promise it tracks (each output of each resource, each invoke) in
 * `debuggablePromise` (@pulumi/pulumi runtime/debuggable.js), which captures `new Error().stack`
 * so that a promise still pending at exit can be shown where it was made. It prints those stacks
 * only when PULUMI_DEBUG_PROMISE_LEAKS is set. Capturing them was a third of an 8-cluster plan's CPU
 * time (README, "How the plan stays fast"): tens of thousands of stacks.
 *
 * While a plan runs, the SDK's own function is called with `Error.stackTraceLimit` at 0, so the
 * stack it keeps is the bare "Error"; everything else it does (ids, the leak check at exit) is
 * unchanged, and errors made anywhere else keep their whole stacks. With PULUMI_DEBUG_PROMISE_LEAKS
 * set, or an SDK without that function, nothing is changed.
 */
import { dirname, join } from "path";

interface DebuggableModule {
    debuggablePromise?: unknown;
}

/** The SDK's runtime/debuggable module: the copy beside the `@pulumi/pulumi` this library loads. */
function debuggableModule(): DebuggableModule {
    // The SDK's callers reach the function through this module object at each call, so replacing the export reaches them all.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(join(dirname(require.resolve("@pulumi/pulumi")), "runtime", "debuggable")) as DebuggableModule;
}

/** Runs `body` with the SDK's promise stacks left out; afterwards the SDK's own function is back in place. */
export async function withoutPromiseStacks<T>(body: () => Promise<T>): Promise<T> {
    const sdk = debuggableModule();
    const original = sdk.debuggablePromise;
    if (process.env.PULUMI_DEBUG_PROMISE_LEAKS || typeof original !== "function") return body();
    const bare = function (this: unknown, ...args: unknown[]): unknown {
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        try {
            return original.apply(this, args);
        } finally {
            Error.stackTraceLimit = limit;
        }
    };
    sdk.debuggablePromise = bare;
    try {
        return await body();
    } finally {
        // Only our own replacement is undone: one installed later by someone else stays.
        if (sdk.debuggablePromise === bare) sdk.debuggablePromise = original;
    }
}
