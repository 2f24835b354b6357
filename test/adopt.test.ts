/**
 * Issue 9, "Adopting an existing Matomo": an existing database keeps its Matomo's salt (Matomo
 * hashes every API token_auth with it: plugins/UsersManager/Model.php hashTokenAuth, sha512 of
 * token . salt), and its plugin sections come from the old config.ini.php.
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fc from "fast-check";
import { renderAdoptSections, renderCron } from "../lib/provision";
import { InvalidArgumentError, resolveSettings, type MatomoClusterArgs } from "../lib/settings";
import { isCronSchedule } from "../lib/settings/adopt";
import { requireTools } from "./support/tools";

const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666";
const DB_SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:matomo-db-AbCdEf";
const SALT_SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:matomo-old-salt-AbCdEf";
const BASE: MatomoClusterArgs = { domain: "analytics.example.com", certificateArn: CERT, superUser: { email: "ops@example.com" } };
const EXISTING = { existing: { host: "db.internal.example.com", username: "matomo", passwordSecretArn: DB_SECRET } };

function problemsOf(args: Record<string, unknown>): Record<string, string> {
    try {
        resolveSettings({ ...BASE, ...args } as MatomoClusterArgs);
    } catch (e) {
        assert.ok(e instanceof InvalidArgumentError, String(e));
        return Object.fromEntries(e.problems.map((p) => [p.path.join("."), p.allowed]));
    }
    return assert.fail("expected the arguments to be refused");
}

describe("adopting an existing Matomo: the salt", () => {
    it("refuses an existing database without the old salt, naming both arguments and the opt-in to a new one", () => {
        const p = problemsOf({ database: EXISTING });
        assert.deepEqual(Object.keys(p), ["salt.existingSecretArn"]);
        assert.match(p["salt.existingSecretArn"], /database\.existing/);
        assert.match(p["salt.existingSecretArn"], /token_auth/);
        assert.match(p["salt.existingSecretArn"], /salt\.generateNew: true/);
    });

    it("keeps the old salt by reference (its JSON key and KMS key too)", () => {
        const s = resolveSettings({ ...BASE, database: EXISTING, salt: { existingSecretArn: SALT_SECRET, jsonKey: "salt" } });
        assert.deepEqual(s.salt, { kind: "existing", secretArn: SALT_SECRET, jsonKey: "salt" });
    });

    it("generates a salt for a new database, and for an existing one only when asked to", () => {
        assert.deepEqual(resolveSettings(BASE).salt, { kind: "generated" });
        assert.deepEqual(resolveSettings({ ...BASE, database: EXISTING, salt: { generateNew: true } }).salt, { kind: "generated" });
    });

    it("refuses both a kept and a new salt, a new salt without an existing database, and a salt given in plain text", () => {
        assert.match(
            problemsOf({ database: EXISTING, salt: { existingSecretArn: SALT_SECRET, generateNew: true } })["salt.generateNew"],
            /not with 'existingSecretArn'/,
        );
        assert.match(problemsOf({ salt: { generateNew: true } })["salt.generateNew"], /only with 'database\.existing'/);
        assert.match(
            problemsOf({ database: EXISTING, salt: { existingSecretArn: "0123456789abcdef0123456789abcdef" } })["salt.existingSecretArn"],
            /Secrets Manager ARN/,
        );
        assert.match(problemsOf({ database: EXISTING, salt: "0123456789abcdef0123456789abcdef" })["salt"], /never the salt itself/);
    });
});

describe("adopting an existing Matomo: the old plugin sections", () => {
    const adopted = (adopt: unknown) => resolveSettings({ ...BASE, database: EXISTING, salt: { existingSecretArn: SALT_SECRET }, adopt } as MatomoClusterArgs);

    it("are written as Matomo's config writer writes them, and PHP reads back the same lists", () => {
        requireTools("php");
        const text = renderAdoptSections(
            adopted({ installedPlugins: ["CoreHome", "Monolog", "CustomAlerts", "QueuedTracking"], activatedPlugins: ["CoreHome", "Monolog", "CustomAlerts"] }),
        )!;
        // matomo/ini IniWriter::writeToString: "[Section]\n", then `name[] = "value"` lines (values in double quotes).
        assert.equal(
            text,
            '[Plugins]\nPlugins[] = "CoreHome"\nPlugins[] = "Monolog"\nPlugins[] = "CustomAlerts"\n\n[PluginsInstalled]\nPluginsInstalled[] = "CoreHome"\nPluginsInstalled[] = "Monolog"\nPluginsInstalled[] = "CustomAlerts"\nPluginsInstalled[] = "QueuedTracking"\n',
        );
        const read = JSON.parse(
            execFileSync("php", ["-r", "echo json_encode(parse_ini_string(stream_get_contents(STDIN), true));"], { input: text }).toString(),
        ) as unknown;
        assert.deepEqual(read, {
            Plugins: { Plugins: ["CoreHome", "Monolog", "CustomAlerts"] },
            PluginsInstalled: { PluginsInstalled: ["CoreHome", "Monolog", "CustomAlerts", "QueuedTracking"] },
        });
    });

    it("has no [Plugins] when the old config had none (the release's global.ini.php list applies)", () => {
        assert.equal(renderAdoptSections(adopted({ installedPlugins: ["CoreHome"] })), '[PluginsInstalled]\nPluginsInstalled[] = "CoreHome"\n');
        assert.equal(renderAdoptSections(resolveSettings(BASE)), undefined);
    });

    it("refuses a name Matomo would not load, a repeat, an activated plugin that was never installed, and no installed list", () => {
        const p = (adopt: unknown) => problemsOf({ database: EXISTING, salt: { existingSecretArn: SALT_SECRET }, adopt });
        assert.match(p({ installedPlugins: ["Core-Home"] })["adopt.installedPlugins.0"], /a letter, then up to 59 letters, digits or _/);
        assert.match(p({ installedPlugins: ["CoreHome", "CoreHome"] })["adopt.installedPlugins.1"], /not a repeat/);
        assert.match(
            p({ installedPlugins: ["CoreHome"], activatedPlugins: ["CoreHome", "CustomAlerts"] })["adopt.activatedPlugins.1"],
            /also listed in installedPlugins/,
        );
        assert.match(p({ activatedPlugins: ["CoreHome"] })["adopt.installedPlugins"], /required/);
    });

    it("refuses an activated list without Monolog: Matomo writes every activated plugin into [Plugins], and its console cannot start without Monolog's log handlers (seen with real Matomo: core:update died on 'log.handlers')", () => {
        const p = (adopt: unknown) => problemsOf({ database: EXISTING, salt: { existingSecretArn: SALT_SECRET }, adopt });
        const problem = p({ installedPlugins: ["CoreHome", "Monolog", "CustomAlerts"], activatedPlugins: ["CoreHome", "CustomAlerts"] })[
            "adopt.activatedPlugins"
        ];
        assert.match(problem, /Monolog/);
        assert.match(problem, /npm run import-config/);
        assert.deepEqual(adopted({ installedPlugins: ["CoreHome", "Monolog"], activatedPlugins: ["CoreHome", "Monolog"] }).adopt?.activatedPlugins, [
            "CoreHome",
            "Monolog",
        ]);
        // No [Plugins] section at all: the release's list applies, which has Monolog.
        assert.equal(adopted({ installedPlugins: ["CoreHome"] }).adopt?.activatedPlugins, undefined);
    });
});

describe("configurable operations: the archiving cron", () => {
    const cronOf = (archiving?: unknown) =>
        renderCron("ui", resolveSettings({ ...BASE, ...(archiving !== undefined ? { archiving } : {}) } as MatomoClusterArgs));
    const job = (cron: string, name: string) => cron.split("\n").find((l) => l.includes(`lock-run ${name} `));

    it("defaults to today's jobs: core:archive hourly at :05 with no limits, scheduled tasks at :35", () => {
        const cron = cronOf();
        assert.equal(
            job(cron, "matomo-core-archive"),
            "5 * * * * www-data flock -n /run/lock/matomo-core-archive.lock php /usr/local/lib/matomo-provision/matomo-db.php /var/www/matomo/config/config.ini.php lock-run matomo-core-archive 0 -- " +
                "php /var/www/matomo/console core:archive --concurrent-archivers=-1 --url=https://analytics.example.com/ >> /var/log/matomo/matomo-core-archive.log 2>&1",
        );
        assert.match(job(cron, "matomo-scheduled-tasks")!, /^35 \* \* \* \* www-data .* -- php \/var\/www\/matomo\/console scheduled-tasks:run >> /);
        assert.equal(cronOf({}), cron);
    });

    it("passes each option given to core:archive as Matomo names it, and the timeout around it", () => {
        const cron = cronOf({
            schedule: "*/20 * * * *",
            scheduledTasksSchedule: "0 3 * * *",
            concurrentRequestsPerWebsite: 2,
            forcePeriods: ["day", "week"],
            maxWebsitesToProcess: 10,
            maxArchivesToProcess: 500,
            timeoutSeconds: 3000,
        });
        assert.equal(
            job(cron, "matomo-core-archive")!.split(" -- ")[1],
            "timeout --kill-after=60 3000 php /var/www/matomo/console core:archive --concurrent-archivers=-1 --concurrent-requests-per-website=2 --force-periods=day,week " +
                "--max-websites-to-process=10 --max-archives-to-process=500 --url=https://analytics.example.com/ >> /var/log/matomo/matomo-core-archive.log 2>&1",
        );
        assert.match(job(cron, "matomo-core-archive")!, /^\*\/20 \* \* \* \* www-data /);
        assert.match(job(cron, "matomo-scheduled-tasks")!, /^0 3 \* \* \* www-data /);
    });

    it("refuses what cron or core:archive would not take", () => {
        const p = (archiving: unknown) => problemsOf({ archiving });
        assert.match(p({ schedule: "@hourly" })["archiving.schedule"], /5 fields/);
        assert.match(p({ schedule: "60 * * * *" })["archiving.schedule"], /minute 0-59/);
        assert.match(p({ schedule: "5 * * * * rm -rf /" })["archiving.schedule"], /5 fields/);
        assert.match(p({ concurrentRequestsPerWebsite: 0 })["archiving.concurrentRequestsPerWebsite"], /from 1 to 8/);
        assert.match(p({ forcePeriods: ["day", "quarter"] })["archiving.forcePeriods.1"], /range/);
        assert.match(p({ forcePeriods: [] })["archiving.forcePeriods"], /at least 1/);
        assert.match(p({ timeoutSeconds: 60 })["archiving.timeoutSeconds"], /from 300 to 172800/);
    });
});

