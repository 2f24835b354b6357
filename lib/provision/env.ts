/**
 * /etc/matomo-provision/provision.env: every value the boot scripts need, as shell assignments.
 * Nothing secret: secrets are named by ARN and read at boot through the instance role.
 */
import { configSecretReferences, DATABASE_CA_BUNDLE_PATH, placeholdersIn } from "../config";
import { MATOMO_SIGNING_KEY_FINGERPRINT } from "../release";
import { shellQuote } from "../shell";
import { healthCheckFields } from "../settings/fields";
import { known } from "../settings/known";
import { HEALTH_CHECK_PATH } from "./constants";
import { INSTALLER_GATE_PATH } from "./installerGate";
import { debianPackages } from "./packages";
import type { BundleInput, SecretRef } from "./types";
import { SSM_AGENT_KEY_FINGERPRINT, ssmAgentUrl } from "./ssmAgent";
import { CLOUDWATCH_AGENT_KEY_FINGERPRINT, CLOUDWATCH_AGENT_KEY_URL, cloudWatchAgentUrl } from "./observability";

/** Amazon's bundle of every RDS region's CA certificates. */
export const RDS_CA_BUNDLE_URL = "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem";

/**
 * Keyservers tried in order for the release key, by full fingerprint (hkps only). Ubuntu's first:
 * keys.openpgp.org drops user IDs that were not e-mail-verified, and gpg will not import a key it
 * has never seen without one.
 */
export const KEYSERVERS = ["hkps://keyserver.ubuntu.com", "hkps://keys.openpgp.org"] as const;

/** How long a tracker (or a second ui node) waits for the install or update, in seconds. */
export const INSTALL_WAIT_SECONDS = 1800;

/**
 * The trackers' health check grace period: their wait for a ui node's install or core:update
 * (during an upgrade, a new tracker waits, unhealthy, until the database reports its release),
 * plus 10 minutes for their own first boot before it (about 3 in the boot test). Shorter, and
 * the group would replace a tracker that is waiting as it should.
 */
export const TRACKER_HEALTH_CHECK_GRACE_SECONDS = INSTALL_WAIT_SECONDS + 600;

/**
 * How long matomo-release.sh waits, health answering 503, before it swaps the tree of a node in
 * service: the default health check's interval x unhealthy threshold (the checks the load
 * balancer needs to take the node out), plus one interval for requests in flight. A health check
 * configured slower is not seen here: the swap of a running node is a rerun by hand (a roll
 * replaces nodes), so the wait errs towards the defaults.
 */
export const DRAIN_SECONDS = (healthCheckFields.unhealthyThreshold.default + 1) * healthCheckFields.intervalSeconds.default;

export { shellQuote };

/**
 * The secrets the config's placeholders name, as a list `MATOMO_CONFIG_SECRETS` and, per name,
 * `MATOMO_SECRET_ARN_<name>` and `MATOMO_SECRET_KEY_<name>` (the JSON key, or empty). Every role
 * gets all of them, the same names (the config is the same on every node); the database user's
 * name the role's own.
 */
function configSecretsEnv({ role, settings, config, secrets }: BundleInput): [string, string][] {
    const unread = role === "tracker" ? trackerUnreadSecretNames(settings) : [];
    const refs: Record<string, SecretRef> = {
        ...(secrets.references ?? {}),
        database_username: secrets.database_username ?? { secretArn: secrets.database_password.secretArn, jsonKey: "username" },
        database_password: secrets.database_password,
        salt: secrets.salt,
        ...(secrets.redis_password !== undefined ? { redis_password: secrets.redis_password } : {}),
    };
    const names = placeholdersIn(config.text);
    const values: [string, string][] = [["MATOMO_CONFIG_SECRETS", names.join(" ")]];
    for (const name of names) {
        const ref = refs[name];
        if (ref === undefined) throw new Error(`renderUserData: the config has a placeholder {{secret:${name}}} but no secret was given for it`);
        // No ARN: the node fills a fixed word instead and its role may not read the secret (matomo-provision.sh).
        if (unread.includes(name)) {
            values.push([`MATOMO_SECRET_ARN_${name}`, ""], [`MATOMO_SECRET_KEY_${name}`, ""]);
            continue;
        }
        values.push([`MATOMO_SECRET_ARN_${name}`, ref.secretArn], [`MATOMO_SECRET_KEY_${name}`, ref.jsonKey ?? ""]);
    }
    return values;
}

