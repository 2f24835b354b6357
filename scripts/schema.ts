/**
 * The package schema other languages' SDKs are generated from, written by Pulumi's own analyzer
 * exactly as `pulumi package add` runs it: the Node.js plugin host loads package.json's `main`,
 * collects the ComponentResource classes it exports, and `ComponentProvider.getSchema()` analyzes
 * their TypeScript argument types. `npm run schema` writes it to schema.json;
 * `test/multilang.test.ts` fails when the committed file differs.
 */
import { readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental/provider";

export const REPO = join(__dirname, "..");
export const SCHEMA_FILE = join(REPO, "schema.json");

/** The provider name the plugin host derives from package.json's name (npm scope dropped, other characters to `-`). */
export function providerName(packageName: string): { name: string; namespace?: string } {
    const [, scope, rest] = /^(@.*?\/)?(.+)$/.exec(packageName)!;
    return { name: rest.replace(/[^-a-zA-Z0-9_]/g, "-"), ...(scope !== undefined ? { namespace: scope.slice(1, -1) } : {}) };
}

/** The component provider the Node.js plugin host would serve for this checkout (what `pulumi package add` and `pulumi up` talk to). */
export function componentProvider(): ComponentProvider {
    const packageJson = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { name: string; main: string };
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the plugin host loads the entry the same way
    const components = getPulumiComponents(require(join(REPO, packageJson.main)));
    return new ComponentProvider({ ...providerName(packageJson.name), dirname: REPO, components });
}

/** The schema as Pulumi's analyzer writes it for this checkout, as formatted JSON text. */
export async function analyzedSchema(provider: ComponentProvider = componentProvider()): Promise<string> {
    return `${JSON.stringify(JSON.parse(await provider.getSchema()), null, 2)}\n`;
}

if (require.main === module) {
    analyzedSchema().then(
        (text) => {
            writeFileSync(SCHEMA_FILE, text);
            console.log(`schema.json: ${Object.keys((JSON.parse(text) as { resources: object }).resources).length} components written`);
        },
        (error: unknown) => {
            console.error(error instanceof Error ? error.message : error);
            process.exit(1);
        },
    );
}
