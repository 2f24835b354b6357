/**
 * The multi-language surface (lib/multilang), as `pulumi package add` sees it. Pulumi's own
 * analyzer (`@pulumi/pulumi/provider/experimental`, the code the plugin host runs) reads the
 * package's entry and must accept every component; its schema must be the committed schema.json;
 * every TypeScript argument must have a counterpart there or be listed as TypeScript-only; and a
 * component built from multi-language arguments must plan what the TypeScript one plans.
 * No Pulumi CLI runs here (none is installed offline): the plugin host's steps are replayed with
 * the SDK's own functions.
 */
import { strict as assert } from "assert";
import { readFileSync } from "fs";
import { join } from "path";
import * as pulumi from "@pulumi/pulumi";
import { getPulumiComponents } from "@pulumi/pulumi/provider/experimental/provider";
import { clusterComponentArgsSchema, InvalidArgumentError, type Field, type Schema } from "../lib/settings";
import { cacheComponent, databaseComponent, loadBalancerComponent, networkComponent, nodeGroupComponent, secretsComponent } from "../lib/settings/components";
import { MatomoCluster as TypeScriptMatomoCluster } from "../lib/aws/cluster";
import { MatomoCluster } from "../lib/multilang";
import { joinExtraConfig } from "../lib/multilang/convert";
import { PROVIDER_NAME } from "../lib/multilang/token";
import { MULTI_LANGUAGE_ONLY_ARGUMENTS, TYPESCRIPT_ONLY_ARGUMENTS, TYPESCRIPT_ONLY_CLUSTER_PROPERTIES } from "../lib/multilang/typescriptOnly";
import { analyzedSchema, componentProvider, providerName, REPO, SCHEMA_FILE } from "../scripts/schema";
import type { ComponentProvider } from "@pulumi/pulumi/provider/experimental/provider";
import { BASE_ARGS, build } from "./aws/harness";
import { valueOf } from "../lib/plan/mockRuntime";
import { resolveType, type PackageSchema, type SchemaProperty } from "./support/packageSchema";

const TOKEN = (component: string) => `${PROVIDER_NAME}:index:${component}`;

/** The TypeScript components' argument schemas: what each multi-language component must cover. */
const TYPESCRIPT_SCHEMAS: Record<string, Schema<unknown>> = {
    MatomoCluster: clusterComponentArgsSchema as Schema<unknown>,
    Network: networkComponent as Schema<unknown>,
    Database: databaseComponent as Schema<unknown>,
    Cache: cacheComponent as Schema<unknown>,
    LoadBalancer: loadBalancerComponent as Schema<unknown>,
    NodeGroup: nodeGroupComponent as Schema<unknown>,
    Secrets: secretsComponent as Schema<unknown>,
};

/** Why a TypeScript schema node and a schema.json property disagree, or undefined when they agree (then recursing into both). */
function compareArgument(schema: PackageSchema, ts: Schema<unknown>, ml: SchemaProperty, path: string, component: string, problems: string[]): void {
    const target = resolveType(schema, ml);
    const mlKind = target.type;
    const kindProblem = (expected: string) => problems.push(`${component}.${path}: TypeScript takes ${ts.kind} (${ts.allowed}), schema.json has ${expected}`);
    switch (ts.kind) {
        case "string":
            if (mlKind !== "string") kindProblem(JSON.stringify(mlKind));
            return;
        case "number":
            if (mlKind !== "number" && mlKind !== "integer") kindProblem(JSON.stringify(mlKind));
            return;
        case "boolean":
            if (mlKind !== "boolean") kindProblem(JSON.stringify(mlKind));
            return;
        case "list":
            if (mlKind !== "array" || target.items === undefined) return void kindProblem(JSON.stringify(mlKind));
            if (ts.item !== undefined) compareArgument(schema, ts.item, target.items, `${path}[]`, component, problems);
            return;
        case "record":
            if (mlKind !== "object" || target.additionalProperties === undefined) kindProblem("no map");
            return;
        case "union":
            if (!(ts.options ?? []).some((o) => o.kind === mlKind || (o.kind === "list" && mlKind === "array"))) kindProblem(JSON.stringify(mlKind));
            return;
        case "object":
            if (target.properties === undefined) return void kindProblem("no object type");
            compareFields(schema, ts.fields ?? {}, target.properties, new Set(target.required ?? []), path, component, problems);
            return;
        case "opaque":
            return;
    }
}

