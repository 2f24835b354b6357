/**
 * Each argument is written once, in the settings schema; the argument types of both surfaces are
 * generated from it (scripts/generate-args.ts). These fail when a committed generated file differs
 * from what the schema generates (edited by hand, or the schema changed without `npm run generate`),
 * and check by hand-written expectations that what is generated is what users rely on.
 */
import { strict as assert } from "assert";
import { readFileSync } from "fs";
import { join, relative } from "path";
import { AWS_FILE, COMPONENTS_FILE, generatedFiles, enumMember, MULTI_LANGUAGE_FILE, TYPESCRIPT_FILE } from "../scripts/generate-args";

/** The first line where two texts differ, for the failure message. */
function firstDifference(committed: string, generated: string): string {
    const a = committed.split("\n");
    const b = generated.split("\n");
    const i = a.findIndex((line, n) => line !== b[n]);
    const at = i < 0 ? a.length : i;
    return `line ${at + 1}: committed ${JSON.stringify(a[at])}, generated ${JSON.stringify(b[at])}`;
}

/** The TSDoc and declaration of one member of an interface in a generated file. */
function member(text: string, owner: string, name: string): string {
    const start = text.indexOf(`export interface ${owner} {`);
    assert.ok(start >= 0, `${owner} is declared`);
    const body = text.slice(start, text.indexOf("\n}\n", start));
    const at = body.search(new RegExp(`\\n    ${name}\\??: `));
    assert.ok(at >= 0, `${owner}.${name} is declared`);
    return body.slice(body.lastIndexOf("/**", at), body.indexOf("\n", at + 1));
}

describe("the argument types are generated from the schema (npm run generate)", function () {
    let files: Record<string, string>;
    before(async () => {
        files = await generatedFiles();
    });

    for (const file of [TYPESCRIPT_FILE, MULTI_LANGUAGE_FILE, AWS_FILE, COMPONENTS_FILE]) {
        it(`${relative(`${__dirname}/..`, file)} is exactly what the schema generates`, () => {
            const committed = readFileSync(file, "utf8");
            assert.ok(committed === files[file], `run \`npm run generate\` and commit ${file} (${firstDifference(committed, files[file])})`);
        });
    }

    it("a default that comes from the preset is said per preset, in the TSDoc of both surfaces (issue 18: schema.json said `Default 2` where large gives 4)", () => {
        for (const [file, owner] of [
            [TYPESCRIPT_FILE, "TrackerGroupArgs"],
            [MULTI_LANGUAGE_FILE, "TrackerGroup"],
        ] as const) {
            const doc = member(files[file], owner, "minSize");
            // README "Sizing presets": trackers' minSize 2, 2 and 4.
            assert.match(doc, /Default by preset: small `2`, reference `2`, large `4`\./, `${owner}.minSize: ${doc}`);
            assert.match(doc, /Allowed: a whole number from 1 to 100\./);
            assert.doesNotMatch(doc, /Default 2\b/);
        }
    });

    it("schema.json's descriptions are the generated ones: TrackerGroup.minSize names each preset's default", () => {
        const schema = JSON.parse(readFileSync(join(__dirname, "..", "schema.json"), "utf8")) as {
            types: Record<string, { properties: Record<string, { description?: string }> }>;
        };
        const description = schema.types["pulumi-matomo-aws:index:TrackerGroup"].properties.minSize.description ?? "";
        assert.match(description, /Default by preset: small `2`, reference `2`, large `4`\./, description);
    });

    it("shapes users write: required fields, Input<> where an Output is accepted, the network union for TypeScript and one object for other languages", () => {
        const ts = files[TYPESCRIPT_FILE];
        const ml = files[MULTI_LANGUAGE_FILE];
        assert.match(member(ts, "MatomoClusterArgs", "superUser"), /\n {4}superUser: SuperUserArgs;$/);
        assert.match(member(ts, "MatomoClusterArgs", "certificateArn"), /\n {4}certificateArn\?: Input<string>;$/);
        assert.match(member(ts, "ExistingNetworkArgs", "publicSubnetIds"), /publicSubnetIds: Input<Input<string>\[\]>;$/);
        assert.match(member(ts, "MatomoClusterArgs", "extraConfig"), /extraConfig\?: Record<string, Record<string, IniValue \| SecretReference>>;$/);
        assert.match(ts, /export type ClusterNetworkArgs =\n {4}\| NewNetworkArgs\n {4}\| \{\n[\s\S]*?\n {10}existing: ExistingNetworkArgs;\n {6}\};/);
        assert.match(member(ml, "ClusterNetwork", "existing"), /existing\?: ExistingNetwork;$/);
        // The analyzer takes no union: other languages give extraConfig as three maps, and no overrides (TypeScript only).
        assert.match(
            member(ml, "MatomoClusterArgs", "extraConfigSecrets"),
            /extraConfigSecrets\?: \{ \[section: string\]: \{ \[key: string\]: SecretReference \} \};$/,
        );
        assert.doesNotMatch(ml, /\n {4}overrides\?:/);
        assert.match(ml, /export const GeoIpProvider = \{ DbipLite: "dbip-lite", Maxmind: "maxmind", Off: "off" \} as const;/);
    });

    it("enum members are the values in PascalCase, as schema.json names them", () => {
        assert.equal(enumMember("dbip-lite"), "DbipLite");
        assert.equal(enumMember("x86_64"), "X86_64");
        assert.equal(enumMember("GeoLite2-City"), "GeoLite2City");
        assert.equal(enumMember("onePerAz"), "OnePerAz");
    });
});
