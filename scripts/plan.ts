/**
 * The offline plan: runs an example program under the Pulumi mock runtime (no AWS account, no
 * Pulumi CLI) with the example's sample stack config, and writes what `pulumi up` would create.
 *
 *   npm run plan [-- --out DIR] [-- --example examples/reference] [-- --set KEY=VALUE ...] [-- --cost-presets]
 *
 * Writes DIR (default out/plan):
 *   resources.json        every resource: { type, name, parent, inputs }, secrets as "[secret]"
 *   config.ini.php        the config every node writes, with secret placeholders
 *   userdata/<role>.cloud-config.yaml   each launch template's user data, decoded
 *   bundle/<role>.txt     each role's provisioning bundle (the S3 object user data pins): its sha256,
 *                         size, and every file in it (mode, bytes, path on the node)
 *   cost.md               monthly cost of the planned resources (lib/plan/cost.ts), and with
 *                         --cost-presets of the example at each sizing preset
 *   diff.md               with --set: what the config change would add, change and remove, and which
 *                         node groups would roll and why (lib/plan/diff.ts); the other files are the changed plan
 * and prints a summary: resources by type, config sha256, user data and bundle sizes per role, the
 * image each group boots.
 *
 * Then it checks every resource against AWS's limits (lib/model/awsLimits.ts) and exits non-zero,
 * quoting each broken rule, when AWS would refuse the graph.
 */
import { spawnSync } from "child_process";
import { mkdirSync, realpathSync, rmSync, writeFileSync } from "fs";
import { join, resolve, sep } from "path";
import { createHash } from "crypto";
import { createRequire } from "module";
import { USER_DATA_LIMIT_BYTES } from "../lib/provision";
import { renderBundleListing } from "../lib/plan/bundleListing";
import { AWS_LIMIT_RULES, formatViolation, MOCK_REGION, type RecordedResource } from "../lib/plan";
import { renderDot, renderMermaid, topologyOf } from "../lib/plan/topology";
import { decodeUserData, planExample, readExampleConfig } from "../lib/plan/example";
import { applyConfigSets, checkSetsChangedPlan, checkSetsWereRead, parseConfigSet, type ConfigSet } from "../lib/plan/configSet";
import { diffPlans } from "../lib/plan/diff";
import { renderDiff } from "../lib/plan/diffReport";
import { costOf } from "../lib/plan/cost";
import { renderCost, type CostSection } from "../lib/plan/costReport";
import { US_EAST_1 } from "../lib/plan/prices/us-east-1";
import { PRESETS } from "../lib/settings/presets";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { staleBuild } = require("./build-stamp.js") as { staleBuild: (checkout: string) => string | undefined };

export { decodeUserData, readExampleConfig };

interface PlanOptions {
    out: string;
    example: string;
    /** `--set key=value`, in order. */
    sets: string[];
    costPresets: boolean;
}

function parseOptions(argv: string[]): PlanOptions {
    const options: PlanOptions = { out: "out/plan", example: "examples/reference", sets: [], costPresets: false };
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        const value = argv[i + 1];
        if ((flag === "--out" || flag === "--example") && value !== undefined) {
            options[flag === "--out" ? "out" : "example"] = value;
            i++;
        } else if (flag === "--set" && value !== undefined) {
            options.sets.push(value);
            i++;
        } else if (flag === "--cost-presets") {
            options.costPresets = true;
        } else {
            throw new Error(
                `plan: unknown or incomplete option '${flag}'; usage: npm run plan -- [--out DIR] [--example DIR] [--set KEY=VALUE ...] [--cost-presets]`,
            );
        }
    }
    return options;
}

/** The config key the examples take every MatomoCluster argument from (`matomo:cluster`), where --cost-presets sets `preset`. */
const CLUSTER_KEY = "matomo:cluster";
/** `large` turns QueuedTracking on, which needs the plugin's sha256; any well-formed one plans the same resources. */
const PLACEHOLDER_PLUGIN_SHA256 = "0".repeat(64);

/** The example at each sizing preset (on top of any --set): one cost section each. */
async function presetCosts(exampleDir: string, example: string, project: string, config: Record<string, string>, sets: ConfigSet[]): Promise<CostSection[]> {
    const sections: CostSection[] = [];
    for (const preset of PRESETS) {
        const extra = [parseConfigSet(`${CLUSTER_KEY}.preset=${preset}`, project)];
        if (preset === "large") extra.push(parseConfigSet(`${CLUSTER_KEY}.queuedTracking.pluginSha256=${PLACEHOLDER_PLUGIN_SHA256}`, project));
        const { plan, reads } = await planExample(exampleDir, project, applyConfigSets(config, [...sets, ...extra]));
        checkSetsWereRead(extra, reads, example);
        sections.push({
            title: `Preset \`${preset}\`${preset === "large" ? " (planned with a placeholder queuedTracking.pluginSha256, which changes no cost)" : ""}`,
            report: costOf(plan.recorded, US_EAST_1),
        });
    }
    return sections;
}

