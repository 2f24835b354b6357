/**
 * Multi-language arguments → the TypeScript ones. Every field is the same value under the same
 * name (the enums carry the TypeScript unions' strings, `network`/`database` are already one object
 * for the shared schema), so the only work is `extraConfig`: three maps (strings, lists, secret
 * references) joined into TypeScript's one. Everything else is checked by `lib/settings`, exactly
 * as for a TypeScript program.
 */
import type { IniValue, SecretReference } from "../settings/args";
import { InvalidArgumentError, type ArgumentProblem } from "../settings/errors";
import type { MatomoClusterComponentArgs } from "../aws/cluster";
import type { MatomoClusterArgs } from "./args";

type ExtraConfig = Record<string, Record<string, IniValue | SecretReference>>;

/** The fields only the multi-language surface has: `extraConfig`'s lists and secret references. */
export const EXTRA_CONFIG_MAPS = ["extraConfig", "extraConfigLists", "extraConfigSecrets"] as const;

/**
 * `extraConfig`, `extraConfigLists` and `extraConfigSecrets` as TypeScript's one `extraConfig`; a
 * key given in two of them is refused (which one would win is a guess). Values are passed on as
 * given: the shared schema checks them (a non-object section is reported there, under `extraConfig`).
 */
export function joinExtraConfig(args: Pick<MatomoClusterArgs, (typeof EXTRA_CONFIG_MAPS)[number]>): ExtraConfig | undefined {
    if (EXTRA_CONFIG_MAPS.every((m) => args[m] === undefined || args[m] === null)) return undefined;
    const joined: ExtraConfig = {};
    const seenIn = new Map<string, string>();
    const problems: ArgumentProblem[] = [];
    for (const map of EXTRA_CONFIG_MAPS) {
        const sections = (args[map] ?? {}) as Record<string, unknown>;
        for (const section of Object.keys(sections)) {
            const entries = sections[section];
            const target = Object.hasOwn(joined, section) ? joined[section] : (joined[section] = {});
            if (entries === null || typeof entries !== "object" || Array.isArray(entries)) {
                problems.push({ path: [map, section], value: entries, allowed: "an object of key → value" });
                continue;
            }
            for (const key of Object.keys(entries)) {
                const first = seenIn.get(`${section}\u0000${key}`);
                if (first !== undefined) {
                    problems.push({ path: [map, section, key], value: "(given twice)", allowed: `a key not also given in ${first}.${section}` });
                    continue;
                }
                seenIn.set(`${section}\u0000${key}`, map);
                Object.defineProperty(target, key, { value: (entries as Record<string, unknown>)[key], enumerable: true, writable: true, configurable: true });
            }
        }
    }
    if (problems.length > 0) throw new InvalidArgumentError("MatomoCluster", problems);
    return joined;
}

/** A `MatomoCluster`'s multi-language arguments as the TypeScript component takes them. */
export function clusterArgsFromMultiLanguage(args: MatomoClusterArgs): MatomoClusterComponentArgs {
    const rest: Omit<MatomoClusterArgs, (typeof EXTRA_CONFIG_MAPS)[number]> & { extraConfig?: ExtraConfig } = { ...args };
    for (const map of EXTRA_CONFIG_MAPS) delete (rest as Record<string, unknown>)[map];
    const extraConfig = joinExtraConfig(args ?? {});
    return { ...rest, ...(extraConfig !== undefined ? { extraConfig } : {}) };
}
