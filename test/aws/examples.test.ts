import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { installMockRuntime, settle, valueOf } from "../../lib/plan/mockRuntime";
import { TYPESCRIPT_EXAMPLES } from "../support/examples";

/** Stack config from a sample Pulumi.<stack>.yaml, as `pulumi` hands it to a program (objects as JSON). */
function stackConfig(file: string): Record<string, string> {
    const doc = yaml.load(fs.readFileSync(file, "utf8")) as { config: Record<string, unknown> };
    return Object.fromEntries(Object.entries(doc.config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

for (const example of TYPESCRIPT_EXAMPLES) {
    describe(`examples/${example}`, () => {
        it("runs from its sample stack config, importing the package by name, and exports the config and its hash", async () => {
            const dir = path.join(__dirname, "..", "..", "examples", example);
            assert.ok(fs.existsSync(path.join(dir, "Pulumi.yaml")));
            const rt = installMockRuntime(stackConfig(path.join(dir, "Pulumi.dev.yaml")));
            // Afresh: another test file in this process may have run the program already (a cached module does not run again).
            delete require.cache[require.resolve(dir)];
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const program = require(dir) as Record<string, unknown>;
            const configIniPhp = await valueOf(program.configIniPhp as string);
            const configSha256 = await valueOf(program.configSha256 as string);
            await settle();
            assert.match(configIniPhp, /^trusted_hosts\[\] = "analytics\.example\.com"$/m);
            assert.match(configSha256, /^[0-9a-f]{64}$/);
            assert.equal(await valueOf(program.url as string), "https://analytics.example.com");
            const vpcs = rt.ofType("aws:ec2/vpc:Vpc").length;
            assert.equal(vpcs, example === "existing-vpc" ? 0 : 1, "only existing-vpc brings its own VPC");
        });
    });
}
