/**
 * `pulumi-matomo-aws`: the `MatomoCluster` component, the standalone components it is built from,
 * the argument types they take, and the pure functions that render Matomo's config.
 *
 * @module pulumi-matomo-aws
 */
// Every argument type users write, and the resolved settings `MatomoCluster.settings` holds.
export * from "./settings/args";
// From the settings module only what a program calls or reads: the schemas and the per-component
// resolvers behind the components' validation stay internal (the components validate themselves).
export {
    InvalidArgumentError,
    HiddenValue,
    formatPath,
    describeValue,
    resolveSettings,
    // What renderConfig's error names when an argument given as an Output has not resolved yet.
    withKnownValues,
    lockedConfigKeys,
    isLockedConfigKey,
    MINIMUM_MATOMO_VERSION,
    LOCKED_CONFIG_SECTIONS,
    ALWAYS_LOCKED_KEYS,
    isSecretKey,
    SUPPORTED_ENGINE_VERSIONS,
    UNUSABLE_VPC_RANGES,
    minimumMaxAllocatedStorageGiB,
    defaultMaxAllocatedStorageGiB,
    RDS_MAX_STORAGE_GIB,
    RDS_MAX_ALLOCATED_GIB,
    PRESETS,
    PRESET_SIZES,
    DEFAULT_PRESET,
    MEASURED_WORKER_DRAIN_PER_SECOND,
    WORKER_SIZING_PER_SECOND,
    MAX_QUEUE_WORKERS,
    queueWorkersForPeak,
} from "./settings";
export type { ArgumentPath, ArgumentProblem, PresetSizes } from "./settings";
export type { TypeByArchitecture } from "./settings/presets";
export type { NodeRole } from "./provision/types";
export * from "./release";
export * as config from "./config";
export * from "./aws";
export * as importer from "./import/importConfig";
