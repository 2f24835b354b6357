import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { writeFileSync } from "fs";
import { DATABASE_CA_BUNDLE_PATH, fillSecretPlaceholders, placeholdersIn, renderConfig, renderedConfigKeys } from "../lib/config";
import { RENDERED_CONFIG_KEYS } from "../lib/config/ownedKeys";
import { MatomoClusterArgs } from "../lib/settings";
import { requireTools } from "./support/tools";
import { configSettings, parsedByPhp, scratchPath } from "./support/configFiles";

const DB_HOST = "matomo-db.cabc123.eu-west-1.rds.amazonaws.com";

const settings = configSettings;

describe("config.ini.php as PHP reads it", () => {
    const rendered = renderConfig(settings({ additionalTrustedHosts: ["old.example.com"] }), { databaseHost: DB_HOST });
    const ini = parsedByPhp(rendered.text);

    it("starts with Matomo's PHP guard, so executing the file prints nothing of it", () => {
        assert.equal(rendered.text.split("\n")[0], "; <?php exit; ?> DO NOT REMOVE THIS LINE");
        const path = scratchPath("guard.php");
        writeFileSync(path, rendered.text);
        requireTools("php");
        const printed = execFileSync("php", [path], { encoding: "utf8" });
        assert.equal(printed, "; ", "only the text before <?php is printed; no key or value");
    });

    it("has every [General] setting the load-balanced layout needs", () => {
        const g = ini.General;
        assert.equal(g.multi_server_environment, "1");
        assert.equal(g.session_save_handler, "dbtable");
        assert.equal(g.salt, "{{secret:salt}}");
        assert.deepEqual(g.trusted_hosts, ["analytics.example.com", "old.example.com"]);
        assert.equal(g.force_ssl, "1");
        assert.equal(g.assume_secure_protocol, "1");
        assert.deepEqual(g.proxy_client_headers, ["HTTP_X_FORWARDED_FOR"]);
        assert.deepEqual(g.proxy_scheme_headers, ["HTTP_X_FORWARDED_PROTO"]);
        assert.equal(g.proxy_ip_read_last_in_list, "1", "the ALB appends the real client address last");
        assert.equal(g.proxy_host_headers, undefined, "the ALB keeps Host as sent");
        assert.equal(g.enable_installer, "0");
        assert.equal(g.enable_plugins_admin, "0");
        assert.equal(g.enable_auto_update, "0");
        assert.equal(g.enable_browser_archiving_triggering, "0");
        assert.equal(g.browser_archiving_disabled_enforce, "0");
        assert.equal(g.maintenance_mode, "0");
        assert.equal(ini.Tracker.record_statistics, "1");
    });

    it("has the [database] connection with utf8mb4, an explicit collation and TLS", () => {
        assert.deepEqual(ini.database, {
            host: DB_HOST,
            port: "3306",
            // The role's own user, filled in at boot: the template is the same on every node.
            username: "{{secret:database_username}}",
            password: "{{secret:database_password}}",
            dbname: "matomo",
            tables_prefix: "matomo_",
            adapter: "PDO\\MYSQL",
            charset: "utf8mb4",
            collation: "utf8mb4_general_ci",
            enable_ssl: "1",
            ssl_ca: DATABASE_CA_BUNDLE_PATH,
        });
        assert.equal(ini.database_reader, undefined, "no reader section without a replica");
    });

    it("writes a [database_reader] with the same credentials when a replica exists", () => {
        const withReplica = parsedByPhp(
            renderConfig(settings({ database: { readReplica: true } }), { databaseHost: DB_HOST, databaseReaderHost: "replica.example.internal" }).text,
        );
        assert.equal(withReplica.database_reader.host, "replica.example.internal");
        assert.equal(withReplica.database_reader.password, "{{secret:database_password}}");
        assert.equal(withReplica.database_reader.dbname, "matomo");
    });

    it("switches maintenance mode, recording and enforced cron archiving from settings", () => {
        const s = parsedByPhp(
            renderConfig(settings({ maintenanceMode: true, trackingEnabled: false, enforceCronArchiving: true }), { databaseHost: DB_HOST }).text,
        );
        assert.equal(s.General.maintenance_mode, "1");
        assert.equal(s.Tracker.record_statistics, "0");
        assert.equal(s.General.browser_archiving_disabled_enforce, "1");
    });

    it("names the MariaDB schema for a MariaDB database (Matomo 5 reads [database] schema; global.ini.php says Mysql)", () => {
        const mariadb = parsedByPhp(
            renderConfig(settings({ database: { engine: "mariadb", readReplica: true } }), {
                databaseHost: DB_HOST,
                databaseReaderHost: "replica.example.internal",
            }).text,
        );
        assert.equal(mariadb.database.schema, "Mariadb");
        // Matomo's Db::getReader copies the schema from [database]; the reader section needs none.
        assert.equal(mariadb.database_reader.schema, undefined);
        assert.equal(ini.database.schema, undefined, "MySQL: Matomo's own default, nothing written");
    });

    it("lets the user name the schema of an existing database (its engine is unknown here), and refuses it for a new one", () => {
        const existing = {
            host: "db.internal.example.com",
            username: "matomo",
            passwordSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf",
        };
        const s = parsedByPhp(
            renderConfig(settings({ database: { existing }, salt: { generateNew: true }, extraConfig: { database: { schema: "Mariadb" } } }), {
                databaseHost: "db.internal.example.com",
            }).text,
        );
        assert.equal(s.database.schema, "Mariadb");
        assert.throws(
            () => renderConfig(settings({ database: { engine: "mariadb" }, extraConfig: { database: { schema: "Mysql" } } }), { databaseHost: DB_HOST }),
            /database\.engine/,
        );
    });

    it("leaves TLS settings out for an existing database that does not use TLS", () => {
        const s = parsedByPhp(
            renderConfig(
                settings({
                    database: {
                        existing: {
                            host: "db.internal.example.com",
                            username: "matomo",
                            passwordSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf",
                            tls: false,
                        },
                    },
                    salt: { generateNew: true },
                }),
                { databaseHost: "db.internal.example.com" },
            ).text,
        );
        assert.equal(s.database.enable_ssl, undefined);
        assert.equal(s.database.ssl_ca, undefined);
    });

    it("keeps nasty user values exactly: quotes, ; $ ${} = & backslashes and unicode", () => {
        const nasty = {
            quotes: "say \"hi\" and 'bye'",
            semicolon: "a;b ; c",
            dollar: "cost $5 and $HOME",
            interpolation: "${HOME}/x",
            equals: "a=b==c",
            ampersand: "x&y&&z",
            entityLike: "&amp; &lt;b&gt; &quot;q&quot; &#36;x &#x41; &copy;",
            backslash: "C:\\dir\\",
            escapedDollar: "\\$",
            unicode: "Grüße 日本 🚀",
            keywordLike: "yes",
            nullLike: "null",
            spaces: "  padded  ",
        };
        const s = parsedByPhp(
            renderConfig(settings({ extraConfig: { mail: nasty, General: { cors_domains: ['https://a.example.com;"x"', "$y"] } } }), { databaseHost: DB_HOST })
                .text,
        );
        assert.deepEqual(s.mail, nasty);
        assert.deepEqual(s.General.cors_domains, ['https://a.example.com;"x"', "$y"]);
    });

    it("writes numbers and booleans as PHP reads them", () => {
        const s = parsedByPhp(
            renderConfig(
                settings({ extraConfig: { General: { archiving_range_force_on_browser_request: false, datatable_archiving_maximum_rows_referrers: 1000 } } }),
                { databaseHost: DB_HOST },
            ).text,
        );
        assert.equal(s.General.archiving_range_force_on_browser_request, "0");
        assert.equal(s.General.datatable_archiving_maximum_rows_referrers, "1000");
    });
});

