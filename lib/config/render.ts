/**
 * Resolved settings → the one config.ini.php every node runs, and its sha256.
 *
 * The text is deterministic (fixed order for our keys, sorted user extras, no timestamps), so the
 * hash changes only when the meaning does; the hash is what rolls the node groups.
 */
import { createHash } from "crypto";
import type { IniValue, ResolvedSecretReference, ResolvedSettings } from "../settings";
import { known } from "../settings/known";
import { renderIni, type IniDocument } from "./ini";
import { configSecretReferences, isSecretReference, referenceSecretName, secretPlaceholder } from "./secrets";

/** Matomo's own first line: PHP exits before printing the file if a web server ever executes it. */
export const PHP_GUARD_LINE = "; <?php exit; ?> DO NOT REMOVE THIS LINE";

/** Where nodes keep the CA bundle that verifies the database's TLS certificate. */
export const DATABASE_CA_BUNDLE_PATH = "/etc/matomo/database-ca.pem";
/** Matomo's own log (`[log] logger_file_path`), which the CloudWatch agent ships (lib/provision/observability.ts). */
export const MATOMO_LOG_PATH = "/var/log/matomo/matomo.log";

/**
 * utf8mb4_general_ci exists on every MySQL and MariaDB release we allow (MySQL 8's default
 * utf8mb4_0900_ai_ci does not exist on MariaDB), so one config works on either engine and the
 * collation never changes under Matomo when the server's default does.
 */
export const DATABASE_COLLATION = "utf8mb4_general_ci";

/** The prefix that makes phpredis connect with TLS (`tls://host`). */
export const REDIS_TLS_SCHEME = "tls://";

/** Values only known once resources exist (resolved from Pulumi outputs by the caller). */
export interface ConfigRuntimeValues {
    /** The database endpoint's host name: rendered as `[database] host`. */
    databaseHost: string;
    /** Set when a read replica exists: rendered as `[database_reader]`. */
    databaseReaderHost?: string;
    /** The QueuedTracking Redis (required when `queuedTracking.enabled`): rendered into `[QueuedTracking]`, reached over TLS with the `redis_password` secret. */
    redis?: {
        /** The Redis primary endpoint's host name. */
        host: string;
        /** Its port (6379 for the cache the library creates). */
        port: number;
    };
}

/** The rendered config.ini.php and its hash. */
export interface RenderedConfig {
    /** config.ini.php with `{{secret:NAME}}` placeholders: safe for user data and plan output. */
    text: string;
    /** Hex sha256 of `text`. */
    sha256: string;
}

/**
 * Render the one config.ini.php every node writes, with `{{secret:NAME}}` placeholders where secrets
 * go; equal settings and runtime values always give the same bytes and sha256.
 */
export function renderConfig(settings: ResolvedSettings, runtime: ConfigRuntimeValues): RenderedConfig {
    const text = renderIni(configDocument(settings, runtime), PHP_GUARD_LINE);
    return { text, sha256: sha256Hex(text) };
}

/**
 * Every section and key this renderer writes itself for these settings (user extras left out):
 * the settings validation locks them for `extraConfig`, so the list can never drift from here.
 */
export function renderedConfigKeys(settings: ResolvedSettings, runtime: ConfigRuntimeValues): Record<string, string[]> {
    const ours = configDocument({ ...settings, extraConfig: {} }, runtime);
    return Object.fromEntries(ours.map(([section, entries]) => [section, [...new Set(entries.map(([key]) => key))]]));
}

/** Hex sha256 of `text` as UTF-8: the config hash the node groups' tags and user data carry. */
export function sha256Hex(text: string): string {
    return createHash("sha256").update(text, "utf8").digest("hex");
}

