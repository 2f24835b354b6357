/**
 * Arguments for adopting an existing Matomo (`salt`, `adopt`) and for the archiving cron
 * (`archiving`): their schemas and the cross-argument rule between `salt` and `database`.
 */
import type { ArchivePeriod, ResolvedArchiving, ResolvedSalt, SaltArgs } from "./args";
import type { ArgumentPath } from "./errors";
import { hiddenValue } from "./errors";
import * as f from "./fields";
import { boolean, Checker, doc, integer, named, object, oneOf, optional, pattern, plainList, required, text, withDefault } from "./schema";

const saltObject = named(
    {
        ts: "SaltArgs",
        ml: "Salt",
        doc: "`salt`: Matomo's `[General] salt`. Matomo hashes every API `token_auth` with it (plugins/UsersManager/Model.php `hashTokenAuth`: sha512 of token and salt), so a Matomo you adopt must keep its old one, or every existing token stops working.",
    },
    object(
        {
            existingSecretArn: doc(
                "Secrets Manager secret holding the salt of the Matomo whose database you adopt (its old config.ini.php's `[General] salt`; `npm run import-config` prints the command that stores it).",
                optional(f.secretArn, "none: generated; required with database.existing unless generateNew"),
            ),
            jsonKey: doc(
                "When that secret string is a JSON object, the key to take.",
                optional(pattern("1 to 128 letters, digits, _, . or -", /^[A-Za-z0-9_.-]{1,128}$/), "the whole secret string"),
            ),
            kmsKeyArn: doc(
                "Customer-managed KMS key ARN that secret is encrypted with (nodes get kms:Decrypt via Secrets Manager).",
                optional(f.kmsKeyArn, "none (the account's aws/secretsmanager key)"),
            ),
            generateNew: doc(
                "With `database.existing`: true to generate a new salt, for an existing database that holds no Matomo yet (or whose API tokens you accept to lose).",
                withDefault(boolean, false),
            ),
        },
        (s, c, path) => {
            if (s.generateNew && s.existingSecretArn !== undefined)
                return c.fail([...path, "generateNew"], true, "not with 'existingSecretArn' (keep the old salt, or generate a new one)");
            if (s.existingSecretArn === undefined && (s.jsonKey !== undefined || s.kmsKeyArn !== undefined)) {
                return c.fail([...path, "existingSecretArn"], undefined, "required with 'jsonKey' or 'kmsKeyArn' (they describe that secret)");
            }
            return s;
        },
        "an object { existingSecretArn, jsonKey?, kmsKeyArn? } or { generateNew: true }",
    ),
);

/** `salt`: anything but an object is taken for the salt itself in plain text, refused without showing it. */
export const salt: typeof saltObject = {
    ...saltObject,
    check(value, c, path) {
        if (typeof value !== "object" || value === null) {
            return c.fail(
                path,
                hiddenValue(value),
                `${saltObject.allowed}: a reference to a Secrets Manager secret, never the salt itself in plain text (it would land in user data)`,
            );
        }
        return saltObject.check(value, c, path);
    },
};

const SALT_WHY =
    "Matomo hashes every API token_auth with its salt (plugins/UsersManager/Model.php hashTokenAuth), so a new one would break every existing token";

/**
 * The salt to use: the old one by reference, or a generated one. With `database.existing` the old
 * salt is required unless the user explicitly asks for a new one (`salt.generateNew: true`).
 */
