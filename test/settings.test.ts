import { strict as assert } from "assert";
import { InvalidArgumentError, MatomoClusterArgs, resolveSettings } from "../lib/settings";
import { MATOMO_VERSION } from "../lib/release";

const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666";

function args(overrides: Partial<MatomoClusterArgs> = {}): MatomoClusterArgs {
    return { domain: "analytics.example.com", certificateArn: CERT, superUser: { email: "ops@example.com" }, ...overrides };
}

/** Expect resolveSettings to refuse, naming the argument path and showing the bad value. */
function rejects(overrides: Partial<MatomoClusterArgs>, argument: string, valueShown: string, allowedMentions: RegExp): void {
    assert.throws(
        () => resolveSettings(args(overrides)),
        (e: unknown) => {
            assert.ok(e instanceof InvalidArgumentError, `expected InvalidArgumentError, got ${String(e)}`);
            assert.equal(e.argument, argument);
            assert.ok(e.message.includes(`'${argument}'`), `message names the argument: ${e.message}`);
            assert.ok(e.message.includes(valueShown), `message shows the bad value ${valueShown}: ${e.message}`);
            assert.match(e.message, allowedMentions);
            return true;
        },
    );
}

describe("settings: defaults follow the FAQ layout", () => {
    const s = resolveSettings(args());

    it("runs 2 trackers and 1 ui node, trackers scaling up to 6 to keep CPU near 60 %", () => {
        assert.equal(s.trackers.minSize, 2);
        assert.equal(s.trackers.desiredCapacity, 2);
        assert.equal(s.trackers.maxSize, 6);
        assert.equal(s.trackers.targetCpuUtilization, 60);
        assert.equal(s.ui.count, 1);
    });

    it("sizes the database master like the FAQ: 4 vCPU / 16 GiB Graviton, gp3, backups, deletion protection", () => {
        assert.equal(s.database.kind, "new");
        if (s.database.kind !== "new") return;
        assert.equal(s.database.instanceClass, "db.m7g.xlarge");
        assert.equal(s.database.engine, "mysql");
        assert.equal(s.database.engineVersion, "8.4");
        assert.equal(s.database.deletionProtection, true);
        assert.equal(s.database.backupRetentionDays, 14);
        assert.equal(s.database.tls, true);
    });

    it("defaults to arm64 with Graviton instance types", () => {
        assert.equal(s.architecture, "arm64");
        assert.equal(s.trackers.instanceType, "c7g.large");
        assert.equal(s.ui.instanceType, "m7g.large");
    });

    it("picks x86_64 twins of the defaults when architecture is x86_64", () => {
        const x = resolveSettings(args({ architecture: "x86_64" }));
        assert.equal(x.trackers.instanceType, "c7i.large");
        assert.equal(x.ui.instanceType, "m7i.large");
    });

    it("pins the release and verifies it by signature unless a sha256 is given", () => {
        assert.equal(s.matomo.version, MATOMO_VERSION);
        assert.equal(s.matomo.downloadUrl, `https://builds.matomo.org/matomo-${MATOMO_VERSION}.tar.gz`);
        assert.deepEqual(s.matomo.verification, { kind: "signature" });
        const withSum = resolveSettings(args({ matomo: { sha256: "AB".repeat(32) } }));
        assert.deepEqual(withSum.matomo.verification, { kind: "sha256", sha256: "ab".repeat(32) });
    });

    it("trusts the domain first, lower-cased, then extra hosts without duplicates", () => {
        const t = resolveSettings(args({ domain: "Stats.Example.com", additionalTrustedHosts: ["stats.example.com", "old.example.com"] }));
        assert.deepEqual(t.trustedHosts, ["stats.example.com", "old.example.com"]);
    });

    it("creates a new two-zone VPC with a NAT gateway per zone, open to the internet on 443/80 only via ingressCidrs", () => {
        assert.deepEqual(s.network, { kind: "new", vpcCidr: "10.80.0.0/16", availabilityZoneCount: 2, natGateways: "onePerAz", vpcEndpoints: false });
        assert.deepEqual(s.ingressCidrs, ["0.0.0.0/0"]);
    });

    it("uses the DNS-validated certificate route when only a hosted zone is given, and then creates the alias record", () => {
        const z = resolveSettings({ domain: "analytics.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ", superUser: { email: "ops@example.com" } });
        assert.equal(z.certificate.kind, "dns");
        assert.equal(z.createDnsRecord, true);
        assert.equal(s.createDnsRecord, false);
    });

    it("keeps recording on and maintenance off", () => {
        assert.equal(s.trackingEnabled, true);
        assert.equal(s.maintenanceMode, false);
        assert.equal(s.enforceCronArchiving, false);
    });
});