function roleOf(template: RecordedResource): string {
    const tags = (template.inputs.tags ?? {}) as Record<string, string>;
    return tags["matomo:role"] ?? template.name;
}

/** Node's flag (package.json "plan") that makes this repository's own examples load its TypeScript sources. */
const SOURCES_CONDITION = "--conditions=development";
const REPOSITORY = realpathSync(resolve(__dirname, ".."));

const isInside = (path: string, dir: string) => realpathSync(path).startsWith(dir + sep);

/**
 * Why a program outside this repository must not be planned yet: when it installed this checkout by
 * path (`npm install <dir>`, a workspace), it loads this checkout's compiled build/, and a build/
 * older than the sources would plan old code (scripts/build-stamp.js). Undefined when build/ is
 * current, or the program's package is a copy of its own (a tarball's), or it has none.
 */
export function staleBuildOf(exampleDir: string, repository = REPOSITORY): string | undefined {
    let installed: string;
    try {
        // Resolved as the program's own files resolve it (require.resolve from here would find this package itself first).
        installed = createRequire(join(exampleDir, "index.js")).resolve("pulumi-matomo-aws/package.json");
    } catch {
        return undefined;
    }
    const checkout = realpathSync(repository);
    return isInside(installed, checkout) ? staleBuild(checkout) : undefined;
}

/**
 * A program outside this repository loads the package it installed, as `pulumi up` would: its
 * compiled build/. Under SOURCES_CONDITION it would resolve to that copy's lib/index.ts inside
 * node_modules, which the TypeScript loader leaves uncompiled ("Unexpected token 'export'"); Node
 * reads conditions once at start, so the plan runs again without it. Returns the exit status, or
 * undefined to go on here.
 */
function rerunOutsideRepository(): number | undefined {
    if (!process.execArgv.includes(SOURCES_CONDITION)) return undefined;
    const execArgv = process.execArgv.filter((a) => a !== SOURCES_CONDITION);
    return spawnSync(process.execPath, [...execArgv, ...process.argv.slice(1)], { stdio: "inherit" }).status ?? 1;
}

