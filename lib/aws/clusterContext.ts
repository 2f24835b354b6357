/**
 * What every step of `MatomoCluster` (lib/aws/cluster.ts) shares. The cluster composes named steps
 * (lib/aws/cluster*.ts), each a function of this context and the children made before it, so a step
 * can be read, and called, without the others.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ResolvedSettings } from "../settings";
import type { ResolvedObservability } from "../settings/cluster";
import type { MatomoClusterAwsArgs, MatomoClusterOverrides } from "./cluster";
import type { Tags } from "./options";

/** The AWS knobs as `resolveClusterArgs` returns them: as given (checked), observability resolved. */
export type ClusterAwsArgs = MatomoClusterAwsArgs & { observability: ResolvedObservability };

export interface ClusterContext {
    /** The cluster's name: every child's name derives from it. */
    readonly name: string;
    /** The arguments with every default filled in, as validated. */
    readonly settings: ResolvedSettings;
    readonly aws: ClusterAwsArgs;
    /** `aws.overrides`, or none. */
    readonly overrides: MatomoClusterOverrides;
    /** The tags every child carries (options.ts, `clusterTags`). */
    readonly tags: Tags;
    /** For child components: the cluster as parent, and the options Pulumi does not pass on through `parent`. */
    readonly childOptions: pulumi.ComponentResourceOptions;
    /** The cluster itself: the parent of its plain resources and of its invokes. */
    readonly parent: pulumi.Resource;
}
