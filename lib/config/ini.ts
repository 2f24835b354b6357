/**
 * The one place that turns values into config.ini.php text.
 *
 * Matomo reads its config with PHP's `parse_ini_string` in normal scanner mode. In a double-quoted
 * value that mode unescapes `\"`, `\\` and `\$` and expands `${…}`, and outside quotes `;` starts a
 * comment and words like `yes`/`none` change meaning. So every string is written double-quoted with
 * exactly those three characters escaped. Matomo then html_entity_decode's every string it read,
 * twice (core/Config/IniFileChain.php reload() runs decodeValues over each file's values once for
 * its result and once more in place; real Matomo's `console config:get` reads `&amp;amp;` as `&`).
 * So `&` is written as `&amp;amp;`: with every `&` encoded, no other entity can appear, and two
 * decodings give back the original.
 * (The `ini` npm package escapes `;` as `\;`, which PHP keeps verbatim, so it cannot write this file.)
 * Newlines are refused upstream by settings validation.
 */
import type { IniValue } from "../settings";

/** A section: ordered entries; an array value becomes `key[] = …` lines. */
export type IniSection = ReadonlyArray<readonly [key: string, value: IniValue]>;
export type IniDocument = ReadonlyArray<readonly [section: string, entries: IniSection]>;

/** The inside of a double-quoted value: `&` becomes `&amp;amp;`; `\`, `"` and `$` get a backslash. */
export function escapeIniContent(value: string): string {
    if (/[\r\n\0]/.test(value)) {
        throw new Error("config.ini.php values must be a single line without NUL");
    }
    return value.replace(/&/g, "&amp;amp;").replace(/[\\"$]/g, (c) => `\\${c}`);
}

/** `value` as a double-quoted config.ini.php value PHP reads back unchanged (see `escapeIniContent`). */
export function escapeIniString(value: string): string {
    return `"${escapeIniContent(value)}"`;
}

function formatScalar(value: string | number | boolean): string {
    if (typeof value === "boolean") return value ? "1" : "0";
    if (typeof value === "number") return String(value);
    return escapeIniString(value);
}

export function renderIni(document: IniDocument, header: string): string {
    const lines: string[] = [header];
    for (const [section, entries] of document) {
        if (entries.length === 0) continue;
        lines.push("", `[${section}]`);
        for (const [key, value] of entries) {
            if (Array.isArray(value)) {
                for (const item of value) lines.push(`${key}[] = ${formatScalar(item)}`);
            } else {
                lines.push(`${key} = ${formatScalar(value as string | number | boolean)}`);
            }
        }
    }
    return lines.join("\n") + "\n";
}
