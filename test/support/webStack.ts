/**
 * A node's web stack on this machine: Debian's nginx with a rendered site and Debian's php-fpm
 * with a rendered pool and php.ini, on a loopback port, over a document root the caller fills.
 * The rendered text is used as written; only the node's paths (document root, FPM socket, health
 * script) are pointed at a temporary directory. Needs root (the pool runs as www-data, as on a node).
 */
import { spawnSync } from "child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "fs";
import { request } from "http";
import { freePort } from "./ports";
import { tmpdir } from "os";
import { join } from "path";
import { LIB_DIR, MATOMO_ROOT, PHP_FPM_SOCKET } from "../../lib/provision/paths";
import { INSTALLER_GATE_PATH } from "../../lib/provision/installerGate";
import { requireRoot, requireTools } from "./tools";

export interface Response {
    status: number;
    /** Raw header lines as received, so a header sent twice shows twice. */
    rawHeaders: [string, string][];
    body: string;
    ms: number;
}

export interface WebStack {
    port: number;
    /** The document root, readable by www-data. */
    root: string;
    /** Every log file the stack writes (nginx's access and error logs, php-fpm's), name → text. */
    logs(): Record<string, string>;
    /**
     * The logs once `ready` holds for them (at most 30 s): nginx writes a request's access-log line
     * after it sent the response, so a client that reads the log at once may come first on a busy machine.
     */
    logsWhen(ready: (logs: Record<string, string>) => boolean): Promise<Record<string, string>>;
    /** Stop php-fpm (as a restart or crash leaves nginx without its upstream). */
    stopPhp(): Promise<void>;
    /** pids of php-fpm's workers (not the master). */
    workerPids(): number[];
    /** Sum of the workers' resident memory, in KiB. */
    workersRssKib(): number;
    request(path: string, options?: { method?: string; headers?: Record<string, string>; body?: string; agent?: import("http").Agent }): Promise<Response>;
    stop(): Promise<void>;
}

export { freePort };

/** Header values (lower-cased name) in the order received. */
export function headerValues(r: Response, name: string): string[] {
    return r.rawHeaders.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
}

function rawRequest(port: number, path: string, options: Parameters<WebStack["request"]>[1] = {}): Promise<Response> {
    const started = process.hrtime.bigint();
    return new Promise((resolve, reject) => {
        const req = request(
            {
                host: "127.0.0.1",
                port,
                path,
                method: options.method ?? "GET",
                headers: { Host: "analytics.example.com", ...options.headers },
                agent: options.agent,
                timeout: 30_000,
            },
            (res) => {
                const chunks: Buffer[] = [];
                res.on("data", (c: Buffer) => chunks.push(c));
                res.on("end", () => {
                    const raw = res.rawHeaders;
                    const rawHeaders: [string, string][] = [];
                    for (let i = 0; i < raw.length; i += 2) rawHeaders.push([raw[i], raw[i + 1]]);
                    resolve({
                        status: res.statusCode ?? 0,
                        rawHeaders,
                        body: Buffer.concat(chunks).toString("utf8"),
                        ms: Number(process.hrtime.bigint() - started) / 1e6,
                    });
                });
            },
        );
        req.on("error", reject);
        req.on("timeout", () => req.destroy(new Error(`timeout: ${path}`)));
        req.end(options.body);
    });
}

function childrenOf(pid: number): number[] {
    const kids: number[] = [];
    for (const entry of readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        try {
            const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
            const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
            if (ppid === pid) kids.push(Number(entry));
        } catch {
            /* exited meanwhile */
        }
    }
    return kids;
}

export function rssKib(pid: number): number {
    try {
        const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
        return m ? Number(m[1]) : 0;
    } catch {
        return 0;
    }
}

export interface WebStackOptions {
    /** The rendered nginx site (renderNginxSite). */
    site: string;
    /** The rendered pool with sizes filled in. */
    pool: string;
    /** The rendered php.ini overrides for FPM (renderFpmIni). */
    fpmIni: string;
    /** Body of the health script (default: prints "ok"). */
    health?: string;
    /** The ui site's installer gate (renderInstallerGate); default open (empty), as on a ready node. */
    installerGate?: string;
}

