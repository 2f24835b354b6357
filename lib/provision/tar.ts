/**
 * A POSIX ustar archive writer (and the small reader the plan lists bundles with): regular files
 * only, every header field fixed but name, mode and size, so equal entries give equal bytes.
 *
 * Format: IEEE Std 1003.1 (POSIX) "pax" utility, "ustar Interchange Format": 512-byte header
 * blocks, octal numeric fields, the checksum computed with its own field read as spaces, data
 * padded to 512 bytes, two zero blocks at the end, the archive padded to a whole record of 20
 * blocks (the default blocking factor). Pure: no I/O.
 */

/** What one archived file carries; owner, group and time are fixed (see `TAR_FIXED`). */
export interface TarEntry {
    /** Relative path, `/`-separated, ASCII, no `..` segment. */
    path: string;
    /** Permission bits, e.g. 0o644. */
    mode: number;
    content: Buffer;
}

/** The header fields every entry shares: root-owned, dated 1970-01-01 (mtime 0). */
export const TAR_FIXED = { uid: 0, gid: 0, uname: "root", gname: "root", mtime: 0 } as const;

const BLOCK = 512;
const RECORD = 20 * BLOCK;

/** `value` in octal, zero-padded to `width - 1` digits and NUL-terminated, as ustar's numeric fields. */
function octal(value: number, width: number): string {
    const digits = value.toString(8);
    if (digits.length > width - 1) throw new Error(`tar: ${value} does not fit a ${width}-byte field`);
    return digits.padStart(width - 1, "0") + "\0";
}

/** ustar stores a path over 100 bytes as prefix (≤ 155) + "/" + name (≤ 100), split at a slash. */
function splitPath(path: string): { prefix: string; name: string } {
    if (path.length <= 100) return { prefix: "", name: path };
    for (let i = path.lastIndexOf("/"); i > 0; i = path.lastIndexOf("/", i - 1)) {
        if (i <= 155 && path.length - i - 1 <= 100) return { prefix: path.slice(0, i), name: path.slice(i + 1) };
    }
    throw new Error(`tar: path too long for ustar: ${path}`);
}

function header(entry: TarEntry): Buffer {
    const { path, mode, content } = entry;
    // Printable ASCII without spaces, so every tar reads the name alike; relative, nothing climbing out.
    if (!/^[!-~]+$/.test(path) || path.startsWith("/") || path.split("/").some((s) => s === "" || s === "." || s === "..")) {
        throw new Error(`tar: refusing path ${JSON.stringify(path)} (relative, printable ASCII, no ..)`);
    }
    if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) throw new Error(`tar: bad mode ${mode} for ${path}`);
    const { prefix, name } = splitPath(path);
    const h = Buffer.alloc(BLOCK, 0);
    const put = (offset: number, text: string) => h.write(text, offset, "ascii");
    put(0, name);
    put(100, octal(mode, 8));
    put(108, octal(TAR_FIXED.uid, 8));
    put(116, octal(TAR_FIXED.gid, 8));
    put(124, octal(content.length, 12));
    put(136, octal(TAR_FIXED.mtime, 12));
    put(148, " ".repeat(8)); // the checksum is summed with its own field as spaces
    put(156, "0"); // regular file
    put(257, "ustar\0");
    put(263, "00");
    put(265, TAR_FIXED.uname);
    put(297, TAR_FIXED.gname);
    put(329, octal(0, 8)); // devmajor
    put(337, octal(0, 8)); // devminor
    put(345, prefix);
    let sum = 0;
    for (const byte of h) sum += byte;
    put(148, sum.toString(8).padStart(6, "0") + "\0 ");
    return h;
}

/** The archive of `entries`, in the order given (callers sort when order must not matter). */
export function writeUstar(entries: readonly TarEntry[]): Buffer {
    const seen = new Set<string>();
    const parts: Buffer[] = [];
    for (const entry of entries) {
        if (seen.has(entry.path)) throw new Error(`tar: ${entry.path} twice`);
        seen.add(entry.path);
        parts.push(header(entry), entry.content, Buffer.alloc((BLOCK - (entry.content.length % BLOCK)) % BLOCK));
    }
    parts.push(Buffer.alloc(2 * BLOCK));
    const length = parts.reduce((n, p) => n + p.length, 0);
    parts.push(Buffer.alloc((RECORD - (length % RECORD)) % RECORD));
    return Buffer.concat(parts);
}

/** Path, mode, size and bytes of each file in a ustar archive this module wrote (for listings). */
export function listUstar(archive: Buffer): (TarEntry & { size: number })[] {
    const out: (TarEntry & { size: number })[] = [];
    const field = (h: Buffer, offset: number, length: number) =>
        h
            .subarray(offset, offset + length)
            .toString("ascii")
            .replace(/\0.*$/s, "");
    for (let offset = 0; offset + BLOCK <= archive.length;) {
        const h = archive.subarray(offset, offset + BLOCK);
        if (h.every((b) => b === 0)) break;
        if (field(h, 257, 6) !== "ustar") throw new Error(`tar: no ustar header at byte ${offset}`);
        const prefix = field(h, 345, 155);
        const size = parseInt(field(h, 124, 12), 8);
        out.push({
            path: (prefix ? `${prefix}/` : "") + field(h, 0, 100),
            mode: parseInt(field(h, 100, 8), 8),
            size,
            content: archive.subarray(offset + BLOCK, offset + BLOCK + size),
        });
        offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    }
    return out;
}
