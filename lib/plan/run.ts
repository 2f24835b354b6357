/**
 * One run of a program under the mock runtime, to its end or to its first failure, as `pulumi up`
 * runs it: the program's exports resolved, every registration it started sent and answered, and
 * any failure on the way (see `failures.ts`) a `PlanFailedError` naming the resource, the export
 * or the error. Nothing here waits on a clock: a run ends when the SDK's queue has drained, when a
 * failure is recorded, or when Node's event loop has nothing left to do while the plan still waits.
 */
import { failOnUnhandledRejections, PlanFailedError, resolveOutput, type FailureWatch } from "./failures";
import { settle } from "./mockRuntime";

/** One turn of Node's event loop: rejections left unhandled by the last one have been reported by then. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Run `program` (the mocks already installed, `failures` their books) and return its exports,
 * resolved. Rejects with a PlanFailedError listing every failure once the run has come to rest.
 */
export async function runProgram(program: () => unknown, failures: FailureWatch): Promise<Record<string, unknown>> {
    const stopListening = failOnUnhandledRejections(failures);
    const pendingExports = new Set<string>();
    // Node empties its event loop when nothing can ever happen again (an export waits on a resource
    // that was never sent): the plan is stuck, not done. Say what it was waiting for.
    let drained: () => void = () => undefined;
    const stuck = new Promise<void>((resolve) => (drained = resolve));
    const onEmptyLoop = () => {
        failures.record({ error: stuckMessage(failures, pendingExports) });
        drained();
    };
    process.once("beforeExit", onEmptyLoop);
    try {
        const outputs = await Promise.race([exportsOf(program, failures, pendingExports), failures.failed]).catch((error: unknown) => {
            if (error instanceof PlanFailedError) return undefined;
            throw error;
        });
        // Let the run come to rest, so that the failures listed are all of them, the first the cause.
        // After a failure the SDK's queue may never drain (a registration waits on the failed
        // resource's outputs, which never resolve): then rest is when no new failure comes.
        await Promise.race([settle(), stuck, quietAfterFailure(failures)]);
        await nextTurn();
        if (failures.failures.length === 0) {
            for (const { resource, type } of failures.unsent()) {
                failures.record({ resource, type, error: "its registration was never sent: one of its inputs or options failed to resolve" });
            }
        }
        if (failures.failures.length > 0 || outputs === undefined) throw new PlanFailedError([...failures.failures]);
        return outputs;
    } finally {
        process.off("beforeExit", onEmptyLoop);
        stopListening();
    }
}

/** Event-loop turns without a new failure after which a failed run is taken to be at rest. */
const QUIET_TURNS = 20;

/** Resolves once a failure has happened and then QUIET_TURNS turns went by with no new one (never, without a failure). */
async function quietAfterFailure(failures: FailureWatch): Promise<void> {
    await failures.failed.catch(() => undefined);
    let count = failures.failures.length;
    for (let quiet = 0; quiet < QUIET_TURNS; quiet++) {
        await nextTurn();
        if (failures.failures.length !== count) [count, quiet] = [failures.failures.length, -1];
    }
}

/** Call the program and resolve each of its exports, noting the one that rejects. */
async function exportsOf(program: () => unknown, failures: FailureWatch, pending: Set<string>): Promise<Record<string, unknown>> {
    const exported = await program();
    const entries = exported !== null && typeof exported === "object" ? Object.entries(exported) : [];
    for (const [name] of entries) pending.add(name);
    const outputs: Record<string, unknown> = {};
    for (const [name, value] of entries) {
        try {
            outputs[name] = await resolveOutput(value);
            pending.delete(name);
        } catch (error) {
            failures.record({ export: name, error: error instanceof Error ? error.message : String(error) }, error);
            throw new PlanFailedError(failures.failures);
        }
    }
    await settle();
    return outputs;
}

function stuckMessage(failures: FailureWatch, pendingExports: Set<string>): string {
    const unsent = failures.unsent().map(({ resource, type }) => `${resource} (${type})`);
    return [
        "the program stopped with the plan still waiting",
        ...(pendingExports.size > 0 ? [`exports never resolved: ${[...pendingExports].join(", ")}`] : []),
        ...(unsent.length > 0 ? [`registrations never sent: ${unsent.join(", ")}`] : []),
    ].join("; ");
}
