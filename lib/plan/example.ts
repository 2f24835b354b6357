/**
 * An example folder as the offline plan runs it: its project name and sample stack config, read as
 * `pulumi up` in that folder would read them, and a run of its program under the mock runtime that
 * also records which config keys the program reads.
 */
import { readFileSync, readdirSync } from "fs";
import { join, resolve } from "path";
import * as yaml from "js-yaml";
import { recordConfigReads, type ConfigReads } from "./configSet";
import { planProgram, type Plan } from "./index";

export { decodeUserData } from "./userData";

/** Project name and sample stack config of an example, as `pulumi up` in that folder would read them. */
export function readExampleConfig(exampleDir: string): { project: string; stackFile: string; config: Record<string, string> } {
    const project = (yaml.load(readFileSync(join(exampleDir, "Pulumi.yaml"), "utf8")) as { name: string }).name;
    const stackFiles = readdirSync(exampleDir)
        .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
        .sort();
    if (stackFiles.length !== 1) {
        throw new Error(`plan: expected exactly one sample stack config Pulumi.<stack>.yaml in ${exampleDir}, found ${stackFiles.length}`);
    }
    const stack = yaml.load(readFileSync(join(exampleDir, stackFiles[0]), "utf8")) as { config?: Record<string, unknown> };
    const config: Record<string, string> = {};
    for (const [key, value] of Object.entries(stack.config ?? {})) {
        if (value !== null && typeof value === "object" && "secure" in value) {
            throw new Error(`plan: ${stackFiles[0]} has an encrypted value for ${key}; the sample config must hold only plain values`);
        }
        // The Pulumi CLI hands structured config to programs as JSON text.
        config[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return { project, stackFile: stackFiles[0], config };
}

/**
 * Plan the example's program with `config`, afresh even when Node has loaded it before (its module
 * is dropped from `require.cache`, so it runs again), and note every config key it reads.
 */
export async function planExample(exampleDir: string, project: string, config: Record<string, string>): Promise<{ plan: Plan; reads: ConfigReads }> {
    const entry = require.resolve(resolve(exampleDir));
    delete require.cache[entry];
    const recorder = recordConfigReads();
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const plan = await planProgram(() => require(entry), { config, project });
        return { plan, reads: recorder.reads };
    } finally {
        recorder.stop();
    }
}
