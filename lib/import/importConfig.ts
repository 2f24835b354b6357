/**
 * An old single-server config.ini.php → the `MatomoClusterArgs` that run the same Matomo on the
 * cluster (`npm run import-config -- path/to/config.ini.php`): the salt and every password as
 * secrets to store (a command that reads each from the file, never the value itself), trusted
 * hosts, the database, mail, the plugin sections to adopt, everything else as `extraConfig`, and
 * what is not carried over, with the reason. Pure: text in, result out; scripts/import-config.ts prints it.
 */
import { shellQuote } from "../shell";
import { InvalidArgumentError, isLockedConfigKey, isSecretKey, resolveSettings, type IniValue, type MatomoClusterArgs } from "../settings";
import { isHostname } from "../validation";
import { readMatomoIni, type MatomoIniValue } from "./matomoIni";

/** A secret to store before `pulumi up`, and where its ARN goes. */
export interface SecretToStore {
    /** Where the ARN goes in the arguments, e.g. `salt.existingSecretArn`. */
    argument: string;
    /** Suggested Secrets Manager name. */
    name: string;
    /** Shell command that reads the value from the old config (as Matomo reads it) and stores it; prints the new secret's ARN. */
    command: string;
}

/** What `importMatomoConfig` read from an old config.ini.php. */
export interface ImportResult {
    /** The arguments, with `<ARN …>` placeholders where a stored secret's ARN goes. */
    args: Partial<MatomoClusterArgs>;
    /** Each secret of the old config to store in Secrets Manager, with the command that stores it. */
    secrets: SecretToStore[];
    /** `Section.key` (or a section) not carried over, and why. Never shows a value. */
    notCarried: {
        /** `Section.key`, or a whole section. */
        setting: string;
        /** Why it is not carried over. */
        reason: string;
    }[];
}

/** Placeholder for the ARN the matching command prints. */
export const arnPlaceholder = (argument: string) => `<ARN printed by the command for ${argument}>`;

/** Reads one value with PHP as Matomo does (parse_ini_file in normal mode, then html_entity_decode twice) and pipes it to Secrets Manager. */
function storeCommand(path: string, section: string, key: string, name: string): string {
    const php = `$c = parse_ini_file($argv[1], true); echo html_entity_decode(html_entity_decode($c[$argv[2]][$argv[3]], ENT_COMPAT, "UTF-8"), ENT_COMPAT, "UTF-8");`;
    return (
        `php -r ${shellQuote(php)} ${shellQuote(path)} ${shellQuote(section)} ${shellQuote(key)} | ` +
        `aws secretsmanager create-secret --name ${shellQuote(name)} --secret-string file:///dev/stdin --query ARN --output text`
    );
}

const WHY_CLUSTER_SETS = "the cluster sets it (README, config.ini.php)";

/** Keys read into first-class arguments, by section. */
const MAPPED: Readonly<Record<string, readonly string[]>> = {
    General: ["salt", "trusted_hosts", "noreply_email_address", "noreply_email_name", "maintenance_mode", "browser_archiving_disabled_enforce"],
    database: ["host", "port", "dbname", "username", "password", "tables_prefix"],
    mail: ["transport", "host", "port", "encryption", "type", "username", "password"],
    Tracker: ["record_statistics"],
};

const flag = (v: MatomoIniValue | undefined): boolean | undefined => (typeof v === "string" ? v !== "" && v !== "0" : undefined);
const str = (v: MatomoIniValue | undefined): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/**
 * Whether the arguments accept `extraConfig[section][key] = value` (locked keys, secrets in plain
 * text, unprintable text and settings that weaken Matomo's protections are refused), for an adopted
 * Matomo: its database is an existing one (so `[database] schema` stays the user's to state).
 */
