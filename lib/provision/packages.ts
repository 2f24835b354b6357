/**
 * Debian 12 (bookworm) packages a node installs. Versioned names pin PHP to 8.2, the release
 * Debian 12 ships and Matomo 5 supports; Debian's own security updates still apply (bookworm's
 * archive keeps only the current revision of each package, so pinning revisions would break
 * every boot after the next point release).
 */
import type { ResolvedSettings } from "../settings";
import type { NodeRole } from "./types";

/** The PHP release every node runs: Debian 12's, in every versioned package name and path (php8.2-fpm, /etc/php/8.2). */
export const PHP_VERSION = "8.2";

export const PHP_EXTENSIONS = ["mysql", "gd", "curl", "xml", "mbstring", "zip", "intl", "opcache"] as const;

/** Both roles install the same packages today; the role stays in the signature for the day they differ again. */
export function debianPackages(_role: NodeRole, settings: ResolvedSettings): string[] {
    return [
        "nginx",
        `php${PHP_VERSION}-fpm`,
        `php${PHP_VERSION}-cli`,
        ...PHP_EXTENSIONS.map((e) => `php${PHP_VERSION}-${e}`),
        // QueuedTracking: phpredis for the plugin. Any plugin: unzip for its zip.
        ...(settings.queuedTracking.enabled ? ["php-redis"] : []),
        ...(settings.plugins.length > 0 ? ["unzip"] : []),
        // A MySQL client for operators on the node; provisioning itself talks to the database via PHP.
        "mariadb-client",
        "curl",
        "ca-certificates",
        // gpg verifies the release signature; awscli reads Secrets Manager with the instance role.
        "gnupg",
        "awscli",
        // Every node runs cron: its own Tag Manager containers and location database (cron.ts).
        "cron",
        // Rotates our job logs (logrotate.ts) and, with the configs Debian's packages ship, nginx's and PHP's.
        "logrotate",
        // libmaxminddb's lookup tool: checks a downloaded location database before it is used.
        ...(settings.geoIp.provider !== "off" ? ["mmdb-bin"] : []),
    ];
}
