/**
 * /etc/logrotate.d/matomo on every node.
 *
 * The jobs in cron.ts and the queue workers append to /var/log/matomo/<job>.log for as long as the
 * node lives; a ui node archiving every five minutes for months would otherwise fill its root
 * volume (20 GiB by default) and stop. Rotated daily, or as soon as a file passes `maxsize` at the
 * next logrotate run, seven old files kept compressed.
 *
 * `copytruncate`: the writers keep their file open (a worker loop's `>>` redirect lives as long as
 * the loop), so renaming the file would leave them writing into the rotated copy. A line written
 * between the copy and the truncation can be lost; these are operators' logs, not data.
 * Runs as root (logrotate's own timer): some files are root's (the location database job), the
 * directory is www-data's and not group-writable, which logrotate accepts without `su`.
 */
export const MATOMO_LOG_DIR = "/var/log/matomo";

export function renderLogrotate(logDir: string = MATOMO_LOG_DIR): string {
    return [
        "# Rendered by pulumi-matomo-aws; installed as /etc/logrotate.d/matomo.",
        `${logDir}/*.log {`,
        "    daily",
        "    maxsize 100M",
        "    rotate 7",
        "    compress",
        "    delaycompress",
        "    missingok",
        "    notifempty",
        "    copytruncate",
        "}",
        "",
    ].join("\n");
}
