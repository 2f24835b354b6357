#!/bin/bash
# Helpers shared by the matomo-provision scripts (sourced, not run).
# shellcheck disable=SC2034
set -euo pipefail

# Where a node keeps things and the names it shares with the renderers: STATE, MATOMO_ROOT, CONFIG,
# BASE_CONFIG, ADMIN_CONFIG (ui only: the config with the database's admin credential; config.ini.php
# names the role's own user), SECTIONS_OPTION, PLUGINS_OPTION, PLUGIN_MANIFEST,
# LOCATION_PROVIDER_OPTION, PHP_VERSION. Rendered from lib/provision/nodeConstants.ts beside this file.
# shellcheck source=/dev/null
. "$(dirname "${BASH_SOURCE[0]}")/matomo-constants.sh"
# What the ui records after applying the manifest, and what other nodes wait for: "NAME VERSION" lines.
plugins_applied() { awk 'NF { print $1, $2 }' "$PLUGIN_MANIFEST"; }

log() { printf '%s matomo-provision[%s]: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${MATOMO_ROLE:-?}" "$*"; }
die() { log "ERROR: $*" >&2; exit 1; }

# Seconds between the tries of anything retried or polled (retry below, the waits for the database
# and for a ui node, matomo-reach.sh's probes): 5. Nothing on EC2 sets MATOMO_RETRY_PAUSE; the boot
# test does, since its offline AWS hosts (the agents' buckets, the logs endpoint) would cost every
# provisioning run some 30 s of pauses that prove nothing.
readonly RETRY_PAUSE=${MATOMO_RETRY_PAUSE:-5}
[[ $RETRY_PAUSE =~ ^[0-9]+$ ]] || die "MATOMO_RETRY_PAUSE must be whole seconds, not '$RETRY_PAUSE'"
# The database (matomo-db.php): as the admin on a ui node, as the tracker user on a tracker; and a command as PHP's user.
db() {
    local config=$BASE_CONFIG
    [ "${MATOMO_ROLE:-}" = ui ] && config=$ADMIN_CONFIG
    php "$LIB/matomo-db.php" "$config" "$@"
}
as_www() { runuser -u www-data -- "$@"; }

# retry N command...: run the command up to N times, RETRY_PAUSE (5) s apart.
retry() {
    local attempts=$1 i=1
    shift
    until "$@"; do
        [ "$i" -lt "$attempts" ] || return 1
        log "retrying ($i/$attempts): $*"
        i=$((i + 1))
        sleep "$RETRY_PAUSE"
    done
}

# retry_download N curl -f…: like retry, for one curl transfer, but only while its failure may pass:
# no connection or no answer, a timeout, or HTTP 408, 429 or 5xx. Any other HTTP error (404: a wrong
# version or URL; 403: a refused licence) fails at once, since asking again gets the same answer and
# only delays the error. curl -f reports the status on stderr ("The requested URL returned error: N"),
# which is passed on.
retry_download() {
    local attempts=$1 i=1 status err
    shift
    err=$(mktemp)
    while :; do
        status=0
        "$@" 2> "$err" || status=$?
        cat "$err" >&2
        if [ "$status" -eq 0 ]; then
            rm -f "$err"
            return 0
        fi
        if [ "$status" -eq 22 ] && ! grep -Eq 'returned error: (408|429|5[0-9][0-9])' "$err"; then
            rm -f "$err"
            return 1
        fi
        if [ "$i" -ge "$attempts" ]; then
            rm -f "$err"
            return 1
        fi
        log "retrying ($i/$attempts): curl exit $status"
        i=$((i + 1))
        sleep "$RETRY_PAUSE"
    done
}

# install_file SRC DEST OWNER GROUP MODE: replace DEST only when its bytes differ (then set
# FILES_CHANGED=1); always fix owner/mode.
FILES_CHANGED=0
install_file() {
    local src=$1 dest=$2 owner=$3 group=$4 mode=$5
    if ! cmp -s "$src" "$dest"; then
        install -D -o "$owner" -g "$group" -m "$mode" "$src" "$dest"
        log "wrote $dest"
        FILES_CHANGED=1
    else
        chown "$owner:$group" "$dest"
        chmod "$mode" "$dest"
    fi
}

# start_or_reload php-fpm|nginx|cron [CHANGED]: make sure the service runs; reload it when it
# already runs and CHANGED is 1 (its files were rewritten). With systemd through its unit; without
# (a chroot, a container) by starting or signalling the daemon directly.
start_or_reload() {
    local service=$1 changed=${2:-1} unit pidfile
    case $service in
        php-fpm) unit=php$PHP_VERSION-fpm pidfile=/run/php/php$PHP_VERSION-fpm.pid ;;
        nginx) unit=nginx pidfile=/run/nginx.pid ;;
        cron) unit=cron pidfile=/run/crond.pid ;;
        *) die "unknown service $service" ;;
    esac
    if [ -d /run/systemd/system ]; then
        systemctl enable --quiet "$unit"
        if ! systemctl is-active --quiet "$unit"; then
            systemctl start "$unit"
            log "started $unit"
        elif [ "$changed" = 1 ]; then
            systemctl reload-or-restart "$unit"
            log "reloaded $unit"
        fi
        return
    fi
    if [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2> /dev/null; then
        [ "$changed" = 1 ] || return 0
        log "reloading $service"
        case $service in
            php-fpm) kill -USR2 "$(cat "$pidfile")" ;;
            nginx) nginx -s reload ;;
            cron) : ;; # cron rereads /etc/cron.d by itself
        esac
    else
        log "starting $service"
        case $service in
            php-fpm) install -d -m 0755 /run/php && "php-fpm$PHP_VERSION" --daemonize ;;
            nginx) nginx ;;
            cron) cron ;;
        esac
    fi
}
