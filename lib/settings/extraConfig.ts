/**
 * `extraConfig`: more config.ini.php settings, by section. What provisioning renders is locked
 * (the set comes from the renderer itself, see `lockedConfigKeys` in ./cluster.ts), a value may be a
 * secret reference that nodes fill in at boot, and keys that name secrets must be references.
 */
import { hiddenValue, type ArgumentPath } from "./errors";
import type { IniValue, ResolvedSecretReference } from "./args";
import { secretReference } from "./fields";
import { Checker, isPlainObject, named, nearest, plainList, text, type Schema } from "./schema";

/** Sections provisioning owns outright: plugins are installed and activated on every node by the ui node's first boot, and boot appends the stored sections. */
export const LOCKED_CONFIG_SECTIONS: readonly string[] = ["Plugins", "PluginsInstalled"];

/**
 * Keys locked although the renderer does not write them: the installer's flag, the trusted-host
 * check (turning it off accepts any Host header), `proxy_host_headers` (the ALB keeps the
 * client's Host header; trusting a forwarded one would let clients pick it), and
 * `enable_plugin_upload` (Matomo's default 0 stays: plugin code reaches nodes only through `plugins`).
 */
export const ALWAYS_LOCKED_KEYS: Readonly<Record<string, readonly string[]>> = {
    General: ["installation_in_progress", "enable_trusted_host_check", "proxy_host_headers", "enable_plugin_upload"],
};

/** Keys whose value is a secret (`password`, `redisPassword`, `license_key`, `api_token` …): only a reference is accepted. */
export function isSecretKey(key: string): boolean {
    return /(password|passwd|secret|token|licen[cs]e_?key|api_?key)$/i.test(key);
}

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** What a placeholder name may be: also a shell variable name suffix on the node (`MATOMO_SECRET_<name>`). */
export const SECRET_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,127}$/;

/** The placeholder name nodes fill the secret reference at `[section] key` by. */
export function referenceSecretName(section: string, key: string): string {
    return `ref_${section}_${key}`;
}

/**
 * Each secret reference (in `extraConfig`, and `mail.password` at `[mail] password`) needs a
 * placeholder name of its own that fits `SECRET_NAME_PATTERN`: `[a_b] c` and `[a] b_c` would
 * share one. `path` is where the cluster's arguments are.
 */
export function checkSecretNames(extraConfig: ResolvedExtraConfig, mailPassword: boolean, c: Checker, path: ArgumentPath): boolean {
    const before = c.problems.length;
    const byName = new Map<string, string>(mailPassword ? [[referenceSecretName("mail", "password"), "mail.password"]] : []);
    for (const section of Object.keys(extraConfig)) {
        for (const key of Object.keys(extraConfig[section])) {
            const value = extraConfig[section][key];
            if (!isPlainObject(value)) continue;
            const name = referenceSecretName(section, key);
            const where = [...path, "extraConfig", section, key];
            const other = byName.get(name);
            if (!SECRET_NAME_PATTERN.test(name))
                c.fail(
                    where,
                    "{ secretArn, … }",
                    `a section and key of at most 123 characters together: nodes fill the secret by the name ${name.slice(0, 20)}…, at most 128 characters (ref_<section>_<key>)`,
                );
            else if (other !== undefined)
                c.fail(
                    where,
                    "{ secretArn, … }",
                    `a secret reference whose placeholder name (${name}) is its own: ${other} has the same one; rename a section or key`,
                );
            else byName.set(name, `extraConfig.${section}.${key}`);
        }
    }
    return c.problems.length === before;
}
const iniText = text("a string");
const iniList = plainList(iniText, {}, "a list of strings");
const VALUE_ALLOWED = "a string, number, boolean, list of strings, or a secret reference { secretArn, jsonKey?, kmsKeyArn? }";

function iniValue(value: unknown, c: Checker, path: ArgumentPath): IniValue | ResolvedSecretReference | undefined {
    if (typeof value === "boolean") return value;
    if (typeof value === "number") return Number.isFinite(value) ? value : c.fail(path, value, "a finite number");
    if (typeof value === "string") return iniText.check(value, c, path);
    if (Array.isArray(value)) return iniList.check(value, c, path);
    if (isPlainObject(value) && Object.hasOwn(value, "secretArn")) return secretReference.check(value, c, path) as ResolvedSecretReference | undefined;
    return c.fail(path, value, VALUE_ALLOWED);
}

