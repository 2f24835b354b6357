/** A provisioning bundle as a reviewer reads it: the plan's bundle/<role>.txt and the golden files (test/golden/). */
import { createHash } from "crypto";
import { gunzipSync } from "zlib";
import { listUstar } from "../provision";

/** Hex digits of each file's sha256 in the listing: enough to tell versions apart, short enough to read. */
const FILE_HASH_DIGITS = 12;

function sha256Hex(bytes: Buffer): string {
    return createHash("sha256").update(bytes).digest("hex");
}

export interface BundleListing {
    /** Header (key, sha256, sizes) and one line per file: mode, bytes, the start of its sha256, path on the node. */
    text: string;
    /** One line: sizes and sha256, for the plan's summary. */
    summary: string;
}

/** The listing of `content`, the tar.gz stored at `key` (the bucket is named `<bucket>`: it varies per stack). */
export function renderBundleListing(role: string, key: string, content: Buffer): BundleListing {
    const entries = listUstar(gunzipSync(content));
    const unpacked = entries.reduce((n, e) => n + e.size, 0);
    const sha256 = sha256Hex(content);
    const lines = [
        `# ${role} provisioning bundle: s3://<bucket>/${key}, sha256 ${sha256}`,
        `# ${content.length} bytes gzip, ${entries.length} files, ${unpacked} bytes unpacked`,
        // A file's own hash shows in a diff which file changed, even when its size did not.
        ...entries.map(
            (e) => `${e.mode.toString(8).padStart(4, "0")} ${String(e.size).padStart(7)} ${sha256Hex(e.content).slice(0, FILE_HASH_DIGITS)} /${e.path}`,
        ),
    ];
    return {
        text: lines.join("\n") + "\n",
        summary: `${role}: ${content.length} bytes gzip, ${entries.length} files, ${unpacked} bytes unpacked, sha256 ${sha256}`,
    };
}
