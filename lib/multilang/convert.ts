/**
 * Multi-language arguments → the TypeScript ones. Every field is the same value under the same
 * name (the enums carry the TypeScript unions' strings, `network`/`database` are already one object
 * for the shared schema), so the only work is `extraConfig`: three maps (strings, lists, secret
 * references) joined into TypeScript's one. Everything else is checked by `lib/settings`, exactly
 * as for a TypeScript program.
 */
import type { IniValue, SecretReference } from "../settings/args";
import { InvalidArgumentError, hiddenValue, type ArgumentProblem } from "../settings/errors";
import { isSecretKey } from "../settings/extraConfig";
import { isPlainObject } from "../settings/schema";
import type { MatomoClusterComponentArgs } from "../aws/cluster";
import type { MatomoClusterArgs } from "./args";

type ExtraConfig = Record<string, Record<string, IniValue | SecretReference>>;

/** The fields only the multi-language surface has: `extraConfig`'s lists and secret references. */
export const EXTRA_CONFIG_MAPS = ["extraConfig", "extraConfigLists", "extraConfigSecrets"] as const;

type ExtraConfigMap = (typeof EXTRA_CONFIG_MAPS)[number];

/** What each map holds, as its values must be: a value of another shape would be written as something the user did not ask for. */
const VALUE_RULES: Record<ExtraConfigMap, { fits: (v: unknown) => boolean; allowed: string }> = {
    extraConfig: {
        fits: (v) => typeof v === "string" || typeof v === "number" || typeof v === "boolean",
        allowed: "a string (lists go in extraConfigLists, secret references in extraConfigSecrets)",
    },
    extraConfigLists: { fits: Array.isArray, allowed: "a list of strings (single values go in extraConfig)" },
    extraConfigSecrets: {
        fits: (v) => isPlainObject(v) && Object.hasOwn(v, "secretArn"),
        allowed: "a secret reference { secretArn, jsonKey?, kmsKeyArn? }: a value given here as text would land in user data (plain values go in extraConfig)",
    },
};

/** The joined config, and which map each `section\0key` came from (so errors name the map the user wrote). */
function joinWithOrigin(args: Pick<MatomoClusterArgs, ExtraConfigMap>): { joined: ExtraConfig | undefined; origin: Map<string, ExtraConfigMap> } {
    const origin = new Map<string, ExtraConfigMap>();
    if (EXTRA_CONFIG_MAPS.every((m) => args[m] === undefined || args[m] === null)) return { joined: undefined, origin };
    const joined: ExtraConfig = {};
    const problems: ArgumentProblem[] = [];
    for (const map of EXTRA_CONFIG_MAPS) {
        const sections: unknown = args[map];
        if (sections === undefined || sections === null) continue;
        if (!isPlainObject(sections)) {
            problems.push({ path: [map], value: sections, allowed: "an object of section → { key → value }" });
            continue;
        }
        for (const section of Object.keys(sections)) {
            const entries = sections[section];
            if (!isPlainObject(entries)) {
                problems.push({ path: [map, section], value: entries, allowed: "an object of key → value" });
                continue;
            }
            const target = Object.hasOwn(joined, section) ? joined[section] : (joined[section] = {});
            for (const key of Object.keys(entries)) {
                const value = entries[key];
                const first = origin.get(`${section}\u0000${key}`);
                if (first !== undefined) {
                    problems.push({ path: [map, section, key], value: "(given twice)", allowed: `a key not also given in ${first}.${section}` });
                    continue;
                }
                if (value !== undefined && value !== null && !VALUE_RULES[map].fits(value)) {
                    const shown = map === "extraConfigSecrets" || isSecretKey(key) ? hiddenValue(value) : value;
                    problems.push({ path: [map, section, key], value: shown, allowed: VALUE_RULES[map].allowed });
                    continue;
                }
                origin.set(`${section}\u0000${key}`, map);
                Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
            }
        }
    }
    if (problems.length > 0) throw new InvalidArgumentError("MatomoCluster", problems);
    return { joined, origin };
}

/**
 * `extraConfig`, `extraConfigLists` and `extraConfigSecrets` as TypeScript's one `extraConfig`; a
 * key given in two of them is refused (which one would win is a guess), as is a map that is not
 * one and a value of another map's shape. The shared schema checks the values further.
 */
export function joinExtraConfig(args: Pick<MatomoClusterArgs, ExtraConfigMap>): ExtraConfig | undefined {
    return joinWithOrigin(args).joined;
}

/** A `MatomoCluster`'s multi-language arguments as the TypeScript component takes them. */
export function clusterArgsFromMultiLanguage(args: MatomoClusterArgs): MatomoClusterComponentArgs {
    return convert(args).args;
}

function convert(args: MatomoClusterArgs): { args: MatomoClusterComponentArgs; origin: Map<string, ExtraConfigMap> } {
    const rest: Omit<MatomoClusterArgs, ExtraConfigMap> & { extraConfig?: ExtraConfig } = { ...args };
    for (const map of EXTRA_CONFIG_MAPS) delete (rest as Record<string, unknown>)[map];
    const { joined, origin } = joinWithOrigin(args ?? {});
    return { args: { ...rest, ...(joined !== undefined ? { extraConfig: joined } : {}) }, origin };
}

/**
 * Runs `use` on the converted arguments; an argument error it throws names `extraConfig.<section>.<key>`
 * by the map the user wrote that key in (`extraConfigLists.General.cors_domains[0]`).
 */
export function withMultiLanguagePaths<T>(args: MatomoClusterArgs, use: (converted: MatomoClusterComponentArgs) => T): T {
    const { args: converted, origin } = convert(args);
    try {
        return use(converted);
    } catch (e) {
        if (!(e instanceof InvalidArgumentError)) throw e;
        const renamed = e.problems.map((p) => {
            const [head, section, key, ...rest] = p.path;
            const map = head === "extraConfig" && key !== undefined ? origin.get(`${String(section)}\u0000${String(key)}`) : undefined;
            return map !== undefined && map !== "extraConfig" ? { ...p, path: [map, section, key, ...rest] } : p;
        });
        throw new InvalidArgumentError(e.component, renamed);
    }
}
