/**
 * Secret placeholders in the rendered config.
 *
 * The text that goes into user data never holds a secret. Where one belongs, it holds
 * `{{secret:NAME}}` inside a double-quoted value; at boot the node reads NAME's value from
 * AWS Secrets Manager through its instance role and replaces the placeholder with the value
 * escaped as `escapeIniString` does (`\` `"` `$` prefixed with a backslash, no surrounding quotes).
 */
import { escapeIniContent } from "./ini";

export const SECRET_NAMES = ["database_password", "salt"] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

export function secretPlaceholder(name: SecretName): string {
    return `{{secret:${name}}}`;
}

/** Every `{{secret:NAME}}` in a text, each name once, in order of first appearance. */
export function placeholdersIn(text: string): string[] {
    return [...new Set([...text.matchAll(/\{\{secret:([a-z_]+)\}\}/g)].map((m) => m[1]))];
}

/**
 * The fully rendered config: what a node writes after boot. Only ever handed out as a Pulumi
 * secret output; user data carries the placeholder text.
 */
export function fillSecretPlaceholders(template: string, values: Readonly<Record<SecretName, string>>): string {
    return template.replace(/\{\{secret:([a-z_]+)\}\}/g, (placeholder, name: string) => {
        const value = (values as Record<string, string>)[name];
        if (value === undefined) throw new Error(`no value for secret placeholder ${placeholder}`);
        return escapeIniContent(value);
    });
}
