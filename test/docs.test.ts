/**
 * The argument reference in docs/aws.md is the schema's: a field missing from the table, a default
 * that differs or an allowed range that changed fails here (regenerate with `npm run docs:args`).
 */
import { strict as assert } from "assert";
import { readFileSync } from "fs";
import { join } from "path";
import { clusterComponentArgsSchema } from "../lib/settings";
import { argumentRows, argumentTable, tableMarkers } from "../lib/settings/docs";
import { MATOMO_VERSION, QUEUED_TRACKING_VERSION } from "../lib/release";
import { outputRows, outputTable } from "../scripts/outputsTable";

const docs = readFileSync(join(__dirname, "..", "docs", "aws.md"), "utf8");
const { begin, end } = tableMarkers("arguments");
const documented = docs.slice(docs.indexOf(begin) + begin.length, docs.indexOf(end)).trim();

describe("docs: the argument table is generated from the schema", () => {
    it("docs/aws.md holds exactly the table the schema generates", () => {
        assert.ok(docs.includes(begin) && docs.includes(end), "markers present");
        assert.equal(documented, argumentTable(clusterComponentArgsSchema), "run `npm run docs:args` and commit docs/aws.md");
    });

    it("lists every argument of the schema with its default", () => {
        const rows = argumentRows(clusterComponentArgsSchema);
        for (const row of rows) assert.ok(documented.includes(`| \`${row.path}\` | ${row.default.replace(/\|/g, "\\|")} |`), row.path);
        // Hand-written spot checks of defaults users rely on (from the FAQ layout and lib/release.ts).
        const byPath = Object.fromEntries(rows.map((r) => [r.path, r.default]));
        // Sizes come from the preset; the docs name each preset's value (reference: the FAQ's layout, as before presets).
        assert.equal(byPath["preset"], '`"reference"`');
        assert.equal(byPath["trackers.minSize"], "by preset: small `2`, reference `2`, large `4`");
        assert.equal(byPath["network.vpcCidr"], '`"10.80.0.0/16"`');
        assert.equal(byPath["database.instanceClass"], 'by preset: small `"db.m7g.large"`, reference `"db.m7g.xlarge"`, large `"db.r7g.2xlarge"`');
        assert.equal(byPath["matomo.version"], `\`"${MATOMO_VERSION}"\``);
        assert.equal(byPath["queuedTracking.pluginVersion"], `\`"${QUEUED_TRACKING_VERSION}"\``);
        assert.equal(byPath["mail.port"], '587; 465 with encryption "ssl"');
        assert.equal(byPath["superUser.email"], "**required**");
    });
});

describe("docs: the outputs table is generated from the MatomoCluster class", () => {
    const markers = tableMarkers("outputs");
    const table = docs.slice(docs.indexOf(markers.begin) + markers.begin.length, docs.indexOf(markers.end)).trim();
    const rows = outputRows(readFileSync(join(__dirname, "..", "lib", "aws", "cluster.ts"), "utf8"));

    it("docs/aws.md holds exactly the table the class generates", () => {
        assert.ok(docs.includes(markers.begin) && docs.includes(markers.end), "markers present");
        assert.equal(table, outputTable(rows), "run `npm run docs:args` and commit docs/aws.md");
    });

    it("lists the outputs users missed (issue 19), with their TSDoc, and no child component", () => {
        const names = rows.map((r) => r.name);
        for (const name of ["url", "alarmTopicArn", "dashboardName", "logGroupNames", "accessLogBucket", "nodeImageId", "databasePort"]) {
            assert.ok(names.includes(name), name);
        }
        for (const child of [
            "settings",
            "network",
            "secrets",
            "database",
            "cache",
            "loadBalancer",
            "trackers",
            "ui",
            "image",
            "nodeImage",
            "provisioningBucket",
        ]) {
            assert.ok(!names.includes(child), child);
        }
        assert.ok(
            rows.every((r) => r.doc.length > 10),
            "every output has its TSDoc",
        );
        assert.match(table, /^\| `dashboardName` \| `string` \(optional\) \| .*observability\.enabled/m);
    });

    it("the component registers every documented output with the engine (registerOutputs), none more", () => {
        const source = readFileSync(join(__dirname, "..", "lib", "aws", "cluster.ts"), "utf8");
        const body = source.slice(source.indexOf("private outputs(): pulumi.Inputs {"));
        const literal = body.slice(body.indexOf("return {") + "return {".length, body.indexOf("};"));
        const registered = [...literal.matchAll(/^\s*(\w+): this\.(\w+),$/gm)].map((m) => {
            assert.equal(m[1], m[2], "each output is registered under its property's name");
            return m[1];
        });
        assert.deepEqual([...registered].sort(), rows.map((r) => r.name).sort());
    });
});
