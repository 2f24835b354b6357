/**
 * /etc/matomo-provision/provision.env: every value the boot scripts need, as shell assignments.
 * Nothing secret: secrets are named by ARN and read at boot through the instance role.
 */
import { DATABASE_CA_BUNDLE_PATH, placeholdersIn } from "../config";
import { MATOMO_SIGNING_KEY_FINGERPRINT } from "../release";
import { HEALTH_CHECK_PATH } from "./constants";
import { INSTALLER_GATE_PATH } from "./installerGate";
import { debianPackages } from "./packages";
import type { SecretRef, UserDataInput } from "./types";
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

/** One single-quoted shell word. */
export function shellQuote(value: string): string {
    if (/[\0\r\n]/.test(value)) throw new Error("provision.env values must be single-line");
    return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The secrets the config's placeholders name, as a list `MATOMO_CONFIG_SECRETS` and, per name,
 * `MATOMO_SECRET_ARN_<name>` and `MATOMO_SECRET_KEY_<name>` (the JSON key, or empty). Every role
 * gets all of them: the config is the same on every node.
 */
function configSecretsEnv({ config, secrets }: UserDataInput): [string, string][] {
    const refs: Record<string, SecretRef> = { ...(secrets.references ?? {}), database_password: secrets.database_password, salt: secrets.salt };
    const names = placeholdersIn(config.text);
    const values: [string, string][] = [["MATOMO_CONFIG_SECRETS", names.join(" ")]];
    for (const name of names) {
        const ref = refs[name];
        if (ref === undefined) throw new Error(`renderUserData: the config has a placeholder {{secret:${name}}} but no secret was given for it`);
        values.push([`MATOMO_SECRET_ARN_${name}`, ref.secretArn], [`MATOMO_SECRET_KEY_${name}`, ref.jsonKey ?? ""]);
    }
    return values;
}

export function renderProvisionEnv(input: UserDataInput, httpPort: number): string {
    const { role, settings, config, region, secrets } = input;
    const release = settings.matomo;
    const queued = settings.queuedTracking;
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
                  ["MATOMO_SITE_NAME", settings.firstSite.name],
                  ["MATOMO_SITE_URL", settings.firstSite.url],
                  ["MATOMO_SITE_TIMEZONE", settings.firstSite.timezone],
                  ["MATOMO_ANONYMIZE_IP", settings.privacy.anonymizeIp ? 1 : 0],
                  ["MATOMO_INSTALLER_GATE", INSTALLER_GATE_PATH],
              ] as [string, string][])
            : []),
        ["MATOMO_DOMAIN", settings.domain],
        ["MATOMO_DB_TLS", settings.database.tls ? 1 : 0],
        ["MATOMO_DB_CA_PATH", DATABASE_CA_BUNDLE_PATH],
        ["MATOMO_DB_CA_URL", RDS_CA_BUNDLE_URL],
        ["MATOMO_HTTP_PORT", httpPort],
        ["MATOMO_HEALTH_PATH", HEALTH_CHECK_PATH],
        ["MATOMO_INSTALL_WAIT_SECONDS", INSTALL_WAIT_SECONDS],
        ["MATOMO_QUEUED_TRACKING", queued.enabled ? 1 : 0],
        ...(queued.enabled
            ? ([
                  ["MATOMO_QT_VERSION", queued.plugin.version],
                  ["MATOMO_QT_URL", queued.plugin.downloadUrl],
                  ["MATOMO_QT_SHA256", queued.plugin.sha256],
              ] as [string, string][])
            : []),
    ];
    return ["# Matomo node parameters. Rendered by pulumi-matomo-aws; read by matomo-provision.", ...values.map(([k, v]) => `${k}=${shellQuote(String(v))}`)].join("\n") + "\n";
}
