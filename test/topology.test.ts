/**
 * The plan's topology diagram, read off planned graphs: the flows Matomo's load-balanced layout
 * needs and no others, Graphviz (real, from Debian) renders it, and the README shows the one the
 * reference example plans.
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { readFileSync } from "fs";
import { join } from "path";
import { renderDot, renderMermaid, topologyOf, type Topology } from "../lib/plan/topology";
import { requireTools } from "./support/tools";
import { BASE_ARGS, buildCluster } from "./aws/harness";
import { planProgram } from "../lib/plan";
import { readExampleConfig } from "../scripts/plan";

/** Edges as `from -> to: label`, with node ids replaced by the first word of their label. */
function flows(t: Topology): string[] {
    const word = (id: string) => t.nodes.find((n) => n.id === id)!.label.split(/<br\/>| /)[0];
    return t.edges.map((e) => `${word(e.from)} ${e.kind === "route" ? "routes" : "->"} ${word(e.to)}: ${e.label}`).sort();
}

describe("plan topology: generated from the planned graph", function () {
    let reference: Topology;

    before(async function () {
        reference = topologyOf((await buildCluster(BASE_ARGS)).rt.resources);
    });

    it("the reference cluster: the internet reaches only the load balancer (80, 443), which alone reaches the nodes (80), which alone reach the database (3306)", function () {
        assert.deepEqual(reference.nodes.map((n) => n.label.split("<br/>")[0]).sort(), ["Database", "Internet", "Load balancer", "tracker nodes", "ui nodes"]);
        const network = flows(reference).filter((f) => !f.includes(" routes "));
        assert.deepEqual(network, [
            "Internet -> Load: TCP 443, TCP 80",
            "Load -> tracker: TCP 80",
            "Load -> ui: TCP 80",
            "tracker -> Database: TCP 3306",
            "ui -> Database: TCP 3306",
        ]);
    });

    it("the load balancer routes the tracker endpoints to the tracker nodes and every other path to the ui nodes", function () {
        const routes = flows(reference).filter((f) => f.includes(" routes "));
        assert.equal(routes.length, 2);
        const tracker = routes.find((r) => r.startsWith("Load routes tracker: "))!;
        for (const path of ["/matomo.php", "/piwik.php", "/matomo.js", "/piwik.js"])
            assert.ok(tracker.split(" ").includes(path), `${path} not routed to the trackers: ${tracker}`);
        assert.equal(
            routes.find((r) => r.startsWith("Load routes ui: ")),
            "Load routes ui: every other path",
        );
    });

    it("with QueuedTracking and a read replica: both node roles reach Redis (6379) and the replica (3306); nothing else reaches either", async function () {
        const t = topologyOf(
            (await buildCluster({ ...BASE_ARGS, queuedTracking: { enabled: true, pluginSha256: "9f".repeat(32) }, database: { readReplica: true } })).rt
                .resources,
        );
        const labels = t.nodes.map((n) => n.label.split("<br/>")[0]).sort();
        assert.deepEqual(labels, ["Database", "Internet", "Load balancer", "Read replica", "Redis", "tracker nodes", "ui nodes"]);
        const into = (label: string) => flows(t).filter((f) => f.includes(`-> ${label.split(" ")[0]}:`));
        assert.deepEqual(into("Redis"), ["tracker -> Redis: TCP 6379", "ui -> Redis: TCP 6379"]);
        assert.deepEqual(into("Read replica"), ["tracker -> Read: TCP 3306", "ui -> Read: TCP 3306"]);
    });

    it("Graphviz renders the DOT to an SVG with every party in it", function () {
        requireTools("dot");
        const svg = execFileSync("dot", ["-Tsvg"], { input: renderDot(reference), encoding: "utf8" });
        assert.match(svg, /^<\?xml[\s\S]*<svg[\s\S]*<\/svg>\s*$/);
        for (const node of reference.nodes) assert.ok(svg.includes(node.label.split("<br/>")[0]), `${node.label} missing from the SVG`);
    });

    it("README shows the reference example's diagram exactly as the plan generates it", async function () {
        const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");
        const block = /```mermaid\n([\s\S]*?)```/.exec(readme);
        assert.ok(block, "README has no mermaid block");
        const example = join(__dirname, "..", "examples", "reference");
        const { project, config } = readExampleConfig(example);
        // The example's module may be cached by another test that ran it: run its top level afresh.
        delete require.cache[require.resolve(example)];
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const plan = await planProgram(() => require(example), { project, config });
        assert.equal(block[1], renderMermaid(topologyOf(plan.recorded)), "README's diagram is stale: copy out/plan/topology.mmd from `npm run plan` into it");
    });
});