export function resolveSalt(
    c: Checker,
    path: ArgumentPath,
    given: { existingSecretArn?: SaltArgs["existingSecretArn"]; jsonKey?: string; kmsKeyArn?: SaltArgs["kmsKeyArn"]; generateNew: boolean } | undefined,
    oldData: "database.existing" | "database.restoreFromSnapshot" | undefined,
): ResolvedSalt | undefined {
    if (given?.existingSecretArn !== undefined) {
        return {
            kind: "existing",
            secretArn: given.existingSecretArn,
            ...(given.jsonKey !== undefined ? { jsonKey: given.jsonKey } : {}),
            ...(given.kmsKeyArn !== undefined ? { kmsKeyArn: given.kmsKeyArn } : {}),
        };
    }
    if (given?.generateNew && oldData === undefined) {
        return c.fail(
            [...path, "salt", "generateNew"],
            true,
            "only with 'database.existing' or 'database.restoreFromSnapshot' (an empty database this library creates always gets a new salt)",
        );
    }
    // A restored snapshot holds the old Matomo's tokens just as an existing database does.
    if (oldData !== undefined && !given?.generateNew) {
        const which = oldData === "database.existing" ? "the Matomo that database belongs to" : "the Matomo the snapshot was taken from";
        const otherwise =
            oldData === "database.existing"
                ? "or salt.generateNew: true for an existing database that holds no Matomo yet"
                : "or salt.generateNew: true to accept that every existing API token stops working";
        return c.fail(
            [...path, "salt", "existingSecretArn"],
            undefined,
            `required with '${oldData}': a Secrets Manager ARN holding the [General] salt of ${which} (${SALT_WHY}); ${otherwise}`,
        );
    }
    return { kind: "generated" };
}

/** Matomo's own rule for a plugin name (core/Plugin/Manager.php isValidPluginName). */
export const pluginName = pattern("a Matomo plugin name: a letter, then up to 59 letters, digits or _", /^[a-zA-Z][a-zA-Z0-9_]{0,59}$/);

export const adopt = named(
    {
        ts: "AdoptArgs",
        ml: "Adopt",
        doc: "`adopt`: the plugin sections of the Matomo whose database you adopt, as its old config.ini.php has them (`npm run import-config` prints them). The first ui node stores them for every node when it finds an installed Matomo with no plugin sections stored by this library yet; once stored, these arguments are not read again.",
    },
    object(
        {
            installedPlugins: doc(
                "`[PluginsInstalled] PluginsInstalled[]`, in order (Matomo writes it on every install).",
                required(plainList(pluginName, { min: 1, unique: true, max: 300 }, "the [PluginsInstalled] names of the old config.ini.php, each once")),
            ),
            activatedPlugins: doc(
                "`[Plugins] Plugins[]`, in order. Without it the release's `global.ini.php` list applies (Matomo writes the section only when it differs). Matomo writes the section whole, so it always holds Monolog; a list without it is refused.",
                optional(
                    plainList(pluginName, { min: 1, unique: true, max: 300 }, "the [Plugins] names of the old config.ini.php, each once"),
                    "none: the old config had no [Plugins] section",
                ),
            ),
        },
        (a, c, path) => {
            // Matomo activates only installed plugins; a name activated but never installed is a copy mistake.
            const missing = (a.activatedPlugins ?? []).findIndex((p) => !a.installedPlugins.includes(p));
            if (missing >= 0) return c.fail([...path, "activatedPlugins", missing], a.activatedPlugins![missing], "a plugin also listed in installedPlugins");
            // Matomo writes [Plugins] whole (every activated plugin), and its console cannot start
            // without Monolog, which defines the log handlers (plugins/Monolog/config/cli.php
            // 'log.handlers'; Monolog is not among core/Plugin/Manager.php's always-activated plugins):
            // a list without it is a partial copy, and core:update would die on the adopted config.
            if (a.activatedPlugins !== undefined && !a.activatedPlugins.includes("Monolog")) {
                return c.fail(
                    [...path, "activatedPlugins"],
                    a.activatedPlugins,
                    "the whole [Plugins] list of the old config.ini.php, which always holds Monolog (Matomo's console cannot start without it); copy the section whole (npm run import-config prints it), or leave activatedPlugins out when the old config had no [Plugins] section",
                );
            }
            return { installedPlugins: [...a.installedPlugins], ...(a.activatedPlugins !== undefined ? { activatedPlugins: [...a.activatedPlugins] } : {}) };
        },
    ),
);

// ------------------------------------------------------------------ archiving

