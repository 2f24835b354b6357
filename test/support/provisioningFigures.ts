/**
 * docs/provisioning.md's "now" columns: each role's user data (gzip as EC2 gets it, and decoded)
 * and its bundle (gzip bytes, files), measured on the reference example's offline plan. The test
 * (test/readmeFigures.test.ts) compares the table with this; `npm run golden` rewrites the table,
 * since any change to what a node receives moves these bytes as it moves the golden files.
 */
import { readFileSync } from "fs";
import { join } from "path";
import { gunzipSync } from "zlib";
import { decodeUserData, planExample, readExampleConfig } from "../../lib/plan/example";
import { listUstar, USER_DATA_LIMIT_BYTES } from "../../lib/provision";
import { EXAMPLES_DIR } from "./examples";

export const PROVISIONING_DOC = join(__dirname, "..", "..", "docs", "provisioning.md");
const TABLE_HEADER = "| role    | before the bundle (gzip) |";

const bytes = (n: number) => `${n.toLocaleString("en-US")} B`;
const percent = (n: number) => `${Math.round((100 * n) / USER_DATA_LIMIT_BYTES)} %`;

/** The three measured cells of a role's row, as the table writes them. */
export interface RoleFigures {
    role: string;
    sent: string;
    text: string;
    bundle: string;
}

export async function measureReferenceFigures(): Promise<RoleFigures[]> {
    const dir = join(EXAMPLES_DIR, "reference");
    const { project, config } = readExampleConfig(dir);
    const { recorded } = (await planExample(dir, project, config)).plan;
    return recorded
        .filter((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate")
        .map((template) => {
            const role = (template.inputs.tags as Record<string, string>)["matomo:role"];
            const encoded = String(template.inputs.userData);
            const sent = Buffer.from(encoded, "base64").length;
            const bundle = recorded.find((r) => r.type === "aws:s3/bucketObjectv2:BucketObjectv2" && r.inputs.key === `provisioning/${role}.tar.gz`);
            if (!bundle) throw new Error(`the reference plan has no provisioning bundle for ${role}`);
            const gz = Buffer.from(String(bundle.inputs.contentBase64), "base64");
            return {
                role,
                sent: `${bytes(sent)} (${percent(sent)})`,
                text: bytes(Buffer.byteLength(decodeUserData(encoded))),
                bundle: `${bytes(gz.length)} (${listUstar(gunzipSync(gz)).length} files)`,
            };
        });
}

/** The table's row for a role, split into trimmed cells (cells[3..5] are the measured ones). */
export function documentedRow(doc: string, role: string): string[] | undefined {
    const table = doc.slice(doc.indexOf(TABLE_HEADER));
    const row = table.split("\n").find((line) => line.startsWith(`| ${role} `));
    return row?.split("|").map((c) => c.trim());
}

/** The document with each role's measured cells replaced by the figures; other cells kept. */
export function withFigures(doc: string, figures: readonly RoleFigures[]): string {
    let text = doc;
    for (const f of figures) {
        const cells = documentedRow(text, f.role);
        if (!cells) throw new Error(`docs/provisioning.md has no row for ${f.role} under "${TABLE_HEADER}"`);
        const start = text.indexOf(TABLE_HEADER);
        const before = text
            .slice(start)
            .split("\n")
            .find((line) => line.startsWith(`| ${f.role} `)) as string;
        const after = `| ${f.role.padEnd(7)} | ${cells[2].padEnd(24)} | ${f.sent.padEnd(25)} | ${f.text} | ${f.bundle} |`;
        text = text.slice(0, start) + text.slice(start).replace(before, after);
    }
    return text;
}

export const readProvisioningDoc = () => readFileSync(PROVISIONING_DOC, "utf8");