describe("config.ini.php with QueuedTracking", () => {
    const REDIS = "matomo-redis.abc123.ng.0001.euw1.cache.amazonaws.com";
    const queued = (extra: Partial<NonNullable<MatomoClusterArgs["queuedTracking"]>> = {}) =>
        settings({ queuedTracking: { enabled: true, pluginSha256: "c".repeat(64), ...extra } });

    it("has no [QueuedTracking] section while it is off", () => {
        assert.equal(parsedByPhp(renderConfig(settings(), { databaseHost: DB_HOST }).text).QueuedTracking, undefined);
    });

    it("sets the plugin's system settings: Redis at the cache endpoint, queue on, processing only by cron", () => {
        // Names from the plugin's SystemSettings.php (makeSetting('<name>', …)); Matomo's
        // SystemSetting::getValue() takes them from the section named after the plugin.
        const ini = parsedByPhp(renderConfig(queued(), { databaseHost: DB_HOST, redis: { host: REDIS, port: 6379 } }).text);
        assert.deepEqual(ini.QueuedTracking, {
            backend: "redis",
            useWhatRedisBackendType: "1",
            // TLS: phpredis connects with TLS to a tls:// host; the AUTH token is filled at boot.
            redisHost: `tls://${REDIS}`,
            redisPort: "6379",
            redisPassword: "{{secret:redis_password}}",
            redisDatabase: "0",
            queueEnabled: "1",
            processDuringTrackingRequest: "0",
            numQueueWorkers: "1",
            numRequestsToProcess: "25",
        });
    });

    it("reads as the plugin's setting types once Matomo applies settype(): a single Redis, queue on, trackers never process", () => {
        const path = scratchPath("queued.ini.php");
        writeFileSync(
            path,
            renderConfig(queued({ numQueueWorkers: 4, numRequestsToProcess: 100 }), { databaseHost: DB_HOST, redis: { host: REDIS, port: 6379 } }).text,
        );
        // The types each setting is declared with (FieldConfig::TYPE_*), as SystemSetting::getValue() casts them.
        const types = {
            backend: "string",
            useWhatRedisBackendType: "integer",
            redisHost: "string",
            redisPort: "string",
            redisPassword: "string",
            redisDatabase: "integer",
            queueEnabled: "boolean",
            processDuringTrackingRequest: "boolean",
            numQueueWorkers: "integer",
            numRequestsToProcess: "integer",
        };
        const php = `$c = parse_ini_file($argv[1], true)["QueuedTracking"]; $t = json_decode($argv[2], true); foreach ($t as $k => $type) { settype($c[$k], $type); } echo json_encode(array_intersect_key($c, $t));`;
        const typed = JSON.parse(execFileSync("php", ["-r", php, path, JSON.stringify(types)], { encoding: "utf8" })) as Record<string, unknown>;
        assert.deepEqual(typed, {
            backend: "redis",
            useWhatRedisBackendType: 1,
            redisHost: `tls://${REDIS}`,
            redisPort: "6379",
            redisPassword: "{{secret:redis_password}}",
            redisDatabase: 0,
            queueEnabled: true,
            processDuringTrackingRequest: false,
            numQueueWorkers: 4,
            numRequestsToProcess: 100,
        });
    });

    it("the filled config gives Matomo the AUTH token back as generated, whatever ElastiCache character it holds", () => {
        const template = renderConfig(queued(), { databaseHost: DB_HOST, redis: { host: REDIS, port: 6379 } }).text;
        for (const token of ["Tk3n!&#$^<>-Zq9wXy7vUt5sRr4pOo2n", "aaaaaaaaaaaaaaa&amp;$HOME"]) {
            const ini = parsedByPhp(
                fillSecretPlaceholders(template, { database_username: "matomo_app", database_password: "p", salt: "s", redis_password: token }),
            );
            assert.equal(ini.QueuedTracking.redisPassword, token);
        }
    });

    it("keeps the Redis connection out of extraConfig's reach: the host, port and AUTH token are the renderer's", () => {
        const secretArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:x-AbCdEf";
        assert.throws(
            () =>
                settings({
                    queuedTracking: { enabled: true, pluginSha256: "c".repeat(64) },
                    extraConfig: { QueuedTracking: { redisPassword: { secretArn } } },
                }),
            /extraConfig\.QueuedTracking\.redisPassword/,
        );
    });

    it("keeps the plugin's other keys open to extraConfig, e.g. its queue threshold e-mails", () => {
        const s = settings({
            queuedTracking: { enabled: true, pluginSha256: "c".repeat(64) },
            extraConfig: { QueuedTracking: { notify_queue_threshold_emails: ["ops@example.com"] } },
        });
        const ini = parsedByPhp(renderConfig(s, { databaseHost: DB_HOST, redis: { host: REDIS, port: 6379 } }).text);
        assert.deepEqual(ini.QueuedTracking.notify_queue_threshold_emails, ["ops@example.com"]);
        assert.equal(ini.QueuedTracking.queueEnabled, "1");
    });

    it("refuses to render without the Redis endpoint rather than point the plugin at 127.0.0.1", () => {
        assert.throws(() => renderConfig(queued(), { databaseHost: DB_HOST }), /runtime\.redis/);
    });

    it("changes the hash when the Redis endpoint changes, so the nodes roll onto the new one", () => {
        const a = renderConfig(queued(), { databaseHost: DB_HOST, redis: { host: REDIS, port: 6379 } }).sha256;
        assert.notEqual(renderConfig(queued(), { databaseHost: DB_HOST, redis: { host: "other.cache.amazonaws.com", port: 6379 } }).sha256, a);
    });
});