export async function startWebStack(options: WebStackOptions): Promise<WebStack> {
    requireRoot("the pool runs as www-data, as on a node");
    requireTools("nginx", "php-fpm8.2");
    const dir = mkdtempSync(join(tmpdir(), "matomo-web-"));
    chmodSync(dir, 0o755);
    const root = join(dir, "www");
    mkdirSync(root);
    mkdirSync(join(dir, "logs"));
    mkdirSync(join(dir, "conf.d"));
    const socket = join(dir, "fpm.sock");
    const port = await freePort();
    const site = options.site
        .replaceAll(`unix:${PHP_FPM_SOCKET}`, `unix:${socket}`)
        .replaceAll(`${LIB_DIR}/health.php`, `${dir}/health.php`)
        .replaceAll(`root ${MATOMO_ROOT};`, `root ${root};`)
        .replaceAll(`include ${INSTALLER_GATE_PATH};`, `include ${dir}/installer-gate.conf;`)
        .replaceAll("/var/log/nginx/", `${dir}/logs/`)
        .replace(/listen \d+ default_server;/, `listen 127.0.0.1:${port} default_server;`);
    writeFileSync(join(dir, "site.conf"), site);
    writeFileSync(join(dir, "installer-gate.conf"), options.installerGate ?? "");
    writeFileSync(join(dir, "health.php"), options.health ?? '<?php echo "ok\\n";\n');
    copyFileSync("/etc/nginx/mime.types", join(dir, "mime.types"));
    // As Debian's nginx.conf: an access log in the default (combined) format and the error log at
    // its default level, so what the site leaves to them shows here as it would on a node.
    writeFileSync(
        join(dir, "nginx.conf"),
        `user www-data;\nworker_processes 1;\npid ${dir}/nginx.pid;\nerror_log ${dir}/logs/error.log;\nevents { worker_connections 1024; }\n` +
            `http {\n    include mime.types;\n    default_type application/octet-stream;\n    access_log ${dir}/logs/access.log;\n    client_body_temp_path ${dir}/body;\n    fastcgi_temp_path ${dir}/fastcgi;\n    include ${dir}/site.conf;\n}\n`,
    );
    writeFileSync(join(dir, "pool.conf"), options.pool.replaceAll(`listen = ${PHP_FPM_SOCKET}`, `listen = ${socket}`));
    writeFileSync(join(dir, "php-fpm.conf"), `[global]\npid = ${dir}/fpm.pid\nerror_log = ${dir}/logs/fpm.log\ninclude = ${dir}/pool.conf\n`);
    writeFileSync(join(dir, "conf.d", "90-matomo.ini"), options.fpmIni);

    const env = { ...process.env, PHP_INI_SCAN_DIR: `:${join(dir, "conf.d")}` };
    const fpm = spawnSync("php-fpm8.2", ["--daemonize", "-y", join(dir, "php-fpm.conf")], { encoding: "utf8", env });
    if (fpm.status !== 0) throw new Error(`php-fpm did not start: ${fpm.stdout}${fpm.stderr}`);
    const ngx = spawnSync("nginx", ["-p", dir, "-c", join(dir, "nginx.conf")], { encoding: "utf8" });
    if (ngx.status !== 0) throw new Error(`nginx did not start: ${ngx.stdout}${ngx.stderr}`);

    const pidOf = (file: string) => Number(readFileSync(join(dir, file), "utf8").trim());
    const deadline = Date.now() + 10_000;
    while (!existsSync(join(dir, "fpm.pid")) || !existsSync(join(dir, "nginx.pid")) || !existsSync(socket)) {
        if (Date.now() > deadline) throw new Error(`web stack did not come up: ${readFileSync(join(dir, "logs", "error.log"), "utf8")}`);
        await new Promise((r) => setTimeout(r, 50));
    }
    const fpmMaster = pidOf("fpm.pid");
    const logs = () => Object.fromEntries(readdirSync(join(dir, "logs")).map((f) => [f, readFileSync(join(dir, "logs", f), "utf8")]));
    return {
        port,
        root,
        workerPids: () => childrenOf(fpmMaster),
        workersRssKib: () => childrenOf(fpmMaster).reduce((sum, pid) => sum + rssKib(pid), 0),
        request: (path, o) => rawRequest(port, path, o),
        async stopPhp() {
            process.kill(fpmMaster, "SIGTERM");
            const until = Date.now() + 10_000;
            while (existsSync(socket) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
        },
        logs,
        logsWhen: async (ready) => {
            for (const deadline = Date.now() + 30_000; !ready(logs()) && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 50));
            return logs();
        },
        async stop() {
            for (const file of ["nginx.pid", "fpm.pid"]) {
                try {
                    process.kill(pidOf(file), "SIGQUIT");
                } catch {
                    /* already gone */
                }
            }
            const until = Date.now() + 10_000;
            while ((existsSync(join(dir, "nginx.pid")) || existsSync(join(dir, "fpm.pid"))) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
            rmSync(dir, { recursive: true, force: true });
        },
    };
}