/** ui: the admin credential and the two users' secrets matomo-db-users.php works with (matomo-ui-setup.sh). */
function databaseUsersEnv({ role, secrets }: BundleInput): [string, string][] {
    if (role !== "ui") return [];
    const u = secrets.databaseUsers;
    if (u === undefined) throw new Error("renderUserData: a ui node needs secrets.databaseUsers (the admin credential and the two users' secrets)");
    return [
        ["MATOMO_DB_ADMIN_USER", u.adminUsername],
        ["MATOMO_DB_ADMIN_PASSWORD_ARN", u.adminPassword.secretArn],
        ["MATOMO_DB_ADMIN_PASSWORD_KEY", u.adminPassword.jsonKey ?? ""],
        ["MATOMO_DB_APP_SECRET_ARN", u.appSecretArn],
        ["MATOMO_DB_TRACKER_SECRET_ARN", u.trackerSecretArn],
    ];
}

/**
 * The config's secrets a tracker neither needs nor may read: the SMTP password (mail leaves from
 * the ui nodes only; trackers run no scheduled tasks). A tracker fills their placeholders with
 * `TRACKER_UNREAD_SECRET_VALUE`; the instance roles' grants leave them out (lib/aws/clusterSecrets.ts).
 */
export function trackerUnreadSecretNames(settings: Pick<BundleInput["settings"], "extraConfig" | "mail">): string[] {
    return configSecretReferences(settings)
        .filter((r) => r.section === "mail")
        .map((r) => r.name);
}

/** What a tracker writes where the config holds a secret it does not read (matomo-provision.sh has the same word). */
export const TRACKER_UNREAD_SECRET_VALUE = "unused-on-trackers";

/** Where and how every node gets the location database (matomo-geoip.sh). */
function geoIpEnv({ settings, secrets }: BundleInput): [string, string][] {
    const g = settings.geoIp;
    if (g.provider !== "maxmind" && secrets.geoip_license_key !== undefined)
        throw new Error('renderUserData: a MaxMind license key was given but geoIp.provider is not "maxmind"');
    if (g.provider === "off") return [["MATOMO_GEOIP_PROVIDER", "off"]];
    const common: [string, string][] = [
        ["MATOMO_GEOIP_PROVIDER", g.provider],
        ["MATOMO_GEOIP_URL", g.downloadUrl],
        ["MATOMO_GEOIP_FILE", g.file],
    ];
    if (g.provider === "dbip-lite") return common;
    const key = secrets.geoip_license_key;
    if (key === undefined) throw new Error('renderUserData: geoIp.provider is "maxmind" but no license key secret was given');
    return [...common, ["MATOMO_GEOIP_ACCOUNT_ID", g.accountId], ["MATOMO_GEOIP_KEY_ARN", key.secretArn], ["MATOMO_GEOIP_KEY_JSON_KEY", key.jsonKey ?? ""]];
}

