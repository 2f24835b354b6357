/**
 * A `#cloud-config` document of write_files + runcmd, emitted by hand: the structure is fixed
 * and small, and every file body becomes a YAML literal block, so the text stays readable in the
 * plan and in EC2's console. (A YAML library is only a dev dependency; tests parse the result
 * back with one to prove it round-trips.)
 */

export interface WrittenFile {
    path: string;
    /** e.g. `root:root`. */
    owner: string;
    /** Octal, e.g. `0644`. */
    permissions: string;
    content: string;
}

function scalar(value: string): string {
    // Paths, owners and modes only: plain characters, quoted to keep YAML from reading 0644 as a number.
    if (!/^[A-Za-z0-9_./:@ -]+$/.test(value)) throw new Error(`cloud-config: unexpected characters in ${JSON.stringify(value)}`);
    return `'${value}'`;
}

/** A literal block (`|`) at the given indentation, with an explicit indentation indicator and chomping. */
function literalBlock(content: string, indent: number): string {
    // YAML allows any printable character in a block; control characters (but tab and newline) and BOM are not.
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    if (/[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff]/.test(content)) throw new Error("cloud-config: file content has control characters");
    const trailing = /\n*$/.exec(content)?.[0].length ?? 0;
    const chomp = trailing === 0 ? "-" : trailing === 1 ? "" : "+";
    const body = trailing === 0 ? content : content.slice(0, content.length - (trailing === 1 ? 1 : 0));
    const pad = " ".repeat(indent);
    const lines = body.split("\n").map((line) => (line === "" ? "" : pad + line));
    return `|2${chomp}\n${lines.join("\n")}`;
}

export function renderCloudConfig(comment: string[], files: WrittenFile[], runcmd: string[][]): string {
    const out = ["#cloud-config", ...comment.map((c) => `# ${c}`), "write_files:"];
    for (const f of files) {
        out.push(
            `  - path: ${scalar(f.path)}`,
            `    owner: ${scalar(f.owner)}`,
            `    permissions: ${scalar(f.permissions)}`,
            `    content: ${literalBlock(f.content, 6)}`,
        );
    }
    out.push("runcmd:");
    for (const cmd of runcmd) out.push(`  - [${cmd.map(scalar).join(", ")}]`);
    return out.join("\n") + "\n";
}
