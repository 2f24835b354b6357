/**
 * Files Matomo writes at runtime on one node (docs/runtime-files.md): what the config, the cron
 * jobs and provision.env tell every node so that each one has them. Expected values come from
 * Matomo's source (cited per test), not from the renderers.
 */
import { strict as assert } from "assert";
import { load } from "js-yaml";
import { renderConfig } from "../../lib/config";
import { renderCron, type RenderedUserData } from "../../lib/provision";
import { resolveSettings, type MatomoClusterArgs } from "../../lib/settings";
import { parsedByPhp } from "../support/configFiles";
import { renderBoth, settingsWith, type CloudConfig } from "./fixtures";

const LICENSE_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:maxmind-AbCdEf";
const MAXMIND: MatomoClusterArgs["geoIp"] = { provider: "maxmind", maxmind: { accountId: "123456", licenseKey: { secretArn: LICENSE_ARN, jsonKey: "key" } } };

function written(text: string, path: string): string | undefined {
    return (load(text) as CloudConfig).write_files.find((f) => f.path === path)?.content;
}
/** A file the node gets, from its user data or its provisioning bundle. */
function file(u: RenderedUserData, path: string): string | undefined {
    return written(u.text, path) ?? u.bundle.files.find((f) => f.path === path)?.content;
}
const env = (text: string) => written(text, "/etc/matomo-provision/provision.env") ?? "";
const jobs = (cron: string) => cron.split("\n").filter((l) => /^[0-9*]/.test(l));