const CRON_FIELDS: readonly [string, number, number][] = [
    ["minute", 0, 59],
    ["hour", 0, 23],
    ["day of month", 1, 31],
    ["month", 1, 12],
    ["day of week", 0, 7],
];

/** One cron field (numbers only): `*`, `n`, `a-b`, each optionally `/step`, comma-separated. */
function cronFieldOk(field: string, min: number, max: number): boolean {
    return field.split(",").every((part) => {
        const m = /^(\*|(\d{1,2})(?:-(\d{1,2}))?)(?:\/(\d{1,2}))?$/.exec(part);
        if (m === null) return false;
        const [, , a, b, step] = m;
        if (step !== undefined && (Number(step) < 1 || Number(step) > max)) return false;
        if (a === undefined) return true;
        const lo = Number(a);
        const hi = b === undefined ? lo : Number(b);
        return lo >= min && hi <= max && lo <= hi;
    });
}

/** A cron schedule of five numeric fields, as /etc/cron.d reads them. */
export function isCronSchedule(value: string): boolean {
    const fields = value.split(" ");
    return fields.length === 5 && fields.every((field, i) => cronFieldOk(field, CRON_FIELDS[i][1], CRON_FIELDS[i][2]));
}

export const cronSchedule = text(
    "a cron schedule of 5 fields separated by single spaces (minute 0-59, hour 0-23, day of month 1-31, month 1-12, day of week 0-7), each *, n, a-b or a list of them, optionally /step, such as '5 * * * *'",
    isCronSchedule,
);

const PERIODS: readonly ArchivePeriod[] = ["day", "week", "month", "year", "range"];

export const archiving = named(
    { ts: "ArchivingArgs", ml: "Archiving", doc: "The ui nodes' archiving cron (`core:archive`) and scheduled tasks." },
    object(
        {
            schedule: doc(
                "cron schedule (minute hour day-of-month month day-of-week, UTC) of `core:archive`; hourly, as Matomo advises.",
                withDefault(cronSchedule, "5 * * * *"),
            ),
            scheduledTasksSchedule: doc("cron schedule of `scheduled-tasks:run`.", withDefault(cronSchedule, "35 * * * *")),
            concurrentRequestsPerWebsite: doc(
                "`--concurrent-requests-per-website`: archiving requests run in parallel per site.",
                optional(integer(1, 8), "3 (Matomo's own; the option is not passed)"),
            ),
            forcePeriods: doc(
                "`--force-periods`: archive only these periods.",
                optional(
                    plainList(
                        named({ ts: "ArchivePeriod", ml: "ArchivePeriod", doc: "`core:archive` periods (`--force-periods`)." }, oneOf(PERIODS)),
                        { min: 1, unique: true },
                        `a list of ${PERIODS.join(", ")}, each once`,
                    ),
                    "all periods (the option is not passed)",
                ),
            ),
            maxWebsitesToProcess: doc("`--max-websites-to-process` per run.", optional(integer(1, 100000), "no limit")),
            maxArchivesToProcess: doc("`--max-archives-to-process` per run.", optional(integer(1, 1000000), "no limit")),
            timeoutSeconds: doc(
                "Stop a `core:archive` run after this many seconds (`timeout`; the next slot continues).",
                optional(integer(300, 172800), "none: a run ends when its work is done"),
            ),
        },
        (a): ResolvedArchiving => {
            const out: ResolvedArchiving = { schedule: a.schedule, scheduledTasksSchedule: a.scheduledTasksSchedule };
            if (a.concurrentRequestsPerWebsite !== undefined) out.concurrentRequestsPerWebsite = a.concurrentRequestsPerWebsite;
            if (a.forcePeriods !== undefined) out.forcePeriods = [...a.forcePeriods];
            if (a.maxWebsitesToProcess !== undefined) out.maxWebsitesToProcess = a.maxWebsitesToProcess;
            if (a.maxArchivesToProcess !== undefined) out.maxArchivesToProcess = a.maxArchivesToProcess;
            if (a.timeoutSeconds !== undefined) out.timeoutSeconds = a.timeoutSeconds;
            return out;
        },
    ),
);
