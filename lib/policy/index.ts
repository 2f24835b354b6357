/**
 * `pulumi-matomo-aws/policy`: the library's guarantees as Pulumi policies, for the shipped policy
 * pack (`policy-pack/`) and for users who compose them into a pack of their own.
 */
export { CONFIG_HASH_TAG, MATOMO_POLICIES } from "./policies";
