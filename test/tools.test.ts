import { strict as assert } from "assert";
import { requireTools } from "./support/tools";

describe("validators", () => {
    it("a missing validator fails with the command that installs it, instead of skipping", () => {
        assert.throws(() => requireTools("no-such-validator-xyz"), /missing no-such-validator-xyz: install with +apt-get install -y no-such-validator-xyz/);
    });

    it("names the Debian package that provides a known command", () => {
        const path = process.env.PATH;
        process.env.PATH = "/nonexistent";
        try {
            assert.throws(() => requireTools("php-fpm8.2", "nginx"), /apt-get install -y php8\.2-fpm nginx-light/);
        } finally {
            process.env.PATH = path;
        }
    });

    it("passes when the tool is installed", () => {
        assert.doesNotThrow(() => requireTools("sh"));
    });
});
