/**
 * The plugin manifest: every plugin a node installs, one line each, in the order the user listed
 * them. A payload file (so it travels with the other provisioning files), read by
 * matomo-plugins.sh on every node. Pure: settings in, text out.
 */
import type { ResolvedSettings } from "../settings";

/** The manifest's file name under the payload directory. */
export const PLUGIN_MANIFEST_PAYLOAD = "plugins.manifest";

/**
 * `NAME VERSION SHA256 URL LICENSE` per line, downloaded plugins first, then bundled ones, LICENSE `marketplace` when the download posts the
 * Marketplace license key, else `-`. No field can hold a space: names, versions and sha256 are
 * patterns, URLs are refused with whitespace (lib/settings/fields.ts). An empty list is an empty
 * file, so the ui still learns that every plugin it activated before is to be deactivated.
 */
export function renderPluginManifest(settings: Pick<ResolvedSettings, "plugins" | "bundledPlugins">): string {
    const downloaded = settings.plugins.map((p) => `${p.name} ${p.version} ${p.sha256} ${p.downloadUrl} ${p.licensed ? "marketplace" : "-"}\n`);
    return [...downloaded, ...settings.bundledPlugins.map(bundledLine)].join("");
}

/**
 * A bundled plugin's line: `NAME bundled - - bundled`. `install` skips it (the code is in the
 * release); `apply` activates it and `record` stores `NAME bundled` like any other line, so it is
 * activated once and deactivated when taken out. Its version field is the word `bundled`: its code
 * changes with the release, whose upgrade runs core:update anyway.
 */
export const BUNDLED_MARK = "bundled";
function bundledLine(name: string): string {
    return `${name} ${BUNDLED_MARK} - - ${BUNDLED_MARK}\n`;
}
