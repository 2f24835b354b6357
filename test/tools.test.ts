import { strict as assert } from "assert";
import { requireTool } from "./support/tools";

describe("validators", () => {
    it("a missing validator fails with the command that installs it, instead of skipping", () => {
        assert.throws(() => requireTool("no-such-validator-xyz", "no-such-package"), /apt-get install -y --no-install-recommends no-such-package/);
    });

    it("finds an installed one", () => {
        assert.match(requireTool("sh", "dash"), /\/sh$/);
    });
});
