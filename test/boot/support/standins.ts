/**
 * Stand-ins for the things the boot test cannot reach: Matomo's release archive
 * (builds.matomo.org), AWS Secrets Manager, S3 (the provisioning bundles) and CloudWatch's metrics
 * endpoint. All listen on 127.0.0.1 only, which the chroot shares with the host. Everything they
 * serve is labelled as a stand-in.
 */
import { execFileSync } from "child_process";
import { createHash } from "crypto";
import { readFileSync } from "fs";
import { createServer as createHttpServer, type Server } from "http";
import { createServer as createHttpsServer } from "https";
import type { AddressInfo } from "net";
import { join } from "path";
import { gunzipSync } from "zlib";

export interface Running {
    url: string;
    close(): Promise<void>;
}

function close(server: Server): Promise<void> {
    return new Promise((resolve) => server.close(() => resolve()));
}

function listen(server: Server): Promise<number> {
    return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

/** Pack test/boot/standin-matomo as `matomo/…` in a reproducible tar.gz; returns its bytes and sha256. */
export function packStandinRelease(standinDir: string, outFile: string): { sha256: string } {
    execFileSync("tar", [
        "--sort=name",
        "--owner=0",
        "--group=0",
        "--numeric-owner",
        "--mtime=@0",
        "-C",
        join(standinDir, ".."),
        "--transform",
        `s,^${standinDir.split("/").pop()},matomo,`,
        "-czf",
        outFile,
        standinDir.split("/").pop() as string,
    ]);
    return { sha256: createHash("sha256").update(readFileSync(outFile)).digest("hex") };
}

/** A throwaway self-signed certificate for 127.0.0.1. */
export function makeCertificate(dir: string): { cert: string; key: string } {
    const cert = join(dir, "standin-cert.pem");
    const key = join(dir, "standin-key.pem");
    execFileSync(
        "openssl",
        [
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            key,
            "-out",
            cert,
        ],
        { stdio: "ignore" },
    );
    return { cert, key };
}

/**
 * HTTPS server with the stand-in release at /<name>; counts downloads; `serve` swaps the file
 * (tampering tests); `add` serves one more file (a second release, stand-in plugin archives) at
 * /<its name> and returns its URL, with its own count in `downloadsOf`. `serveOther(path, file)`
 * does the same without a URL (a stand-in location database; `undefined` answers 404 again);
 * `otherRequests` lists every request for anything but the release.
 */
export async function startReleaseServer(
    tls: { cert: string; key: string },
    name: string,
    file: string,
): Promise<
    Running & {
        downloads: () => number;
        serve: (path: string) => void;
        add: (name: string, path: string) => string;
        downloadsOf: (name: string) => number;
        serveOther: (path: string, file: string | undefined) => void;
        otherRequests: string[];
    }
> {
    let served = file;
    const extra = new Map<string, string>();
    const counts = new Map<string, number>();
    const otherRequests: string[] = [];
    const server = createHttpsServer({ cert: readFileSync(tls.cert), key: readFileSync(tls.key) }, (req, res) => {
        const path = (req.url ?? "").slice(1);
        if (path !== name) otherRequests.push(req.url ?? "");
        const body = path === name ? served : extra.get(path);
        if (body !== undefined) {
            counts.set(path, (counts.get(path) ?? 0) + 1);
            res.writeHead(200, { "Content-Type": path === name || path.endsWith(".gz") ? "application/gzip" : "application/zip" });
            res.end(readFileSync(body));
        } else {
            res.writeHead(404);
            res.end("stand-in release server: not found\n");
        }
    });
    const port = await listen(server);
    const base = `https://127.0.0.1:${port}`;
    return {
        url: `${base}/${name}`,
        close: () => close(server),
        downloads: () => counts.get(name) ?? 0,
        serve: (path) => (served = path),
        add: (extraName, path) => (extra.set(extraName, path), `${base}/${extraName}`),
        downloadsOf: (extraName) => counts.get(extraName) ?? 0,
        serveOther: (path, f) => (f === undefined ? extra.delete(path) : extra.set(path, f)),
        otherRequests,
    };
}

/**
 * Answers the one Secrets Manager call nodes make, GetSecretValue (JSON 1.1 protocol, as the AWS
 * CLI sends it). Request signatures are not checked: the stand-in holds no AWS credentials.
 */
export async function startSecretsManager(secrets: Record<string, string>): Promise<Running & { requests: string[] }> {
    const requests: string[] = [];
    const server = createHttpServer((req, res) => {
        let body = "";
        req.on("data", (chunk: Buffer) => (body += chunk.toString()));
        req.on("end", () => {
            const target = String(req.headers["x-amz-target"] ?? "");
            let secretId = "";
            try {
                secretId = String((JSON.parse(body) as { SecretId?: string }).SecretId ?? "");
            } catch {
                /* answered below */
            }
            requests.push(`${target} ${secretId}`);
            const send = (status: number, payload: unknown) => {
                res.writeHead(status, { "Content-Type": "application/x-amz-json-1.1" });
                res.end(JSON.stringify(payload));
            };
            if (req.method !== "POST" || target !== "secretsmanager.GetSecretValue") {
                send(400, { __type: "InvalidRequestException", message: `stand-in Secrets Manager only answers GetSecretValue, not ${target}` });
            } else if (!(secretId in secrets)) {
                send(400, { __type: "ResourceNotFoundException", message: `stand-in Secrets Manager: no secret ${secretId}` });
            } else {
                send(200, {
                    ARN: secretId,
                    Name: secretId.split(":").pop(),
                    SecretString: secrets[secretId],
                    VersionId: "00000000-0000-0000-0000-000000000001",
                    VersionStages: ["AWSCURRENT"],
                    CreatedDate: 1700000000,
                });
            }
        });
    });
    const port = await listen(server);
    return { url: `http://127.0.0.1:${port}`, close: () => close(server), requests };
}

/** One PutMetricData datum as the stand-in received it. */
export interface ReceivedMetric {
    namespace: string;
    name: string;
    value: number;
    unit: string;
    dimensions: Record<string, string>;
}

/**
 * STAND-IN for Amazon CloudWatch's metrics endpoint: answers PutMetricData in the query protocol
 * the AWS CLI of Debian 12 (awscli 2.9) sends for CloudWatch (form-encoded `Action=PutMetricData`,
 * `MetricData.member.N.*`; the response is the API's XML). Signatures are not checked.
 */
export async function startCloudWatch(): Promise<Running & { metrics: ReceivedMetric[]; requests: string[] }> {
    const metrics: ReceivedMetric[] = [];
    const requests: string[] = [];
    const server = createHttpServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", () => {
            let raw = Buffer.concat(chunks);
            if (req.headers["content-encoding"] === "gzip") raw = gunzipSync(raw);
            const form = new URLSearchParams(raw.toString("utf8"));
            const action = form.get("Action") ?? "";
            // "POST PutMetricData" from the publisher; "GET /" from a node's reach probe, which asks
            // each host's root page before provisioning (matomo-reach.sh).
            requests.push(req.method === "POST" ? `POST ${action}` : `${req.method} ${req.url}`);
            if (req.method !== "POST" || action !== "PutMetricData") {
                res.writeHead(400, { "Content-Type": "text/xml" });
                res.end(
                    `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>stand-in CloudWatch only answers PutMetricData, not ${action}</Message></Error></ErrorResponse>`,
                );
                return;
            }
            for (let i = 1; form.has(`MetricData.member.${i}.MetricName`); i++) {
                const p = `MetricData.member.${i}`;
                const dimensions: Record<string, string> = {};
                for (let j = 1; form.has(`${p}.Dimensions.member.${j}.Name`); j++)
                    dimensions[form.get(`${p}.Dimensions.member.${j}.Name`)!] = form.get(`${p}.Dimensions.member.${j}.Value`) ?? "";
                metrics.push({
                    namespace: form.get("Namespace") ?? "",
                    name: form.get(`${p}.MetricName`)!,
                    value: Number(form.get(`${p}.Value`)),
                    unit: form.get(`${p}.Unit`) ?? "",
                    dimensions,
                });
            }
            res.writeHead(200, { "Content-Type": "text/xml" });
            res.end(
                '<PutMetricDataResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000002</RequestId></ResponseMetadata></PutMetricDataResponse>',
            );
        });
    });
    const port = await listen(server);
    return { url: `http://127.0.0.1:${port}`, close: () => close(server), metrics, requests };
}

