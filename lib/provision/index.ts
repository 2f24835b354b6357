/**
 * Per-role cloud-init user data: what turns a stock Debian 12 instance into a Matomo node.
 * Pure: settings and the rendered config in, text out; no Pulumi imports. See docs/provisioning.md.
 */
import { createHash } from "crypto";
import { gzipSync } from "zlib";
import { placeholdersIn, SECRET_NAMES } from "../config";
import { isCidr } from "../validation";
import { renderCloudConfig, type WrittenFile } from "./cloudConfig";
import { HEALTH_CHECK_PATH, NODE_HTTP_PORT } from "./constants";
import { renderCron } from "./cron";
import { renderLogrotate } from "./logrotate";
import { ADOPT_SECTIONS_PAYLOAD, renderAdoptSections } from "./adopt";
import { renderProvisionEnv } from "./env";
import { BOOTSTRAP_COMMAND, BUNDLE_ENV_PATH, renderBundle, renderBundleEnv, USER_DATA_PAYLOADS, type ProvisioningBundle } from "./bundle";
import {
    BOOTSTRAP_SCRIPT,
    COMMON_SCRIPTS,
    compactProvisionFile,
    GEOIP_SCRIPTS,
    OBSERVABILITY_SCRIPTS,
    PLUGIN_DOWNLOAD_SCRIPTS,
    PLUGIN_SCRIPTS,
    QUEUED_TRACKING_UI_SCRIPTS,
    scriptFiles,
    UI_SCRIPTS,
} from "./files";
import { renderAgentConfig, renderMetricsEnv } from "./observability";
import { CONFIG_RULES_FILE, renderConfigRules } from "./configRules";
import { USER_DATA_LIMIT_BYTES } from "./limits";
import { INSTALLER_GATE_PAYLOAD, renderInstallerGate } from "./installerGate";
import { renderNginxSite } from "./nginx";
import { LIB_DIR, PAYLOAD_DIR } from "./paths";
import { renderCliIni, renderFpmIni, renderFpmPool } from "./php";
import { PLUGIN_MANIFEST_PAYLOAD, renderPluginManifest } from "./plugins";
import { IMAGE_MANIFEST_PAYLOAD, renderImageManifest } from "./image";
import { SSM_AGENT_KEY_FILE, ssmAgentKey } from "./ssmAgent";
import type { BundleInput, RenderedUserData, UserDataInput } from "./types";

export type { BundleInput, NodeRole, SecretRef, UserDataInput, RenderedUserData } from "./types";
export { BOOTSTRAP_COMMAND, BUNDLE_ENV_PATH, USER_DATA_PAYLOADS, bundleKey, renderBundle, type BundleLocation, type ProvisioningBundle } from "./bundle";
export { writeUstar, listUstar, TAR_FIXED, type TarEntry } from "./tar";
export { HEALTH_CHECK_PATH, NODE_HTTP_PORT } from "./constants";
export { renderNginxSite, TRACKER_PHP_ENTRY_POINTS, TRACKER_STATIC_FILES, SECURITY_HEADERS } from "./nginx";
export { renderFpmPool, renderFpmIni, renderCliIni, fpmPoolSize, FPM_SIZING, FPM_MIN_WORKERS, type FpmPoolSize, type FpmSizing } from "./php";
export { renderCron } from "./cron";
export { MATOMO_LOG_DIR, renderLogrotate } from "./logrotate";
export { ADOPT_SECTIONS_PAYLOAD, renderAdoptSections } from "./adopt";
export { INSTALLER_GATE_PATH, INSTALLER_GATE_PAYLOAD, renderInstallerGate } from "./installerGate";
export { USER_DATA_LIMIT_BYTES } from "./limits";
export { SSM_AGENT_KEY_EXPIRES, SSM_AGENT_KEY_FILE, SSM_AGENT_KEY_FINGERPRINT, ssmAgentKey, ssmAgentUrl } from "./ssmAgent";
export { debianPackages } from "./packages";
export {
    PROVISION_FILES_DIR,
    COMMON_SCRIPTS,
    UI_SCRIPTS,
    PLUGIN_SCRIPTS,
    PLUGIN_DOWNLOAD_SCRIPTS,
    QUEUED_TRACKING_UI_SCRIPTS,
    GEOIP_SCRIPTS,
    OBSERVABILITY_SCRIPTS,
    BOOTSTRAP_SCRIPT,
    compactProvisionFile,
    readProvisionFile,
} from "./files";
export {
    renderAgentConfig,
    renderMetricsEnv,
    cloudWatchAgentUrl,
    LOG_SOURCES,
    NODE_METRICS,
    METRICS_NAMESPACE,
    MATOMO_LOG_PATH,
    ARCHIVING_LOG_PATH,
    CLOUDWATCH_AGENT_KEY_FINGERPRINT,
    CLOUDWATCH_AGENT_KEY_URL,
    type LogSource,
    type NodeObservability,
} from "./observability";
export { PLUGIN_MANIFEST_PAYLOAD, renderPluginManifest } from "./plugins";
export { CONFIG_RULES_FILE, configRules, renderConfigRules, type ConfigRules } from "./configRules";
export { LIB_DIR, PAYLOAD_DIR, VERSION_CHECK_DIR, VERSION_CHECK_FILE } from "./paths";
export { NODE_CONSTANTS, NODE_CONSTANTS_FILE, nodeConstantsFile, renderNodeConstants } from "./nodeConstants";
export {
    BAKE_BUNDLE_KEY,
    BAKED_MARKER,
    COMPONENT_DATA_LIMIT,
    IMAGE_MANIFEST_PAYLOAD,
    imagePackages,
    buildInstanceUserData,
    renderBuildInstanceUserData,
    type AgentSource,
    isImageBuilderVersion,
    renderBakeBundle,
    renderBakeComponent,
    renderBakeEnv,
    renderImageManifest,
    semanticVersionOf,
    sha256Hex,
    type BakeComponentInput,
} from "./image";
export { INSTALL_WAIT_SECONDS, TRACKER_HEALTH_CHECK_GRACE_SECONDS, TRACKER_UNREAD_SECRET_VALUE, trackerUnreadSecretNames } from "./env";

