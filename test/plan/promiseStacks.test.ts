/**
 * planProgram leaves out the stack trace Pulumi keeps for every promise it tracks (only ever printed
 * with PULUMI_DEBUG_PROMISE_LEAKS; capturing them was a quarter of a plan's time), and nothing else:
 * errors keep their stack traces, PULUMI_DEBUG_PROMISE_LEAKS keeps the promise stacks, and after the
 * plan the SDK is as it was.
 */
import { strict as assert } from "assert";
import { dirname, join } from "path";
import { planProgram } from "../../lib/plan";

interface Tracked {
    _debugStackTrace?: string;
}
// The SDK's own promise tracker, as its runtime calls it (through the module object, at each call).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const debuggable = require(join(dirname(require.resolve("@pulumi/pulumi")), "runtime", "debuggable")) as {
    debuggablePromise: (p: Promise<unknown>, ctx: string) => Promise<unknown>;
};

/** The stack the SDK keeps for a promise it tracks now. */
function trackedStack(): string {
    const promise = Promise.resolve(1);
    void debuggable.debuggablePromise(promise, "test");
    return String((promise as Tracked)._debugStackTrace);
}

/** A stack trace that names the function it was made in. */
function madeHere(): Error {
    return new Error("made here");
}

describe("planProgram: Pulumi's per-promise stack traces", function () {
    it("while the program runs, a promise the SDK tracks keeps no stack frames; an error made there keeps its own", async function () {
        let during = "";
        let error = new Error();
        await planProgram(() => {
            during = trackedStack();
            error = madeHere();
        });
        assert.equal(during, "Error");
        assert.match(String(error.stack), /\n\s+at madeHere \(/);
    });

    it("after the plan, and around one that fails, the SDK keeps its stacks as before", async function () {
        await planProgram(() => undefined);
        assert.match(trackedStack(), /\n\s+at trackedStack \(/);
        await assert.rejects(
            planProgram(() => {
                throw madeHere();
            }),
            (error: Error) => /\n\s+at madeHere \(/.test(String(error.stack)),
        );
        assert.match(trackedStack(), /\n\s+at trackedStack \(/);
    });

    it("with PULUMI_DEBUG_PROMISE_LEAKS set, the plan keeps the stacks the SDK prints for a leaked promise", async function () {
        const before = process.env.PULUMI_DEBUG_PROMISE_LEAKS;
        process.env.PULUMI_DEBUG_PROMISE_LEAKS = "1";
        try {
            let during = "";
            await planProgram(() => {
                during = trackedStack();
            });
            assert.match(during, /\n\s+at trackedStack \(/);
        } finally {
            if (before === undefined) delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
            else process.env.PULUMI_DEBUG_PROMISE_LEAKS = before;
        }
    });
});