export type ResolvedExtraConfig = Record<string, Record<string, IniValue | ResolvedSecretReference>>;

/** The schema, given the locked keys (computed lazily from the renderer). */
export function extraConfigSchema(locked: () => Readonly<Record<string, readonly string[]>>): Schema<ResolvedExtraConfig> {
    const allowed = "an object of section → { key → value }";
    return named(
        {
            tsText: "Record<string, Record<string, IniValue | SecretReference>>",
            declares: [
                {
                    ts: "IniValue",
                    tsText: "string | number | boolean | string[]",
                    doc: "A value `extraConfig` may set: written as an INI scalar, or as `key[] = …` lines for an array.",
                },
            ],
        },
        {
            kind: "record",
            allowed,
            check(value, c, path) {
                if (!isPlainObject(value)) return c.fail(path, value, allowed);
                const before = c.problems.length;
                const out: ResolvedExtraConfig = {};
                const locks = Object.keys(value).length > 0 ? locked() : {};
                for (const section of Object.keys(value)) {
                    const sp = [...path, section];
                    const entries = value[section];
                    if (!NAME.test(section)) {
                        c.fail(sp, section, "a section name of letters, digits and _");
                        continue;
                    }
                    if (LOCKED_CONFIG_SECTIONS.includes(section)) {
                        c.fail(sp, entries, "this section is managed by provisioning (plugins are installed and activated on every node) and cannot be set");
                        continue;
                    }
                    if (!isPlainObject(entries)) {
                        c.fail(sp, entries, "an object of key → value");
                        continue;
                    }
                    const resolved: Record<string, IniValue | ResolvedSecretReference> = {};
                    const lockedHere = Object.hasOwn(locks, section) ? locks[section] : [];
                    for (const key of Object.keys(entries)) {
                        const kp = [...sp, key];
                        const v = entries[key];
                        if (!NAME.test(key)) {
                            c.fail(kp, key, "a key of letters, digits and _ (arrays are given as a list value, not as key[])");
                        } else if (lockedHere.includes(key)) {
                            c.fail(
                                kp,
                                isSecretKey(key) ? hiddenValue(v) : v,
                                "this key is set by the load-balanced layout and cannot be overridden; use the matching MatomoClusterArgs field if there is one",
                            );
                        } else if (v === undefined || v === null) {
                            c.fail(kp, v, VALUE_ALLOWED);
                        } else if (isSecretKey(key) && !isPlainObject(v)) {
                            c.fail(
                                kp,
                                hiddenValue(v),
                                "a secret: give it as a reference { secretArn, jsonKey? } to a Secrets Manager secret, never as plain text (it would land in user data)",
                            );
                        } else {
                            const checked = iniValue(v, c, kp);
                            if (checked !== undefined)
                                Object.defineProperty(resolved, key, { value: checked, enumerable: true, writable: true, configurable: true });
                        }
                    }
                    Object.defineProperty(out, section, { value: resolved, enumerable: true, writable: true, configurable: true });
                }
                return c.problems.length > before ? undefined : out;
            },
        },
    );
}

/** A Matomo setting that turns one of Matomo's own protections off, and what it costs. */
export interface UnsafeConfigSetting {
    readonly section: string;
    readonly key: string;
    /** Whether this value weakens it (Matomo's safe default never does). */
    readonly weakens: (value: unknown) => boolean;
    readonly why: string;
}

/** A flag set to anything but Matomo's default 0. */
const on = (v: unknown) => !(v === false || v === 0 || v === "0" || v === "" || v === "false");
const listHas = (test: (item: string) => boolean) => (v: unknown) => (Array.isArray(v) ? v : [v]).some((item) => typeof item === "string" && test(item.trim()));
/** An address range that covers every address (`0.0.0.0/0`, `::/0`, `*`, any /0). */
const everyAddress = (item: string) => item === "*" || /\/0$/.test(item) || item === "*.*.*.*";

