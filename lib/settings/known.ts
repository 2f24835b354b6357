/**
 * Arguments a program may take from other resources (an RDS instance's port, name and user, the
 * SMTP host, the domain and what is named after it) stay Outputs in the resolved settings, checked
 * when they resolve (`input` in ./schema.ts). The text renderers need their values: `withKnownValues`
 * waits for them once and hands back the same settings with plain values, and `known` is how a
 * renderer reads one.
 */
import { all, Output, type Input } from "@pulumi/pulumi/output";
import type { ResolvedSettings } from "./args";
import { fromDomain } from "./domain";

/** `value`, which must be plain here; an Output means the caller rendered before `withKnownValues`. */
export function known<T>(value: Input<T>, what: string): T {
    if (Output.isInstance(value) || value instanceof Promise) throw new Error(`settings: ${what} is not known yet; render from withKnownValues(settings)`);
    return value as T;
}

/** The settings, once every argument given as an Output has resolved (and passed its checks). */
export function withKnownValues(settings: ResolvedSettings): Output<ResolvedSettings> {
    const db = settings.database;
    const mail = settings.mail;
    const site = settings.firstSite;
    // An Output domain and what is named after it (the trusted hosts, the first site, the sender).
    const named = all([settings.domain, all(settings.trustedHosts), site.name, site.url, mail?.fromAddress]);
    return all([db.port, db.name, db.username, mail?.host, named]).apply(
        ([port, name, username, mailHost, [domain, hosts, siteName, siteUrl, fromAddress]]): ResolvedSettings => ({
            ...settings,
            domain,
            trustedHosts: fromDomain.trustedHosts(domain, hosts),
            firstSite: { ...site, name: siteName, url: siteUrl },
            database: { ...db, port, name, username } as ResolvedSettings["database"],
            ...(mail !== undefined ? { mail: { ...mail, host: mailHost!, fromAddress: fromAddress! } } : {}),
        }),
    );
}
