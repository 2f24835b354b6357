/**
 * Clean Debian 12 roots for the boot test: one cached debootstrap (scripts/boot/prepare-root.sh),
 * copied per node, with /proc mounted; cloud-init run in it from a NoCloud seed exactly as EC2
 * feeds it user data. Cleanup stops only the processes running inside that root and unmounts.
 */
import { execFileSync, spawn, spawnSync } from "child_process";
import { existsSync, mkdirSync, readdirSync, readlinkSync, rmSync, writeFileSync } from "fs";
import { join, resolve } from "path";

export const REPO_ROOT = resolve(__dirname, "..", "..", "..");
export const CACHE_DIR = join(REPO_ROOT, ".boot-cache");

/**
 * Builds the cached base root if missing, and downloads once the .deb files apt needs to install
 * `packages` on it (the user data's package list). Returns the directory holding those files.
 */
export function ensureBaseRoot(packages: string[]): string {
    const out = execFileSync(join(REPO_ROOT, "scripts", "boot", "prepare-root.sh"), [CACHE_DIR, ...packages], {
        stdio: ["ignore", "pipe", "inherit"],
        encoding: "utf8",
    });
    const lines = out.trimEnd().split("\n");
    const debs = lines.pop() as string;
    if (lines.length > 0) console.log(lines.join("\n"));
    return debs;
}

const mounted = new Set<string>();

/**
 * A fresh copy of the base root. `debs`: .deb files to place in its /var/cache/apt/archives, where
 * apt looks before downloading; hard links, since apt and dpkg only read (or delete) them there.
 */
export function createNodeRoot(name: string, debs?: string): string {
    const root = join(CACHE_DIR, "nodes", name);
    destroyNodeRoot(root);
    mkdirSync(join(CACHE_DIR, "nodes"), { recursive: true });
    execFileSync("cp", ["-a", "--reflink=auto", join(CACHE_DIR, "base"), root]);
    if (debs) {
        const files = readdirSync(debs)
            .filter((f) => f.endsWith(".deb"))
            .map((f) => join(debs, f));
        if (files.length > 0) execFileSync("cp", ["-l", "-t", join(root, "var/cache/apt/archives"), ...files]);
    }
    execFileSync("mount", ["-t", "proc", "proc", join(root, "proc")]);
    mounted.add(root);
    return root;
}

export function seedUserData(root: string, instanceId: string, userData: Buffer): void {
    const seed = join(root, "var/lib/cloud/seed/nocloud");
    mkdirSync(seed, { recursive: true });
    writeFileSync(join(seed, "meta-data"), `instance-id: ${instanceId}\nlocal-hostname: ${instanceId}\n`);
    writeFileSync(join(seed, "user-data"), userData);
}

export interface CloudInitRun {
    code: number;
    seconds: number;
    output: string;
}

/** Run cloud-init's four boot stages inside the root, with the environment EC2 would not give (stand-in endpoints). */
export function runCloudInit(root: string, env: Record<string, string>, onOutput?: (chunk: string) => void): Promise<CloudInitRun> {
    const started = Date.now();
    const stages = "cloud-init init --local && cloud-init init && cloud-init modules --mode config && cloud-init modules --mode final";
    return new Promise((resolvePromise) => {
        const child = spawn("chroot", [root, "/usr/bin/env", "-i", ...Object.entries(env).map(([k, v]) => `${k}=${v}`), "/bin/sh", "-c", stages], {
            stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        const collect = (chunk: Buffer) => {
            output += chunk.toString();
            onOutput?.(chunk.toString());
        };
        child.stdout.on("data", collect);
        child.stderr.on("data", collect);
        child.on("close", (code) => resolvePromise({ code: code ?? -1, seconds: (Date.now() - started) / 1000, output }));
    });
}

function chrootArgs(root: string, command: string[], options: { env?: Record<string, string>; user?: string }): string[] {
    const env = { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", HOME: "/root", LANG: "C.UTF-8", ...(options.env ?? {}) };
    const argv = options.user ? ["runuser", "-u", options.user, "--", ...command] : command;
    return [root, "/usr/bin/env", "-i", ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...argv];
}

/**
 * Like `inRoot`, without blocking this process: needed whenever the command talks to a stand-in
 * served by this same process (a blocked event loop would never answer it).
 */
export function inRootAsync(
    root: string,
    command: string[],
    options: { env?: Record<string, string>; user?: string } = {},
): Promise<{ status: number; stdout: string; stderr: string }> {
    return new Promise((resolvePromise) => {
        const child = spawn("chroot", chrootArgs(root, command, options), { stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
        child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
        child.on("close", (code) => resolvePromise({ status: code ?? -1, stdout, stderr }));
    });
}

/** Run a command inside the root (root user unless `user` given); returns status and output. Blocks this process. */
export function inRoot(
    root: string,
    command: string[],
    options: { env?: Record<string, string>; user?: string } = {},
): { status: number; stdout: string; stderr: string } {
    const r = spawnSync("chroot", chrootArgs(root, command, options), { encoding: "utf8" });
    return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** PIDs of processes whose root directory is this root (the daemons provisioning started in it). */
export function processesIn(root: string): number[] {
    const want = resolve(root);
    const pids: number[] = [];
    for (const entry of readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        try {
            if (readlinkSync(`/proc/${entry}/root`) === want) pids.push(Number(entry));
        } catch {
            /* gone, or not ours to read */
        }
    }
    return pids;
}

function stopProcessesIn(root: string): void {
    for (const signal of ["SIGTERM", "SIGKILL"] as const) {
        const pids = processesIn(root);
        if (pids.length === 0) return;
        for (const pid of pids) {
            try {
                process.kill(pid, signal);
            } catch {
                /* already gone */
            }
        }
        const deadline = Date.now() + 5000;
        while (processesIn(root).length > 0 && Date.now() < deadline) spawnSync("sleep", ["0.2"]);
    }
}

/** Stop everything running in the root, unmount /proc, delete it. Safe to call twice. */
export function destroyNodeRoot(root: string): void {
    if (!existsSync(root)) return;
    stopProcessesIn(root);
    for (const mountPoint of ["proc"]) {
        const path = join(root, mountPoint);
        if (spawnSync("mountpoint", ["-q", path]).status === 0) execFileSync("umount", ["-l", path]);
    }
    mounted.delete(root);
    rmSync(root, { recursive: true, force: true });
}

/** Last resort when the test process dies mid-run: never leave /proc mounted in a cache dir. */
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));
process.on("exit", () => {
    for (const root of mounted) {
        stopProcessesIn(root);
        spawnSync("umount", ["-l", join(root, "proc")]);
    }
});
