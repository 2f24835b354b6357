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

/**
 * The QueuedTracking plugin release installed with `queuedTracking.enabled`. It is a Marketplace
 * plugin, not part of Matomo's release. 5.2.0 (2025-11-25) is the last release of the plugin's
 * Matomo 5 line in its CHANGELOG.md (6.0.0 is "Compatibility with Matomo 6"); the 5.x line's
 * plugin.json requires `matomo >=5.0.0-b1,<6.0.0-b1` (github.com/matomo-org/plugin-QueuedTracking).
 */
export const QUEUED_TRACKING_VERSION = "5.2.0";

/** The Matomo Marketplace's download URL of a plugin release; `{version}` is replaced. */
export const QUEUED_TRACKING_DOWNLOAD_URL_TEMPLATE = "https://plugins.matomo.org/api/2.0/plugins/QueuedTracking/download/{version}";

export function defaultQueuedTrackingDownloadUrl(version: string): string {
    return QUEUED_TRACKING_DOWNLOAD_URL_TEMPLATE.replace("{version}", version);
}
