/**
 * The Matomo release this library provisions, pinned in exactly one place.
 *
 * Bumping `MATOMO_VERSION` is the whole upgrade: the rendered config hash changes with it,
 * every node group rolls, and the ui node runs `core:update` once.
 */
export const MATOMO_VERSION = "5.10.0";

/**
 * Full fingerprint of Matomo's release signing key. The official Matomo container image
 * verifies every release tarball's `.asc` signature against this key; so do our nodes.
 */
export const MATOMO_SIGNING_KEY_FINGERPRINT = "F529A27008477483777FC23D63BB30D0E5D2C749";

/** Where Matomo publishes its release archives; `{version}` is replaced. */
export const MATOMO_DOWNLOAD_URL_TEMPLATE = "https://builds.matomo.org/matomo-{version}.tar.gz";

export function defaultDownloadUrl(version: string): string {
    return MATOMO_DOWNLOAD_URL_TEMPLATE.replace("{version}", version);
}