/**
 * Sections and names as Matomo's config/global.ini.php has them (5.x); the reasons quote its own
 * comments where it gives one.
 */
export const UNSAFE_CONFIG_SETTINGS: readonly UnsafeConfigSetting[] = [
    ...["database", "database_reader"].map((section) => ({
        section,
        key: "ssl_no_verify",
        weakens: on,
        why: "it skips verifying the database server's TLS certificate, so anyone on the path can pose as the database and read the credential and every visit",
    })),
    {
        section: "Tracker",
        key: "debug",
        weakens: on,
        why: "every tracking request writes its debug output, visitor data included, to the logs the layout ships",
    },
    {
        section: "Tracker",
        key: "debug_on_demand",
        weakens: on,
        why: "any client can add debug=1 to a tracking request and read the tracker's debug output (Matomo: only for a short time frame)",
    },
    {
        section: "General",
        key: "login_allow_logme",
        weakens: on,
        why: "it logs users in from a login and password hash in the URL, which lands in browser history, proxies and access logs",
    },
    {
        section: "General",
        key: "enable_framed_pages",
        weakens: on,
        why: "it turns off Matomo's framebuster on the login, API and report pages (a click-jacking countermeasure)",
    },
    {
        section: "General",
        key: "enable_framed_settings",
        weakens: on,
        why: "it turns off Matomo's framebuster on the admin pages (a click-jacking countermeasure)",
    },
    {
        section: "General",
        key: "enable_framed_allow_write_admin_token_auth",
        weakens: on,
        why: "write and admin token_auth values then travel in iframe URLs, stored in web server logs and elsewhere (Matomo does not recommend it)",
    },
    {
        section: "General",
        key: "cors_domains",
        weakens: listHas((d) => d === "*"),
        why: "'*' lets any site's scripts call the API with a visitor's session; list the origins instead",
    },
    {
        section: "General",
        key: "proxy_ips",
        weakens: listHas(everyAddress),
        why: "trusting every address as a proxy lets any client forge its IP through X-Forwarded-For; list only your proxies' ranges",
    },
];

export const UNSAFE_CONFIG_NAMES: readonly string[] = UNSAFE_CONFIG_SETTINGS.map((u) => `${u.section}.${u.key}`);

/**
 * Refuses each setting in `extraConfig` that weakens Matomo's protections unless `allowUnsafe`
 * names it as `Section.key`, and each `allowUnsafe` entry that is none of them or that
 * `extraConfig` does not weaken. `path` is where the cluster's arguments are.
 */
export function checkUnsafeConfig(extraConfig: ResolvedExtraConfig, allowUnsafe: readonly string[], c: Checker, path: ArgumentPath): boolean {
    const before = c.problems.length;
    const weakened = new Set<string>();
    for (const u of UNSAFE_CONFIG_SETTINGS) {
        const section = Object.hasOwn(extraConfig, u.section) ? extraConfig[u.section] : undefined;
        if (section === undefined || !Object.hasOwn(section, u.key) || !u.weakens(section[u.key])) continue;
        const name = `${u.section}.${u.key}`;
        weakened.add(name);
        if (allowUnsafe.includes(name)) continue;
        c.fail(
            [...path, "extraConfig", u.section, u.key],
            section[u.key],
            `Matomo's safe default (0, or a list without a catch-all): ${u.why}. To set it anyway, name '${name}' in extraConfigAllowUnsafe`,
        );
    }
    allowUnsafe.forEach((entry, i) => {
        if (!UNSAFE_CONFIG_NAMES.includes(entry)) {
            const guess = nearest(entry, UNSAFE_CONFIG_NAMES);
            c.fail(
                [...path, "extraConfigAllowUnsafe", i],
                entry,
                `a setting that weakens Matomo's protections${guess !== undefined ? ` (did you mean '${guess}'?)` : ""}: ${UNSAFE_CONFIG_NAMES.join(", ")}`,
            );
        } else if (!weakened.has(entry)) {
            c.fail(
                [...path, "extraConfigAllowUnsafe", i],
                entry,
                "a setting extraConfig weakens: extraConfig does not weaken it, so the entry would only hide a later one",
            );
        }
    });
    return c.problems.length === before;
}
