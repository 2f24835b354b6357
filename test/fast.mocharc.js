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

module.exports = { ...shared, ignore: slow };
