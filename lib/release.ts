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

/** Matomo's own download URL of release `version` (x.y.z): the default of `matomo.downloadUrl`. */
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

/**
 * The Matomo Marketplace's download endpoint of a plugin release; `{name}` and `{version}` are
 * replaced. Matomo's own client (plugins/Marketplace/Api/Client.php `getDownloadUrl`) joins the
 * Marketplace domain (`https://plugins.matomo.org`, plugins/Marketplace/config/config.php) with the
 * release's `download` path, which the Marketplace API gives as `/api/2.0/plugins/<name>/download/<version>`.
 * Premium plugins answer it only with the license key, posted as `access_token`
 * (plugins/Marketplace/Api/Service.php `download`).
 */
export const MARKETPLACE_DOWNLOAD_URL_TEMPLATE = "https://plugins.matomo.org/api/2.0/plugins/{name}/download/{version}";

/** The Marketplace download URL of plugin `name` at `version`: the default of a plugin's `downloadUrl`. */
export function marketplaceDownloadUrl(name: string, version: string): string {
    return MARKETPLACE_DOWNLOAD_URL_TEMPLATE.replace("{name}", name).replace("{version}", version);
}

/** The Marketplace download URL of QueuedTracking `version`: the default of `queuedTracking.pluginDownloadUrl`. */
export function defaultQueuedTrackingDownloadUrl(version: string): string {
    return marketplaceDownloadUrl("QueuedTracking", version);
}

/**
 * The plugins Matomo's release ships in `plugins/` (read from matomo-org/matomo: every plugin
 * directory of the 5.x tree, minus the git submodules the release build drops, TagManager kept, as
 * matomo-package's build-package.sh packages it). Their code comes and goes with `matomo.version`;
 * `plugins` may not name one (see docs/provisioning.md "Plugins").
 */
export const BUNDLED_PLUGINS: readonly string[] = [
    "API",
    "Actions",
    "Annotations",
    "BulkTracking",
    "Contents",
    "CoreAdminHome",
    "CoreConsole",
    "CoreHome",
    "CorePluginsAdmin",
    "CoreUpdater",
    "CoreVisualizations",
    "CoreVue",
    "CustomDimensions",
    "CustomJsTracker",
    "DBStats",
    "Dashboard",
    "DevicePlugins",
    "DevicesDetection",
    "Diagnostics",
    "Ecommerce",
    "Events",
    "FeatureFlags",
    "Feedback",
    "GeoIp2",
    "Goals",
    "Heartbeat",
    "ImageGraph",
    "Insights",
    "Installation",
    "Intl",
    "IntranetMeasurable",
    "JsTrackerInstallCheck",
    "LanguagesManager",
    "Live",
    "Login",
    "Marketplace",
    "MobileAppMeasurable",
    "MobileMessaging",
    "Monolog",
    "Morpheus",
    "MultiSites",
    "Overlay",
    "PagePerformance",
    "PrivacyManager",
    "ProfessionalServices",
    "Proxy",
    "Referrers",
    "Resolution",
    "RssWidget",
    "SEO",
    "ScheduledReports",
    "SegmentEditor",
    "SitesManager",
    "TagManager",
    "Tour",
    "Transitions",
    "TwoFactorAuth",
    "UserCountry",
    "UserCountryMap",
    "UserId",
    "UserLanguage",
    "UsersManager",
    "VisitFrequency",
    "VisitTime",
    "VisitorInterest",
    "VisitsSummary",
    "WebsiteMeasurable",
    "Widgetize",
];

/**
 * The plugins Matomo's release ships but does not activate: the directories under `plugins/` that
 * config/global.ini.php's `[Plugins]` leaves out (matomo-org/matomo tag 5.1.2: 64 listed, these
 * three shipped besides). `bundledPlugins` activates them through the plugin manifest, like a
 * Marketplace plugin but with no download (their code comes with `matomo.version`).
 */
export const BUNDLED_INACTIVE_PLUGINS = ["DBStats", "MobileAppMeasurable", "TagManager"] as const;

/** A plugin `bundledPlugins` may name. */
export type BundledPluginName = (typeof BUNDLED_INACTIVE_PLUGINS)[number];
