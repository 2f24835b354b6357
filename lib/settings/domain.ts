/**
 * What the cluster names after its domain unless told otherwise, each derivation written once: the
 * resolver applies it to a plain domain, `withKnownValues` to an Output one once it resolves, and the
 * user data budget to the longest hostname an Output could resolve to.
 */
import { Output } from "@pulumi/pulumi/output";
import type { Checker } from "./schema";
import type { ArgumentPath } from "./errors";
import { SITE_NAME_MAX_LENGTH, siteName } from "./fields";

export const fromDomain = {
    /** config's `trusted_hosts[]`: the domain first, then the other hosts without its repeats (so applying it twice changes nothing). */
    trustedHosts: (domain: string, hosts: readonly string[]): string[] => [domain, ...hosts.filter((h) => h !== domain)],
    siteName: (domain: string): string => domain,
    siteUrl: (domain: string): string => `https://${domain}`,
    fromAddress: (domain: string): string => `noreply@${domain}`,
};

/**
 * The domain as the cluster uses it (lowercase), after the rules that need its value: the first site
 * is named after it unless `firstSite.name` is given, and a site name has at most 90 characters
 * (`fields.siteName`).
 */
export function domainRules(domain: string, siteNameGiven: boolean, c: Checker, path: ArgumentPath): string | undefined {
    const lower = domain.toLowerCase();
    if (!siteNameGiven && fromDomain.siteName(lower).length > SITE_NAME_MAX_LENGTH)
        return c.fail([...path, "firstSite", "name"], undefined, `${siteName.allowed}: give a name, the domain is too long to be one`);
    return lower;
}

/** `derive` of a domain that may be an Output: plain now, or an Output of the derived value. */
export function derived<R>(domain: string | Output<string>, derive: (domain: string) => R): R | Output<R> {
    return Output.isInstance(domain) ? (domain.apply(derive) as Output<R>) : derive(domain);
}
