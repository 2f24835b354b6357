/**
 * The location databases nodes install, as facts from Matomo's GeoIp2 plugin (the pinned release)
 * and the providers' download documentation, in one place.
 *
 * Matomo's geolocation provider `geoip2php` (plugins/GeoIp2/LocationProvider/GeoIp2/Php.php) reads
 * the first file of `GeoIp2::$dbNames['loc']` it finds under `path.geoip2` (`misc/`), on every
 * node that tracks. The names nodes install are ones Matomo's own updater writes.
 */

/**
 * DB-IP's free "IP to City Lite" database, the one Matomo's installer and its GeoIP settings
 * page set up (`GeoIp2::getDbIpLiteUrl()`: `https://download.db-ip.com/free/dbip-city-lite-<Y-m>.mmdb.gz`),
 * with `{month}` for the year and month (UTC) the node downloads in.
 */
export const DBIP_LITE_URL_TEMPLATE = "https://download.db-ip.com/free/dbip-city-lite-{month}.mmdb.gz";

/**
 * The name Matomo's updater gives a DB-IP city download once unpacked
 * (GeoIP2AutoUpdater::getZippedFilenameToDownloadTo: `dbip-city-lite-…` → `DBIP-City.mmdb.gz`).
 */
export const DBIP_CITY_FILE = "DBIP-City.mmdb";

/** MaxMind editions nodes may install; each is a name in Matomo's `$dbNames['loc']` once `.mmdb` is added. */
export const MAXMIND_EDITIONS = ["GeoLite2-City", "GeoIP2-City", "GeoLite2-Country", "GeoIP2-Country"] as const;
export type MaxMindEdition = (typeof MAXMIND_EDITIONS)[number];

/**
 * MaxMind's direct download ("Directly downloading databases"): HTTP basic authentication with the
 * account ID and license key, `suffix=tar.gz` for the archive and `suffix=tar.gz.sha256` for its
 * checksum; `{edition}` is the edition ID.
 */
export const MAXMIND_URL_TEMPLATE = "https://download.maxmind.com/geoip/databases/{edition}/download";

/**
 * The address Matomo's updater looks up in a new database before it replaces the old one
 * (`GeoIp2::TEST_IP`); a database that does not know it is refused, as Matomo refuses it.
 */
export const GEOIP_TEST_IP = "194.57.91.215";

/** Matomo's option naming the location provider (plugins/UserCountry/LocationProvider.php, CURRENT_PROVIDER_OPTION_NAME). */
export const LOCATION_PROVIDER_OPTION = "usercountry.location_provider";
/** The GeoIP 2 provider that reads `.mmdb` files with PHP (plugins/GeoIp2/LocationProvider/GeoIp2/Php.php, `ID`). */
export const GEOIP2_PHP_PROVIDER = "geoip2php";
