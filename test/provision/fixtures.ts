/** Shared inputs for the provisioning tests: typical settings and the secret refs a cluster passes. */
import { renderConfig, type RenderedConfig } from "../../lib/config";
import { renderUserData, type NodeRole, type RenderedUserData, type UserDataInput } from "../../lib/provision";
import { resolveSettings, type MatomoClusterArgs, type ResolvedSettings } from "../../lib/settings";

export const ARNS = {
    database_password: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:matomo-db-AbCdEf",
    salt: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:matomo-salt-GhIjKl",
    superuser_password: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:matomo-su-MnOpQr",
};

export function settingsWith(extra: Partial<MatomoClusterArgs> = {}): ResolvedSettings {
    return resolveSettings({ domain: "analytics.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ", superUser: { email: "ops@example.com" }, ...extra });
}

export function inputFor(role: NodeRole, settings: ResolvedSettings, config?: RenderedConfig, extra: Partial<UserDataInput> = {}): UserDataInput {
    return {
        role,
        settings,
        config: config ?? renderConfig(settings, { databaseHost: "matomo.c0abcdefghij.eu-west-1.rds.amazonaws.com" }),
        region: "eu-west-1",
        secrets: {
            database_password: { secretArn: ARNS.database_password, jsonKey: "password" },
            salt: { secretArn: ARNS.salt },
            superuser_password: { secretArn: ARNS.superuser_password },
        },
        ...extra,
    };
}

export function renderBoth(settings: ResolvedSettings, extra: Partial<UserDataInput> = {}): Record<NodeRole, RenderedUserData> {
    const config = renderConfig(settings, { databaseHost: "matomo.c0abcdefghij.eu-west-1.rds.amazonaws.com" });
    return { tracker: renderUserData(inputFor("tracker", settings, config, extra)), ui: renderUserData(inputFor("ui", settings, config, extra)) };
}

export interface CloudConfig {
    write_files: { path: string; owner: string; permissions: string; content: string }[];
    runcmd: string[][];
}
