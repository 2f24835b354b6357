/** Launch template user data as EC2 carries it, back to text. */
import { gunzipSync } from "zlib";

/** Launch template user data, decoded: base64, then gunzip when cloud-init's gzip form is used. */
export function decodeUserData(base64: string): string {
    const bytes = Buffer.from(base64, "base64");
    return (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString("utf8");
}
