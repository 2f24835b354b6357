import { strict as assert } from "assert";
import { existsSync, readFileSync } from "fs";

/** test/slow.json: the test files `npm test` leaves to `npm run test:all` (test/fast.mocharc.js). */
describe("the fast/slow test split", () => {
    const slow = JSON.parse(readFileSync("test/slow.json", "utf8")) as unknown;

    it("test/slow.json lists test files that exist, each once (a renamed file would silently rejoin the fast set)", () => {
        assert.ok(Array.isArray(slow) && slow.every((f) => typeof f === "string"), "test/slow.json must be an array of paths");
        const files = slow as string[];
        assert.deepEqual(
            files.filter((f) => !/^test\/.+\.test\.ts$/.test(f) || !existsSync(f)),
            [],
            "these entries of test/slow.json are not test files",
        );
        assert.equal(new Set(files).size, files.length, "test/slow.json names a file twice");
    });
});
