/**
 * The argument types users write against (the TypeScript interfaces, what their editor and the API
 * reference offer) and the schemas that validate at construction must name the same arguments:
 * an argument only the type has is documented but refused at run time; one only the schema has is
 * accepted at run time but refused by `tsc`. Read with the TypeScript compiler over the sources.
 */
import { strict as assert } from "assert";
import { join } from "path";
import * as ts from "typescript";
import { clusterComponentArgsSchema } from "../lib/settings";
import { cacheComponent, databaseComponent, loadBalancerComponent, networkComponent, nodeGroupComponent, secretsComponent } from "../lib/settings/components";
import type { Schema } from "../lib/settings/schema";

const root = join(__dirname, "..");

/** Each component's argument type (file, exported name) and the schema its constructor validates with. */
const COMPONENTS: { component: string; file: string; type: string; schema: Schema<unknown> }[] = [
    { component: "MatomoCluster", file: "lib/aws/cluster.ts", type: "MatomoClusterComponentArgs", schema: clusterComponentArgsSchema as Schema<unknown> },
    { component: "Network", file: "lib/aws/network.ts", type: "NetworkArgs", schema: networkComponent as Schema<unknown> },
    { component: "Database", file: "lib/aws/database.ts", type: "DatabaseArgs", schema: databaseComponent as Schema<unknown> },
    { component: "Cache", file: "lib/aws/cache.ts", type: "CacheArgs", schema: cacheComponent as Schema<unknown> },
    { component: "LoadBalancer", file: "lib/aws/loadBalancer.ts", type: "LoadBalancerArgs", schema: loadBalancerComponent as Schema<unknown> },
    { component: "NodeGroup", file: "lib/aws/nodeGroup.ts", type: "NodeGroupArgs", schema: nodeGroupComponent as Schema<unknown> },
    { component: "Secrets", file: "lib/aws/secrets.ts", type: "SecretsArgs", schema: secretsComponent as Schema<unknown> },
];

describe("argument types and argument schemas name the same arguments", function () {
    // One TypeScript program over the sources.
    let checker: ts.TypeChecker;
    let program: ts.Program;
    before(() => {
        const config = ts.getParsedCommandLineOfConfigFile(
            join(root, "tsconfig.json"),
            {},
            { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, "\n")) },
        );
        assert.ok(config);
        program = ts.createProgram(
            COMPONENTS.map((c) => join(root, c.file)),
            config.options,
        );
        checker = program.getTypeChecker();
    });

    const propertiesOf = (file: string, name: string): string[] => {
        const source = program.getSourceFile(join(root, file));
        assert.ok(source, file);
        const symbol = checker.getExportsOfModule(checker.getSymbolAtLocation(source)!).find((s) => s.name === name);
        assert.ok(symbol, `${file} exports no ${name}`);
        return checker
            .getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol))
            .map((p) => p.name)
            .sort();
    };

    for (const c of COMPONENTS) {
        it(`${c.component}: ${c.type} and the schema`, () => {
            const typed = propertiesOf(c.file, c.type);
            const validated = Object.keys(c.schema.fields ?? {}).sort();
            assert.ok(typed.length > 0 && validated.length > 0, `${c.type}: ${typed.length} typed, ${validated.length} validated`);
            assert.deepEqual(
                { onlyInTheType: typed.filter((k) => !validated.includes(k)), onlyInTheSchema: validated.filter((k) => !typed.includes(k)) },
                { onlyInTheType: [], onlyInTheSchema: [] },
            );
        });
    }
});
