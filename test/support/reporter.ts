/**
 * Mocha's spec output plus one closing line in the plain form CI reads in any language:
 * "tests: N passed, N failed, N skipped". (Skipped tests also fail the run: forbid-pending.)
 */
import * as Mocha from "mocha";

class SpecWithTotals extends Mocha.reporters.Spec {
    constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
        super(runner, options);
        runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
            const stats = runner.stats;
            if (stats) console.log(`tests: ${stats.passes} passed, ${stats.failures} failed, ${stats.pending} skipped`);
        });
    }
}

export = SpecWithTotals;
