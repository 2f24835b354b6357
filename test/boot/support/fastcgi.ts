/**
 * A minimal FastCGI client (FastCGI Specification 1.0: records of version 1, one responder
 * request): the boot test asks a node's php-fpm pool directly over its unix socket, so a script
 * that reports PHP's own state (opcache) runs in the pool without any route in nginx.
 */
import { connect } from "net";

const VERSION = 1;
const BEGIN_REQUEST = 1;
const END_REQUEST = 3;
const PARAMS = 4;
const STDIN = 5;
const STDOUT = 6;
const RESPONDER = 1;
const REQUEST_ID = 1;

function record(type: number, content: Buffer): Buffer {
    const header = Buffer.alloc(8);
    header.writeUInt8(VERSION, 0);
    header.writeUInt8(type, 1);
    header.writeUInt16BE(REQUEST_ID, 2);
    header.writeUInt16BE(content.length, 4);
    return Buffer.concat([header, content]);
}

function length(n: number): Buffer {
    if (n < 128) return Buffer.from([n]);
    const b = Buffer.alloc(4);
    b.writeUInt32BE((n | 0x80000000) >>> 0, 0);
    return b;
}

function params(values: Record<string, string>): Buffer {
    return Buffer.concat(
        Object.entries(values).map(([k, v]) => Buffer.concat([length(Buffer.byteLength(k)), length(Buffer.byteLength(v)), Buffer.from(k), Buffer.from(v)])),
    );
}

/** Runs SCRIPT_FILENAME in the pool behind `socket`; resolves with the response (headers and body). */
export function fastcgiGet(socket: string, scriptFilename: string): Promise<string> {
    return new Promise((resolve, reject) => {
        const begin = Buffer.alloc(8);
        begin.writeUInt16BE(RESPONDER, 0);
        const conn = connect(socket);
        let buffered = Buffer.alloc(0);
        let stdout = "";
        conn.on("connect", () => {
            conn.write(
                Buffer.concat([
                    record(BEGIN_REQUEST, begin),
                    record(PARAMS, params({ SCRIPT_FILENAME: scriptFilename, REQUEST_METHOD: "GET", SERVER_PROTOCOL: "HTTP/1.1", QUERY_STRING: "" })),
                    record(PARAMS, Buffer.alloc(0)),
                    record(STDIN, Buffer.alloc(0)),
                ]),
            );
        });
        conn.on("data", (chunk: Buffer) => {
            buffered = Buffer.concat([buffered, chunk]);
            while (buffered.length >= 8) {
                const contentLength = buffered.readUInt16BE(4);
                const total = 8 + contentLength + buffered.readUInt8(6);
                if (buffered.length < total) break;
                const type = buffered.readUInt8(1);
                if (type === STDOUT) stdout += buffered.subarray(8, 8 + contentLength).toString("utf8");
                buffered = buffered.subarray(total);
                if (type === END_REQUEST) {
                    conn.end();
                    resolve(stdout);
                    return;
                }
            }
        });
        conn.on("error", reject);
        conn.setTimeout(30_000, () => conn.destroy(new Error(`no FastCGI answer from ${socket} within 30 s`)));
    });
}