function configDocument(settings: ResolvedSettings, runtime: ConfigRuntimeValues): IniDocument {
    const db = settings.database;
    const connection = (host: string): [string, IniValue][] => [
        ["host", host],
        ["port", known(db.port, "database.existing.port")],
        // The role's own user, filled in at boot (secrets.ts): trackers and ui nodes connect as different users.
        ["username", secretPlaceholder("database_username")],
        ["password", secretPlaceholder("database_password")],
        ["dbname", known(db.name, "database.existing.name")],
        ["tables_prefix", db.tablesPrefix],
        ["adapter", "PDO\\MYSQL"],
        ["charset", "utf8mb4"],
        ["collation", DATABASE_COLLATION],
        ...(db.tls
            ? ([
                  ["enable_ssl", 1],
                  ["ssl_ca", DATABASE_CA_BUNDLE_PATH],
              ] as [string, IniValue][])
            : []),
    ];

    const general: [string, IniValue][] = [
        // The FAQ's one required line: no plugin installs or config writes from the UI of one node.
        ["multi_server_environment", 1],
        ["session_save_handler", "dbtable"],
        ["salt", secretPlaceholder("salt")],
        ["trusted_hosts", settings.trustedHosts.map((h) => known(h, "domain"))],
        ["force_ssl", 1],
        // TLS ends at the load balancer; nodes see plain HTTP.
        ["assume_secure_protocol", 1],
        ["proxy_client_headers", ["HTTP_X_FORWARDED_FOR"]],
        ["proxy_scheme_headers", ["HTTP_X_FORWARDED_PROTO"]],
        // The ALB appends the address it saw to X-Forwarded-For; anything before it came from the
        // client and can be forged, so Matomo must take the last entry. (The ALB keeps the Host
        // header as sent, so no proxy_host_headers are needed.)
        ["proxy_ip_read_last_in_list", 1],
        ["enable_installer", 0],
        ["enable_plugins_admin", 0],
        ["enable_auto_update", 0],
        // Files Matomo would write on one node only (docs/runtime-files.md): GeoIp2's updater task and
        // settings page (the library keeps the location database on every node), and logo uploads
        // into misc/user/.
        ["enable_geolocation_admin", 0],
        ["enable_custom_logo", 0],
        ["enable_browser_archiving_triggering", 0],
        ["browser_archiving_disabled_enforce", settings.enforceCronArchiving ? 1 : 0],
        ["maintenance_mode", settings.maintenanceMode ? 1 : 0],
        ...(settings.mail !== undefined
            ? ([
                  ["noreply_email_address", known(settings.mail.fromAddress, "mail.fromAddress")],
                  ["noreply_email_name", settings.mail.fromName],
              ] as [string, IniValue][])
            : []),
    ];

    const ours: [string, [string, IniValue][]][] = [
        ["database", [...connection(runtime.databaseHost), ...databaseSchema(settings)]],
        ...(runtime.databaseReaderHost !== undefined ? [["database_reader", connection(runtime.databaseReaderHost)] as [string, [string, IniValue][]]] : []),
        ["General", general],
        ["Tracker", [["record_statistics", settings.trackingEnabled ? 1 : 0]]],
        // Matomo's own log to a file the CloudWatch agent ships (observability.ts); Matomo takes an absolute path as is.
        [
            "log",
            [
                ["log_writers", ["file"]],
                ["logger_file_path", MATOMO_LOG_PATH],
            ],
        ],
        ...(settings.queuedTracking.enabled ? [["QueuedTracking", queuedTracking(settings.queuedTracking, runtime)] as [string, [string, IniValue][]]] : []),
        ...(settings.mail !== undefined ? [["mail", mail(settings.mail)] as [string, [string, IniValue][]]] : []),
    ];

    // User extras merge into our sections (validation already refused keys we own), then new
    // sections follow in name order so the text never depends on object key order.
    const extras = settings.extraConfig;
    configSecretReferences(settings); // refuses two references that would share a placeholder name
    const sortedEntries = (section: string): [string, IniValue][] => {
        const entries = Object.hasOwn(extras, section) ? extras[section] : {};
        return Object.keys(entries)
            .sort()
            .map((key) => [key, extraValue(section, key, entries[key])]);
    };
    const merged = ours.map(([name, entries]) => [name, [...entries, ...sortedEntries(name)]] as const);
    const ourNames = new Set(ours.map(([name]) => name));
    const added = Object.keys(extras)
        .filter((name) => !ourNames.has(name))
        .sort()
        .map((name) => [name, sortedEntries(name)] as const);
    return [...merged, ...added];
}

