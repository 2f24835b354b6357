/**
 * AWS's SSM Agent, which Session Manager (the only way onto a node: no SSH) needs and Debian's
 * official AMIs do not ship. Every node installs it at boot (files/matomo-ssm-agent.sh), verified
 * against AWS's signing key, pinned here by fingerprint. Facts from the Systems Manager User Guide,
 * "Verifying the signature of SSM Agent" and "Manually installing SSM Agent on Debian Server".
 */
import { readFileSync } from "fs";
import { join } from "path";
import type { Architecture } from "../settings";
import { PROVISION_FILES_DIR } from "./files";

/**
 * Primary key fingerprint of AWS's current SSM Agent signing key (rsa4096, created 2026-06-04,
 * expires 2027-11-25). When AWS publishes its successor, replace this and files/amazon-ssm-agent.asc.
 */
export const SSM_AGENT_KEY_FINGERPRINT = "1C5B395CBE5E74E2F1CA21592784DBF388D19D46";

/** When the pinned key expires (UTC); nodes refuse to install the agent after it. */
export const SSM_AGENT_KEY_EXPIRES = "2027-11-25";

/** The key file's name in lib/provision/files and in the node's payload directory. */
export const SSM_AGENT_KEY_FILE = "amazon-ssm-agent.asc";

/**
 * The regional download of the Debian/Ubuntu package for the nodes' architecture; its detached
 * signature is the same URL + `.sig`. AWS's table: `https://s3.<region>.amazonaws.com/amazon-ssm-<region>/latest/debian_amd64/amazon-ssm-agent.deb`
 * (x86_64) and `debian_arm64` (ARM64).
 */
export function ssmAgentUrl(region: string, architecture: Architecture): string {
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new Error(`ssmAgentUrl: not an AWS region: ${JSON.stringify(region)}`);
    const arch = architecture === "arm64" ? "arm64" : "amd64";
    return `https://s3.${region}.amazonaws.com/amazon-ssm-${region}/latest/debian_${arch}/amazon-ssm-agent.deb`;
}

/** The armored key as nodes get it: the file from `-----BEGIN` on (its comment header stays in the package). */
export function ssmAgentKey(): string {
    const text = readFileSync(join(PROVISION_FILES_DIR, SSM_AGENT_KEY_FILE), "utf8");
    const begin = text.indexOf("-----BEGIN PGP PUBLIC KEY BLOCK-----");
    if (begin < 0) throw new Error(`${SSM_AGENT_KEY_FILE} holds no armored public key`);
    return text.slice(begin);
}