async function main(): Promise<void> {
    const options = parseOptions(process.argv.slice(2));
    const exampleDir = resolve(options.example);
    if (!isInside(exampleDir, REPOSITORY)) {
        const stale = staleBuildOf(exampleDir);
        if (stale !== undefined) throw new Error(`plan: ${options.example} loads this checkout's compiled package, and ${stale}`);
        const rerun = rerunOutsideRepository();
        if (rerun !== undefined) {
            process.exitCode = rerun;
            return;
        }
    }
    const { project, stackFile, config } = readExampleConfig(exampleDir);
    const sets = options.sets.map((text) => parseConfigSet(text, project));

    // With --set: the unchanged plan first, then the changed one, which the rest of the outputs describe.
    const unchanged = sets.length > 0 ? await planExample(exampleDir, project, config) : undefined;
    const { plan, reads } = await planExample(exampleDir, project, applyConfigSets(config, sets));
    const diffText = (() => {
        if (unchanged === undefined) return undefined;
        checkSetsWereRead(sets, { keys: new Set([...unchanged.reads.keys, ...reads.keys]), secret: reads.secret }, options.example);
        const secretKeys = new Set([...unchanged.reads.secret, ...reads.secret]);
        const diff = diffPlans(unchanged.plan.recorded, plan.recorded);
        checkSetsChangedPlan(sets, reads, diff, options.example);
        return renderDiff(diff, { example: options.example, sets, secretKeys });
    })();
    const exports = plan.outputs;
    const runtime = { resources: plan.recorded, ofType: (type: string) => plan.recorded.filter((r) => r.type === type) };

    const configText = exports.configIniPhp;
    if (typeof configText !== "string") {
        throw new Error(`plan: ${options.example} must export configIniPhp (the placeholder config text)`);
    }

    const out = resolve(options.out);
    rmSync(out, { recursive: true, force: true });
    mkdirSync(join(out, "userdata"), { recursive: true });
    mkdirSync(join(out, "bundle"), { recursive: true });

    const resources = plan.resources;
    writeFileSync(join(out, "resources.json"), JSON.stringify(resources, null, 2) + "\n");
    writeFileSync(join(out, "config.ini.php"), configText);
    const topology = topologyOf(plan.recorded);
    writeFileSync(join(out, "topology.mmd"), renderMermaid(topology));
    writeFileSync(join(out, "topology.dot"), renderDot(topology));
    const svg = spawnSync("dot", ["-Tsvg", "-o", join(out, "topology.svg"), join(out, "topology.dot")], { encoding: "utf8" });
    const topologyNote = svg.error
        ? "topology.svg not rendered: Graphviz's dot is missing (npm run setup installs it)"
        : svg.status !== 0
          ? `topology.svg: dot failed: ${svg.stderr}`
          : "topology.svg rendered by Graphviz";

    const userDataSizes: string[] = [];
    const rolls: string[] = [];
    for (const template of runtime.ofType("aws:ec2/launchTemplate:LaunchTemplate")) {
        const encoded = template.inputs.userData;
        if (typeof encoded !== "string") continue;
        const role = roleOf(template);
        const text = decodeUserData(encoded);
        writeFileSync(join(out, "userdata", `${role}.cloud-config.yaml`), text);
        const sent = Buffer.from(encoded, "base64").length;
        const share = Math.round((100 * sent) / USER_DATA_LIMIT_BYTES);
        userDataSizes.push(`${role}: ${sent} bytes as sent (${share}% of EC2's ${USER_DATA_LIMIT_BYTES}), ${Buffer.byteLength(text)} bytes decoded`);
        rolls.push(`rolls ${role}: user data sha256 ${createHash("sha256").update(text, "utf8").digest("hex")}`);
    }

    // The provisioning bundles: one S3 object per role, `provisioning/<role>.tar.gz`.
    const bundleSizes: string[] = [];
    for (const object of runtime.ofType("aws:s3/bucketObjectv2:BucketObjectv2")) {
        const role = /^provisioning\/(\w+)\.tar\.gz$/.exec(String(object.inputs.key))?.[1];
        if (role === undefined || typeof object.inputs.contentBase64 !== "string") continue;
        const listing = renderBundleListing(role, String(object.inputs.key), Buffer.from(object.inputs.contentBase64, "base64"));
        writeFileSync(join(out, "bundle", `${role}.txt`), listing.text);
        bundleSizes.push(listing.summary);
    }

    const images: string[] = [];
    for (const template of runtime.ofType("aws:ec2/launchTemplate:LaunchTemplate")) {
        const imageId = String(template.inputs.imageId);
        const kept = runtime.ofType("aws:ssm/parameter:Parameter").find((p) => p.inputs.dataType === "aws:ec2:image" && p.inputs.insecureValue === imageId);
        const debianName = kept ? (/\((debian-[^)]+)\)/.exec(String(kept.inputs.description))?.[1] ?? "?") : undefined;
        images.push(
            kept
                ? `image ${roleOf(template)}: ${imageId} (${debianName}, resolved once and kept in SSM parameter ${kept.name}; raise amiGeneration for Debian's newest)`
                : `image ${roleOf(template)}: ${imageId} (the given amiId)`,
        );
    }

    const byType = new Map<string, number>();
    for (const r of runtime.resources) byType.set(r.type, (byType.get(r.type) ?? 0) + 1);
    console.log(`Offline plan of ${options.example} (stack config ${stackFile}, mock runtime: nothing was sent to AWS)`);
    console.log(`${runtime.resources.length} resources:`);
    for (const [type, count] of [...byType].sort(([a], [b]) => a.localeCompare(b))) console.log(`  ${String(count).padStart(3)}  ${type}`);
    console.log(`config.ini.php sha256: ${String(exports.configSha256)}`);
    for (const line of userDataSizes) console.log(`user data ${line}`);
    for (const line of bundleSizes) console.log(`provisioning bundle ${line}`);
    // What rolls a group is its launch template's user data: any change of it (the config template,
    // provision.env with the Matomo release, the pinned bundle's version and sha256, so any script)
    // makes a new template version and an instance refresh. The config names no release, so a
    // release bump leaves the config sha256 as it is.
    for (const line of rolls) console.log(line);
    console.log("  (a change of a role's user data sha256 rolls that group; a new Matomo release changes the user data, not the config sha256)");
    for (const line of images) console.log(line);
    console.log(`topology: ${topology.nodes.length} parties, ${topology.edges.length} flows (topology.mmd); ${topologyNote}`);
    console.log(`written to ${out}`);

    const costSections: CostSection[] = [
        { title: `${options.example} as planned${sets.length > 0 ? " (with the --set changes)" : ""}`, report: costOf(plan.recorded, US_EAST_1) },
    ];
    if (options.costPresets) costSections.push(...(await presetCosts(exampleDir, options.example, project, config, sets)));
    writeFileSync(join(out, "cost.md"), renderCost(costSections, US_EAST_1, MOCK_REGION));
    for (const { title, report } of costSections) {
        console.log(
            `cost ${title}: ${report.hasEstimates ? "~" : ""}$${report.totalUsd.toFixed(2)} a month (${report.region} prices; ${report.notPriced.length} not priced), cost.md`,
        );
    }
    if (diffText !== undefined) {
        writeFileSync(join(out, "diff.md"), diffText);
        console.log(`\n${diffText}`);
    }

    const violations = plan.violations;
    if (violations.length > 0) {
        throw new Error(`plan: AWS would refuse this graph (${violations.length} broken limits):\n${violations.map(formatViolation).join("\n")}`);
    }
    console.log(`AWS limits: ${AWS_LIMIT_RULES.length} rules checked over ${resources.length} resources, none broken`);
}

if (require.main === module) {
    main().catch((error: unknown) => {
        console.error(error instanceof Error ? error.message : error);
        process.exit(1);
    });
}
