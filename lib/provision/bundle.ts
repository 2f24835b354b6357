/**
 * The provisioning bundle: every file a node's boot needs except the two that carry this
 * deployment's values (provision.env, the config template), as one deterministic tar.gz per role
 * stored in S3. User data keeps those two, the bundle's location (bucket, key, version id) and
 * sha256, and a small bootstrap that fetches, verifies and unpacks it. EC2 caps user data at
 * 16 KB; the scripts, the SSM Agent's key and the rendered configs do not fit beside what issue 9
 * adds. Pure: no Pulumi, no I/O. See docs/provisioning.md, "The provisioning bundle".
 */
import { createHash } from "crypto";
import { gzipSync } from "zlib";
import type { WrittenFile } from "./cloudConfig";
import { shellQuote } from "./env";
import { PAYLOAD_DIR } from "./paths";
import { writeUstar } from "./tar";
import type { NodeRole } from "./types";

/** Files that stay in user data: the ones that name this deployment (secrets' ARNs, hosts, the config sha256). */
export const USER_DATA_PAYLOADS: readonly string[] = [`${PAYLOAD_DIR}/provision.env`, `${PAYLOAD_DIR}/config.ini.php.template`];

/** Where the bootstrap is written (user data) and what cloud-init runs. */
export const BOOTSTRAP_COMMAND = "/usr/local/sbin/matomo-bootstrap";

/** The bundle's coordinates, written beside provision.env. */
export const BUNDLE_ENV_PATH = `${PAYLOAD_DIR}/bundle.env`;

/** Where a role's bundle lives in the bucket: one key per role, a new S3 version per change. */
export function bundleKey(role: NodeRole): string {
    return `provisioning/${role}.tar.gz`;
}

/** Which stored object a node fetches: exactly this version, never whatever is newest. */
export interface BundleLocation {
    bucket: string;
    key: string;
    /** The S3 version id of the object the launch template was rendered with. */
    versionId: string;
}

export interface ProvisioningBundle {
    /** The tar.gz bytes stored in S3. */
    content: Buffer;
    /** sha256 of `content`, hex: pinned in user data, checked before anything is unpacked. */
    sha256: string;
    /** What it holds, in archive order, with the paths they unpack to on the node. */
    files: readonly WrittenFile[];
}

/**
 * The tar.gz of `files`: sorted by path, root-owned, mtime 0, gzip without a name or time and with
 * the OS byte fixed to Unix, so the same files give the same bytes wherever `pulumi up` runs (with
 * the same zlib: a Node.js whose zlib compresses differently makes a new version once).
 */
export function renderBundle(files: readonly WrittenFile[]): ProvisioningBundle {
    const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    for (const f of sorted) {
        if (f.owner !== "root:root") throw new Error(`bundle: ${f.path} is owned by ${f.owner}; the bundle holds root's files only`);
        if (!f.path.startsWith("/")) throw new Error(`bundle: ${f.path} is not an absolute path`);
    }
    const tar = writeUstar(sorted.map((f) => ({ path: f.path.slice(1), mode: parseInt(f.permissions, 8), content: Buffer.from(f.content, "utf8") })));
    const content = gzipSync(tar, { level: 9 });
    content[9] = 3;
    return {
        content,
        sha256: createHash("sha256").update(content).digest("hex"),
        files: sorted,
    };
}

/** bundle.env: what the bootstrap fetches and the sha256 it must have. */
export function renderBundleEnv(location: BundleLocation, sha256: string): string {
    const values: [string, string][] = [
        ["MATOMO_BUNDLE_BUCKET", location.bucket],
        ["MATOMO_BUNDLE_KEY", location.key],
        ["MATOMO_BUNDLE_VERSION_ID", location.versionId],
        ["MATOMO_BUNDLE_SHA256", sha256],
    ];
    for (const [name, value] of values) if (value === "") throw new Error(`bundle.env: ${name} is empty`);
    return (
        [
            "# This node's provisioning bundle. Rendered by pulumi-matomo-aws; read by matomo-bootstrap.",
            ...values.map(([k, v]) => `${k}=${shellQuote(v)}`),
        ].join("\n") + "\n"
    );
}
