/**
 * One documented name for what `new MatomoCluster(name, args)` takes (issue 19 item 7): the docs said
 * `MatomoClusterArgs` in some places and `MatomoClusterComponentArgs` in others, while the constructor
 * takes `MatomoClusterComponentArgs` (`MatomoClusterArgs` is its portable part, without the AWS-only knobs).
 */
import { strict as assert } from "assert";
import { readdirSync, readFileSync } from "fs";
import { join } from "path";

const DOCS = [
    "README.md",
    ...readdirSync("docs")
        .filter((f) => f.endsWith(".md"))
        .map((f) => join("docs", f)),
];

describe("the name of MatomoCluster's arguments", function () {
    it("the constructor takes MatomoClusterComponentArgs", () => {
        assert.match(readFileSync("lib/aws/cluster.ts", "utf8"), /constructor\(name: string, args: MatomoClusterComponentArgs/);
    });

    it("README.md and docs/*.md name MatomoClusterArgs only as the portable part of MatomoClusterComponentArgs", () => {
        const loose: string[] = [];
        for (const file of DOCS) {
            readFileSync(file, "utf8")
                .split("\n")
                .forEach((line, i) => {
                    if (/\bMatomoClusterArgs\b/.test(line) && !/portable/.test(line)) loose.push(`${file}:${i + 1}: ${line.trim()}`);
                });
        }
        assert.deepEqual(loose, []);
    });

    it("the TSDoc of MatomoClusterArgs sends TypeScript programs to MatomoClusterComponentArgs", () => {
        // Generated from the schema (scripts/generate-args.ts): the comment is the schema's doc of clusterArgsSchema.
        const source = readFileSync("lib/settings/args.generated.ts", "utf8");
        const doc = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*export interface MatomoClusterArgs\b/.exec(source);
        assert.ok(doc, "MatomoClusterArgs has a TSDoc comment");
        assert.match(doc[1], /MatomoClusterComponentArgs/);
    });
});
