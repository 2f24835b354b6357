/**
 * Writes the generated tables into docs/aws.md (between their markers): the argument reference
 * from the schema and the outputs table from the MatomoCluster class (scripts/outputsTable.ts).
 * `test/docs.test.ts` fails when the file and its sources differ; run `npm run docs:args` then.
 */
import { readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { clusterComponentArgsSchema } from "../lib/settings";
import { argumentTable, tableMarkers } from "../lib/settings/docs";
import { outputRows, outputTable } from "./outputsTable";

const file = join(__dirname, "..", "docs", "aws.md");

function withTable(text: string, name: string, table: string): string {
    const { begin, end } = tableMarkers(name);
    const start = text.indexOf(begin);
    const stop = text.indexOf(end);
    if (start < 0 || stop < start) throw new Error(`docs/aws.md: markers ${begin} … ${end} not found`);
    return `${text.slice(0, start + begin.length)}\n${table}\n${text.slice(stop)}`;
}

const cluster = readFileSync(join(__dirname, "..", "lib", "aws", "cluster.ts"), "utf8");
let text = readFileSync(file, "utf8");
text = withTable(text, "arguments", argumentTable(clusterComponentArgsSchema));
text = withTable(text, "outputs", outputTable(outputRows(cluster)));
writeFileSync(file, text);
console.log("docs/aws.md: argument and outputs tables written");