describe("settings: bad input fails before any resource exists, naming argument, value and what is allowed", () => {
    const cases: [string, Partial<MatomoClusterArgs>, string, string, RegExp][] = [
        ["domain that is not a hostname", { domain: "https://analytics.example.com/" }, "domain", '"https://analytics.example.com/"', /hostname/],
        ["domain with a single label", { domain: "localhost" }, "domain", '"localhost"', /fully qualified/],
        ["bad extra trusted host", { additionalTrustedHosts: ["ok.example.com", "bad host"] }, "additionalTrustedHosts[1]", '"bad host"', /hostname/],
        ["neither certificate nor zone", { certificateArn: undefined }, "certificateArn", "undefined", /hostedZoneId/],
        [
            "certificate ARN of another service",
            { certificateArn: "arn:aws:iam::123456789012:server-certificate/x" },
            "certificateArn",
            "server-certificate",
            /ACM certificate ARN/,
        ],
        ["hosted zone id of the wrong shape", { certificateArn: undefined, hostedZoneId: "example.com" }, "hostedZoneId", '"example.com"', /hosted zone id/],
        ["DNS record without a zone", { createDnsRecord: true }, "createDnsRecord", "true", /hostedZoneId/],
        ["fewer than 1 tracker", { trackers: { minSize: 0 } }, "trackers.minSize", "0", /from 1 to 100/],
        ["min greater than max", { trackers: { minSize: 5, maxSize: 3 } }, "trackers.minSize", "5", /at most trackers.maxSize \(3\)/],
        ["desired below min", { trackers: { minSize: 2, maxSize: 4, desiredCapacity: 1 } }, "trackers.desiredCapacity", "1", /from 2 to 4/],
        ["desired above max", { trackers: { minSize: 2, maxSize: 4, desiredCapacity: 5 } }, "trackers.desiredCapacity", "5", /from 2 to 4/],
        ["tracker CPU target too low to mean anything", { trackers: { targetCpuUtilization: 5 } }, "trackers.targetCpuUtilization", "5", /from 10 to 90/],
        ["tracker CPU target above 90 %", { trackers: { targetCpuUtilization: 95 } }, "trackers.targetCpuUtilization", "95", /from 10 to 90/],
        ["fractional tracker count", { trackers: { minSize: 2.5 } }, "trackers.minSize", "2.5", /whole number/],
        ["ui count of 3", { ui: { count: 3 } }, "ui.count", "3", /1 or 2/],
        ["unknown instance type format", { trackers: { instanceType: "large" } }, "trackers.instanceType", '"large"', /family\.size/],
        ["x86 type on arm64", { ui: { instanceType: "m7i.large" } }, "ui.instanceType", '"m7i.large"', /Graviton/],
        ["arm type on x86_64", { architecture: "x86_64", trackers: { instanceType: "c7g.large" } }, "trackers.instanceType", '"c7g.large"', /x86_64/],
        ["unknown architecture", { architecture: "riscv" as never }, "architecture", '"riscv"', /'arm64', 'x86_64'/],
        ["storage too small", { database: { allocatedStorageGiB: 10 } }, "database.allocatedStorageGiB", "10", /from 20 to 59578/],
        [
            "storage too large to leave autoscaling headroom under 65536 GiB",
            { database: { allocatedStorageGiB: 59579 } },
            "database.allocatedStorageGiB",
            "59579",
            /from 20 to 59578/,
        ],
        [
            "autoscaling ceiling below storage",
            { database: { allocatedStorageGiB: 200, maxAllocatedStorageGiB: 100 } },
            "database.maxAllocatedStorageGiB",
            "100",
            /at least 220/,
        ],
        // RDS storage autoscaling: the ceiling must be at least 10 % above the allocated storage (200 GiB → 220).
        [
            "autoscaling ceiling less than 10 % above storage",
            { database: { allocatedStorageGiB: 200, maxAllocatedStorageGiB: 219 } },
            "database.maxAllocatedStorageGiB",
            "219",
            /at least 220 .*110 % of database\.allocatedStorageGiB \(200\)/,
        ],
        [
            "autoscaling ceiling equal to storage",
            { database: { allocatedStorageGiB: 1000, maxAllocatedStorageGiB: 1000 } },
            "database.maxAllocatedStorageGiB",
            "1000",
            /at least 1100/,
        ],
        ["backups disabled", { database: { backupRetentionDays: 0 } }, "database.backupRetentionDays", "0", /from 1 to 35/],
        ["unsupported engine version", { database: { engine: "mysql", engineVersion: "5.7" } }, "database.engineVersion", '"5.7"', /one of '8\.4'$/],
        // Past RDS standard support: a new MySQL 8.0 instance is enrolled in paid Extended Support; MariaDB 10.6 ended 2026-08-31.
        ["MySQL 8.0, past RDS standard support", { database: { engine: "mysql", engineVersion: "8.0" } }, "database.engineVersion", '"8.0"', /one of '8\.4'$/],
        [
            "MariaDB 10.6, past RDS standard support",
            { database: { engine: "mariadb", engineVersion: "10.6" } },
            "database.engineVersion",
            '"10.6"',
            /one of '10\.11', '11\.4'$/,
        ],
        ["unknown engine", { database: { engine: "postgres" as never } }, "database.engine", '"postgres"', /'mysql', 'mariadb'/],
        ["instance class without db. prefix", { database: { instanceClass: "m7g.xlarge" } }, "database.instanceClass", '"m7g.xlarge"', /db\.m7g\.xlarge/],
        ["master user name too long for RDS", { database: { username: "a_very_long_user_name" } }, "database.username", '"a_very_long_user_name"', /1 to 16/],
        ["database name starting with a digit", { database: { name: "1matomo" } }, "database.name", '"1matomo"', /starting with a letter/],
        ["tables prefix with a dash", { database: { tablesPrefix: "mat-" } }, "database.tablesPrefix", '"mat-"', /letters, digits or _/],
        ["invalid CIDR", { network: { vpcCidr: "10.80.0.0/33" } }, "network.vpcCidr", '"10.80.0.0/33"', /CIDR/],
        ["CIDR with host bits set", { network: { vpcCidr: "10.80.1.0/16" } }, "network.vpcCidr", '"10.80.1.0/16"', /CIDR/],
        ["VPC too small for the subnets", { network: { vpcCidr: "10.80.0.0/26" } }, "network.vpcCidr", '"10.80.0.0/26"', /\/16.*\/22/],
        ["a single availability zone", { network: { availabilityZoneCount: 1 } }, "network.availabilityZoneCount", "1", /from 2 to 6/],
        [
            "existing network with one private subnet",
            {
                network: {
                    existing: { vpcId: "vpc-0000000a", publicSubnetIds: ["subnet-0000000a", "subnet-0000000b"], privateSubnetIds: ["subnet-0000000c"] },
                },
            },
            "network.existing.privateSubnetIds",
            '["subnet-0000000c"]',
            /at least 2/,
        ],
        ["empty ingress list", { ingressCidrs: [] }, "ingressCidrs", "[]", /non-empty/],
        ["ingress entry that is not a CIDR", { ingressCidrs: ["203.0.113.7"] }, "ingressCidrs[0]", '"203.0.113.7"', /CIDR/],
        ["version not x.y.z", { matomo: { version: "5.10" } }, "matomo.version", '"5.10"', /x\.y\.z/],
        ["version older than 5", { matomo: { version: "4.16.1" } }, "matomo.version", '"4.16.1"', /5\.7\.0 or later/],
        [
            "version before proxy_scheme_headers (5.7.0)",
            { matomo: { version: "5.6.2" } },
            "matomo.version",
            '"5.6.2"',
            /5\.7\.0 or later.*proxy_scheme_headers/,
        ],
        ["privacy.anonymizeIp not a boolean", { privacy: { anonymizeIp: "yes" as unknown as boolean } }, "privacy.anonymizeIp", '"yes"', /true or false/],
        ["sha256 that is not 64 hex", { matomo: { sha256: "abc123" } }, "matomo.sha256", '"abc123"', /64 hexadecimal/],
        ["download over plain http", { matomo: { downloadUrl: "http://mirror.example.com/m.tar.gz" } }, "matomo.downloadUrl", "http://mirror", /https/],
        [
            "override of multi_server_environment",
            { extraConfig: { General: { multi_server_environment: 0 } } },
            "extraConfig.General.multi_server_environment",
            "0",
            /cannot be overridden/,
        ],
        [
            "override of the database password",
            { extraConfig: { database: { password: "x" } } },
            "extraConfig.database.password",
            "(hidden: 1 character)",
            /cannot be overridden/,
        ],
        [
            "extra value with a newline",
            { extraConfig: { General: { login_password_recovery_email_address: "a@b.c\n[database]" } } },
            "extraConfig.General.login_password_recovery_email_address",
            "\\n[database]",
            /single line/,
        ],
        [
            "extra list item with a newline",
            { extraConfig: { General: { cors_domains: ["ok", "bad\r"] } } },
            "extraConfig.General.cors_domains[1]",
            "bad\\r",
            /single line/,
        ],
        [
            "extra key written as key[]",
            { extraConfig: { General: { "cors_domains[]": "x" } } },
            "extraConfig.General.cors_domains[]",
            "cors_domains[]",
            /list value/,
        ],
        ["extra section with a bracket", { extraConfig: { "Gen]eral": { a: 1 } } }, "extraConfig.Gen]eral", "Gen]eral", /section name/],
        [
            "extra value that is an object",
            { extraConfig: { General: { a: { b: 1 } as never } } },
            "extraConfig.General.a",
            '{"b":1}',
            /string, number, boolean/,
        ],
        ["super user without e-mail", { superUser: { email: "not-an-email" } }, "superUser.email", '"not-an-email"', /e-mail/],
        ["super user login with a space", { superUser: { login: "the admin", email: "ops@example.com" } }, "superUser.login", '"the admin"', /2 to 100/],
        ["first site URL without scheme", { firstSite: { url: "example.com" } }, "firstSite.url", '"example.com"', /http/],
        ["unknown time zone format", { firstSite: { timezone: "Mars Base" } }, "firstSite.timezone", '"Mars Base"', /IANA/],
        ["tag key with the reserved aws: prefix", { tags: { "aws:owner": "me" } }, "tags.aws:owner", '"aws:owner"', /reserved/],
        ["tag value too long", { tags: { team: "x".repeat(257) } }, "tags.team", "xxxx", /256/],
        ["maintenance mode that is not a boolean", { maintenanceMode: "yes" as never }, "maintenanceMode", '"yes"', /true or false/],
        [
            "misspelled argument",
            { trakers: { minSize: 2 } } as never,
            "trakers",
            '{"minSize":2}',
            /unknown argument \(did you mean 'trackers'\?\); allowed: .*trackers/,
        ],
        [
            "queue node type of the wrong shape",
            { queuedTracking: { enabled: true, nodeType: "t4g.small" } },
            "queuedTracking.nodeType",
            '"t4g.small"',
            /cache\.t4g\.small/,
        ],
        // Nothing here can download the plugin zip, so its checksum must come from the user, with the way to get it.
        [
            "QueuedTracking on without the plugin's sha256",
            { queuedTracking: { enabled: true } },
            "queuedTracking.pluginSha256",
            "undefined",
            /required when QueuedTracking is enabled.*curl -fsSL https:\/\/plugins\.matomo\.org\/api\/2\.0\/plugins\/QueuedTracking\/download\/5\.2\.0 \| sha256sum/,
        ],
        [
            "QueuedTracking on with a mirror and no sha256: the hint names the mirror",
            { queuedTracking: { enabled: true, pluginDownloadUrl: "https://mirror.example.com/qt.zip" } },
            "queuedTracking.pluginSha256",
            "undefined",
            /curl -fsSL https:\/\/mirror\.example\.com\/qt\.zip \| sha256sum/,
        ],
        [
            "plugin sha256 that is not 64 hex",
            { queuedTracking: { enabled: true, pluginSha256: "abc" } },
            "queuedTracking.pluginSha256",
            '"abc"',
            /64 hexadecimal/,
        ],
        [
            "plugin sha256 with a non-hex digit",
            { queuedTracking: { enabled: true, pluginSha256: "g".repeat(64) } },
            "queuedTracking.pluginSha256",
            '"gggg',
            /64 hexadecimal/,
        ],
        [
            "plugin download over plain http",
            { queuedTracking: { enabled: true, pluginSha256: "c".repeat(64), pluginDownloadUrl: "http://mirror.example.com/qt.zip" } },
            "queuedTracking.pluginDownloadUrl",
            "http://mirror",
            /https/,
        ],
        [
            "plugin version not x.y.z",
            { queuedTracking: { enabled: true, pluginSha256: "c".repeat(64), pluginVersion: "5.2" } },
            "queuedTracking.pluginVersion",
            '"5.2"',
            /x\.y\.z/,
        ],
        // The plugin's 4.x line requires Matomo 4, its 6.x line Matomo 6 (plugin.json "require").
        [
            "plugin release for Matomo 4",
            { queuedTracking: { enabled: true, pluginSha256: "c".repeat(64), pluginVersion: "4.0.7" } },
            "queuedTracking.pluginVersion",
            '"4.0.7"',
            /5\.x release/,
        ],
        [
            "plugin release for Matomo 6",
            { queuedTracking: { enabled: true, pluginSha256: "c".repeat(64), pluginVersion: "6.0.1" } },
            "queuedTracking.pluginVersion",
            '"6.0.1"',
            /5\.x release/,
        ],
        [
            "no queue worker",
            { queuedTracking: { enabled: true, pluginSha256: "c".repeat(64), numQueueWorkers: 0 } },
            "queuedTracking.numQueueWorkers",
            "0",
            /from 1 to 16/,
        ],
        [
            "more queue workers than cron jobs we render",
            { queuedTracking: { enabled: true, pluginSha256: "c".repeat(64), numQueueWorkers: 17 } },
            "queuedTracking.numQueueWorkers",
            "17",
            /from 1 to 16/,
        ],
        [
            "fractional queue workers",
            { queuedTracking: { enabled: true, pluginSha256: "c".repeat(64), numQueueWorkers: 1.5 } },
            "queuedTracking.numQueueWorkers",
            "1.5",
            /whole number/,
        ],
        [
            "batch of no requests",
            { queuedTracking: { enabled: true, pluginSha256: "c".repeat(64), numRequestsToProcess: 0 } },
            "queuedTracking.numRequestsToProcess",
            "0",
            /from 1 to 1000/,
        ],
        [
            "batch size given as a string",
            { queuedTracking: { enabled: true, pluginSha256: "c".repeat(64), numRequestsToProcess: "25" as never } },
            "queuedTracking.numRequestsToProcess",
            '"25"',
            /whole number/,
        ],
        [
            "a bad queue setting is refused even while QueuedTracking is off",
            { queuedTracking: { numQueueWorkers: 99 } },
            "queuedTracking.numQueueWorkers",
            "99",
            /from 1 to 16/,
        ],
        [
            "override of a QueuedTracking setting the cluster renders",
            { extraConfig: { QueuedTracking: { redisHost: "elsewhere" } } },
            "extraConfig.QueuedTracking.redisHost",
            '"elsewhere"',
            /cannot be overridden/,
        ],
        [
            "turning on the plugin's processing during tracking requests",
            { extraConfig: { QueuedTracking: { processDuringTrackingRequest: 1 } } },
            "extraConfig.QueuedTracking.processDuringTrackingRequest",
            "1",
            /cannot be overridden/,
        ],
        [
            "existing database secret that is not a Secrets Manager ARN",
            { database: { existing: { host: "db.internal.example.com", username: "matomo", passwordSecretArn: "my-secret" } } },
            "database.existing.passwordSecretArn",
            '"my-secret"',
            /Secrets Manager ARN/,
        ],
        [
            "existing database secret key given as an alias",
            {
                database: {
                    existing: {
                        host: "db.internal.example.com",
                        username: "matomo",
                        passwordSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf",
                        passwordSecretKmsKeyArn: "alias/matomo",
                    },
                },
            },
            "database.existing.passwordSecretKmsKeyArn",
            '"alias/matomo"',
            /arn:aws:kms:<region>:<account>:key\/<key id>/,
        ],
        [
            "existing database port out of range",
            {
                database: {
                    existing: {
                        host: "db.internal.example.com",
                        port: 70000,
                        username: "matomo",
                        passwordSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf",
                    },
                },
            },
            "database.existing.port",
            "70000",
            /from 1 to 65535/,
        ],
    ];

    for (const [title, overrides, argument, valueShown, allowed] of cases) {
        it(title, () => rejects(overrides, argument, valueShown, allowed));
    }

    it("refuses a missing superUser", () => {
        const withoutSuperUser: Partial<MatomoClusterArgs> = args();
        delete withoutSuperUser.superUser;
        assert.throws(() => resolveSettings(withoutSuperUser as MatomoClusterArgs), /'superUser'.*email/);
    });
});

