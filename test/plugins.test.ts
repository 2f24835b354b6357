/**
 * `plugins` and `marketplace` (issue 9 "Plugins"): what is accepted and refused up front, the
 * manifest every node reads, the license key's path to the nodes, and user data with ten plugins.
 * Expected values come from Matomo's source (core/Plugin/Manager.php isValidPluginName; the
 * Marketplace download path in plugins/Marketplace/Api/Client.php getDownloadUrl) and by hand.
 */
import { strict as assert } from "assert";
import { load } from "js-yaml";
import { InvalidArgumentError, resolveSettings, type MatomoClusterArgs, type PluginArgs } from "../lib/settings";
import { renderPluginManifest } from "../lib/provision";
import { largestUserDataBytes } from "../lib/provision/budget";
import { USER_DATA_LIMIT_BYTES } from "../lib/provision";
import { DATABASE_USERS, renderBoth, settingsWith, type CloudConfig } from "./provision/fixtures";

const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666";
const LICENSE = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:marketplace-license-AbCdEf";
const SHA = (c: string) => c.repeat(64);

function args(extra: Partial<MatomoClusterArgs> = {}): MatomoClusterArgs {
    return { domain: "analytics.example.com", certificateArn: CERT, superUser: { email: "ops@example.com" }, ...extra };
}

/** Every problem resolveSettings reports, as "path: allowed" lines. */
function problems(extra: Partial<MatomoClusterArgs>): { path: string; allowed: string; message: string }[] {
    try {
        resolveSettings(args(extra));
    } catch (e) {
        assert.ok(e instanceof InvalidArgumentError, String(e));
        return e.problems.map((p) => ({ path: p.path.join("."), allowed: p.allowed, message: e.message }));
    }
    assert.fail("expected the arguments to be refused");
}

describe("plugins: accepted", () => {
    it("a free Marketplace plugin gets the Marketplace's download endpoint, a mirror keeps its URL; sha256 lower-cased; order kept", () => {
        const s = resolveSettings(
            args({
                plugins: [
                    { name: "HeatmapSessionRecording", version: "5.2.3", sha256: "AB".repeat(32) },
                    { name: "My_Plugin2", version: "1.0.0", sha256: SHA("1"), downloadUrl: "https://downloads.example.com/My_Plugin2-1.0.0.zip" },
                ],
            }),
        );
        assert.deepEqual(s.plugins, [
            {
                name: "HeatmapSessionRecording",
                version: "5.2.3",
                sha256: "ab".repeat(32),
                downloadUrl: "https://plugins.matomo.org/api/2.0/plugins/HeatmapSessionRecording/download/5.2.3",
                licensed: false,
            },
            { name: "My_Plugin2", version: "1.0.0", sha256: SHA("1"), downloadUrl: "https://downloads.example.com/My_Plugin2-1.0.0.zip", licensed: false },
        ]);
        assert.deepEqual(s.marketplace, {});
    });

    it("with a license key, only downloads from the Marketplace itself carry it; a mirror never sees it", () => {
        const s = resolveSettings(
            args({
                marketplace: { licenseKey: { secretArn: LICENSE, jsonKey: "key" } },
                plugins: [
                    { name: "HeatmapSessionRecording", version: "5.2.3", sha256: SHA("a") },
                    { name: "Mirrored", version: "1.0.0", sha256: SHA("b"), downloadUrl: "https://mirror.example.com/Mirrored.zip" },
                ],
            }),
        );
        assert.deepEqual(
            s.plugins.map((p) => [p.name, p.licensed]),
            [
                ["HeatmapSessionRecording", true],
                ["Mirrored", false],
            ],
        );
        assert.deepEqual(s.marketplace, { licenseKey: { secretArn: LICENSE, jsonKey: "key" } });
    });

    it("names at Matomo's limits: one letter, and a letter plus 59 letters, digits or _", () => {
        const long = "A" + "b_9".repeat(19) + "xy";
        assert.equal(long.length, 60);
        const s = resolveSettings(
            args({
                plugins: [
                    { name: "X", version: "0.0.1", sha256: SHA("c") },
                    { name: long, version: "10.20.30", sha256: SHA("d") },
                ],
            }),
        );
        assert.deepEqual(
            s.plugins.map((p) => p.name),
            ["X", long],
        );
    });

    it("QueuedTracking: the queuedTracking arguments alone still work and add it as the last entry", () => {
        const s = resolveSettings(
            args({ plugins: [{ name: "CustomAlerts", version: "5.0.4", sha256: SHA("e") }], queuedTracking: { enabled: true, pluginSha256: SHA("f") } }),
        );
        assert.deepEqual(
            s.plugins.map((p) => `${p.name} ${p.version}`),
            ["CustomAlerts 5.0.4", "QueuedTracking 5.2.0"],
        );
        assert.ok(s.queuedTracking.enabled);
    });

    it("QueuedTracking listed in plugins with queuedTracking.enabled: the entry gives its release, in its place in the list", () => {
        const s = resolveSettings(
            args({
                plugins: [
                    { name: "QueuedTracking", version: "5.1.1", sha256: SHA("f") },
                    { name: "CustomAlerts", version: "5.0.4", sha256: SHA("e") },
                ],
                queuedTracking: { enabled: true },
            }),
        );
        assert.deepEqual(
            s.plugins.map((p) => `${p.name} ${p.version} ${p.downloadUrl}`),
            [
                "QueuedTracking 5.1.1 https://plugins.matomo.org/api/2.0/plugins/QueuedTracking/download/5.1.1",
                "CustomAlerts 5.0.4 https://plugins.matomo.org/api/2.0/plugins/CustomAlerts/download/5.0.4",
            ],
        );
        assert.deepEqual(s.queuedTracking, {
            enabled: true,
            nodeType: "cache.t4g.small",
            numQueueWorkers: 1,
            numRequestsToProcess: 25,
            forceProcessAfterSeconds: 60,
        });
    });

    it("no plugins: an empty list, and no license", () => {
        const s = resolveSettings(args());
        assert.deepEqual(s.plugins, []);
        assert.deepEqual(s.marketplace, {});
    });
});