function extraConfigProblem(section: string, key: string, value: IniValue): string | undefined {
    try {
        resolveSettings({
            domain: "analytics.example.com",
            certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/x",
            superUser: { email: "ops@example.com" },
            database: {
                existing: { host: "db.example.com", username: "matomo", passwordSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:x-AbCdEf" },
            },
            salt: { generateNew: true },
            extraConfig: { [section]: { [key]: value } },
        });
        return undefined;
    } catch (e) {
        if (e instanceof InvalidArgumentError) return e.problems.map((p) => p.allowed).join("; ");
        throw e;
    }
}

/** What the arguments' own validation says, once sample ARNs stand in for the placeholders. */
function checkArguments(args: Partial<MatomoClusterArgs>): ImportResult["notCarried"] {
    const filled = JSON.parse(
        JSON.stringify(args).replace(/<ARN printed by the command for [^>]+>/g, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:x-AbCdEf"),
    ) as MatomoClusterArgs;
    try {
        resolveSettings({
            ...filled,
            domain: filled.domain ?? "analytics.example.com",
            certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/x",
            superUser: { email: "ops@example.com" },
        });
        return [];
    } catch (e) {
        if (!(e instanceof InvalidArgumentError)) throw e;
        return e.problems.map((p) => ({ setting: p.path.join("."), reason: `refused by the arguments' validation: ${p.allowed}; fix it in the output` }));
    }
}

/**
 * Read an old single-server config.ini.php (`text`, found at `path` on the old server, which the
 * printed commands read the secrets from) into cluster arguments, secrets to store and what is left behind.
 */
export function importMatomoConfig(text: string, path: string): ImportResult {
    const ini = readMatomoIni(text);
    const notCarried: ImportResult["notCarried"] = ini.refused.map((r) => ({ setting: `${r.section}.${r.key}`, reason: `not read: ${r.reason}` }));
    const secrets: SecretToStore[] = [];
    const args: Partial<MatomoClusterArgs> = {};
    const section = (name: string) => ini.sections.get(name) ?? new Map<string, MatomoIniValue>();
    const general = section("General");

    // The salt: kept, by reference (Matomo hashes every API token with it).
    if (str(general.get("salt")) !== undefined) {
        secrets.push({
            argument: "salt.existingSecretArn",
            name: "matomo/adopted/salt",
            command: storeCommand(path, "General", "salt", "matomo/adopted/salt"),
        });
        args.salt = { existingSecretArn: arnPlaceholder("salt.existingSecretArn") };
    } else {
        notCarried.push({
            setting: "General.salt",
            reason: "absent: every existing API token would stop working with a new one; find the old salt before adopting",
        });
    }

    // Trusted hosts: the first valid one is the domain (change it if the cluster answers under another name).
    const hosts = ([] as string[]).concat(general.get("trusted_hosts") ?? []);
    const valid = hosts.filter((h) => isHostname(h.toLowerCase()));
    for (const h of hosts.filter((x) => !valid.includes(x)))
        notCarried.push({ setting: "General.trusted_hosts", reason: `'${h}' is not a hostname the cluster can trust (a port or path in it?)` });
    if (valid.length > 0) {
        args.domain = valid[0].toLowerCase();
        if (valid.length > 1) args.additionalTrustedHosts = valid.slice(1).map((h) => h.toLowerCase());
    }

    const db = section("database");
    if (str(db.get("host")) !== undefined) {
        const existing: Record<string, unknown> = {
            host: db.get("host"),
            username: str(db.get("username")) ?? "",
            passwordSecretArn: arnPlaceholder("database.existing.passwordSecretArn"),
        };
        if (str(db.get("port")) !== undefined) existing.port = Number(db.get("port"));
        if (str(db.get("dbname")) !== undefined) existing.name = db.get("dbname");
        if (typeof db.get("tables_prefix") === "string") existing.tablesPrefix = db.get("tables_prefix");
        args.database = { existing: existing as never };
        secrets.push({
            argument: "database.existing.passwordSecretArn",
            name: "matomo/adopted/database-password",
            command: storeCommand(path, "database", "password", "matomo/adopted/database-password"),
        });
    }

    const mail = section("mail");
    const transport = str(mail.get("transport"));
    if (transport === "smtp" && str(mail.get("host")) !== undefined) {
        const encryption = str(mail.get("encryption"));
        const m: Record<string, unknown> = { host: mail.get("host"), encryption: encryption === "ssl" || encryption === "tls" ? encryption : "none" };
        if (str(mail.get("port")) !== undefined) m.port = Number(mail.get("port"));
        if (str(mail.get("username")) !== undefined) {
            m.username = mail.get("username");
            m.password = { secretArn: arnPlaceholder("mail.password") };
            secrets.push({
                argument: "mail.password.secretArn",
                name: "matomo/adopted/smtp-password",
                command: storeCommand(path, "mail", "password", "matomo/adopted/smtp-password"),
            });
            const type = str(mail.get("type"));
            if (type !== undefined && type !== "LOGIN") notCarried.push({ setting: "mail.type", reason: `'${type}': the cluster authenticates with LOGIN` });
        }
        if (str(general.get("noreply_email_address")) !== undefined) m.fromAddress = general.get("noreply_email_address");
        if (str(general.get("noreply_email_name")) !== undefined) m.fromName = general.get("noreply_email_name");
        args.mail = m as never;
    } else if (mail.size > 0) {
        notCarried.push({
            setting: "mail",
            reason: `transport '${transport ?? ""}': only SMTP reaches out from a node (no local mail server there); give mail.host for your relay`,
        });
    }

    const maintenance = flag(general.get("maintenance_mode"));
    if (maintenance !== undefined) args.maintenanceMode = maintenance;
    const enforce = flag(general.get("browser_archiving_disabled_enforce"));
    if (enforce !== undefined) args.enforceCronArchiving = enforce;
    const recording = flag(section("Tracker").get("record_statistics"));
    if (recording !== undefined) args.trackingEnabled = recording;

    const installed = section("PluginsInstalled").get("PluginsInstalled");
    const activated = section("Plugins").get("Plugins");
    if (Array.isArray(installed)) {
        args.adopt = { installedPlugins: installed, ...(Array.isArray(activated) ? { activatedPlugins: activated } : {}) };
    } else {
        notCarried.push({ setting: "PluginsInstalled", reason: "absent: Matomo writes it on every install; is this the config of an installed Matomo?" });
    }

    // Everything else: extraConfig, unless the cluster owns the key or the value cannot go there.
    const extra: Record<string, Record<string, IniValue>> = {};
    for (const [name, entries] of ini.sections) {
        if (name === "Plugins" || name === "PluginsInstalled") continue;
        if (name === "QueuedTracking") {
            notCarried.push({
                setting: "QueuedTracking",
                reason: "give queuedTracking: { enabled: true, pluginSha256 } instead: the cluster creates its Redis and writes this section",
            });
            continue;
        }
        for (const [key, value] of entries) {
            if ((MAPPED[name] ?? []).includes(key)) continue;
            const setting = `${name}.${key}`;
            if (isLockedConfigKey(name, key)) {
                notCarried.push({ setting, reason: WHY_CLUSTER_SETS });
            } else if (isSecretKey(key)) {
                notCarried.push({
                    setting,
                    reason: `a secret: store it (php … | aws secretsmanager create-secret, as above) and give extraConfig.${name}.${key} = { secretArn }`,
                });
            } else {
                const problem = extraConfigProblem(name, key, value);
                if (problem !== undefined) notCarried.push({ setting, reason: problem });
                else (extra[name] ??= {})[key] = value;
            }
        }
    }
    if (Object.keys(extra).length > 0) args.extraConfig = extra;
    notCarried.push(...checkArguments(args));
    return { args, secrets, notCarried };
}

/** The result as a person reads it: commands to run, the arguments as TypeScript, what was left behind. */
export function formatImport(result: ImportResult): string {
    const out: string[] = [];
    out.push("# 1. Store the old secrets (run where the old config.ini.php and PHP are; each prints the new secret's ARN):");
    for (const s of result.secrets) out.push(`#    ${s.argument}:`, s.command);
    out.push("", "// 2. Arguments for MatomoCluster (put each ARN printed above in its place; add certificateArn or hostedZoneId, superUser):");
    out.push(`const imported: Partial<MatomoClusterArgs> = ${JSON.stringify(result.args, null, 4)};`);
    out.push("", "# 3. Not carried over:");
    for (const n of result.notCarried) out.push(`#    ${n.setting}: ${n.reason}`);
    if (result.notCarried.length === 0) out.push("#    nothing");
    return out.join("\n") + "\n";
}
