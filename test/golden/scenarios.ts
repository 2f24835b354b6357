/**
 * The golden files (test/golden/<scenario>/<role>.cloud-config.yaml and <role>.bundle.txt): what a
 * node of each role receives in each scenario, rendered by the plan's own code (lib/plan/userData.ts
 * decodes the user data, lib/plan/bundleListing.ts lists the bundle) from the pure renderers
 * (lib/provision) with resolved settings, so no mock runtime is needed. A reviewer reads in a diff
 * what a change does to a node; test/golden.test.ts fails on drift, `npm run golden` rewrites them.
 *
 * Every value a cluster would only know at `pulumi up` (ARNs, hosts, version ids, log group names)
 * is fixed here, in the shapes AWS documents, so the files never vary from run to run. Only ARNs and
 * `{{secret:…}}` placeholders appear: no secret value is an input at all.
 */
import { join } from "path";
import { renderConfig } from "../../lib/config";
import { decodeUserData } from "../../lib/plan/userData";
import { renderBundleListing } from "../../lib/plan/bundleListing";
import { bundleKey, renderProvisioningBundle, renderUserData, type BundleInput, type NodeObservability, type NodeRole } from "../../lib/provision";
import { resolveSettings, type MatomoClusterArgs, type ResolvedSettings } from "../../lib/settings";

export const GOLDEN_DIR = join(__dirname);
export const ROLES: readonly NodeRole[] = ["tracker", "ui"];

const REGION = "eu-west-1";
const SECRET = (name: string) => `arn:aws:secretsmanager:${REGION}:123456789012:secret:${name}`;
/** The secrets a cluster creates, by what they hold (lib/aws/cluster.ts passes their ARNs). */
const ARNS = {
    admin: SECRET("matomo-db-master-AbCdEf"),
    app: SECRET("matomo-db-app-GhIjKl"),
    tracker: SECRET("matomo-db-tracker-MnOpQr"),
    salt: SECRET("matomo-salt-StUvWx"),
    superUser: SECRET("matomo-superuser-YzAbCd"),
    redis: SECRET("matomo-redis-auth-token-EfGhIj"),
};
/** Secrets Manager version ids (UUIDs), which roll a group when a password changes. */
const VERSIONS = {
    admin: "0b1c2d3e-0000-4000-8000-000000000001",
    app: "0b1c2d3e-0000-4000-8000-000000000002",
    tracker: "0b1c2d3e-0000-4000-8000-000000000003",
};
const DATABASE_HOST = "matomo-db.c0abcdefghij.eu-west-1.rds.amazonaws.com";
const DATABASE_READER_HOST = "matomo-db-replica.c0abcdefghij.eu-west-1.rds.amazonaws.com";
const REDIS_HOST = "master.matomo-redis.abc123.euw1.cache.amazonaws.com";
const BUCKET = "matomo-provisioning-20261125190000000000000001";
/** S3 version ids of the shape AWS documents, one per role's bundle. */
const BUNDLE_VERSIONS: Record<NodeRole, string> = {
    tracker: "3sL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY+MTRCxf3vjVBH40Nr8X8gdRQBpUMLUo",
    ui: "UIORUnfndfiufdisojhr398493jfdkjFJjkndnqUifhnw89493jJFJ",
};
/** What a cluster named `matomo` hands its nodes with observability on (the default). */
const OBSERVABILITY: NodeObservability = {
    cluster: "matomo-matomo-5e8a1b2c",
    logGroups: {
        "nginx-access": "/matomo/matomo-logs-5e8a1b2c/nginx-access",
        "nginx-error": "/matomo/matomo-logs-5e8a1b2c/nginx-error",
        "php-fpm": "/matomo/matomo-logs-5e8a1b2c/php-fpm",
        matomo: "/matomo/matomo-logs-5e8a1b2c/matomo",
        provisioning: "/matomo/matomo-logs-5e8a1b2c/provisioning",
        archiving: "/matomo/matomo-logs-5e8a1b2c/archiving",
    },
};
/** `large` turns QueuedTracking on, which needs the plugin zip's sha256; any well-formed one renders the same files. */
const PLACEHOLDER_PLUGIN_SHA256 = "0".repeat(64);

/** The reference example's sample stack (examples/reference/Pulumi.dev.yaml): everything else default. */
const REFERENCE: MatomoClusterArgs = { domain: "analytics.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ", superUser: { email: "ops@example.com" } };

/** The scenarios, by directory name. */
export const SCENARIOS: Readonly<Record<string, MatomoClusterArgs>> = {
    reference: REFERENCE,
    large: { ...REFERENCE, preset: "large", queuedTracking: { pluginSha256: PLACEHOLDER_PLUGIN_SHA256 } },
    // examples/existing-vpc's sample stack: your VPC and subnets, an ACM certificate instead of a zone.
    "existing-vpc": {
        domain: "analytics.example.com",
        certificateArn: `arn:aws:acm:${REGION}:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`,
        superUser: { email: "ops@example.com" },
        network: {
            existing: {
                vpcId: "vpc-0a1b2c3d4e5f60718",
                publicSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"],
                privateSubnetIds: ["subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2"],
            },
        },
    },
    "prebuilt-image": { ...REFERENCE, nodeImage: { prebuilt: true } },
};

/** What lib/aws/clusterNodes.ts's nodeInputs gives a role, with the fixed values above. */
function nodeInput(role: NodeRole, settings: ResolvedSettings): BundleInput {
    const config = renderConfig(settings, {
        databaseHost: DATABASE_HOST,
        ...(settings.database.kind === "new" && settings.database.readReplica ? { databaseReaderHost: DATABASE_READER_HOST } : {}),
        ...(settings.queuedTracking.enabled ? { redis: { host: REDIS_HOST, port: 6379 } } : {}),
    });
    const own = role === "ui" ? ARNS.app : ARNS.tracker;
    return {
        role,
        settings,
        config,
        region: REGION,
        secrets: {
            database_username: { secretArn: own, jsonKey: "username" },
            database_password: { secretArn: own, jsonKey: "password" },
            ...(role === "ui"
                ? {
                      databaseUsers: {
                          adminUsername: "matomo",
                          adminPassword: { secretArn: ARNS.admin, jsonKey: "password" },
                          appSecretArn: ARNS.app,
                          trackerSecretArn: ARNS.tracker,
                      },
                  }
                : {}),
            salt: { secretArn: ARNS.salt },
            superuser_password: { secretArn: ARNS.superUser },
            ...(settings.queuedTracking.enabled ? { redis_password: { secretArn: ARNS.redis } } : {}),
            references: {},
        },
        databasePasswordVersion: role === "ui" ? [VERSIONS.admin, VERSIONS.app, VERSIONS.tracker].join(",") : VERSIONS.tracker,
        observability: OBSERVABILITY,
    };
}

/** Every golden file, by path relative to GOLDEN_DIR, with the text it must hold. */
export function renderGoldenFiles(): Map<string, string> {
    const files = new Map<string, string>();
    for (const [scenario, args] of Object.entries(SCENARIOS)) {
        const settings = resolveSettings(args);
        for (const role of ROLES) {
            const input = nodeInput(role, settings);
            const key = bundleKey(role);
            const userData = renderUserData({ ...input, bundle: { bucket: BUCKET, key, versionId: BUNDLE_VERSIONS[role] } });
            files.set(`${scenario}/${role}.cloud-config.yaml`, decodeUserData(userData.base64));
            files.set(`${scenario}/${role}.bundle.txt`, renderBundleListing(role, key, renderProvisioningBundle(input).content).text);
        }
    }
    return files;
}
