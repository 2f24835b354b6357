/**
 * Writes the argument reference into docs/aws.md from the schema (between the generated markers).
 * `test/docs.test.ts` fails when the file and the schema differ; run `npm run docs:args` then.
 */
import { readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { clusterComponentArgsSchema } from "../lib/settings";
import { argumentTable, tableMarkers } from "../lib/settings/docs";

const file = join(__dirname, "..", "docs", "aws.md");
const { begin, end } = tableMarkers("arguments");
const text = readFileSync(file, "utf8");
const start = text.indexOf(begin);
const stop = text.indexOf(end);
if (start < 0 || stop < start) throw new Error(`docs/aws.md: markers ${begin} … ${end} not found`);
writeFileSync(file, `${text.slice(0, start + begin.length)}\n${argumentTable(clusterComponentArgsSchema)}\n${text.slice(stop)}`);
console.log("docs/aws.md: argument table written");
