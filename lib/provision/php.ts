/**
 * PHP-FPM pool and php.ini overrides.
 *
 * The pool is sized from the instance, known only at boot: the rendered pool carries placeholders
 * and one `; sizing:` line with this role's numbers, and `matomo-fpm-pool.sh` computes the sizes
 * from `nproc` and MemTotal with the same formula as `fpmPoolSize` (a test holds the two equal).
 *
 * Why from vCPUs: a tracking request is CPU work plus a few database round trips, so a core is
 * kept busy by a few workers; more workers only queue on the CPU instead of in the pool's socket
 * backlog, and each holds its own memory. `npm run bench` measures it (docs/provisioning.md).
 * Why capped by memory: every worker may grow to `memory_limit`, so workers × memory_limit plus a
 * reserve (OS, nginx, opcache; on ui one console archiving run) must fit in the node's RAM.
 */
import { CLI_MEMORY_MB, PHP_FPM_SOCKET } from "./paths";
import type { NodeRole } from "./types";

export interface FpmSizing {
    /** Workers per vCPU: covers the time a request waits on the database instead of computing. */
    workersPerVcpu: number;
    /** PHP's memory_limit for this role's web requests, in MB: the most one worker may hold. */
    memoryLimitMb: number;
    /** Memory kept out of the pool, in MB: OS and agents, nginx, opcache (+ one archiving run on ui). */
    reserveMb: number;
    /** Largest request body, in MB: nginx's client_max_body_size and PHP's post_max_size alike. */
    maxBodyMb: number;
}

/**
 * Per role. Trackers: a bulk tracking request is up to about 1 MB, so 2 MB of body. ui: PHP's
 * default 8 MB post_max_size (the UI posts forms and a logo; nothing larger), so nginx refuses
 * with 413 what PHP would otherwise silently drop.
 */
export const FPM_SIZING: Record<NodeRole, FpmSizing> = {
    tracker: { workersPerVcpu: 4, memoryLimitMb: 256, reserveMb: 768, maxBodyMb: 2 },
    ui: { workersPerVcpu: 4, memoryLimitMb: 512, reserveMb: 1024 + CLI_MEMORY_MB, maxBodyMb: 8 },
};

/** A pool smaller than this cannot serve a second request while one is slow: the node is too small. */
export const FPM_MIN_WORKERS = 2;

export interface FpmPoolSize {
    maxChildren: number;
    /** Idle workers kept ready (also the number started): one per vCPU. */
    minSpare: number;
    /** Idle workers above this are stopped, so a burst's memory is given back: two per vCPU. */
    maxSpare: number;
}

/** The pool for a node with `vcpus` and `memTotalMb` (MemTotal); throws when the node is too small. */
export function fpmPoolSize(role: NodeRole, vcpus: number, memTotalMb: number): FpmPoolSize {
    const s = FPM_SIZING[role];
    const byMemory = Math.floor((memTotalMb - s.reserveMb) / s.memoryLimitMb);
    const maxChildren = Math.min(s.workersPerVcpu * vcpus, byMemory);
    if (maxChildren < FPM_MIN_WORKERS) {
        throw new Error(`a ${role} node needs at least ${s.reserveMb + FPM_MIN_WORKERS * s.memoryLimitMb} MB of memory; this one has ${memTotalMb} MB`);
    }
    return { maxChildren, minSpare: Math.min(vcpus, maxChildren), maxSpare: Math.min(2 * vcpus, maxChildren) };
}

const PLACEHOLDERS = { maxChildren: "@PM_MAX_CHILDREN@", minSpare: "@PM_MIN_SPARE@", maxSpare: "@PM_MAX_SPARE@" } as const;

/** The pool; without `size`, with the placeholders matomo-fpm-pool.sh fills at boot. */
export function renderFpmPool(role: NodeRole, size?: FpmPoolSize): string {
    const s = FPM_SIZING[role];
    const v = size ?? PLACEHOLDERS;
    return [
        `; Matomo ${role} pool (pulumi-matomo-aws). matomo-fpm-pool.sh sizes it at boot from the line below:`,
        `; max_children = min(${s.workersPerVcpu} x vCPUs, (MemTotal MB - ${s.reserveMb}) / ${s.memoryLimitMb}), at least ${FPM_MIN_WORKERS}`,
        `; sizing: ${s.workersPerVcpu} ${s.reserveMb} ${s.memoryLimitMb} ${FPM_MIN_WORKERS}`,
        "[matomo]",
        "user = www-data",
        "group = www-data",
        `listen = ${PHP_FPM_SOCKET}`,
        "listen.owner = www-data",
        "listen.group = www-data",
        "listen.mode = 0660",
        // Dynamic: one warm worker per vCPU answers the first requests without a fork; a burst
        // grows the pool up to max_children, and idle workers above max_spare are stopped again.
        "pm = dynamic",
        `pm.max_children = ${v.maxChildren}`,
        `pm.start_servers = ${v.minSpare}`,
        `pm.min_spare_servers = ${v.minSpare}`,
        `pm.max_spare_servers = ${v.maxSpare}`,
        "pm.max_requests = 1000",
        `request_terminate_timeout = ${role === "ui" ? 600 : 30}`,
        "catch_workers_output = yes",
        "security.limit_extensions = .php",
        "",
    ].join("\n");
}

export function renderFpmIni(role: NodeRole): string {
    const s = FPM_SIZING[role];
    return [
        "; Matomo web requests. Rendered by pulumi-matomo-aws.",
        `memory_limit = ${s.memoryLimitMb}M`,
        `max_execution_time = ${role === "ui" ? 600 : 30}`,
        `post_max_size = ${s.maxBodyMb}M`,
        // Matomo fetches URLs (GeoIP databases, Marketplace, update checks) through curl when the
        // curl extension is loaded (core/Http.php getTransportMethod); PHP's URL wrappers are not needed.
        "allow_url_fopen = Off",
        "expose_php = Off",
        "opcache.enable = 1",
        "opcache.memory_consumption = 128",
        "opcache.interned_strings_buffer = 16",
        "opcache.max_accelerated_files = 20000",
        "",
    ].join("\n");
}

export function renderCliIni(): string {
    return [
        "; Matomo console commands (core:archive needs room). Rendered by pulumi-matomo-aws.",
        `memory_limit = ${CLI_MEMORY_MB}M`,
        "opcache.enable_cli = 0",
        "",
    ].join("\n");
}