describe("settings: QueuedTracking", () => {
    it("is off by default and then needs no plugin checksum", () => {
        assert.deepEqual(resolveSettings(args()).queuedTracking, { enabled: false, nodeType: "cache.t4g.small" });
    });

    it("installs the pinned 5.2.0 from the Matomo Marketplace with 1 worker and batches of 25 (the plugin's defaults)", () => {
        const s = resolveSettings(args({ queuedTracking: { enabled: true, pluginSha256: "AB".repeat(32) } }));
        assert.deepEqual(s.queuedTracking, {
            enabled: true,
            nodeType: "cache.t4g.small",
            numQueueWorkers: 1,
            numRequestsToProcess: 25,
            // A queue below a full batch is processed after a minute without work (docs/provisioning.md).
            forceProcessAfterSeconds: 60,
        });
        // Its release is one entry of the plugin list every node installs.
        assert.deepEqual(s.plugins, [
            {
                name: "QueuedTracking",
                version: "5.2.0",
                downloadUrl: "https://plugins.matomo.org/api/2.0/plugins/QueuedTracking/download/5.2.0",
                sha256: "ab".repeat(32),
                licensed: false,
            },
        ]);
    });

    it("follows pluginVersion in the default URL, and takes a mirror and queue sizes as given", () => {
        const s = resolveSettings(
            args({ queuedTracking: { enabled: true, pluginSha256: "c".repeat(64), pluginVersion: "5.1.1", numQueueWorkers: 16, numRequestsToProcess: 1000 } }),
        );
        const q = s.queuedTracking;
        assert.ok(q.enabled);
        assert.equal(s.plugins[0].downloadUrl, "https://plugins.matomo.org/api/2.0/plugins/QueuedTracking/download/5.1.1");
        assert.equal(q.numQueueWorkers, 16);
        assert.equal(q.numRequestsToProcess, 1000);
        const mirrored = resolveSettings(
            args({
                queuedTracking: {
                    enabled: true,
                    pluginSha256: "c".repeat(64),
                    pluginDownloadUrl: "https://my-bucket.s3.amazonaws.com/QueuedTracking-5.2.0.zip",
                },
            }),
        );
        assert.equal(mirrored.plugins[0].downloadUrl, "https://my-bucket.s3.amazonaws.com/QueuedTracking-5.2.0.zip");
    });
});

