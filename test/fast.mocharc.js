/**
 * Mocha's options for `npm test`, the fast inner loop: the shared .mocharc.json, minus the slow test
 * files that test/slow.json names (they run with `npm run test:all`). The one list of slow files is
 * test/slow.json, so a new test file is fast unless it is named there. `npx mocha <file>` reads
 * .mocharc.json alone and runs any file, slow or not.
 */
// Mocha loads its config files with require(), so this one is CommonJS.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const shared = require("../.mocharc.json");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const slow = require("./slow.json");

// Test files run side by side, one per core (at least two): each file in its own worker process, so
// no file depends on another's state. The slow set stays serial (scripts/test-all.mjs): two of its
// files rebuild build/, which the package test reads.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jobs = Math.max(2, require("os").availableParallelism());

module.exports = { ...shared, ignore: slow, parallel: true, jobs };