/** One stored object version in the stand-in S3. */
interface StoredVersion {
    versionId: string;
    body: Buffer;
}

/**
 * STAND-IN for the one S3 call nodes make: GetObject of a bucket's object by key and version id
 * (`aws s3api get-object --version-id`, REST `GET /<bucket>/<key>?versionId=…` path-style, as the
 * AWS CLI addresses an IP endpoint). A versioned bucket as S3 keeps one: `put` adds a new version
 * with a new id and never changes an old one; a GET names a version and gets exactly it (without
 * `versionId`, the newest). Errors as S3 answers them: NoSuchKey / NoSuchVersion (404, XML body).
 * Request signatures are not checked: the stand-in holds no AWS credentials.
 */
export async function startS3(): Promise<Running & { put: (bucket: string, key: string, body: Buffer) => string; requests: string[] }> {
    const store = new Map<string, StoredVersion[]>();
    const requests: string[] = [];
    let counter = 0;
    const server = createHttpServer((req, res) => {
        const url = new URL(req.url ?? "/", "http://stand-in");
        const [bucket, ...rest] = url.pathname.slice(1).split("/");
        const key = decodeURIComponent(rest.join("/"));
        const versionId = url.searchParams.get("versionId");
        requests.push(`${req.method ?? "?"} ${bucket}/${key}${versionId === null ? "" : ` versionId=${versionId}`}`);
        const error = (status: number, code: string, message: string) => {
            res.writeHead(status, { "Content-Type": "application/xml" });
            res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>stand-in S3: ${message}</Message><Key>${key}</Key></Error>`);
        };
        const versions = store.get(`${bucket}/${key}`);
        if (req.method !== "GET") return error(405, "MethodNotAllowed", `only GetObject, not ${req.method ?? "?"}`);
        if (!versions) return error(404, "NoSuchKey", "The specified key does not exist.");
        const found = versionId === null ? versions[versions.length - 1] : versions.find((v) => v.versionId === versionId);
        if (!found) return error(404, "NoSuchVersion", "The specified version does not exist.");
        res.writeHead(200, {
            "Content-Type": "application/gzip",
            "Content-Length": String(found.body.length),
            ETag: `"${createHash("md5").update(found.body).digest("hex")}"`,
            "Last-Modified": new Date(0).toUTCString(),
            "x-amz-version-id": found.versionId,
        });
        res.end(found.body);
    });
    const port = await listen(server);
    return {
        url: `http://127.0.0.1:${port}`,
        close: () => close(server),
        requests,
        put: (bucket, key, body) => {
            // Opaque ids with the + and / that real S3 version ids carry, so quoting is exercised.
            const versionId = `standin+${++counter}/${createHash("sha256").update(body).digest("base64").slice(0, 24)}`;
            store.set(`${bucket}/${key}`, [...(store.get(`${bucket}/${key}`) ?? []), { versionId, body }]);
            return versionId;
        },
    };
}
