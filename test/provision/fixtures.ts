/** Shared inputs for the provisioning tests: typical settings and the secret refs a cluster passes. */
import { renderConfig, type RenderedConfig } from "../../lib/config";
import { bundleKey, renderUserData, type BundleLocation, type NodeRole, type RenderedUserData, type UserDataInput } from "../../lib/provision";
import { resolveSettings, type MatomoClusterArgs, type ResolvedSettings } from "../../lib/settings";

export const ARNS = {
    database_password: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:matomo-db-AbCdEf",
    salt: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:matomo-salt-GhIjKl",
    superuser_password: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:matomo-su-MnOpQr",
    redis_password: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:matomo-redis-auth-token-StUvWx",
    database_admin: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:matomo-db-admin-StUvWx",
    database_tracker: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:matomo-db-tracker-YzAbCd",
};

/** What the cluster passes a ui node: the admin credential and both users' secrets (the app user's is `database_password`'s). */
export const DATABASE_USERS = {
    adminUsername: "matomo",
    adminPassword: { secretArn: ARNS.database_admin, jsonKey: "password" },
    appSecretArn: ARNS.database_password,
    trackerSecretArn: ARNS.database_tracker,
};

/** A made-up sha256 of the plugin zip: enough for rendering; scripts.test.ts checks real files. */
export const PLUGIN_SHA256 = "c".repeat(64);
export const REDIS_HOST = "matomo-redis.abc123.ng.0001.euw1.cache.amazonaws.com";
const DB_HOST = "matomo.c0abcdefghij.eu-west-1.rds.amazonaws.com";

/** renderConfig with the runtime values a cluster gives (Redis only when QueuedTracking is on). */
export function configFor(settings: ResolvedSettings): RenderedConfig {
    return renderConfig(settings, { databaseHost: DB_HOST, ...(settings.queuedTracking.enabled ? { redis: { host: REDIS_HOST, port: 6379 } } : {}) });
}

export function settingsWith(extra: Partial<MatomoClusterArgs> = {}): ResolvedSettings {
    return resolveSettings({ domain: "analytics.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ", superUser: { email: "ops@example.com" }, ...extra });
}

/** Where a cluster stored the role's bundle: its bucket, key and an S3 version id of the shape AWS documents. */
export function bundleAt(role: NodeRole): BundleLocation {
    return {
        bucket: "matomo-provisioning-20261125190000000000000001",
        key: bundleKey(role),
        versionId: "3sL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY+MTRCxf3vjVBH40Nr8X8gdRQBpUMLUo",
    };
}

export function inputFor(role: NodeRole, settings: ResolvedSettings, config?: RenderedConfig, extra: Partial<UserDataInput> = {}): UserDataInput {
    return {
        role,
        settings,
        config: config ?? configFor(settings),
        region: "eu-west-1",
        secrets: {
            database_password: { secretArn: ARNS.database_password, jsonKey: "password" },
            salt: { secretArn: ARNS.salt },
            superuser_password: { secretArn: ARNS.superuser_password },
            // The Redis AUTH token's secret, which the cluster passes with QueuedTracking.
            ...(settings.queuedTracking.enabled ? { redis_password: { secretArn: ARNS.redis_password } } : {}),
            ...(role === "ui" ? { databaseUsers: DATABASE_USERS } : {}),
            // What the cluster passes with geoIp.provider "maxmind": the license key's reference, its ARN resolved.
            ...(settings.geoIp.provider === "maxmind"
                ? {
                      geoip_license_key: {
                          secretArn: String(settings.geoIp.licenseKey.secretArn),
                          ...(settings.geoIp.licenseKey.jsonKey !== undefined ? { jsonKey: settings.geoIp.licenseKey.jsonKey } : {}),
                      },
                  }
                : {}),
        },
        bundle: bundleAt(role),
        ...extra,
    };
}

export function renderBoth(settings: ResolvedSettings, extra: Partial<UserDataInput> = {}): Record<NodeRole, RenderedUserData> {
    const config = configFor(settings);
    return { tracker: renderUserData(inputFor("tracker", settings, config, extra)), ui: renderUserData(inputFor("ui", settings, config, extra)) };
}

export interface CloudConfig {
    write_files: { path: string; owner: string; permissions: string; content: string }[];
    runcmd: string[][];
}

/** What a cluster named `matomo` hands the renderers with observability on (lib/aws/logs.ts names the groups). */
export const OBSERVABILITY = {
    cluster: "matomo",
    logGroups: {
        "nginx-access": "/matomo/matomo-logs-abc123/nginx-access",
        "nginx-error": "/matomo/matomo-logs-abc123/nginx-error",
        "php-fpm": "/matomo/matomo-logs-abc123/php-fpm",
        matomo: "/matomo/matomo-logs-abc123/matomo",
        provisioning: "/matomo/matomo-logs-abc123/provisioning",
        archiving: "/matomo/matomo-logs-abc123/archiving",
    },
};
