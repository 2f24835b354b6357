/**
 * What the TypeScript surface has and the multi-language one does not, each with the reason, and
 * the reverse. `test/multilang.test.ts` walks every argument of the TypeScript components'
 * schemas (`lib/settings`) and fails on one that has no counterpart in the analyzed schema and is
 * not listed here; the README's "Using it from Python, Go, C#, Java or YAML" names each one.
 */

const CHILD_OVERRIDE =
    "a per-child override ({ args, opts }) merges raw @pulumi/aws arguments and resource options over the child's: their types are the AWS SDK's TypeScript types, which the component schema cannot carry";

/** Arguments only TypeScript programs can give, by component, as paths into the arguments (`overrides`, `plugins[].name`). */
const ALLOW_UNSAFE = "names protections the per-child overrides may weaken; those overrides are TypeScript-only, so there is nothing to name";

export const TYPESCRIPT_ONLY_ARGUMENTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
    MatomoCluster: { overrides: `per-child overrides: ${CHILD_OVERRIDE}` },
    Network: { vpc: CHILD_OVERRIDE },
    Database: { instance: CHILD_OVERRIDE, replica: CHILD_OVERRIDE, allowUnsafe: ALLOW_UNSAFE },
    Cache: { replicationGroup: CHILD_OVERRIDE, allowUnsafe: ALLOW_UNSAFE },
    LoadBalancer: { loadBalancer: CHILD_OVERRIDE, targetGroup: CHILD_OVERRIDE, allowUnsafe: ALLOW_UNSAFE },
    NodeGroup: { launchTemplate: CHILD_OVERRIDE, autoScalingGroup: CHILD_OVERRIDE, allowUnsafe: ALLOW_UNSAFE },
    Secrets: { secret: CHILD_OVERRIDE, allowUnsafe: ALLOW_UNSAFE },
};

/** Arguments only the multi-language surface has (joined into TypeScript's `extraConfig` by `./convert.ts`). */
export const MULTI_LANGUAGE_ONLY_ARGUMENTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
    MatomoCluster: {
        extraConfigLists: "extraConfig values that are lists (TypeScript gives them in extraConfig itself)",
        extraConfigSecrets: "extraConfig values that are secret references (TypeScript gives them in extraConfig itself)",
    },
};

/**
 * Values only TypeScript can give where both surfaces have the argument (the analyzer refuses
 * unions, so the multi-language type is the one alternative other languages need most).
 */
export const TYPESCRIPT_ONLY_VALUES: Readonly<Record<string, string>> = {
    "MatomoCluster.extraConfig":
        "a number or boolean value, written unquoted in config.ini.php (from other languages every extraConfig value is a string, written quoted)",
};

/** Properties of the TypeScript `MatomoCluster` that are not outputs of the multi-language one. */
export const TYPESCRIPT_ONLY_CLUSTER_PROPERTIES: Readonly<Record<string, string>> = {
    settings: "the resolved settings: a TypeScript object of unions (every value is also an argument you gave, or its documented default)",
    network: "a child component object (its ids are outputs: vpcId, natGatewayPublicIps)",
    secrets: "a child component object (its ARNs are outputs: saltSecretArn, superUserPasswordSecretArn)",
    database: "a child component object (its values are outputs: databaseHost, databasePort, …)",
    cache: "a child component object (its values are outputs: redisHost, redisPort)",
    loadBalancer: "a child component object (its values are outputs: loadBalancerArn, loadBalancerDnsName, …)",
    trackers: "a child component object (its values are outputs: trackerAutoScalingGroupName, …)",
    ui: "a child component object (its values are outputs: uiAutoScalingGroupName, …)",
    image: "a child component object (the AMI both groups boot)",
    provisioningBucket: "a child component object (the bundles' bucket)",
    nodeImage: "a private child component (the pre-built image; its AMI is the output nodeImageId)",
};
