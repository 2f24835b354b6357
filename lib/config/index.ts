export {
    renderConfig,
    renderedConfigKeys,
    sha256Hex,
    PHP_GUARD_LINE,
    DATABASE_CA_BUNDLE_PATH,
    DATABASE_COLLATION,
    MATOMO_LOG_PATH,
    REDIS_TLS_SCHEME,
} from "./render";
export type { ConfigRuntimeValues, RenderedConfig } from "./render";
export { escapeIniString, escapeIniContent } from "./ini";
export {
    SECRET_NAMES,
    SECRET_NAME_PATTERN,
    secretPlaceholder,
    referenceSecretName,
    configSecretReferences,
    isSecretReference,
    placeholdersIn,
    fillSecretPlaceholders,
    secretValueFromString,
} from "./secrets";
export type { SecretName, ConfigSecretReference } from "./secrets";
export { databaseUserNames, DATABASE_USER_NAME_MAX } from "./databaseUsers";
export type { DatabaseUserNames } from "./databaseUsers";