/**
 * `[database] schema`: Matomo 5 picks its SQL dialect class by this name (core/Db/Schema.php; the
 * MariaDB one adds MariaDB's statement time limits) and its System Check warns when a MariaDB
 * server runs under the default `Mysql`. Only `[database]` needs it: Matomo copies it to the
 * reader connection. Known for a database we create; for an existing one the engine is the
 * user's to state (`extraConfig.database.schema`), and the boot check warns on a mismatch.
 */
function databaseSchema(settings: ResolvedSettings): [string, IniValue][] {
    const db = settings.database;
    if (db.kind !== "new") return [];
    if (settings.extraConfig.database?.schema !== undefined) {
        throw new Error(`renderConfig: extraConfig.database.schema is decided by database.engine ('${db.engine}') for a database this library creates`);
    }
    return db.engine === "mariadb" ? [["schema", "Mariadb"]] : [];
}

/**
 * A user's value as written: a secret reference becomes its placeholder. A literal placeholder in
 * a plain value is refused here too, whatever validation did upstream: the node would fill it
 * with one of the cluster's secrets.
 */
function extraValue(section: string, key: string, value: IniValue | ResolvedSecretReference): IniValue {
    if (isSecretReference(value)) return secretPlaceholder(referenceSecretName(section, key));
    for (const item of Array.isArray(value) ? value : [value]) {
        if (typeof item === "string" && item.includes("{{secret:")) {
            throw new Error(`renderConfig: [${section}] ${key} holds a literal {{secret:…}} placeholder; give secrets as references`);
        }
    }
    return value;
}

/**
 * Matomo's `[mail]` (core/Mail/Transport.php hands these to PHPMailer): `transport = smtp` turns
 * SMTP on; `type` is the SMTP AUTH mechanism, set only with a login; `encryption` is PHPMailer's
 * SMTPSecure (`tls` = STARTTLS, `ssl` = implicit TLS), and `none` turns off its opportunistic
 * STARTTLS too. The password is a placeholder the node fills from Secrets Manager.
 */
function mail(m: NonNullable<ResolvedSettings["mail"]>): [string, IniValue][] {
    return [
        ["transport", "smtp"],
        ["host", known(m.host, "mail.host")],
        ["port", m.port],
        ["encryption", m.encryption],
        ...(m.username !== undefined && m.password !== undefined
            ? ([
                  // LOGIN: the mechanism Matomo's own global.ini.php names; every SMTP AUTH server we know (SES included) offers it.
                  ["type", "LOGIN"],
                  ["username", m.username],
                  ["password", secretPlaceholder(referenceSecretName("mail", "password"))],
              ] as [string, IniValue][])
            : []),
    ];
}

/**
 * The QueuedTracking plugin's system settings. Matomo's `SystemSetting::getValue()` takes a value
 * from the config section named after the plugin when the key is there (and then refuses UI edits
 * of it), so these are fixed for every node without touching the database. Keys are the plugin's
 * own setting names (its SystemSettings.php).
 *
 * TLS: the plugin's Redis backend hands `redisHost` to phpredis's `connect()` as is, and phpredis
 * opens TLS for a `tls://` host, verifying the server's certificate against the system's CA store
 * (the plugin has no TLS setting of its own; its maintainers point to the prefix, plugin issue
 * #108). The AUTH token is a placeholder the node fills from Secrets Manager; the plugin sends it
 * with `auth()` right after connecting.
 */
function queuedTracking(q: Extract<ResolvedSettings["queuedTracking"], { enabled: true }>, runtime: ConfigRuntimeValues): [string, IniValue][] {
    if (runtime.redis === undefined) throw new Error("renderConfig: QueuedTracking is enabled but no Redis endpoint was given (runtime.redis)");
    return [
        ["backend", "redis"],
        // 1 = a single Redis server (2 = Sentinel, 3 = Cluster).
        ["useWhatRedisBackendType", 1],
        ["redisHost", `${REDIS_TLS_SCHEME}${runtime.redis.host}`],
        ["redisPort", runtime.redis.port],
        ["redisPassword", secretPlaceholder("redis_password")],
        ["redisDatabase", 0],
        ["queueEnabled", 1],
        // Trackers only enqueue; the ui nodes' cron runs queuedtracking:process.
        ["processDuringTrackingRequest", 0],
        ["numQueueWorkers", q.numQueueWorkers],
        ["numRequestsToProcess", q.numRequestsToProcess],
    ];
}
