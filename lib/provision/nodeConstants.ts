/**
 * The names the node scripts share with the renderers (paths, database option names, the PHP
 * release), written once here. Nodes get them as `matomo-constants.sh`, rendered from this table
 * into LIB_DIR beside common.sh, which sources it; no script spells one of these values itself
 * (test/provision/nodeConstants.test.ts reads the scripts). Pure: no I/O.
 */
import { LOCATION_PROVIDER_OPTION } from "../geoip";
import type { WrittenFile } from "./cloudConfig";
import { shellQuote } from "../shell";
import { PHP_VERSION } from "./packages";
import { ADMIN_CONFIG_PATH, BASE_CONFIG_PATH, CONFIG_PATH, LIB_DIR, MATOMO_ROOT, PAYLOAD_DIR, STATE_DIR } from "./paths";
import { PLUGIN_MANIFEST_PAYLOAD } from "./plugins";

/** The library's own rows in Matomo's option table: the plugin sections every node's config ends with. */
export const SECTIONS_OPTION = "provision_config_sections";
/** ...and the plugin list the ui applied ("NAME VERSION" lines), which other nodes wait for. */
export const PLUGINS_OPTION = "provision_plugins";

/** Shell variable name → value, in the order the file defines them. */
export const NODE_CONSTANTS = {
    STATE: STATE_DIR,
    MATOMO_ROOT,
    CONFIG: CONFIG_PATH,
    BASE_CONFIG: BASE_CONFIG_PATH,
    ADMIN_CONFIG: ADMIN_CONFIG_PATH,
    SECTIONS_OPTION,
    PLUGINS_OPTION,
    PLUGIN_MANIFEST: `${PAYLOAD_DIR}/${PLUGIN_MANIFEST_PAYLOAD}`,
    LOCATION_PROVIDER_OPTION,
    PHP_VERSION,
} as const satisfies Record<string, string>;

/** File name in LIB_DIR; common.sh sources it by this name. */
export const NODE_CONSTANTS_FILE = "matomo-constants.sh";

/** The sourced file: one `readonly NAME=value` line per constant. */
export function renderNodeConstants(): string {
    return (
        [
            "# Rendered by pulumi-matomo-aws from lib/provision/nodeConstants.ts; sourced by common.sh.",
            ...Object.entries(NODE_CONSTANTS).map(([name, value]) => `readonly ${name}=${shellQuote(value)}`),
        ].join("\n") + "\n"
    );
}

/** The file as every file list that carries common.sh must carry it too. */
export function nodeConstantsFile(): WrittenFile {
    return { path: `${LIB_DIR}/${NODE_CONSTANTS_FILE}`, owner: "root:root", permissions: "0644", content: renderNodeConstants() };
}
