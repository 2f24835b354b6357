/**
 * Every section and key the config renderer (./render.ts) writes itself, with everything on (a read
 * replica, QueuedTracking, mail with a login): what `extraConfig` may not set, and what the nodes
 * refuse from the database's stored plugin sections (lib/provision/configRules.ts). Plain data with
 * no imports, so the argument schema (lib/settings) reads it without importing the renderer;
 * test/config.test.ts renders with everything on and fails when this list and the renderer differ.
 */

/** A `[database]`-shaped connection: the master's, and the reader's with a replica. */
const CONNECTION_KEYS = ["host", "port", "username", "password", "dbname", "tables_prefix", "adapter", "charset", "collation", "enable_ssl", "ssl_ca"] as const;

export const RENDERED_CONFIG_KEYS: Readonly<Record<string, readonly string[]>> = {
    database: CONNECTION_KEYS,
    database_reader: CONNECTION_KEYS,
    General: [
        "multi_server_environment",
        "session_save_handler",
        "salt",
        "trusted_hosts",
        "force_ssl",
        "assume_secure_protocol",
        "proxy_client_headers",
        "proxy_scheme_headers",
        "proxy_ip_read_last_in_list",
        "enable_installer",
        "enable_plugins_admin",
        "enable_auto_update",
        "enable_geolocation_admin",
        "enable_custom_logo",
        "enable_browser_archiving_triggering",
        "browser_archiving_disabled_enforce",
        "maintenance_mode",
        "noreply_email_address",
        "noreply_email_name",
    ],
    Tracker: ["record_statistics"],
    log: ["log_writers", "logger_file_path"],
    QueuedTracking: [
        "backend",
        "useWhatRedisBackendType",
        "redisHost",
        "redisPort",
        "redisPassword",
        "redisDatabase",
        "queueEnabled",
        "processDuringTrackingRequest",
        "numQueueWorkers",
        "numRequestsToProcess",
    ],
    mail: ["transport", "host", "port", "encryption", "type", "username", "password"],
};
