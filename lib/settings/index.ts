/**
 * Arguments → resolved, validated settings: the types users write (`./args`), every value rule
 * once (`./fields`), the schemas of the cluster and of each standalone component
 * (`./cluster`, `./components`), and the one error type (`./errors`).
 */
export * from "./args";
export { InvalidArgumentError, HiddenValue, formatPath, describeValue } from "./errors";
export type { ArgumentPath, ArgumentProblem } from "./errors";
export {
    resolveSettings,
    resolveClusterComponentArgs,
    clusterArgsSchema,
    clusterComponentArgsSchema,
    lockedConfigKeys,
    isLockedConfigKey,
    MINIMUM_MATOMO_VERSION,
} from "./cluster";
export type { ResolvedClusterAwsArgs } from "./cluster";
export {
    resolveNetworkComponentArgs,
    resolveDatabaseComponentArgs,
    resolveCacheComponentArgs,
    resolveDebianImageComponentArgs,
    resolveLoadBalancerComponentArgs,
    resolveNodeGroupComponentArgs,
    resolveSecretsComponentArgs,
} from "./components";
export type { NetworkPlan } from "./components";
export { LOCKED_CONFIG_SECTIONS, ALWAYS_LOCKED_KEYS, isSecretKey } from "./extraConfig";
export {
    SUPPORTED_ENGINE_VERSIONS,
    UNUSABLE_VPC_RANGES,
    minimumMaxAllocatedStorageGiB,
    defaultMaxAllocatedStorageGiB,
    RDS_MAX_STORAGE_GIB,
    RDS_MAX_ALLOCATED_GIB,
} from "./fields";
export { PRESETS, PRESET_SIZES, DEFAULT_PRESET } from "./presets";
export type { PresetSizes } from "./presets";
export { textProblem, editDistance, nearest } from "./schema";
export { withKnownValues, known } from "./known";
export type { Schema, Field } from "./schema";
export { MEASURED_WORKER_DRAIN_PER_SECOND, WORKER_SIZING_PER_SECOND, MAX_QUEUE_WORKERS, queueWorkersForPeak } from "./queueSizing";