export function renderProvisionEnv(input: BundleInput, httpPort: number): string {
    const { role, settings, config, region, secrets } = input;
    const release = settings.matomo;
    const license = settings.plugins.some((p) => p.licensed) ? secrets.marketplaceLicenseKey : undefined;
    if (settings.plugins.some((p) => p.licensed) && license === undefined)
        throw new Error("renderUserData: a plugin downloads with the Marketplace license key, but no secret was given for it");
    const values: [string, string | number][] = [
        ["MATOMO_ROLE", role],
        ["MATOMO_VERSION", release.version],
        ["MATOMO_DOWNLOAD_URL", release.downloadUrl],
        ["MATOMO_VERIFY", release.verification.kind],
        ["MATOMO_SHA256", release.verification.kind === "sha256" ? release.verification.sha256 : ""],
        ["MATOMO_SIGNING_KEY_FINGERPRINT", MATOMO_SIGNING_KEY_FINGERPRINT],
        ["MATOMO_KEYSERVERS", KEYSERVERS.join(" ")],
        ["MATOMO_CONFIG_SHA256", config.sha256],
        ["MATOMO_PACKAGES", debianPackages(role, settings).join(" ")],
        ["MATOMO_AWS_REGION", region],
        ...configSecretsEnv(input),
        ...databaseUsersEnv(input),
        // Not read by the scripts (they read the secret's current value): a rotation changes it, which changes user data and rolls the node.
        ...(input.databasePasswordVersion !== undefined ? ([["MATOMO_DATABASE_PASSWORD_VERSION", input.databasePasswordVersion]] as [string, string][]) : []),
        ["MATOMO_SSM_AGENT_URL", ssmAgentUrl(region, settings.architecture)],
        ["MATOMO_SSM_AGENT_FINGERPRINT", SSM_AGENT_KEY_FINGERPRINT],
        ["MATOMO_CLOUDWATCH", input.observability ? 1 : 0],
        ...(input.observability
            ? ([
                  ["MATOMO_CLOUDWATCH_AGENT_URL", cloudWatchAgentUrl(region, settings.architecture)],
                  ["MATOMO_CLOUDWATCH_AGENT_KEY_URL", CLOUDWATCH_AGENT_KEY_URL],
                  ["MATOMO_CLOUDWATCH_AGENT_FINGERPRINT", CLOUDWATCH_AGENT_KEY_FINGERPRINT],
              ] as [string, string][])
            : []),
        ...(role === "ui"
            ? ([
                  ["SECRET_SUPERUSER_PASSWORD_ARN", secrets.superuser_password.secretArn],
                  ["SECRET_SUPERUSER_PASSWORD_KEY", secrets.superuser_password.jsonKey ?? ""],
                  ["MATOMO_SUPERUSER_LOGIN", settings.superUser.login],
                  ["MATOMO_SUPERUSER_EMAIL", settings.superUser.email],
                  ["MATOMO_SITE_NAME", known(settings.firstSite.name, "firstSite.name")],
                  ["MATOMO_SITE_URL", known(settings.firstSite.url, "firstSite.url")],
                  ["MATOMO_SITE_TIMEZONE", settings.firstSite.timezone],
                  ["MATOMO_ANONYMIZE_IP", settings.privacy.anonymizeIp ? 1 : 0],
                  ["MATOMO_INSTALLER_GATE", INSTALLER_GATE_PATH],
              ] as [string, string][])
            : []),
        ["MATOMO_DOMAIN", known(settings.domain, "domain")],
        ["MATOMO_DB_TLS", settings.database.tls ? 1 : 0],
        ["MATOMO_DB_CA_PATH", DATABASE_CA_BUNDLE_PATH],
        ["MATOMO_DB_CA_URL", RDS_CA_BUNDLE_URL],
        ["MATOMO_HTTP_PORT", httpPort],
        ["MATOMO_HEALTH_PATH", HEALTH_CHECK_PATH],
        ["MATOMO_INSTALL_WAIT_SECONDS", INSTALL_WAIT_SECONDS],
        ["MATOMO_DRAIN_SECONDS", DRAIN_SECONDS],
        ...geoIpEnv(input),
        // The Marketplace license key, by ARN: only when a plugin downloads with it (matomo-plugins.sh).
        ...(license !== undefined
            ? ([
                  ["MATOMO_MARKETPLACE_LICENSE_ARN", license.secretArn],
                  ["MATOMO_MARKETPLACE_LICENSE_KEY", license.jsonKey ?? ""],
              ] as [string, string][])
            : []),
    ];
    return (
        ["# Matomo node parameters. Rendered by pulumi-matomo-aws; read by matomo-provision.", ...values.map(([k, v]) => `${k}=${shellQuote(String(v))}`)].join(
            "\n",
        ) + "\n"
    );
}
