/**
 * Debian's real redis-server the way ElastiCache runs with transit encryption "required" and an
 * AUTH token: TLS only (no plain port), a password, nothing written to disk. For the tests of
 * QueuedTracking's Redis connection and the boot test's queue scenario.
 */
import { execFileSync, spawn, spawnSync } from "child_process";
import { freePort } from "./ports";

export interface TlsRedis {
    port: number;
    /** redis-cli over TLS with the token; its trimmed output. */
    cli(...args: string[]): string;
    /** Raw RESP commands through `redis-cli --pipe` (mass insertion); its summary. */
    pipe(protocol: Buffer): string;
    stop(): void;
}

/** One Redis command in RESP, the protocol redis-cli --pipe sends as it is. */
export function resp(...args: (string | Buffer)[]): Buffer {
    const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
    for (const a of args) {
        const b = typeof a === "string" ? Buffer.from(a) : a;
        parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from("\r\n"));
    }
    return Buffer.concat(parts);
}

/** Starts redis-server with `tls` (its certificate is also the CA clients are given) and `token`; waits until it answers. */
export async function startTlsRedis(tls: { cert: string; key: string }, token: string, dir: string): Promise<TlsRedis> {
    const port = await freePort();
    const server = spawn(
        "redis-server",
        [
            ...["--port", "0", "--tls-port", String(port), "--bind", "127.0.0.1"],
            ...["--tls-cert-file", tls.cert, "--tls-key-file", tls.key, "--tls-ca-cert-file", tls.cert, "--tls-auth-clients", "no"],
            ...["--requirepass", token, "--save", "", "--appendonly", "no", "--dir", dir],
        ],
        { stdio: "ignore" },
    );
    const base = ["--tls", "--cacert", tls.cert, "-h", "127.0.0.1", "-p", String(port), "--no-auth-warning", "-a", token];
    const cli = (...args: string[]) => execFileSync("redis-cli", [...base, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
    const pipe = (protocol: Buffer) => {
        const r = spawnSync("redis-cli", [...base, "--pipe"], { input: protocol, encoding: "utf8" });
        if (r.status !== 0 || !/errors: 0, replies: \d+/.test(r.stdout)) throw new Error(`redis-cli --pipe failed: ${r.stdout}${r.stderr}`);
        return r.stdout.trim();
    };
    for (let i = 0; ; i++) {
        try {
            if (cli("PING") === "PONG") break;
        } catch {
            if (i > 100) {
                server.kill("SIGTERM");
                throw new Error("redis-server did not start");
            }
            await new Promise((r) => setTimeout(r, 100));
        }
    }
    return { port, cli, pipe, stop: () => void server.kill("SIGTERM") };
}