const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

function loadBalancerCidrs(input: BundleInput): string[] {
    if (input.loadBalancerCidrs !== undefined) {
        if (input.loadBalancerCidrs.length === 0) throw new Error("renderUserData: loadBalancerCidrs must not be empty");
        for (const cidr of input.loadBalancerCidrs) {
            if (!isCidr(cidr)) throw new Error(`renderUserData: loadBalancerCidrs has ${JSON.stringify(cidr)}, not an IPv4 CIDR block`);
        }
        return [...input.loadBalancerCidrs];
    }
    return input.settings.network.kind === "new" ? [input.settings.network.vpcCidr] : PRIVATE_RANGES;
}

export function renderUserData(input: UserDataInput): RenderedUserData {
    const { text, content, bundle } = composeUserData(input);
    if (content.length > USER_DATA_LIMIT_BYTES) {
        throw new Error(`renderUserData(${input.role}): ${content.length} bytes of user data exceed EC2's ${USER_DATA_LIMIT_BYTES}`);
    }
    return {
        role: input.role,
        content,
        base64: content.toString("base64"),
        text,
        configSha256: input.config.sha256,
        textSha256: createHash("sha256").update(text, "utf8").digest("hex"),
        bundle,
    };
}

/** The role's provisioning bundle: every file of `provisioningFiles` but those user data keeps (see bundle.ts). */
export function renderProvisioningBundle(input: BundleInput): ProvisioningBundle {
    return renderBundle(provisioningFiles(input).filter((f) => !USER_DATA_PAYLOADS.includes(f.path)));
}

/**
 * The user data's text and the gzip bytes EC2 receives, whatever their size (see `renderUserData`):
 * provision.env, the config template, the bundle's location with its sha256, and the bootstrap.
 */
export function composeUserData(input: UserDataInput): { text: string; content: Buffer; bundle: ProvisioningBundle } {
    const files = provisioningFiles(input);
    const bundle = renderBundle(files.filter((f) => !USER_DATA_PAYLOADS.includes(f.path)));
    const text = renderCloudConfig(
        [
            `pulumi-matomo-aws ${input.role} node: Matomo ${input.settings.matomo.version}, config sha256 ${input.config.sha256}.`,
            `Provisioning bundle: s3://${input.bundle.bucket}/${input.bundle.key}, sha256 ${bundle.sha256}.`,
            `Progress: /var/log/cloud-init-output.log. Health: ${HEALTH_CHECK_PATH}.`,
        ],
        [
            ...files.filter((f) => USER_DATA_PAYLOADS.includes(f.path)),
            { path: BUNDLE_ENV_PATH, owner: "root:root", permissions: "0644", content: renderBundleEnv(input.bundle, bundle.sha256) },
            { path: BOOTSTRAP_COMMAND, owner: "root:root", permissions: "0755", content: compactProvisionFile(BOOTSTRAP_SCRIPT) },
        ],
        [[BOOTSTRAP_COMMAND]],
    );

    // cloud-init recognises gzip by its magic bytes. Byte 9 of the header names the OS that
    // compressed it; fix it to Unix so the bytes do not depend on where `pulumi up` ran.
    const content = gzipSync(Buffer.from(text, "utf8"), { level: 9 });
    content[9] = 3;
    return { text, content, bundle };
}