describe("configurable operations (property): cron schedules", () => {
    const RANGES: [number, number][] = [
        [0, 59],
        [0, 23],
        [1, 31],
        [1, 12],
        [0, 7],
    ];
    const part = ([min, max]: [number, number]) =>
        fc.oneof(
            fc.constant("*"),
            fc.integer({ min, max }).map(String),
            fc.tuple(fc.integer({ min, max }), fc.integer({ min, max })).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
            fc.tuple(fc.constant("*"), fc.integer({ min: 1, max })).map(([s, n]) => `${s}/${n}`),
        );
    const field = (r: [number, number]) => fc.array(part(r), { minLength: 1, maxLength: 3 }).map((ps) => ps.join(","));
    const schedule = fc.tuple(...RANGES.map(field)).map((fs) => fs.join(" "));

    // Field ranges from crontab(5) (Debian's cron): minute 0-59, hour 0-23, day of month 1-31,
    // month 1-12, day of week 0-7 (0 and 7 are Sunday); lists, ranges and steps of those.
    it("accepts every well-formed numeric schedule", () => {
        fc.assert(
            fc.property(schedule, (s) => isCronSchedule(s) && resolveSettings({ ...BASE, archiving: { schedule: s } }).archiving.schedule === s),
            { numRuns: 300 },
        );
    });

    it("refuses a value out of its field's range, a sixth field, or anything but numbers, *, -, / and ,", () => {
        const outOfRange = fc
            .integer({ min: 0, max: 4 })
            .chain((i) => fc.tuple(fc.constant(i), fc.constantFrom(RANGES[i][1] + 1, RANGES[i][0] - 1 < 0 ? 99 : RANGES[i][0] - 1)));
        fc.assert(
            fc.property(schedule, outOfRange, (s, [i, bad]) => {
                const fields = s.split(" ");
                fields[i] = String(bad);
                return !isCronSchedule(fields.join(" "));
            }),
        );
        fc.assert(fc.property(schedule, fc.constantFrom(" *", ";", "\n*", "$(id)", "`id`", "\t"), (s, extra) => !isCronSchedule(s + extra)));
    });
});