describe("plugins: refused up front, every problem at once, by the path the user wrote", () => {
    const ok: PluginArgs = { name: "CustomAlerts", version: "5.0.4", sha256: SHA("a") };

    it("names Matomo would not load: digit or _ first, a dash, a dot, a slash, 61 characters", () => {
        const bad = ["1Plugin", "_Plugin", "My-Plugin", "My.Plugin", "../etc", "A".repeat(61), ""];
        const found = problems({ plugins: bad.map((name) => ({ ...ok, name })) });
        assert.deepEqual(
            found.map((p) => p.path),
            bad.map((_, i) => `plugins.${i}.name`),
        );
        for (const p of found) assert.match(p.allowed, /a Matomo plugin name: a letter, then up to 59 letters, digits or _/);
    });

    it("versions other than x.y.z, sha256 other than 64 hex digits, URLs other than https", () => {
        const found = problems({
            plugins: [
                { ...ok, version: "5.0" },
                { ...ok, name: "B", version: "5.0.0-b1" },
                { ...ok, name: "C", sha256: "g".repeat(64) },
                { ...ok, name: "D", sha256: "a".repeat(63) },
                { ...ok, name: "E", downloadUrl: "http://plugins.matomo.org/api/2.0/plugins/E/download/5.0.4" },
                { ...ok, name: "F", downloadUrl: "https://example.com/a b.zip" },
            ],
        });
        assert.deepEqual(
            found.map((p) => p.path),
            ["plugins.0.version", "plugins.1.version", "plugins.2.sha256", "plugins.3.sha256", "plugins.4.downloadUrl", "plugins.5.downloadUrl"],
        );
        assert.match(found[0].allowed, /x\.y\.z/);
        assert.match(found[2].allowed, /64 hexadecimal digits/);
        assert.match(found[4].allowed, /https:\/\//);
    });

    it("unknown keys in an entry, with a did-you-mean; missing required fields", () => {
        const found = problems({ plugins: [{ ...ok, sha265: SHA("b") } as unknown as PluginArgs, { name: "Other" } as PluginArgs] });
        assert.deepEqual(found.map((p) => p.path).sort(), ["plugins.0.sha265", "plugins.1.sha256", "plugins.1.version"]);
        assert.match(found.find((p) => p.path === "plugins.0.sha265")!.allowed, /unknown argument \(did you mean 'sha256'\?\)/);
    });

    it("the same plugin twice, also in another case (PHP namespaces ignore case), names the first entry", () => {
        const found = problems({ plugins: [ok, { ...ok, version: "5.0.5" }, { ...ok, name: "customalerts" }] });
        assert.deepEqual(
            found.map((p) => p.path),
            ["plugins.1.name", "plugins.2.name"],
        );
        assert.match(found[0].allowed, /plugins\[0\] is CustomAlerts already/);
        assert.match(found[1].allowed, /differ in more than case/);
    });

    it("a plugin Matomo's release ships, Marketplace with its reason: installing code from the UI stays off", () => {
        const found = problems({
            plugins: [
                { ...ok, name: "Marketplace" },
                { ...ok, name: "TagManager" },
                { ...ok, name: "corehome" },
            ],
        });
        assert.deepEqual(
            found.map((p) => p.path),
            ["plugins.0.name", "plugins.1.name", "plugins.2.name"],
        );
        assert.match(found[0].allowed, /Marketplace comes with Matomo itself.*installs, updates or uploads plugin code from its UI.*enable_plugins_admin = 0/);
        assert.match(found[1].allowed, /TagManager comes with Matomo itself/);
        assert.match(found[2].allowed, /CoreHome comes with Matomo itself/);
    });

    it("more than 50 plugins", () => {
        const found = problems({ plugins: Array.from({ length: 51 }, (_, i) => ({ ...ok, name: `P${i}` })) });
        assert.deepEqual(
            found.map((p) => p.path),
            ["plugins"],
        );
        assert.match(found[0].allowed, /at most 50/);
    });

    it("a license key given in plain text is refused without showing it", () => {
        const found = problems({ marketplace: { licenseKey: "Abc123SecretKey" as never } });
        assert.deepEqual(
            found.map((p) => p.path),
            ["marketplace.licenseKey"],
        );
        assert.ok(!found[0].message.includes("Abc123SecretKey"), found[0].message);
        assert.match(found[0].allowed, /never the secret itself in plain text/);
    });

    it("QueuedTracking listed without queuedTracking.enabled: it needs its Redis", () => {
        const found = problems({ plugins: [{ ...ok, name: "QueuedTracking", version: "5.2.0" }] });
        assert.deepEqual(
            found.map((p) => p.path),
            ["plugins.0.name"],
        );
        assert.match(found[0].allowed, /QueuedTracking needs its Redis; set queuedTracking\.enabled/);
    });

    it("QueuedTracking's release given twice (plugins and queuedTracking.plugin…): each queuedTracking field named", () => {
        const found = problems({
            plugins: [{ ...ok, name: "QueuedTracking", version: "5.2.0" }],
            queuedTracking: { enabled: true, pluginSha256: SHA("c"), pluginVersion: "5.2.0" },
        });
        assert.deepEqual(found.map((p) => p.path).sort(), ["queuedTracking.pluginSha256", "queuedTracking.pluginVersion"]);
        assert.match(found[0].allowed, /plugins\[0\] gives QueuedTracking's release; give version, sha256 and downloadUrl in one place/);
    });

    it("QueuedTracking enabled without a release anywhere; a 6.x QueuedTracking entry (the Matomo 6 line)", () => {
        const missing = problems({ queuedTracking: { enabled: true } });
        assert.deepEqual(
            missing.map((p) => p.path),
            ["queuedTracking.pluginSha256"],
        );
        assert.match(missing[0].allowed, /or list QueuedTracking in plugins/);
        const six = problems({ plugins: [{ ...ok, name: "QueuedTracking", version: "6.0.0" }], queuedTracking: { enabled: true } });
        assert.deepEqual(
            six.map((p) => p.path),
            ["plugins.0.version"],
        );
        assert.match(six[0].allowed, /a 5\.x release/);
    });
});

describe("bundledPlugins: plugins the release ships inactive (issue 21 item 2)", () => {
    // matomo-org/matomo 5.1.2: plugins/ holds 67 plugins, config/global.ini.php [Plugins] lists 64;
    // DBStats, MobileAppMeasurable and TagManager are the three left out.
    it("accepted: any of DBStats, MobileAppMeasurable, TagManager, in the order given; default none", () => {
        assert.deepEqual(resolveSettings(args({ bundledPlugins: ["TagManager", "DBStats"] })).bundledPlugins, ["TagManager", "DBStats"]);
        assert.deepEqual(resolveSettings(args({ bundledPlugins: ["MobileAppMeasurable"] })).bundledPlugins, ["MobileAppMeasurable"]);
        assert.deepEqual(resolveSettings(args()).bundledPlugins, []);
    });

    it("a typo, a plugin Matomo already activates, a Marketplace plugin, a repeat: refused, naming the allowed names", () => {
        const found = problems({ bundledPlugins: ["Tagmanager", "CoreHome", "Provider"] as never });
        assert.deepEqual(
            found.map((p) => p.path),
            ["bundledPlugins.0", "bundledPlugins.1", "bundledPlugins.2"],
        );
        for (const p of found) assert.match(p.allowed, /one of 'DBStats', 'MobileAppMeasurable', 'TagManager'/);
        assert.match(found[0].message, /bundledPlugins\[0\]/);
        const twice = problems({ bundledPlugins: ["TagManager", "TagManager"] });
        assert.deepEqual(
            twice.map((p) => p.path),
            ["bundledPlugins.1"],
        );
        assert.deepEqual(
            problems({ bundledPlugins: "TagManager" as never }).map((p) => p.path),
            ["bundledPlugins"],
        );
    });

    it("TagManager listed in plugins: refused, pointing to bundledPlugins", () => {
        const found = problems({ plugins: [{ name: "TagManager", version: "5.1.0", sha256: SHA("a") }] });
        assert.equal(found[0].path, "plugins.0.name");
        assert.match(found[0].allowed, /list 'TagManager' in bundledPlugins/);
    });

    it("manifest: after the downloaded plugins, one 'NAME bundled - - bundled' line each (no URL, no checksum: nothing to download)", () => {
        const s = settingsWith({
            plugins: [{ name: "Mine", version: "1.2.3", sha256: SHA("b"), downloadUrl: "https://downloads.example.com/Mine.zip" }],
            bundledPlugins: ["TagManager", "DBStats"],
        });
        assert.equal(
            renderPluginManifest(s),
            `Mine 1.2.3 ${SHA("b")} https://downloads.example.com/Mine.zip -\nTagManager bundled - - bundled\nDBStats bundled - - bundled\n`,
        );
    });
});

describe("plugins: the manifest every node reads", () => {
    it("one line per plugin, NAME VERSION SHA256 URL LICENSE, in the order given; empty without plugins", () => {
        const s = settingsWith({
            marketplace: { licenseKey: { secretArn: LICENSE } },
            plugins: [
                { name: "HeatmapSessionRecording", version: "5.2.3", sha256: SHA("a") },
                { name: "Mine", version: "1.2.3", sha256: SHA("B"), downloadUrl: "https://downloads.example.com/Mine.zip" },
            ],
        });
        assert.equal(
            renderPluginManifest(s),
            `HeatmapSessionRecording 5.2.3 ${SHA("a")} https://plugins.matomo.org/api/2.0/plugins/HeatmapSessionRecording/download/5.2.3 marketplace\n` +
                `Mine 1.2.3 ${SHA("b")} https://downloads.example.com/Mine.zip -\n`,
        );
        assert.equal(renderPluginManifest(settingsWith()), "");
    });

    it("both roles carry the same manifest, and the license key's ARN (never a value) only when a plugin downloads with it", () => {
        const file = (text: string, path: string) => (load(text) as CloudConfig).write_files.find((f) => f.path === path)?.content;
        const licensed = settingsWith({
            marketplace: { licenseKey: { secretArn: LICENSE, jsonKey: "key" } },
            plugins: [{ name: "HeatmapSessionRecording", version: "5.2.3", sha256: SHA("a") }],
        });
        const withKey = renderBoth(licensed, {
            secrets: {
                database_password: { secretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf" },
                salt: { secretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:salt-AbCdEf" },
                superuser_password: { secretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:su-AbCdEf" },
                databaseUsers: DATABASE_USERS,
                marketplaceLicenseKey: { secretArn: LICENSE, jsonKey: "key" },
            },
        });
        assert.equal(file(withKey.ui.text, "/etc/matomo-provision/plugins.manifest"), file(withKey.tracker.text, "/etc/matomo-provision/plugins.manifest"));
        for (const role of ["ui", "tracker"] as const) {
            const env = file(withKey[role].text, "/etc/matomo-provision/provision.env")!;
            assert.match(env, new RegExp(`^MATOMO_MARKETPLACE_LICENSE_ARN='${LICENSE}'$`, "m"), role);
            assert.match(env, /^MATOMO_MARKETPLACE_LICENSE_KEY='key'$/m, role);
        }
        // A license key but every plugin from a mirror: nothing downloads with it, so no node is told of it.
        const mirrored = settingsWith({
            marketplace: { licenseKey: { secretArn: LICENSE } },
            plugins: [{ name: "Mine", version: "1.2.3", sha256: SHA("b"), downloadUrl: "https://downloads.example.com/Mine.zip" }],
        });
        for (const role of ["ui", "tracker"] as const)
            assert.doesNotMatch(file(renderBoth(mirrored)[role].text, "/etc/matomo-provision/provision.env")!, /LICENSE/, role);
        // Rendering refuses a licensed plugin without the key's ARN rather than a node failing later.
        assert.throws(() => renderBoth(licensed), /a plugin downloads with the Marketplace license key, but no secret was given for it/);
    });

    it("ten plugins, QueuedTracking among them, with the longest runtime values: user data fits EC2's 16 KB", () => {
        const ten = settingsWith({
            marketplace: { licenseKey: { secretArn: LICENSE, jsonKey: "key" } },
            queuedTracking: { enabled: true },
            plugins: [
                { name: "QueuedTracking", version: "5.2.0", sha256: SHA("0") },
                ...[
                    "HeatmapSessionRecording",
                    "MediaAnalytics",
                    "FormAnalytics",
                    "AbTesting",
                    "Funnels",
                    "MultiChannelConversionAttribution",
                    "UsersFlow",
                    "SearchEngineKeywordsPerformance",
                    "CustomReports",
                ].map((name, i) => ({
                    name,
                    version: "5.10.0",
                    sha256: SHA(String(i + 1)),
                })),
            ],
        });
        assert.equal(ten.plugins.length, 10);
        const bytes = largestUserDataBytes(ten);
        console.log(`      user data with ten plugins (largest runtime values): tracker ${bytes.tracker} B, ui ${bytes.ui} B of ${USER_DATA_LIMIT_BYTES}`);
        for (const role of ["tracker", "ui"] as const) assert.ok(bytes[role] <= USER_DATA_LIMIT_BYTES, `${role}: ${bytes[role]} bytes`);
    });
});

describe("plugins: no node changes plugin code from its UI", () => {
    it("extraConfig may turn on neither the plugins admin nor plugin upload (Matomo's UI paths to install code)", () => {
        for (const key of ["enable_plugins_admin", "enable_plugin_upload"]) {
            const found = problems({ extraConfig: { General: { [key]: 1 } } });
            assert.deepEqual(
                found.map((p) => p.path),
                [`extraConfig.General.${key}`],
                key,
            );
        }
    });
});
