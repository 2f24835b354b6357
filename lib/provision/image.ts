/**
 * The pre-built node image (`nodeImage.prebuilt`): what EC2 Image Builder bakes, and how a node
 * booting from it recognises it. Pure: settings in, text and bytes out; the resources are in
 * lib/aws/nodeImage.ts. See docs/provisioning.md, "Booting from a pre-built image".
 *
 * The bake runs the nodes' own provisioning (`matomo-provision` in bake mode) from a bundle of its
 * own: packages, AWS's SSM Agent, the verified Matomo release and the free plugins, then it writes
 * the image manifest to `BAKED_MARKER` and stops. Nothing of the deployment is in it: no secret,
 * no secret ARN, no config, no database host. A node whose bundle carries the same manifest (byte
 * for byte) skips the package install; any other manifest means a full install, as on Debian's image.
 */
import { createHash } from "crypto";
import { MATOMO_SIGNING_KEY_FINGERPRINT } from "../release";
import type { ResolvedSettings } from "../settings";
import { renderBundle, type ProvisioningBundle } from "./bundle";
import type { WrittenFile } from "./cloudConfig";
import { KEYSERVERS, shellQuote } from "./env";
import { compactProvisionFile, scriptFiles, type ProvisionFile } from "./files";
import { debianPackages } from "./packages";
import { LIB_DIR, PAYLOAD_DIR, PROVISION_COMMAND } from "./paths";
import { PLUGIN_MANIFEST_PAYLOAD, renderPluginManifest } from "./plugins";
import { SSM_AGENT_KEY_FILE, SSM_AGENT_KEY_FINGERPRINT, ssmAgentKey, ssmAgentUrl } from "./ssmAgent";
import { BOOTSTRAP_COMMAND, BUNDLE_ENV_PATH, renderBundleEnv, type BundleLocation } from "./bundle";

/** The manifest's name in a bundle (bake and boot bundles alike). */
export const IMAGE_MANIFEST_PAYLOAD = "image.manifest";
/** Where the bake leaves the manifest in the image; `matomo-provision` compares it with its own. */
export const BAKED_MARKER = "/opt/matomo/.baked";
/** The bake bundle's key in the provisioning bucket (a new S3 version per change, as the roles' bundles). */
export const BAKE_BUNDLE_KEY = "provisioning/image-bake.tar.gz";
/** Image Builder's limit on a component document given inline (`data`), in characters (CreateComponent API). */
export const COMPONENT_DATA_LIMIT = 16000;
/** Image Builder's cap on each of a semantic version's three assignable nodes: 2^30 − 1 ("Semantic versioning in Image Builder"). */
export const SEMVER_NODE_MAX = 2 ** 30 - 1;

/** Both roles boot the one image: every package either role installs, sorted. */
export function imagePackages(settings: ResolvedSettings): string[] {
    return [...new Set([...debianPackages("tracker", settings), ...debianPackages("ui", settings)])].sort();
}

/**
 * The plugins an image can hold: those downloaded without the Marketplace license key. A licensed
 * one needs the key (a secret) to download, so it is installed at boot, as without an image.
 */
function bakedPlugins(settings: ResolvedSettings): ResolvedSettings["plugins"] {
    return settings.plugins.filter((p) => !p.licensed);
}

/**
 * What the image holds, one fact a line: the release (version, URL, how it is verified: the
 * configured sha256 or the release key's fingerprint), each baked plugin with its sha256, the
 * package set, the architecture and the generation. Same settings, same bytes; any change of these
 * (and only these) gives another manifest, hence another image and a full install on a node
 * booting an older one.
 */
export function renderImageManifest(settings: ResolvedSettings): string {
    const m = settings.matomo;
    return (
        [
            '# pulumi-matomo-aws node image: what the bake installed (docs/provisioning.md, "Booting from a pre-built image").',
            `matomo_version=${m.version}`,
            `matomo_download_url=${m.downloadUrl}`,
            `matomo_verified_by=${m.verification.kind === "sha256" ? `sha256 ${m.verification.sha256}` : `signature ${MATOMO_SIGNING_KEY_FINGERPRINT}`}`,
            ...bakedPlugins(settings).map((p) => `plugin=${p.name} ${p.version} ${p.sha256}`),
            `packages=${imagePackages(settings).join(" ")}`,
            `architecture=${settings.architecture}`,
            `generation=${settings.nodeImage.generation}`,
        ].join("\n") + "\n"
    );
}

