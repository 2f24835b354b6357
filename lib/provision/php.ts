/**
 * PHP-FPM pool and php.ini overrides. The pool's size depends on the instance's memory, known
 * only at boot: the rendered pool carries `@PM_MAX_CHILDREN@`, which provisioning replaces.
 */
import { CLI_MEMORY_MB, PHP_FPM_SOCKET } from "./paths";
import type { NodeRole } from "./types";

export const PM_MAX_CHILDREN_PLACEHOLDER = "@PM_MAX_CHILDREN@";

export function renderFpmPool(role: NodeRole, maxChildren: number | typeof PM_MAX_CHILDREN_PLACEHOLDER = PM_MAX_CHILDREN_PLACEHOLDER): string {
    return [
        `; Matomo ${role} pool. Rendered by pulumi-matomo-aws; pm.max_children is sized from memory at boot.`,
        "[matomo]",
        "user = www-data",
        "group = www-data",
        `listen = ${PHP_FPM_SOCKET}`,
        "listen.owner = www-data",
        "listen.group = www-data",
        "listen.mode = 0660",
        // Static: every worker exists from the start, so a traffic burst meets no fork latency.
        "pm = static",
        `pm.max_children = ${maxChildren}`,
        "pm.max_requests = 1000",
        `request_terminate_timeout = ${role === "ui" ? 600 : 30}`,
        "catch_workers_output = yes",
        "security.limit_extensions = .php",
        "",
    ].join("\n");
}

export function renderFpmIni(role: NodeRole): string {
    return [
        "; Matomo web requests. Rendered by pulumi-matomo-aws.",
        `memory_limit = ${role === "ui" ? "512M" : "256M"}`,
        `max_execution_time = ${role === "ui" ? 600 : 30}`,
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