describe("config.ini.php secrets", () => {
    const rendered = renderConfig(settings(), { databaseHost: DB_HOST });

    it("carries placeholders, never values, for the database password and salt", () => {
        assert.deepEqual(placeholdersIn(rendered.text), ["database_username", "database_password", "salt"]);
    });

    it("filled at boot with any password, PHP reads back the exact secret", () => {
        const password = 'p@ss"w\\o$rd;{x}=&${HOME}&amp;&lt;\\';
        const salt = "0123456789abcdef0123456789abcdef";
        const s = parsedByPhp(fillSecretPlaceholders(rendered.text, { database_username: "matomo_app", database_password: password, salt }));
        assert.equal(s.database.password, password);
        assert.equal(s.General.salt, salt);
    });

    it("refuses a secret with a newline instead of writing a broken file", () => {
        assert.throws(() => fillSecretPlaceholders(rendered.text, { database_username: "u", database_password: "a\nb", salt: "s" }), /single line/);
    });
});

describe("config.ini.php hash", () => {
    it("is the sha256 of the text", () => {
        const r = renderConfig(settings(), { databaseHost: DB_HOST });
        assert.match(r.sha256, /^[0-9a-f]{64}$/);
        const expected = execFileSync("sha256sum", { input: r.text, encoding: "utf8" }).split(" ")[0];
        assert.equal(r.sha256, expected);
    });

    it("does not change when only the order of user extras changes", () => {
        const a = renderConfig(settings({ extraConfig: { General: { a: "1", b: "2" }, Zeta: { k: 1 }, Alpha: { k: 2 } } }), { databaseHost: DB_HOST });
        const b = renderConfig(settings({ extraConfig: { Alpha: { k: 2 }, Zeta: { k: 1 }, General: { b: "2", a: "1" } } }), { databaseHost: DB_HOST });
        assert.equal(a.text, b.text);
        assert.equal(a.sha256, b.sha256);
    });

    it("changes when meaning changes: maintenance mode, a trusted host, the database host", () => {
        const base = renderConfig(settings(), { databaseHost: DB_HOST }).sha256;
        assert.notEqual(renderConfig(settings({ maintenanceMode: true }), { databaseHost: DB_HOST }).sha256, base);
        assert.notEqual(renderConfig(settings({ additionalTrustedHosts: ["b.example.com"] }), { databaseHost: DB_HOST }).sha256, base);
        assert.notEqual(renderConfig(settings(), { databaseHost: "other.example.com" }).sha256, base);
    });

    it("does not depend on settings that do not reach the file (tracker count, instance types)", () => {
        const base = renderConfig(settings(), { databaseHost: DB_HOST }).sha256;
        assert.equal(renderConfig(settings({ trackers: { minSize: 4, maxSize: 8 }, ui: { count: 2 } }), { databaseHost: DB_HOST }).sha256, base);
    });
});

