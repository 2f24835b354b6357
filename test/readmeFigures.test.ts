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
import { planExample, readExampleConfig } from "../lib/plan/example";
import { USER_DATA_LIMIT_BYTES } from "../lib/provision";
import { EXAMPLES_DIR } from "./support/examples";
import { documentedRow, measureReferenceFigures, readProvisioningDoc } from "./support/provisioningFigures";

const README = readFileSync(join(__dirname, "..", "README.md"), "utf8").replace(/\s+/g, " ");

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

    it("docs/provisioning.md's measured sizes per role: user data as sent and decoded, the bundle's gzip bytes and files (npm run golden rewrites them)", async () => {
        const figures = await measureReferenceFigures();
        assert.deepEqual(
            figures.map((f) => f.role),
            ["tracker", "ui"],
        );
        const doc = readProvisioningDoc();
        for (const f of figures) {
            const cells = documentedRow(doc, f.role);
            assert.ok(cells, `docs/provisioning.md has a row for ${f.role}`);
            assert.equal(cells[3], f.sent, `${f.role}: user data as sent`);
            assert.equal(cells[4], f.text, `${f.role}: user data decoded`);
            assert.equal(cells[5], f.bundle, `${f.role}: bundle`);
        }
    });
});
