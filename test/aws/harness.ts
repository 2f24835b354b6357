/**
 * Building clusters and components under the one mock runtime, one build at a time: install the
 * mocks, construct, resolve the outputs, wait for every registration (settle), then hand back the
 * recorded graph. `setMocks` is process-global, so builds never overlap.
 */
import * as pulumi from "@pulumi/pulumi";
import { load } from "js-yaml";
import { gunzipSync } from "zlib";
import { installMockRuntime, settle, valueOf, type MockOptions, type MockRuntime, type RecordedResource } from "../../lib/plan/mockRuntime";
import { MatomoCluster, type MatomoClusterComponentArgs } from "../../lib/aws/cluster";
import { withoutPromiseStacks } from "../../lib/plan/promiseStacks";

export const BASE_ARGS: MatomoClusterComponentArgs = {
    domain: "analytics.example.com",
    hostedZoneId: "Z0123456789ABCDEFGHIJ",
    superUser: { email: "ops@example.com" },
};

/** The `large` preset as a user writes it (it turns QueuedTracking on, which asks for the plugin's sha256). */
export const LARGE_ARGS: MatomoClusterComponentArgs = { ...BASE_ARGS, preset: "large", queuedTracking: { pluginSha256: "9f".repeat(32) } };

export interface Built<T> {
    rt: MockRuntime;
    value: T;
}

/** Build anything that creates resources; `outputs` lists what to resolve before settling. */
export async function build<T>(make: () => T, outputs: (value: T) => pulumi.Input<unknown>[] = () => [], mock: MockOptions = {}): Promise<Built<T>> {
    // As a plan does: the SDK's per-promise stacks (never printed here) cost more than the graph.
    return withoutPromiseStacks(async () => {
        const rt = installMockRuntime({}, undefined, mock);
        const value = make();
        await Promise.all(outputs(value).map((o) => valueOf(o)));
        await settle();
        return { rt, value };
    });
}

export interface ClusterOutputs {
    configSha256: string;
    configIniPhp: string;
    url: string;
}

export async function buildCluster(
    args: MatomoClusterComponentArgs = BASE_ARGS,
    opts?: pulumi.ComponentResourceOptions,
    name = "matomo",
    mock: MockOptions = {},
): Promise<Built<MatomoCluster> & { outputs: ClusterOutputs }> {
    const built = await build(
        () => new MatomoCluster(name, args, opts),
        (c) => [c.configSha256, c.configIniPhp, c.url, c.configIniPhpRendered, c.trackerAutoScalingGroupName, c.uiAutoScalingGroupName],
        mock,
    );
    const c = built.value;
    const outputs = { configSha256: await valueOf(c.configSha256), configIniPhp: await valueOf(c.configIniPhp), url: await valueOf(c.url) };
    return { ...built, outputs };
}

/** Resources of a type, as a short alias list: `of(rt, "aws:lb/listener:Listener")`. */
export function of(rt: MockRuntime, type: string): RecordedResource[] {
    return rt.ofType(type);
}

/** Exactly one resource of a type. */
export function one(rt: MockRuntime, type: string): RecordedResource {
    const found = rt.ofType(type);
    if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`);
    return found[0];
}

/** The id the mock gave a resource (what other resources reference). */
export function idOf(resource: RecordedResource): string {
    return resource.id;
}

/** The text of a role's user data, as its launch template carries it (gzip, base64). */
export function userDataText(rt: MockRuntime, role: string): string {
    return gunzipSync(
        Buffer.from(String(rt.ofType("aws:ec2/launchTemplate:LaunchTemplate").find((l) => l.parent === `matomo-${role}`)!.inputs.userData), "base64"),
    ).toString("utf8");
}

/** A file under /etc/matomo-provision the role's node gets: from its user data, or else from its provisioning bundle (the S3 object's ustar). */
export function nodePayload(rt: MockRuntime, role: string, name: string): string | undefined {
    const path = `/etc/matomo-provision/${name}`;
    const inUserData = (load(userDataText(rt, role)) as { write_files: { path: string; content: string }[] }).write_files.find((f) => f.path === path)?.content;
    if (inUserData !== undefined) return inUserData;
    const object = rt.ofType("aws:s3/bucketObjectv2:BucketObjectv2").find((o) => o.inputs.key === `provisioning/${role}.tar.gz`)!;
    const tar = gunzipSync(Buffer.from(String(object.inputs.contentBase64), "base64"));
    for (let offset = 0; offset + 512 <= tar.length;) {
        const header = tar.subarray(offset, offset + 512);
        if (header.every((b) => b === 0)) break;
        const entry = header.subarray(0, 100).toString("utf8").replace(/\0.*$/s, "");
        const size = parseInt(header.subarray(124, 136).toString("ascii").replace(/\0.*$/s, "").trim() || "0", 8);
        if (`/${entry}` === path) return tar.subarray(offset + 512, offset + 512 + size).toString("utf8");
        offset += 512 + Math.ceil(size / 512) * 512;
    }
    return undefined;
}
