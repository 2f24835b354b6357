/**
 * The figures README.md quotes from the offline plan are the plan's: each role's user data size
 * (as sent, against EC2's 16 KB) in examples/reference, and the number of QueuedTracking queues
 * the `large` preset gets (examples/queued-tracking); and docs/provisioning.md's measured sizes
 * of each role's user data and bundle. A change that moves them fails here until the docs say the
 * new figure.
 */
import { strict as assert } from "assert";
import { readFileSync } from "fs";
import { join } from "path";
import { gunzipSync } from "zlib";
import { decodeUserData, planExample, readExampleConfig } from "../lib/plan/example";
import { listUstar, USER_DATA_LIMIT_BYTES } from "../lib/provision";
import { EXAMPLES_DIR } from "./support/examples";

const README = readFileSync(join(__dirname, "..", "README.md"), "utf8").replace(/\s+/g, " ");
const PROVISIONING = readFileSync(join(__dirname, "..", "docs", "provisioning.md"), "utf8");
const bytes = (n: number) => `${n.toLocaleString("en-US")} B`;

async function plan(name: string) {
    const dir = join(EXAMPLES_DIR, name);
    const { project, config } = readExampleConfig(dir);
    return (await planExample(dir, project, config)).plan;
}

describe("README's figures are the offline plan's", function () {
    it("user data per role: about <KB, one decimal> KB (<percent of 16 KB> %, <role>), as npm run plan prints them", async () => {
        const { recorded } = await plan("reference");
        const templates = recorded.filter((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate");
        assert.equal(templates.length, 2);
        for (const template of templates) {
            const role = (template.inputs.tags as Record<string, string>)["matomo:role"];
            const sent = Buffer.from(String(template.inputs.userData), "base64").length;
            const figure = `${(sent / 1024).toFixed(1)} KB (${Math.round((100 * sent) / USER_DATA_LIMIT_BYTES)} %, ${role})`;
            assert.ok(README.includes(figure), `README should say "${figure}" (${sent} bytes as sent)`);
        }
    });

    it("every 'N queues' README states is the large preset's planned numQueueWorkers", async () => {
        const { outputs } = await plan("queued-tracking");
        const planned = /^numQueueWorkers = (\d+)$/m.exec(String(outputs.configIniPhp))?.[1];
        assert.ok(planned !== undefined, "the large preset's config has [QueuedTracking] numQueueWorkers");
        const stated = [...README.matchAll(/(\d+)\*{0,2} queues\b/g)].map((m) => m[1]);
        assert.ok(stated.length >= 2, "README states the queue count in the presets table and the sizing notes");
        assert.deepEqual(
            stated,
            stated.map(() => planned),
        );
    });

    it("docs/provisioning.md's measured sizes per role: user data as sent and decoded, the bundle's gzip bytes and files", async () => {
        const { recorded } = await plan("reference");
        for (const template of recorded.filter((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate")) {
            const role = (template.inputs.tags as Record<string, string>)["matomo:role"];
            const encoded = String(template.inputs.userData);
            const sent = Buffer.from(encoded, "base64").length;
            const text = Buffer.byteLength(decodeUserData(encoded));
            const bundle = recorded.find((r) => r.type === "aws:s3/bucketObjectv2:BucketObjectv2" && r.inputs.key === `provisioning/${role}.tar.gz`);
            assert.ok(bundle, `${role}'s provisioning bundle`);
            const gz = Buffer.from(String(bundle.inputs.contentBase64), "base64");
            const files = listUstar(gunzipSync(gz)).length;
            const table = PROVISIONING.slice(PROVISIONING.indexOf("| role    | before the bundle (gzip) |"));
            const row = table.split("\n").find((line) => line.startsWith(`| ${role} `));
            assert.ok(row, `docs/provisioning.md has a row for ${role}`);
            const cells = row.split("|").map((c) => c.trim());
            assert.equal(cells[3], `${bytes(sent)} (${Math.round((100 * sent) / USER_DATA_LIMIT_BYTES)} %)`, `${role}: user data as sent`);
            assert.equal(cells[4], bytes(text), `${role}: user data decoded`);
            assert.equal(cells[5], `${bytes(gz.length)} (${files} files)`, `${role}: bundle`);
        }
    });
});