function compareFields(
    schema: PackageSchema,
    fields: Readonly<Record<string, Field<unknown>>>,
    properties: Record<string, SchemaProperty>,
    required: ReadonlySet<string>,
    prefix: string,
    component: string,
    problems: string[],
): void {
    const tsOnly = TYPESCRIPT_ONLY_ARGUMENTS[component] ?? {};
    const mlOnly = MULTI_LANGUAGE_ONLY_ARGUMENTS[component] ?? {};
    for (const [name, field] of Object.entries(fields)) {
        const path = prefix === "" ? name : `${prefix}.${name}`;
        if (Object.hasOwn(tsOnly, path)) {
            if (Object.hasOwn(properties, name)) problems.push(`${component}.${path} is listed as TypeScript-only but schema.json has it`);
            continue;
        }
        if (!Object.hasOwn(properties, name)) {
            problems.push(
                `${component}.${path} (TypeScript: ${field.schema.allowed}) has no counterpart in the multi-language surface: add it to lib/multilang/args.ts and run \`npm run schema\`, or list it with the reason in TYPESCRIPT_ONLY_ARGUMENTS (lib/multilang/typescriptOnly.ts)`,
            );
            continue;
        }
        const mustGive = field.required === true;
        if (mustGive !== required.has(name))
            problems.push(
                `${component}.${path}: ${mustGive ? "required" : "optional"} in TypeScript, ${required.has(name) ? "required" : "optional"} in schema.json`,
            );
        compareArgument(schema, field.schema, properties[name], path, component, problems);
    }
    for (const name of Object.keys(properties)) {
        const path = prefix === "" ? name : `${prefix}.${name}`;
        if (!Object.hasOwn(fields, name) && !Object.hasOwn(mlOnly, path))
            problems.push(
                `${component}.${path} is in schema.json but TypeScript has no such argument (list it in MULTI_LANGUAGE_ONLY_ARGUMENTS if that is meant)`,
            );
    }
}

/** Where two JSON values differ, as paths (`resources.x.inputProperties.y: missing in schema.json`). */
function jsonDifferences(committed: unknown, analyzed: unknown, path: string): string[] {
    if (
        committed !== null &&
        analyzed !== null &&
        typeof committed === "object" &&
        typeof analyzed === "object" &&
        Array.isArray(committed) === Array.isArray(analyzed)
    ) {
        const a = committed as Record<string, unknown>;
        const b = analyzed as Record<string, unknown>;
        const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
        return keys.flatMap((k) => {
            const at = path === "" ? k : `${path}.${k}`;
            if (!Object.hasOwn(a, k)) return [`${at}: missing in schema.json`];
            if (!Object.hasOwn(b, k)) return [`${at}: no longer analyzed`];
            return jsonDifferences(a[k], b[k], at);
        });
    }
    return committed === analyzed ? [] : [`${path}: ${JSON.stringify(committed)?.slice(0, 60)} → ${JSON.stringify(analyzed)?.slice(0, 60)}`];
}

