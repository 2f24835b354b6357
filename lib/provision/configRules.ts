/**
 * What a stored plugin section may hold, as data for matomo-config-sections.php. The database
 * keeps `provision_config_sections`; whoever can write that row must not be able to change a
 * node's config beyond the plugin lists. The node refuses at assemble time (on every node, not
 * only where the ui extracted it) anything outside the sections provisioning lets Matomo own, and
 * any key the renderer owns: the same lists `extraConfig` is checked against, taken from
 * lib/settings here so they are written once.
 */
import { LOCKED_CONFIG_SECTIONS, lockedConfigKeys } from "../settings";

/** Shipped beside matomo-config-sections.php in LIB_DIR, which reads it from its own directory. */
export const CONFIG_RULES_FILE = "matomo-config-rules.json";

export interface ConfigRules {
    /** The only sections a stored row may carry ([Plugins], [PluginsInstalled]). */
    managedSections: readonly string[];
    /** Keys the renderer (or the layout) owns, by section: never taken from the database. */
    lockedKeys: Readonly<Record<string, readonly string[]>>;
}

export function configRules(): ConfigRules {
    return { managedSections: [...LOCKED_CONFIG_SECTIONS], lockedKeys: lockedConfigKeys() };
}

export function renderConfigRules(): string {
    return JSON.stringify(configRules()) + "\n";
}