/** The bake's provision.env: only what installing needs. No secret ARN, host or config. */
export function renderBakeEnv(settings: ResolvedSettings, region: string): string {
    const m = settings.matomo;
    const values: [string, string | number][] = [
        ["MATOMO_ROLE", "image"],
        ["MATOMO_PROVISION_MODE", "bake"],
        ["MATOMO_VERSION", m.version],
        ["MATOMO_DOWNLOAD_URL", m.downloadUrl],
        ["MATOMO_VERIFY", m.verification.kind],
        ["MATOMO_SHA256", m.verification.kind === "sha256" ? m.verification.sha256 : ""],
        ["MATOMO_SIGNING_KEY_FINGERPRINT", MATOMO_SIGNING_KEY_FINGERPRINT],
        ["MATOMO_KEYSERVERS", KEYSERVERS.join(" ")],
        // matomo-provision requires it; a bake writes no config, so it names none.
        ["MATOMO_CONFIG_SHA256", "none"],
        ["MATOMO_PACKAGES", imagePackages(settings).join(" ")],
        ["MATOMO_AWS_REGION", region],
        ["MATOMO_SSM_AGENT_URL", ssmAgentUrl(region, settings.architecture)],
        ["MATOMO_SSM_AGENT_FINGERPRINT", SSM_AGENT_KEY_FINGERPRINT],
        // The CloudWatch agent is not baked: it starts with this stack's log groups in its
        // configuration, so each node installs and configures it at boot (matomo-cloudwatch-agent.sh).
        ["MATOMO_CLOUDWATCH", 0],
        ["MATOMO_HTTP_PORT", 80],
    ];
    return (
        [
            "# Node image bake parameters. Rendered by pulumi-matomo-aws; read by matomo-provision.",
            ...values.map(([k, v]) => `${k}=${shellQuote(String(v))}`),
        ].join("\n") + "\n"
    );
}

/** The scripts a bake runs: the install steps of matomo-provision and what they call. */
const BAKE_SCRIPTS: readonly ProvisionFile[] = [
    "common.sh",
    "matomo-provision.sh",
    "matomo-release.sh",
    "matomo-verify-signature.sh",
    // Step 1a, the reach probe, runs in every mode: a bake names the hosts it cannot reach too.
    "matomo-reach.sh",
    "matomo-ssm-agent.sh",
    "matomo-plugins.sh",
];

/** The bake bundle: the bake's provision.env, the free plugins' manifest, the image manifest, the SSM Agent's key and the install scripts. */
export function renderBakeBundle(settings: ResolvedSettings, region: string): ProvisioningBundle {
    const payload = (name: string, content: string, permissions = "0644"): WrittenFile => ({
        path: `${PAYLOAD_DIR}/${name}`,
        owner: "root:root",
        permissions,
        content,
    });
    const plugins = bakedPlugins(settings);
    const scripts: ProvisionFile[] = [...BAKE_SCRIPTS, ...(plugins.length > 0 ? (["matomo-plugin.sh"] as const) : [])];
    return renderBundle([
        payload("provision.env", renderBakeEnv(settings, region), "0600"),
        payload(PLUGIN_MANIFEST_PAYLOAD, renderPluginManifest({ plugins, bundledPlugins: [] })),
        payload(IMAGE_MANIFEST_PAYLOAD, renderImageManifest(settings)),
        payload(SSM_AGENT_KEY_FILE, ssmAgentKey()),
        ...scriptFiles(scripts),
    ]);
}

/** The files the build instance's user data carries: the SSM Agent's installer, what it sources and calls, and AWS's key. */
const BUILD_INSTANCE_SCRIPTS: readonly ProvisionFile[] = ["common.sh", "matomo-ssm-agent.sh", "matomo-verify-signature.sh"];

/**
 * The Image Builder build instance's user data (the recipe's `userDataBase64`, which replaces
 * Image Builder's own). Image Builder drives the build through the SSM Agent, which Debian's image
 * lacks, and Debian is not among the operating systems Image Builder supports, so its own agent
 * install cannot be relied on; AWS's documentation for this field says to install the agent
 * yourself when the parent image has none. This script does it the nodes' way: AWS's package from
 * the region's bucket, refused unless its signature verifies against the pinned key
 * (matomo-ssm-agent.sh), then enabled and started. A failure stops the script with an ERROR line:
 * without the agent Image Builder cannot reach the instance and the build fails.
 */
export function renderBuildInstanceUserData(settings: ResolvedSettings, region: string): string {
    return buildInstanceUserData({ url: ssmAgentUrl(region, settings.architecture), fingerprint: SSM_AGENT_KEY_FINGERPRINT, key: ssmAgentKey() });
}

/** Where the build instance gets the agent: AWS's package URL (its `.sig` beside it) and the key that signs it. */
export interface AgentSource {
    url: string;
    fingerprint: string;
    /** The armored public key. */
    key: string;
}

/** renderBuildInstanceUserData for any agent source (the tests' stand-in bucket and key). */
export function buildInstanceUserData(agent: AgentSource): string {
    const files = renderBundle([
        { path: `${PAYLOAD_DIR}/${SSM_AGENT_KEY_FILE}`, owner: "root:root", permissions: "0644", content: agent.key },
        ...scriptFiles(BUILD_INSTANCE_SCRIPTS),
    ]);
    const install = [`${LIB_DIR}/matomo-ssm-agent.sh`, agent.url, agent.fingerprint, `${PAYLOAD_DIR}/${SSM_AGENT_KEY_FILE}`];
    return (
        [
            "#!/bin/bash",
            "# pulumi-matomo-aws: Image Builder build instance (Debian 12). Installs AWS's SSM Agent, verified",
            "# against AWS's key, so Image Builder can run the bake through it (docs/provisioning.md).",
            "set -euo pipefail",
            "export MATOMO_ROLE=image-build DEBIAN_FRONTEND=noninteractive",
            "if ! command -v curl > /dev/null || ! command -v gpg > /dev/null; then",
            "    apt-get -o DPkg::Lock::Timeout=600 update -q",
            "    apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends curl gnupg ca-certificates",
            "fi",
            `install -d -m 0755 ${PAYLOAD_DIR} ${LIB_DIR}`,
            `printf '%s' '${files.content.toString("base64")}' | base64 -d | tar -xz --no-same-owner -C /`,
            `${install.map(shellQuote).join(" ")} || { echo "ERROR: the SSM Agent is not installed; Image Builder cannot reach this build instance" >&2; exit 1; }`,
        ].join("\n") + "\n"
    );
}

