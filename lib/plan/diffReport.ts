/**
 * The change diff as text (Markdown), for `out/plan/diff.md` and the console. Secret values never
 * appear: the diff holds none, and a `--set` value of a key the program reads as a secret is masked.
 */
import { brief, type InputChange, type PlanDiff } from "./diff";
import type { ConfigSet } from "./configSet";

/** What the diff text says about the change it shows. */
export interface DiffHeader {
    /** The program planned, as the user named it. */
    example: string;
    /** The config changes, in order. */
    sets: readonly ConfigSet[];
    /** Keys the program reads through a `*Secret*` getter: their `--set` values are masked. */
    secretKeys: ReadonlySet<string>;
}

function change(c: InputChange): string {
    if (c.secret) return `\`${c.path}\`: [secret] changed`;
    if (c.before === undefined) return `\`${c.path}\`: added ${brief(c.after)}`;
    if (c.after === undefined) return `\`${c.path}\`: removed (was ${brief(c.before)})`;
    return `\`${c.path}\`: ${brief(c.before)} → ${brief(c.after)}`;
}

/** One `--set` as the diff shows it, its value masked when the program reads the key as a secret. */
export function setText(set: ConfigSet, secretKeys: ReadonlySet<string>): string {
    const path = set.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("");
    return `${set.key}${path}=${secretKeys.has(set.key) ? "[secret]" : JSON.stringify(set.value)}`;
}

/** The diff as Markdown: rolls first, then added, removed and changed resources. */
export function renderDiff(diff: PlanDiff, header: DiffHeader): string {
    const lines: string[] = [];
    lines.push(`# Offline plan: what the change would do`, "");
    lines.push(`Example \`${header.example}\`, planned twice under the mock runtime (nothing sent to AWS): with its sample stack config, and with`, "");
    for (const set of header.sets) lines.push(`- \`${setText(set, header.secretKeys)}\``);
    lines.push("");
    const total = diff.added.length + diff.removed.length + diff.changed.length;
    lines.push(`${diff.added.length} to add, ${diff.changed.length} to change, ${diff.removed.length} to remove, ${diff.unchanged} unchanged.`, "");

    lines.push("## Node groups that would roll", "");
    if (diff.rolls.length === 0) lines.push("None: no launch template input changed, so no group starts an instance refresh.");
    for (const roll of diff.rolls) {
        lines.push(
            `- **${roll.role ?? roll.group}** (\`${roll.group}\`, launch template \`${roll.launchTemplate}\`) rolls: a new template version and an instance refresh, because of`,
        );
        for (const cause of roll.causes) {
            const values = cause.before !== undefined || cause.after !== undefined ? `: ${cause.before ?? "(none)"} → ${cause.after ?? "(none)"}` : "";
            lines.push(`  - ${cause.what} (\`${cause.input}\`)${values}`);
        }
    }
    for (const group of diff.steady) lines.push(`- \`${group}\` does not roll (its launch template is unchanged)`);
    lines.push("");

    if (total === 0) {
        lines.push("No resource would change.");
        return lines.join("\n") + "\n";
    }
    if (diff.added.length > 0) {
        lines.push("## Added", "");
        for (const r of diff.added) lines.push(`- \`${r.type}\` \`${r.name}\``);
        lines.push("");
    }
    if (diff.removed.length > 0) {
        lines.push("## Removed", "");
        for (const r of diff.removed) lines.push(`- \`${r.type}\` \`${r.name}\``);
        lines.push("");
    }
    if (diff.changed.length > 0) {
        lines.push("## Changed inputs", "");
        for (const r of diff.changed) {
            lines.push(`- \`${r.type}\` \`${r.name}\``);
            for (const c of r.changes) lines.push(`  - ${change(c)}`);
        }
        lines.push("");
    }
    if (diff.ignored.length > 0) {
        lines.push("## Not changed: inputs the resource's ignoreChanges names", "");
        lines.push("The engine keeps the deployed value of these on update (a group's `desiredCapacity` belongs to its scaling policy once created).", "");
        for (const r of diff.ignored) lines.push(`- \`${r.type}\` \`${r.name}\`: ${r.changes.map((c) => `\`${c.path}\``).join(", ")} (ignoreChanges)`);
        lines.push("");
    }
    lines.push(
        "Whether a changed input updates a resource in place or replaces it is the provider's decision at `pulumi preview`; this plan lists the inputs.",
    );
    return lines.join("\n") + "\n";
}