describe("the keys the renderer owns (lib/config/ownedKeys.ts)", () => {
    it("are exactly what it writes with everything on: a read replica, QueuedTracking, mail with a login, TLS to the database", () => {
        const s = settings({
            database: { readReplica: true },
            queuedTracking: { enabled: true, pluginSha256: "0".repeat(64) },
            mail: { host: "smtp.example.com", username: "matomo", password: { secretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:smtp-AbCdEf" } },
        });
        const written = renderedConfigKeys(s, {
            databaseHost: DB_HOST,
            databaseReaderHost: "reader." + DB_HOST,
            redis: { host: "redis.example.com", port: 6379 },
        });
        const sorted = (keys: Readonly<Record<string, readonly string[]>>) =>
            Object.fromEntries(
                Object.entries(keys)
                    .map(([section, names]) => [section, [...names].sort()] as const)
                    .sort(([a], [b]) => a.localeCompare(b)),
            );
        assert.deepEqual(sorted(written), sorted(RENDERED_CONFIG_KEYS));
    });
});

describe("config.ini.php from settings with Output arguments", () => {
    it("renderConfig before they resolve names the helper that waits for them, and the package exports it", async () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the package root, as a program imports it
        const pkg = require("../lib") as typeof import("../lib");
        const { output } = await import("@pulumi/pulumi");
        const s = pkg.resolveSettings({
            domain: "analytics.example.com",
            certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e",
            superUser: { email: "ops@example.com" },
            salt: { generateNew: true },
            database: {
                existing: {
                    host: DB_HOST,
                    port: output(3307),
                    username: "matomo",
                    passwordSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf",
                },
            },
        });
        assert.throws(() => pkg.config.renderConfig(s, { databaseHost: DB_HOST }), /withKnownValues\(settings\)/);
        const text = await new Promise<string>((resolve) =>
            pkg.withKnownValues(s).apply((k) => resolve(pkg.config.renderConfig(k, { databaseHost: DB_HOST }).text)),
        );
        assert.match(text, /^port = 3307$/m);
    });
});