/**
 * A semantic version Image Builder accepts, derived from a sha256: `1.<a>.<b>` with `a` and `b`
 * the first two 28-bit groups of the hash, so each node stays within Image Builder's 2^30 − 1.
 * New inputs give a new version (a collision needs 56 equal bits).
 */
export function semanticVersionOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`semanticVersionOf: not a sha256: ${sha256}`);
    return `1.${parseInt(sha256.slice(0, 7), 16)}.${parseInt(sha256.slice(7, 14), 16)}`;
}

/** `<major>.<minor>.<patch>`, each a whole number from 0 to 2^30 − 1, without leading zeros. */
export function isImageBuilderVersion(version: string): boolean {
    const parts = version.split(".");
    return parts.length === 3 && parts.every((p) => /^(0|[1-9][0-9]*)$/.test(p) && Number(p) <= SEMVER_NODE_MAX);
}

export function sha256Hex(text: string): string {
    return createHash("sha256").update(text, "utf8").digest("hex");
}

/** A YAML double-quoted scalar: JSON's string syntax is a subset of it. */
const q = (s: string) => JSON.stringify(s);

/** A command that writes `content` to `path` with `mode`, carried as base64 (no quoting to get wrong). */
function writeFileCommand(path: string, content: string, mode: string): string {
    return `printf '%s' '${Buffer.from(content, "utf8").toString("base64")}' | base64 -d > ${path} && chmod ${mode} ${path}`;
}

export interface BakeComponentInput {
    settings: ResolvedSettings;
    region: string;
    /** Where the bake bundle is stored, and its sha256 (pinned, as in a node's bundle.env). */
    bundle: BundleLocation;
    bundleSha256: string;
}

/**
 * The Image Builder component document (AWSTOE, schema 1.0): the `build` phase writes the bake's
 * provision.env, the bundle's location and the bootstrap, as a node's user data does, runs the
 * bootstrap (which fetches the bake bundle by version, checks its sha256 and runs matomo-provision
 * in bake mode), then removes every provisioning file but the marker and the install's own state;
 * the `validate` phase checks the marker is this manifest and nothing of a node's config is there.
 */
export function renderBakeComponent(input: BakeComponentInput): string {
    const { settings, region, bundle, bundleSha256 } = input;
    const manifestSha256 = sha256Hex(renderImageManifest(settings));
    const cleanup = `rm -rf ${PAYLOAD_DIR} ${LIB_DIR} ${PROVISION_COMMAND} ${BOOTSTRAP_COMMAND}`;
    const steps = (list: { name: string; commands: string[] }[]) =>
        list.flatMap((s) => [
            `      - name: ${s.name}`,
            "        action: ExecuteBash",
            "        inputs:",
            "          commands:",
            ...s.commands.map((c) => `            - ${q(c)}`),
        ]);
    return (
        [
            "name: MatomoNodeImageBake",
            `description: ${q(`pulumi-matomo-aws: bake Matomo ${settings.matomo.version} and the node packages into the nodes' image (image manifest sha256 ${manifestSha256})`)}`,
            "schemaVersion: 1.0",
            "phases:",
            "  - name: build",
            "    steps:",
            ...steps([
                {
                    name: "WriteBakeParameters",
                    commands: [
                        `install -d -m 0755 ${PAYLOAD_DIR} /usr/local/sbin`,
                        writeFileCommand(`${PAYLOAD_DIR}/provision.env`, renderBakeEnv(settings, region), "0600"),
                        writeFileCommand(BUNDLE_ENV_PATH, renderBundleEnv(bundle, bundleSha256), "0644"),
                        writeFileCommand(BOOTSTRAP_COMMAND, compactProvisionFile("matomo-bootstrap.sh"), "0755"),
                    ],
                },
                { name: "Bake", commands: [BOOTSTRAP_COMMAND] },
                { name: "RemoveBakeFiles", commands: [cleanup] },
            ]),
            "  - name: validate",
            "    steps:",
            ...steps([
                {
                    name: "CheckBakedImage",
                    commands: [
                        `echo '${manifestSha256}  ${BAKED_MARKER}' | sha256sum -c --quiet`,
                        `test ! -e ${PAYLOAD_DIR}`,
                        "test ! -e /var/www/matomo/config/config.ini.php",
                        "test ! -e /etc/matomo",
                    ],
                },
            ]),
        ].join("\n") + "\n"
    );
}
