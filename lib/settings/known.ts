/**
 * Arguments a program may take from other resources (an RDS instance's port, name and user, the
 * SMTP host) stay Outputs in the resolved settings, checked when they resolve (`input` in
 * ./schema.ts). The text renderers need their values: `withKnownValues` waits for them once and
 * hands back the same settings with plain values, and `known` is how a renderer reads one.
 */
import { all, Output, type Input } from "@pulumi/pulumi/output";
import type { ResolvedSettings } from "./args";

/** `value`, which must be plain here; an Output means the caller rendered before `withKnownValues`. */
export function known<T>(value: Input<T>, what: string): T {
    if (Output.isInstance(value) || value instanceof Promise) throw new Error(`settings: ${what} is not known yet; render from withKnownValues(settings)`);
    return value as T;
}

/** The settings, once every argument given as an Output has resolved (and passed its checks). */
export function withKnownValues(settings: ResolvedSettings): Output<ResolvedSettings> {
    const db = settings.database;
    const mail = settings.mail;
    return all([db.port, db.name, db.username, mail?.host]).apply(([port, name, username, mailHost]): ResolvedSettings => ({
        ...settings,
        database: { ...db, port, name, username } as ResolvedSettings["database"],
        ...(mail !== undefined ? { mail: { ...mail, host: mailHost! } } : {}),
    }));
}