describe("runtime files: every node gets what Matomo would write on one", () => {
    describe("config.ini.php", () => {
        const ini = parsedByPhp(renderConfig(settingsWith(), { databaseHost: "db.example.com" }).text);

        it("turns off GeoIp2's own updater and settings page (enable_geolocation_admin = 0): the library keeps the database on every node", () => {
            // plugins/GeoIp2/Tasks.php schedules GeoIP2AutoUpdater only when UserCountry::isGeoLocationAdminEnabled().
            assert.equal(ini.General.enable_geolocation_admin, "0");
        });

        it("turns off logo uploads (enable_custom_logo = 0): they would land in one node's misc/user/", () => {
            // plugins/CoreAdminHome/CustomLogo.php isCustomLogoFeatureEnabled() reads [General] enable_custom_logo.
            assert.equal(ini.General.enable_custom_logo, "0");
        });

        it("refuses both keys in extraConfig", () => {
            for (const key of ["enable_geolocation_admin", "enable_custom_logo"]) {
                assert.throws(() => settingsWith({ extraConfig: { General: { [key]: 1 } } }), new RegExp(`extraConfig\\.General\\.${key}`));
            }
        });
    });

    describe("cron on every node", () => {
        it("trackers run two jobs: containers regenerated from the database every minute, the location database checked daily", () => {
            const cron = renderCron("tracker", settingsWith());
            assert.deepEqual(jobs(cron), [
                "* * * * * www-data flock -n /run/lock/matomo-generated-files.lock /usr/local/lib/matomo-provision/matomo-generated-files.sh /var/www/matomo >> /var/log/matomo/matomo-generated-files.log 2>&1",
                "17 3 * * * root flock -n /run/lock/matomo-geoip.lock /usr/local/lib/matomo-provision/matomo-geoip.sh refresh >> /var/log/matomo/matomo-geoip.log 2>&1",
            ]);
        });

        it("ui nodes run the same two beside archiving and scheduled tasks", () => {
            const ui = jobs(renderCron("ui", settingsWith()));
            for (const line of jobs(renderCron("tracker", settingsWith()))) assert.ok(ui.includes(line), line);
            assert.ok(ui.some((l) => l.includes("core:archive")));
            assert.ok(!jobs(renderCron("tracker", settingsWith())).some((l) => l.includes("core:archive") || l.includes("scheduled-tasks")));
        });

        it("no location database job with geoIp off", () => {
            for (const role of ["tracker", "ui"] as const)
                assert.ok(!renderCron(role, settingsWith({ geoIp: { provider: "off" } })).includes("matomo-geoip"), role);
        });

        it("both roles carry the cron file and install cron", () => {
            const both = renderBoth(settingsWith());
            for (const role of ["tracker", "ui"] as const) {
                assert.ok(file(both[role], "/etc/matomo-provision/cron"), role);
                assert.match(env(both[role].text), /^MATOMO_PACKAGES='[^']* cron( |')/m, role);
            }
        });
    });

    describe("the location database", () => {
        it("by default every node downloads DB-IP's city lite, as Matomo's installer would, into misc/DBIP-City.mmdb, verified with Debian's mmdblookup", () => {
            const both = renderBoth(settingsWith());
            for (const role of ["tracker", "ui"] as const) {
                const e = env(both[role].text);
                assert.match(e, /^MATOMO_GEOIP_PROVIDER='dbip-lite'$/m);
                // plugins/GeoIp2/LocationProvider/GeoIp2.php getDbIpLiteUrl(): download.db-ip.com/free/dbip-city-lite-<Y-m>.mmdb.gz
                assert.match(e, /^MATOMO_GEOIP_URL='https:\/\/download\.db-ip\.com\/free\/dbip-city-lite-\{month\}\.mmdb\.gz'$/m);
                assert.match(e, /^MATOMO_GEOIP_FILE='DBIP-City\.mmdb'$/m);
                assert.match(e, /^MATOMO_PACKAGES='[^']* mmdb-bin( |')/m);
                assert.ok(file(both[role], "/usr/local/lib/matomo-provision/matomo-geoip.sh"), role);
            }
        });

        it("with MaxMind, both roles are told the license key's ARN and JSON key, never a value", () => {
            const both = renderBoth(settingsWith({ geoIp: MAXMIND }));
            for (const role of ["tracker", "ui"] as const) {
                const e = env(both[role].text);
                assert.match(e, /^MATOMO_GEOIP_PROVIDER='maxmind'$/m);
                assert.match(e, /^MATOMO_GEOIP_URL='https:\/\/download\.maxmind\.com\/geoip\/databases\/GeoLite2-City\/download'$/m);
                assert.match(e, /^MATOMO_GEOIP_FILE='GeoLite2-City\.mmdb'$/m);
                assert.match(e, /^MATOMO_GEOIP_ACCOUNT_ID='123456'$/m);
                assert.match(e, new RegExp(`^MATOMO_GEOIP_KEY_ARN='${LICENSE_ARN}'$`, "m"));
                assert.match(e, /^MATOMO_GEOIP_KEY_JSON_KEY='key'$/m);
            }
        });

        it("geoIp off: no script, no package, no download", () => {
            const both = renderBoth(settingsWith({ geoIp: { provider: "off" } }));
            for (const role of ["tracker", "ui"] as const) {
                assert.match(env(both[role].text), /^MATOMO_GEOIP_PROVIDER='off'$/m);
                assert.doesNotMatch(env(both[role].text), /mmdb-bin|MATOMO_GEOIP_URL/);
                assert.equal(file(both[role], "/usr/local/lib/matomo-provision/matomo-geoip.sh"), undefined);
            }
        });
    });

    describe("geoIp arguments", () => {
        const base: MatomoClusterArgs = { domain: "analytics.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ", superUser: { email: "ops@example.com" } };
        const refused = (geoIp: unknown, pattern: RegExp) =>
            assert.throws(() => resolveSettings({ ...base, geoIp: geoIp as MatomoClusterArgs["geoIp"] }), pattern);

        it("refuses MaxMind without its account and key, and a license key given in plain text (without showing it)", () => {
            refused({ provider: "maxmind" }, /'geoIp\.maxmind' = undefined: required with provider "maxmind"/);
            refused({ provider: "maxmind", maxmind: { accountId: "1", licenseKey: "s3cr3tkey" } }, /'geoIp\.maxmind\.licenseKey' = \(hidden: 9 characters\)/);
            refused({ provider: "maxmind", maxmind: { accountId: "12a", licenseKey: { secretArn: LICENSE_ARN } } }, /'geoIp\.maxmind\.accountId' = "12a"/);
            refused(
                { provider: "maxmind", maxmind: { accountId: "1", licenseKey: { secretArn: LICENSE_ARN }, edition: "GeoLite2-ASN" } },
                /'geoIp\.maxmind\.edition' = "GeoLite2-ASN"/,
            );
        });

        it("refuses a mirror URL without {month}, over http, or given with another provider", () => {
            refused({ downloadUrl: "https://mirror.example.com/dbip-city-lite.mmdb.gz" }, /'geoIp\.downloadUrl'.*holding \{month\} once/);
            refused({ downloadUrl: "http://mirror.example.com/{month}.mmdb.gz" }, /'geoIp\.downloadUrl'/);
            refused({ provider: "off", downloadUrl: "https://mirror.example.com/{month}.mmdb.gz" }, /'geoIp\.downloadUrl'.*only with provider "dbip-lite"/);
        });
    });
});
