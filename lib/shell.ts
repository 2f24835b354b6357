/** Shell quoting, in one place: provision.env, the bake component and the importer's printed commands all quote with it. */

/** One single-quoted POSIX shell word. A NUL or line break cannot stand in one, so it is refused. */
export function shellQuote(value: string): string {
    if (/[\0\r\n]/.test(value)) throw new Error("a shell word must be single-line (no NUL, CR or LF)");
    return `'${value.replace(/'/g, `'\\''`)}'`;
}
