/**
 * A tiny SMTP server on 127.0.0.1 that catches what a node sends: enough of RFC 5321 for one
 * message, STARTTLS (RFC 3207) with the stand-in certificate, and AUTH PLAIN / AUTH LOGIN
 * (RFC 4954), which it refuses before TLS as a real submission server does. It records how the
 * client talked, so the test can check the node used exactly the `[mail]` settings it was given.
 */
import { readFileSync } from "fs";
import { createServer, type AddressInfo, type Socket } from "net";
import { TLSSocket } from "tls";

export interface CaughtMessage {
    /** STARTTLS was negotiated before AUTH and MAIL. */
    tls: boolean;
    mechanism: string;
    username: string;
    password: string;
    from: string;
    to: string[];
    data: string;
}

export interface SmtpCatcher {
    port: number;
    messages: CaughtMessage[];
    /** Every command line clients sent, AUTH payloads replaced by `[credentials]` (they are secrets). */
    transcript: string[];
    close(): Promise<void>;
}

export async function startSmtpCatcher(tls: { cert: string; key: string }, accept: { username: string; password: string }): Promise<SmtpCatcher> {
    const messages: CaughtMessage[] = [];
    const transcript: string[] = [];
    const sockets = new Set<Socket>();
    const server = createServer((raw) => {
        sockets.add(raw);
        raw.on("close", () => sockets.delete(raw));
        let socket: Socket = raw;
        let buffer = "";
        let state: "command" | "auth-login-user" | "auth-login-pass" | "data" = "command";
        const message: Partial<CaughtMessage> & { to: string[] } = { tls: false, to: [] };
        let authenticated = false;
        let dataLines: string[] = [];
        const reply = (line: string) => socket.write(`${line}\r\n`);
        const ehlo = () => {
            const caps = message.tls ? ["AUTH PLAIN LOGIN"] : ["STARTTLS"];
            reply(`250-smtp-catcher.boot-test greets you`);
            caps.forEach((c, i) => reply(`250${i === caps.length - 1 ? " " : "-"}${c}`));
        };
        const login = (mechanism: string, username: string, password: string) => {
            message.mechanism = mechanism;
            message.username = username;
            message.password = password;
            authenticated = username === accept.username && password === accept.password;
            reply(authenticated ? "235 2.7.0 Authentication successful" : "535 5.7.8 Authentication credentials invalid");
        };
        const onLine = (line: string) => {
            if (state === "data") {
                if (line === ".") {
                    message.data = dataLines.join("\n");
                    messages.push({ ...(message as CaughtMessage) });
                    state = "command";
                    reply("250 2.0.0 caught");
                } else {
                    dataLines.push(line.startsWith("..") ? line.slice(1) : line);
                }
                return;
            }
            if (state === "auth-login-user") {
                message.username = Buffer.from(line, "base64").toString("utf8");
                state = "auth-login-pass";
                transcript.push("[credentials]");
                return reply("334 UGFzc3dvcmQ6");
            }
            if (state === "auth-login-pass") {
                state = "command";
                transcript.push("[credentials]");
                return login("LOGIN", message.username ?? "", Buffer.from(line, "base64").toString("utf8"));
            }
            const [verb, ...rest] = line.split(" ");
            const arg = rest.join(" ");
            const command = verb.toUpperCase();
            transcript.push(command === "AUTH" ? `AUTH ${rest[0] ?? ""} [credentials]` : line);
            switch (command) {
                case "EHLO":
                    return ehlo();
                case "HELO":
                    return reply("250 smtp-catcher.boot-test");
                case "STARTTLS": {
                    if (message.tls) return reply("503 5.5.1 TLS already active");
                    reply("220 2.0.0 Ready to start TLS");
                    raw.removeAllListeners("data");
                    const secure = new TLSSocket(raw, { isServer: true, cert: readFileSync(tls.cert), key: readFileSync(tls.key) });
                    socket = secure;
                    message.tls = true;
                    buffer = "";
                    secure.on("data", onData);
                    secure.on("error", () => raw.destroy());
                    return;
                }
                case "AUTH": {
                    if (!message.tls) return reply("530 5.7.0 Must issue a STARTTLS command first");
                    const mechanism = (rest[0] ?? "").toUpperCase();
                    if (mechanism === "LOGIN") {
                        if (rest[1] !== undefined) {
                            message.username = Buffer.from(rest[1], "base64").toString("utf8");
                            state = "auth-login-pass";
                            return reply("334 UGFzc3dvcmQ6");
                        }
                        state = "auth-login-user";
                        return reply("334 VXNlcm5hbWU6");
                    }
                    if (mechanism === "PLAIN" && rest[1] !== undefined) {
                        const [, username, password] = Buffer.from(rest[1], "base64").toString("utf8").split("\0");
                        return login("PLAIN", username ?? "", password ?? "");
                    }
                    return reply("504 5.5.4 Unrecognized authentication type");
                }
                case "MAIL":
                    if (!authenticated) return reply("530 5.7.0 Authentication required");
                    message.from = /<([^>]*)>/.exec(arg)?.[1] ?? "";
                    return reply("250 2.1.0 Ok");
                case "RCPT":
                    message.to.push(/<([^>]*)>/.exec(arg)?.[1] ?? "");
                    return reply("250 2.1.5 Ok");
                case "DATA":
                    state = "data";
                    dataLines = [];
                    return reply("354 End data with <CR><LF>.<CR><LF>");
                case "RSET":
                case "NOOP":
                    return reply("250 2.0.0 Ok");
                case "QUIT":
                    reply("221 2.0.0 Bye");
                    return void socket.end();
                default:
                    return reply("502 5.5.2 Command not recognized");
            }
        };
        function onData(chunk: Buffer) {
            buffer += chunk.toString("utf8");
            let end: number;
            while ((end = buffer.indexOf("\r\n")) >= 0) {
                const line = buffer.slice(0, end);
                buffer = buffer.slice(end + 2);
                onLine(line);
            }
        }
        raw.on("data", onData);
        raw.on("error", () => undefined);
        reply("220 smtp-catcher.boot-test ESMTP stand-in");
    });
    const port = await new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
    return {
        port,
        messages,
        transcript,
        close: () =>
            new Promise<void>((resolve) => {
                for (const s of sockets) s.destroy();
                server.close(() => resolve());
            }),
    };
}
