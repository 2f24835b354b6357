/**
 * Secret placeholders in the rendered config.
 *
 * The text that goes into user data never holds a secret. Where one belongs, it holds
 * `{{secret:NAME}}` inside a double-quoted value; at boot the node reads NAME's value from
 * AWS Secrets Manager through its instance role and replaces the placeholder with the value
 * escaped as `escapeIniString` does (`\` `"` `$` prefixed with a backslash, no surrounding quotes).
 *
 * Two kinds of NAME: the cluster's own secrets (`database_username`, `database_password`, `salt`, `redis_password`), and one per secret
 * reference a user gave (`mail.password`, any `extraConfig` value), named `ref_<section>_<key>`
 * after where it sits in the config. The name depends only on that place, never on the ARN, so
 * the config text and its hash stay the same when an ARN is only known at deploy time.
 */
import type { ResolvedSecretReference, ResolvedSettings } from "../settings";
import { escapeIniContent } from "./ini";
import { SECRET_NAME_PATTERN, referenceSecretName } from "../settings/extraConfig";

/**
 * The cluster's own secrets the config holds. `database_username` and `database_password` are
 * the role's own database user (lib/config/databaseUsers.ts): the one value a tracker fills in
 * differently from a ui node, so the config text and its hash stay the same on every node.
 * `redis_password`, the Redis AUTH token, only with QueuedTracking.
 */
export const SECRET_NAMES = ["database_username", "database_password", "salt", "redis_password"] as const;
/** One of `SECRET_NAMES`. */
export type SecretName = (typeof SECRET_NAMES)[number];

// The naming rule is the arguments' too (they refuse a name it cannot make): written once, in ../settings/extraConfig.
export { SECRET_NAME_PATTERN, referenceSecretName } from "../settings/extraConfig";
const PLACEHOLDER = /\{\{secret:([A-Za-z][A-Za-z0-9_]*)\}\}/g;

/** The placeholder `{{secret:NAME}}` for `name`; throws if the name does not match `SECRET_NAME_PATTERN`. */
export function secretPlaceholder(name: string): string {
    if (!SECRET_NAME_PATTERN.test(name)) throw new Error(`bad secret placeholder name ${JSON.stringify(name)}`);
    return `{{secret:${name}}}`;
}

/** One secret reference in the config: its placeholder name, where it sits, and where nodes read it. */
export interface ConfigSecretReference {
    /** The placeholder name, `ref_<section>_<key>`. */
    name: string;
    /** The config section the value sits in. */
    section: string;
    /** The key within that section. */
    key: string;
    /** The secret the node reads the value from at boot. */
    reference: ResolvedSecretReference;
}

/**
 * Every secret reference the config of these settings holds, sorted by name: `mail.password`
 * and references among `extraConfig` values. The one list the renderer, the node's
 * provision.env and the instance roles' grants all read.
 */
export function configSecretReferences(settings: Pick<ResolvedSettings, "extraConfig" | "mail">): ConfigSecretReference[] {
    const found: ConfigSecretReference[] = [];
    if (settings.mail?.password !== undefined)
        found.push({ name: referenceSecretName("mail", "password"), section: "mail", key: "password", reference: settings.mail.password });
    for (const [section, entries] of Object.entries(settings.extraConfig)) {
        for (const [key, value] of Object.entries(entries)) {
            if (isSecretReference(value)) found.push({ name: referenceSecretName(section, key), section, key, reference: value });
        }
    }
    const byName = new Map<string, ConfigSecretReference>();
    for (const ref of found) {
        if (!SECRET_NAME_PATTERN.test(ref.name)) throw new Error(`config: [${ref.section}] ${ref.key} gives a secret name too long or malformed: ${ref.name}`);
        const other = byName.get(ref.name);
        // `[a_b] c` and `[a] b_c` would share a name; refuse rather than fill one with the other's secret.
        if (other !== undefined)
            throw new Error(
                `config: secret references [${other.section}] ${other.key} and [${ref.section}] ${ref.key} would share the placeholder name ${ref.name}`,
            );
        byName.set(ref.name, ref);
    }
    return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** True for a secret reference (an object with `secretArn`) rather than a plain INI value. */
export function isSecretReference(value: unknown): value is ResolvedSecretReference {
    return value !== null && typeof value === "object" && !Array.isArray(value) && "secretArn" in value;
}

/** Every `{{secret:NAME}}` in a text, each name once, in order of first appearance. */
export function placeholdersIn(text: string): string[] {
    return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]))];
}

/**
 * The fully rendered config: what a node writes after boot. Only ever handed out as a Pulumi
 * secret output; user data carries the placeholder text.
 */
export function fillSecretPlaceholders(template: string, values: Readonly<Record<string, string>>): string {
    return template.replace(PLACEHOLDER, (placeholder, name: string) => {
        const value = Object.prototype.hasOwnProperty.call(values, name) ? values[name] : undefined;
        if (value === undefined) throw new Error(`no value for secret placeholder ${placeholder}`);
        return escapeIniContent(value);
    });
}

/**
 * The value a node takes from a secret string, as `matomo-secret-value.php` does: with `jsonKey`
 * and a string that is a JSON object, that key's value; otherwise the whole string.
 */
export function secretValueFromString(secretString: string, jsonKey?: string): string {
    if (jsonKey === undefined) return secretString;
    let parsed: unknown;
    try {
        parsed = JSON.parse(secretString);
    } catch {
        return secretString;
    }
    if (parsed === null || typeof parsed !== "object") return secretString;
    const value = (parsed as Record<string, unknown>)[jsonKey];
    if (typeof value !== "string") throw new Error(`secret has no string value under key ${jsonKey}`);
    return value;
}
