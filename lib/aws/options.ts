/**
 * How component options and per-child overrides reach the children.
 *
 * Children get `{ parent: this }`, so Pulumi already hands them the component's `provider`/
 * `providers`, `protect` and `transforms`. `ignoreChanges` and `customTimeouts` are not
 * inherited by Pulumi (their meaning is per resource type), so each component passes them on
 * explicitly to the children they make sense for (named in each component's TSDoc).
 */
import * as pulumi from "@pulumi/pulumi";

/** Extra arguments merged over ours (shallow: a key you set replaces ours), and extra options. */
export interface ChildOverride<TArgs> {
    /** Merged over the arguments we computed, key by key. */
    args?: Partial<TArgs>;
    /** Merged over the options we computed (e.g. `ignoreChanges`, `retainOnDelete`). */
    opts?: pulumi.CustomResourceOptions;
}

/** Our args with the user's override merged over them (a shallow merge, documented as such). */
export function withOverride<TArgs extends object>(ours: TArgs, override: ChildOverride<TArgs> | undefined): TArgs {
    return { ...ours, ...(override?.args ?? {}) } as TArgs;
}

/** Options for a child that the component's `ignoreChanges`/`customTimeouts` apply to. */
export function primaryChildOpts(
    parent: pulumi.Resource,
    componentOpts: pulumi.ComponentResourceOptions | undefined,
    override?: ChildOverride<unknown>,
    extra?: pulumi.CustomResourceOptions,
): pulumi.CustomResourceOptions {
    return {
        parent,
        ...(componentOpts?.ignoreChanges ? { ignoreChanges: componentOpts.ignoreChanges } : {}),
        ...(componentOpts?.customTimeouts ? { customTimeouts: componentOpts.customTimeouts } : {}),
        ...(extra ?? {}),
        ...(override?.opts ?? {}),
    };
}

/** Options for any other child: the parent, plus the user's per-child override. */
export function childOpts(parent: pulumi.Resource, override?: ChildOverride<unknown>, extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
    return { parent, ...(extra ?? {}), ...(override?.opts ?? {}) };
}

/** Resource tags: a value may be an Output (another resource's id, a stack output). */
export type Tags = Record<string, pulumi.Input<string>>;

/** Tags every child carries: the user's, plus `matomo:cluster` naming the component tree. */
export function clusterTags(tags: Tags | undefined, clusterName: string): Tags {
    return { ...(tags ?? {}), "matomo:cluster": clusterName };
}