/**
 * Every file a node of this role gets, wherever it travels: user data keeps `USER_DATA_PAYLOADS`,
 * the provisioning bundle carries the rest. Add new scripts and payloads to this list.
 */
function provisioningFiles(input: BundleInput): WrittenFile[] {
    const { role, settings, config } = input;
    const httpPort = input.httpPort ?? NODE_HTTP_PORT;
    if (!Number.isInteger(httpPort) || httpPort < 1 || httpPort > 65535) throw new Error(`renderUserData: bad httpPort ${httpPort}`);
    const placeholders = placeholdersIn(config.text);
    for (const name of placeholders) {
        if (!(SECRET_NAMES as readonly string[]).includes(name) && input.secrets.references?.[name] === undefined) {
            throw new Error(`renderUserData: config has a secret placeholder ${name} that no secret was given for`);
        }
    }
    for (const name of Object.keys(input.secrets.references ?? {})) {
        if (!placeholders.includes(name)) throw new Error(`renderUserData: secret ${name} was given but the config has no placeholder for it`);
    }

    const payload = (name: string, content: string, permissions = "0644"): WrittenFile => ({
        path: `${PAYLOAD_DIR}/${name}`,
        owner: "root:root",
        permissions,
        content,
    });
    const files: WrittenFile[] = [
        payload("provision.env", renderProvisionEnv(input, httpPort), "0600"),
        payload("config.ini.php.template", config.text, "0600"),
        payload("nginx-site.conf", renderNginxSite({ role, httpPort, trustedProxyCidrs: loadBalancerCidrs(input) })),
        ...(role === "ui" ? [payload(INSTALLER_GATE_PAYLOAD, renderInstallerGate())] : []),
        payload("php-fpm-pool.conf", renderFpmPool(role)),
        payload("php-fpm.ini", renderFpmIni(role)),
        payload("php-cli.ini", renderCliIni()),
        payload(SSM_AGENT_KEY_FILE, ssmAgentKey()),
        payload("cron", renderCron(role, settings, input.observability)),
        payload("logrotate", renderLogrotate()),
        ...(role === "ui" && settings.adopt !== undefined ? [payload(ADOPT_SECTIONS_PAYLOAD, renderAdoptSections(settings) ?? "")] : []),
        payload(PLUGIN_MANIFEST_PAYLOAD, renderPluginManifest(settings)),
        // Beside matomo-config-sections.php, which reads it from its own directory.
        { path: `${LIB_DIR}/${CONFIG_RULES_FILE}`, owner: "root:root", permissions: "0644", content: renderConfigRules() },
        // The agent's configuration and metrics.env name this stack's log groups, region and cluster,
        // but nothing secret and nothing the bootstrap needs: they travel in the bundle like the cron file.
        ...(input.observability
            ? [
                  payload("cloudwatch-agent.json", renderAgentConfig(role, input.observability)),
                  payload("metrics.env", renderMetricsEnv(input.observability, input.region)),
              ]
            : []),
        // With a pre-built image: what this node expects the image to hold (matomo-provision compares).
        ...(settings.nodeImage.prebuilt ? [payload(IMAGE_MANIFEST_PAYLOAD, renderImageManifest(settings))] : []),
        ...scriptFiles([
            ...COMMON_SCRIPTS,
            ...(role === "ui" ? UI_SCRIPTS : []),
            ...PLUGIN_SCRIPTS,
            ...(settings.plugins.length > 0 ? PLUGIN_DOWNLOAD_SCRIPTS : []),
            ...(settings.geoIp.provider !== "off" ? GEOIP_SCRIPTS : []),
            ...(settings.queuedTracking.enabled && role === "ui" ? QUEUED_TRACKING_UI_SCRIPTS : []),
            ...(input.observability ? OBSERVABILITY_SCRIPTS : []),
        ]),
    ];
    return files;
}
