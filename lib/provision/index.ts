/**
 * CONTRACT ONLY (replaced by the provisioning work of issue 4 before it lands): the shape
 * lib/aws/cluster.ts calls to get each role's user data. No Pulumi imports here.
 */
import type { RenderedConfig } from "../config";
import type { ResolvedSettings } from "../settings";

export type NodeRole = "tracker" | "ui";

/** Where a node reads one secret at boot: a Secrets Manager secret, optionally one key of its JSON. */
export interface SecretRef {
    secretArn: string;
    /** When set, the secret string is JSON and the value is this key; otherwise the whole string. */
    jsonKey?: string;
}

export interface UserDataInput {
    role: NodeRole;
    settings: ResolvedSettings;
    /** The placeholder config every node writes (same text, same sha256 for both roles). */
    config: RenderedConfig;
    /** AWS region the nodes run in (for the Secrets Manager endpoint). */
    region: string;
    secrets: { database_password: SecretRef; salt: SecretRef; superuser_password: SecretRef };
    /** Present when QueuedTracking is enabled. */
    redis?: { host: string; port: number };
}

export interface RenderedUserData {
    role: NodeRole;
    /** Exactly what EC2 receives, before base64 (may be gzip bytes: see `base64`). */
    content: Buffer;
    /** `content` base64-encoded: the launch template's `userData`. */
    base64: string;
    /** Human-readable text of the user data (decompressed), for the plan output. */
    text: string;
    /** The config sha256 this user data writes; identical for every role. */
    configSha256: string;
}

/** Path the load balancer health-checks on every node: 200 only when PHP and the database answer. */
export const HEALTH_CHECK_PATH = "/matomo-health.php";

export function renderUserData(input: UserDataInput): RenderedUserData {
    // TEMP placeholder so graph tests run before issue 4 lands: the config text in write_files.
    const indented = input.config.text.split("\n").map((l) => `      ${l}`).join("\n");
    const text = `#cloud-config\n# role: ${input.role}\n# config-sha256: ${input.config.sha256}\nwrite_files:\n  - path: /etc/matomo/config.ini.php.tmpl\n    content: |\n${indented}\n`;
    const content = Buffer.from(text, "utf8");
    return { role: input.role, content, base64: content.toString("base64"), text, configSha256: input.config.sha256 };
}