describe("settings: accepted edge values", () => {
    it("accepts 2 ui nodes, a 1-tracker minimum and a /22 VPC", () => {
        const s = resolveSettings(args({ ui: { count: 2 }, trackers: { minSize: 1, maxSize: 1 }, network: { vpcCidr: "10.1.0.0/22" } }));
        assert.equal(s.ui.count, 2);
        assert.equal(s.trackers.desiredCapacity, 1);
    });

    it("sets the storage autoscaling ceiling to 1000 GiB, or 26 % above a larger allocation, and accepts exactly 110 %", () => {
        const ceiling = (allocatedStorageGiB: number, maxAllocatedStorageGiB?: number) => {
            const d = resolveSettings(
                args({ database: { allocatedStorageGiB, ...(maxAllocatedStorageGiB !== undefined ? { maxAllocatedStorageGiB } : {}) } }),
            ).database;
            assert.equal(d.kind, "new");
            return d.kind === "new" ? d.maxAllocatedStorageGiB : NaN;
        };
        assert.equal(ceiling(100), 1000);
        assert.equal(ceiling(793), 1000, "793 × 1.26 = 999.18 → 1000");
        assert.equal(ceiling(1000), 1260);
        assert.equal(ceiling(1001), 1262, "1001 × 1.26 = 1261.26, rounded up");
        assert.equal(ceiling(200, 220), 220, "200 × 1.1 = 220, RDS's minimum");
        assert.equal(ceiling(101, 112), 112, "101 × 1.1 = 111.1, rounded up to 112");
        assert.equal(ceiling(59578), 65536, "59578 × 1.26 is above RDS's 65536 GiB, so the default stops there");
    });

    it("keeps Matomo's installer default for IP anonymisation (on) unless told otherwise", () => {
        assert.deepEqual(resolveSettings(args()).privacy, { anonymizeIp: true });
        assert.deepEqual(resolveSettings(args({ privacy: {} })).privacy, { anonymizeIp: true });
        assert.deepEqual(resolveSettings(args({ privacy: { anonymizeIp: false } })).privacy, { anonymizeIp: false });
    });

    it("accepts Matomo 5.7.0, the first release that reads proxy_scheme_headers", () => {
        assert.equal(resolveSettings(args({ matomo: { version: "5.7.0" } })).matomo.version, "5.7.0");
    });

    it("offers MySQL 8.4 (default) and MariaDB 10.11 and 11.4", () => {
        for (const [engine, engineVersion] of [
            ["mysql", "8.4"],
            ["mariadb", "10.11"],
            ["mariadb", "11.4"],
        ] as const) {
            const d = resolveSettings(args({ database: { engine, engineVersion } })).database;
            assert.ok(d.kind === "new" && d.engineVersion === engineVersion, `${engine} ${engineVersion}`);
        }
        const mariadb = resolveSettings(args({ database: { engine: "mariadb" } })).database;
        assert.ok(mariadb.kind === "new" && mariadb.engineVersion === "11.4");
    });

    it("accepts an existing network and database given as plain ids", () => {
        const s = resolveSettings(
            args({
                network: {
                    existing: {
                        vpcId: "vpc-0000abcd",
                        publicSubnetIds: ["subnet-00000001", "subnet-00000002"],
                        privateSubnetIds: ["subnet-00000003", "subnet-00000004"],
                    },
                },
                database: {
                    existing: { host: "10.0.3.4", username: "matomo", passwordSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf" },
                },
                salt: { generateNew: true },
            }),
        );
        assert.equal(s.network.kind, "existing");
        assert.equal(s.database.kind, "existing");
        assert.equal(s.database.port, 3306);
    });

    it("accepts extra settings in our sections and new ones, with unicode and INI-special characters", () => {
        const s = resolveSettings(
            args({ extraConfig: { General: { login_allowlist_ip: ["10.0.0.0/8"] }, mail: { defaultHostnameIfEmpty: 'mäil;$x="y"&z' } } }),
        );
        assert.deepEqual({ ...s.extraConfig.mail }, { defaultHostnameIfEmpty: 'mäil;$x="y"&z' });
    });
});
