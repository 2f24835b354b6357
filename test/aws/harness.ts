/**
 * Building clusters and components under the one mock runtime, one build at a time: install the
 * mocks, construct, resolve the outputs, wait for every registration (settle), then hand back the
 * recorded graph. `setMocks` is process-global, so builds never overlap.
 */
import * as pulumi from "@pulumi/pulumi";
import { installMockRuntime, settle, valueOf, type MockOptions, type MockRuntime, type RecordedResource } from "../../lib/plan/mockRuntime";
import { MatomoCluster, type MatomoClusterComponentArgs } from "../../lib/aws/cluster";

export const BASE_ARGS: MatomoClusterComponentArgs = {
    domain: "analytics.example.com",
    hostedZoneId: "Z0123456789ABCDEFGHIJ",
    superUser: { email: "ops@example.com" },
};

export interface Built<T> {
    rt: MockRuntime;
    value: T;
}

/** Build anything that creates resources; `outputs` lists what to resolve before settling. */
export async function build<T>(make: () => T, outputs: (value: T) => pulumi.Input<unknown>[] = () => [], mock: MockOptions = {}): Promise<Built<T>> {
    const rt = installMockRuntime({}, undefined, mock);
    const value = make();
    await Promise.all(outputs(value).map((o) => valueOf(o)));
    await settle();
    return { rt, value };
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
