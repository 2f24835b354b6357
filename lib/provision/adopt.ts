/**
 * The plugin sections of an adopted Matomo (`adopt`), as Matomo's config writer writes them in
 * config.ini.php (matomo/ini's IniWriter: a section header, then `name[] = "value"` per entry,
 * sections separated by a blank line). The first ui node that finds an installed Matomo without
 * stored sections starts from this text (matomo-adopt.sh checks it; matomo-ui-setup.sh stores what
 * Matomo wrote from it, once setup succeeded, as the sections every node's config ends with).
 */
import type { ResolvedSettings } from "../settings";

/** Payload file name under /etc/matomo-provision (ui nodes only, and only with `adopt`). */
export const ADOPT_SECTIONS_PAYLOAD = "adopt-sections.ini";

export function renderAdoptSections(settings: ResolvedSettings): string | undefined {
    const adopt = settings.adopt;
    if (adopt === undefined) return undefined;
    const section = (name: string, plugins: readonly string[]) => `[${name}]\n${plugins.map((p) => `${name}[] = "${p}"`).join("\n")}\n`;
    // Plugin names are Matomo's ([a-zA-Z][a-zA-Z0-9_]*, checked in lib/settings/adopt.ts): nothing to escape.
    return [
        ...(adopt.activatedPlugins !== undefined ? [section("Plugins", adopt.activatedPlugins)] : []),
        section("PluginsInstalled", adopt.installedPlugins),
    ].join("\n");
}