describe("the multi-language package (PulumiPlugin.yaml, lib/multilang, schema.json)", function () {
    let analyzedText = "";
    let schema: PackageSchema;
    let provider: ComponentProvider;

    before(async function () {
        // The analyzer builds a TypeScript program of the whole checkout (tsconfig.json), as it does under `pulumi package add`.
        provider = componentProvider();
        try {
            analyzedText = await analyzedSchema(provider);
        } catch (error) {
            throw new Error(
                `Pulumi's analyzer refuses the multi-language surface: ${error instanceof Error ? error.message : String(error)}\n` +
                    "The multi-language interfaces extend the TypeScript ones, so a field whose type it cannot take (a union, an inline " +
                    "object type, …) must be redeclared in lib/multilang/args.ts with one it takes (an enum of the same values, a named interface: see its header).",
                { cause: error },
            );
        }
        schema = JSON.parse(analyzedText) as PackageSchema;
    });

    it("PulumiPlugin.yaml declares a Node.js plugin, and the npm package ships it with the schema, tsconfig.json and the sources the analyzer reads", function () {
        assert.match(readFileSync(join(REPO, "PulumiPlugin.yaml"), "utf8"), /^runtime: nodejs$/m);
        const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { files: string[]; main: string };
        for (const f of ["PulumiPlugin.yaml", "schema.json", "tsconfig.json", "lib/**/*.ts"]) assert.ok(pkg.files.includes(f), `package.json files lacks ${f}`);
        assert.equal(pkg.main, "lib/multilang/index.ts");
    });

    it("package.json's main exports exactly the multi-language components, under the provider name Pulumi derives from the package name", function () {
        const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { name: string; main: string };
        assert.deepEqual(providerName(pkg.name), { name: PROVIDER_NAME });
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- what the plugin host does with `main`
        const names = getPulumiComponents(require(join(REPO, pkg.main))).map((c) => c.name);
        assert.deepEqual(names.sort(), [
            "Cache",
            "Database",
            "DebianImage",
            "LoadBalancer",
            "MatomoCluster",
            "Network",
            "NodeGroup",
            "ProvisioningBucket",
            "Secrets",
        ]);
        assert.deepEqual(Object.keys(schema.resources).sort(), names.map(TOKEN).sort());
    });

    it("Pulumi's analyzer accepts every component and writes exactly the committed schema.json (else: npm run schema)", function () {
        // Compared as JSON, not as text: a formatter may lay the committed file out its own way.
        const differences = jsonDifferences(JSON.parse(readFileSync(SCHEMA_FILE, "utf8")), JSON.parse(analyzedText), "");
        assert.ok(
            differences.length === 0,
            `schema.json differs from what Pulumi's analyzer writes for this checkout (${differences.slice(0, 10).join("; ")}): run \`npm run schema\` and commit schema.json`,
        );
    });

    it("every argument of the TypeScript components has a counterpart of the same kind and requiredness in schema.json, or is listed as TypeScript-only with its reason", function () {
        const problems: string[] = [];
        for (const [component, ts] of Object.entries(TYPESCRIPT_SCHEMAS)) {
            const resource = schema.resources[TOKEN(component)];
            assert.ok(resource, `schema.json has no ${TOKEN(component)}`);
            compareFields(schema, ts.fields ?? {}, resource.inputProperties, new Set(resource.requiredInputs), "", component, problems);
        }
        assert.deepEqual(problems, []);
    });

    it("every listed TypeScript-only argument is still a TypeScript argument (the list does not outlive what it explains)", function () {
        for (const [component, paths] of Object.entries(TYPESCRIPT_ONLY_ARGUMENTS)) {
            for (const path of Object.keys(paths)) {
                let fields = TYPESCRIPT_SCHEMAS[component].fields ?? {};
                const segments = path.split(".");
                for (const s of segments.slice(0, -1)) fields = fields[s]?.schema.fields ?? {};
                assert.ok(
                    Object.hasOwn(fields, segments[segments.length - 1]),
                    `${component}.${path} is listed as TypeScript-only but is no TypeScript argument`,
                );
            }
        }
    });

    it("the README's section names every TypeScript-only argument and property", function () {
        const readme = readFileSync(join(REPO, "README.md"), "utf8");
        const section = readme.slice(readme.indexOf("## Using it from Python, Go, C#, Java or YAML"), readme.indexOf("## Policy pack"));
        const names = [
            ...Object.values(TYPESCRIPT_ONLY_ARGUMENTS).flatMap((paths) => Object.keys(paths)),
            ...Object.keys(TYPESCRIPT_ONLY_CLUSTER_PROPERTIES),
            "extraConfigLists",
            "extraConfigSecrets",
        ];
        for (const name of names) assert.ok(section.includes(`\`${name}\``), `README, "Using it from Python, Go, C#, Java or YAML", does not name \`${name}\``);
    });

    it("every property of a TypeScript MatomoCluster is an output of the multi-language one, or listed as TypeScript-only", async function () {
        const { value: cluster } = await build(
            () => new TypeScriptMatomoCluster("props", BASE_ARGS),
            (c) => [c.url],
        );
        const outputs = schema.resources[TOKEN("MatomoCluster")].properties;
        const ownProperties = Object.keys(cluster).filter((k) => !k.startsWith("__") && k !== "urn");
        const missing = ownProperties.filter((k) => !Object.hasOwn(outputs, k) && !Object.hasOwn(TYPESCRIPT_ONLY_CLUSTER_PROPERTIES, k));
        assert.deepEqual(missing, [], "add these to lib/multilang/cluster.ts (then npm run schema) or to TYPESCRIPT_ONLY_CLUSTER_PROPERTIES with the reason");
        for (const k of Object.keys(outputs))
            assert.ok(ownProperties.includes(k) || pulumi.Output.isInstance((cluster as unknown as Record<string, unknown>)[k]), `${k}`);
    });

    it("a MatomoCluster built from multi-language arguments registers under its token and plans the TypeScript cluster's resources, extraConfig's three maps joined into one config", async function () {
        const secret = { secretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:matomo-api-AbCdEf" };
        const { rt, value } = await build(
            () =>
                new MatomoCluster("ml", {
                    ...BASE_ARGS,
                    architecture: "x86_64",
                    network: { natGateways: "single" },
                    extraConfig: { General: { contact_email_address: "ops@example.com" } },
                    extraConfigLists: { General: { cors_domains: ["https://shop.example", "https://blog.example"] } },
                    extraConfigSecrets: { CustomPlugin: { api_token: secret } },
                }),
            (c) => [c.configIniPhp, c.url],
        );
        const ini = await valueOf(value.configIniPhp);
        const section = (name: string) => ini.split(/\n(?=\[[A-Za-z_]+\]\n)/).find((s) => s.startsWith(`[${name}]\n`)) ?? "";
        assert.ok(section("General").includes('\ncontact_email_address = "ops@example.com"\n'));
        assert.ok(section("General").includes('\ncors_domains[] = "https://shop.example"\ncors_domains[] = "https://blog.example"\n'));
        assert.equal(section("CustomPlugin"), '[CustomPlugin]\napi_token = "{{secret:ref_CustomPlugin_api_token}}"\n');
        assert.equal(await valueOf(value.url), "https://analytics.example.com");
        const wrapper = rt.resources.filter((r) => r.type === TOKEN("MatomoCluster"));
        assert.equal(wrapper.length, 1);
        assert.ok(
            rt.resources.some((r) => r.type === "matomo:aws:MatomoCluster" && r.parent === "ml"),
            "the TypeScript cluster is the wrapper's child",
        );
        // One NAT gateway, x86 nodes: the arguments reached the TypeScript cluster as given.
        assert.equal(rt.ofType("aws:ec2/natGateway:NatGateway").length, 1);
        // The reference preset's x86_64 types (README, "Sizing presets"): c7i.large trackers, an m7i.large ui node.
        assert.deepEqual(
            rt
                .ofType("aws:ec2/launchTemplate:LaunchTemplate")
                .map((lt) => lt.inputs.instanceType)
                .sort(),
            ["c7i.large", "m7i.large"],
        );

        const { rt: tsRt } = await build(
            () => new TypeScriptMatomoCluster("ml", { ...BASE_ARGS, architecture: "x86_64", network: { natGateways: "single" } }),
            (c) => [c.url],
        );
        const custom = (r: { custom: boolean; type: string; name: string }) => (r.custom ? [`${r.type} ${r.name}`] : []);
        assert.deepEqual(rt.resources.flatMap(custom).sort(), tsRt.resources.flatMap(custom).sort());
    });

    it("the plugin host's construct, as the engine calls it for a Python or YAML program, builds the component from plain inputs and returns every output the schema lists", async function () {
        const { value } = await build(
            () =>
                provider.construct(
                    "py",
                    TOKEN("MatomoCluster"),
                    {
                        domain: "analytics.example.com",
                        hostedZoneId: "Z0123456789ABCDEFGHIJ",
                        superUser: { email: "ops@example.com" },
                        preset: "small",
                        network: { natGateways: "single" },
                    },
                    {},
                ),
            (constructed) => [constructed],
        );
        const result = await value;
        const state = result.state as Record<string, unknown>;
        assert.deepEqual(Object.keys(state).sort(), Object.keys(schema.resources[TOKEN("MatomoCluster")].properties).sort());
        assert.equal(await valueOf(state.url as pulumi.Output<string>), "https://analytics.example.com");
        assert.match(await valueOf(result.urn as pulumi.Output<string>), /::pulumi-matomo-aws:index:MatomoCluster::py$/);
    });

    it("construct takes an Output inside a nested input, as the engine hands over another resource's output (a standalone Network on an existing VPC)", async function () {
        const { value } = await build(
            () =>
                provider.construct(
                    "net",
                    TOKEN("Network"),
                    {
                        existing: {
                            vpcId: pulumi.output("vpc-0a1b2c3d4e5f60718"),
                            publicSubnetIds: ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712"],
                            privateSubnetIds: [pulumi.output("subnet-0a1b2c3d4e5f60713"), "subnet-0a1b2c3d4e5f60714"],
                        },
                    },
                    {},
                ),
            (constructed) => [constructed],
        );
        const state = (await value).state as Record<string, pulumi.Output<unknown>>;
        assert.equal(await valueOf(state.vpcId), "vpc-0a1b2c3d4e5f60718");
        assert.deepEqual(await valueOf(state.privateSubnetIds), ["subnet-0a1b2c3d4e5f60713", "subnet-0a1b2c3d4e5f60714"]);
        assert.equal(await valueOf(state.created), false);
    });

    it("domain is an input, not a plain value, for the cluster and the LoadBalancer: construct takes another resource's Output for it", async function () {
        for (const component of ["MatomoCluster", "LoadBalancer"])
            assert.deepEqual(schema.resources[TOKEN(component)].inputProperties.domain.plain, undefined, `${component}.domain is plain in schema.json`);
        const { value } = await build(
            () =>
                provider.construct(
                    "py",
                    TOKEN("MatomoCluster"),
                    {
                        domain: pulumi.output("Analytics.Example.com"),
                        hostedZoneId: "Z0123456789ABCDEFGHIJ",
                        superUser: { email: "ops@example.com" },
                        preset: "small",
                        network: { natGateways: "single" },
                    },
                    {},
                ),
            (constructed) => [constructed],
        );
        const state = (await value).state as Record<string, pulumi.Output<unknown>>;
        assert.equal(await valueOf(state.url), "https://analytics.example.com");
        assert.match(String(await valueOf(state.configIniPhp)), /^trusted_hosts\[\] = "analytics\.example\.com"$/m);
    });

    it("a MatomoCluster's multi-language arguments are checked by the same rules, every problem at once, with the paths as written", function () {
        assert.throws(
            () =>
                new MatomoCluster("bad", {
                    domain: "analytics.example.com",
                    hostedZoneId: "Z0123456789ABCDEFGHIJ",
                    superUser: { email: "ops@example.com" },
                    trackers: { minSize: 0 },
                    preset: "huge" as never,
                }),
            (e: unknown) => e instanceof InvalidArgumentError && /trackers\.minSize/.test(e.message) && /preset/.test(e.message),
        );
    });

    it("extraConfig's three maps: a key given in two of them is refused, naming both", function () {
        assert.throws(
            () => joinExtraConfig({ extraConfig: { General: { cors_domains: "x" } }, extraConfigLists: { General: { cors_domains: ["y"] } } }),
            (e: unknown) =>
                e instanceof InvalidArgumentError && e.message.includes("extraConfigLists.General.cors_domains") && e.message.includes("extraConfig.General"),
        );
        assert.equal(joinExtraConfig({}), undefined);
    });
});
