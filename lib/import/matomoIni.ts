/**
 * Reads a config.ini.php as Matomo reads it, for the values a migration carries over.
 *
 * Matomo reads its config with PHP's parse_ini_string in normal mode (matomo/ini IniReader), then
 * html_entity_decode's every string, twice (core/Config/IniFileChain.php reload() runs decodeValues
 * over the same values twice), because its writer stores values through htmlentities with `$` as `&#36;` (encodeValues). This reader
 * reproduces both for what Matomo writes and for the hand edits PHP reads without surprises; a
 * value whose meaning depends on the old server (PHP expanding `${…}` from its environment, a bare
 * word PHP may take for a constant, an expression such as `1 | 2`) or that spans lines is not
 * guessed at: it is returned as refused, with the reason. Proven against PHP in
 * test/importConfig.test.ts, on text Matomo's own writer produced.
 */
import { HTML401_ENTITIES } from "./htmlEntities";

/** One value as Matomo has it: a string, or the list of a `key[] = …` array. */
export type MatomoIniValue = string | string[];

export interface RefusedValue {
    section: string;
    key: string;
    reason: string;
}

export interface MatomoIni {
    /** Sections in file order, keys in file order. Arrays keyed by name (`key[name] = …`) are refused. */
    sections: Map<string, Map<string, MatomoIniValue>>;
    refused: RefusedValue[];
}

/** `&#N;`/`&#xH;` code points html_entity_decode (ENT_COMPAT, HTML 4.01) leaves encoded, measured with PHP 8.2. */
function numericEntityDecoded(cp: number): boolean {
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    if (cp === 0x27) return false; // ENT_COMPAT: single quotes stay encoded
    if (cp <= 0x1f) return cp === 0x09 || cp === 0x0a || cp === 0x0d;
    return !(cp >= 0x7f && cp <= 0x9f);
}

/** PHP's html_entity_decode($s, ENT_COMPAT, 'UTF-8'): named HTML 4.01 entities and numeric ones. */
export function htmlEntityDecode(text: string): string {
    return text.replace(
        /&(?:#([0-9]{1,10})|#[xX]([0-9a-fA-F]{1,8})|([A-Za-z][A-Za-z0-9]{1,7}));/g,
        (whole, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
            if (name !== undefined) {
                const cp = HTML401_ENTITIES.get(name);
                return cp === undefined ? whole : String.fromCodePoint(cp);
            }
            const cp = dec !== undefined ? Number(dec) : parseInt(hex!, 16);
            return numericEntityDecoded(cp) ? String.fromCodePoint(cp) : whole;
        },
    );
}

const KEY = /^([A-Za-z0-9_.-]+)(\[([A-Za-z0-9_.-]*)\])?$/;
/** What PHP's normal mode turns into "1" or "" (case-insensitive). */
const TRUE_WORDS = ["true", "on", "yes"];
const FALSE_WORDS = ["false", "off", "no", "none", "null"];

type Parsed = { value: string } | { refused: string };

const OPEN_QUOTE = "a quoted value that goes on past the end of the line";

/** A double-quoted value from just after its opening quote: PHP unescapes \\, \" and \$; keeps any other backslash. */
function doubleQuoted(rest: string): Parsed {
    let out = "";
    for (let i = 0; i < rest.length; i++) {
        const c = rest[i];
        if (c === "\\" && i + 1 < rest.length && ["\\", '"', "$"].includes(rest[i + 1])) {
            out += rest[++i];
            continue;
        }
        if (c === "$" && rest[i + 1] === "{") return { refused: "PHP expands ${…} in it from the old server's environment or PHP settings" };
        if (c === '"') {
            const after = rest.slice(i + 1).trim();
            if (after !== "" && !after.startsWith(";")) return { refused: "text after its closing quote, which PHP joins to it" };
            return { value: out };
        }
        out += c;
    }
    return { refused: OPEN_QUOTE };
}

function parseValue(raw: string): Parsed {
    const text = raw.trim();
    if (text.startsWith('"')) return doubleQuoted(text.slice(1));
    if (text.startsWith("'")) {
        const end = text.indexOf("'", 1);
        if (end < 0) return { refused: "a quoted value that goes on past the end of the line" };
        const after = text.slice(end + 1).trim();
        if (after !== "" && !after.startsWith(";")) return { refused: "text after its closing quote, which PHP joins to it" };
        return { value: text.slice(1, end) };
    }
    const bare = text.split(";")[0].trim();
    if (/["'$|&~!()^{}[\]=]/.test(bare)) return { refused: "an unquoted value PHP reads as an expression, a variable or a syntax error" };
    if (TRUE_WORDS.includes(bare.toLowerCase())) return { value: "1" };
    if (FALSE_WORDS.includes(bare.toLowerCase())) return { value: "" };
    if (/^[A-Z_][A-Z0-9_]*$/.test(bare)) return { refused: "an unquoted upper-case word PHP replaces when it names a constant" };
    return { value: bare };
}

export function readMatomoIni(text: string): MatomoIni {
    const sections = new Map<string, Map<string, MatomoIniValue>>();
    const refused: RefusedValue[] = [];
    let section: Map<string, MatomoIniValue> | undefined;
    let sectionName = "";
    const refuse = (key: string, reason: string) => {
        if (!refused.some((r) => r.section === sectionName && r.key === key)) refused.push({ section: sectionName, key, reason });
    };
    // After a quoted value that did not close on its line: PHP reads on to the closing quote.
    let inQuote = false;
    for (const line of text.split(/\r?\n/)) {
        if (inQuote) {
            inQuote = !/(^|[^\\])(\\\\)*"/.test(line);
            continue;
        }
        const trimmed = line.trim();
        if (trimmed === "" || trimmed.startsWith(";") || trimmed.startsWith("#")) continue;
        const header = /^\[([^\]]+)\]\s*(;.*)?$/.exec(trimmed);
        if (header) {
            sectionName = header[1].trim();
            section = sections.get(sectionName) ?? new Map();
            sections.set(sectionName, section);
            continue;
        }
        const eq = trimmed.indexOf("=");
        const key = KEY.exec(eq < 0 ? "" : trimmed.slice(0, eq).trim());
        if (!section || !key) {
            refused.push({
                section: sectionName,
                key: trimmed.slice(0, 40),
                reason: section ? "a line PHP cannot read as key = value" : "a line before the first [section]",
            });
            continue;
        }
        const [, name, brackets, index] = key;
        const parsed = parseValue(trimmed.slice(eq + 1));
        if ("refused" in parsed) {
            inQuote = parsed.refused === OPEN_QUOTE;
            refuse(name, parsed.refused);
            section.delete(name);
            continue;
        }
        if (refused.some((r) => r.section === sectionName && r.key === name)) continue;
        // Twice, as Matomo reads it (IniFileChain::reload runs decodeValues twice over the same values).
        const value = htmlEntityDecode(htmlEntityDecode(parsed.value));
        if (brackets === undefined) {
            section.set(name, value);
        } else if (index !== "") {
            refuse(name, "an array with named keys (key[name] = …), which the cluster's arguments cannot express");
            section.delete(name);
        } else {
            const current = section.get(name);
            section.set(name, Array.isArray(current) ? [...current, value] : [value]);
        }
    }
    return { sections, refused };
}
