#!/bin/bash
# matomo-geoip.sh install|refresh: the location database Matomo's geoip2php provider reads, on
# this node (docs/runtime-files.md). Every node runs it: at boot (install) and daily from cron
# (refresh), so trackers locate visitors from their own disk at tracking time.
#
# The database lives outside Matomo's tree, in $DIR, so a release swap keeps it; misc/<file> is a
# link to it (Matomo's GeoIp2::getPathToGeoIpDatabase() follows it with file_exists()). A new
# download replaces it only after every check passed, by rename(2) on the same file system, so
# PHP sees either the old file or the new one. Any failure keeps the database this node has.
#
# Checks: https only; gzip's own CRC (gzip -t) or, for MaxMind, the sha256 MaxMind publishes beside
# the archive; at most 1 GiB unpacked; and Debian's libmaxminddb reader (mmdblookup) must open it,
# report the expected database type, and find Matomo's own test address in it, as Matomo's
# updater requires before it replaces a database (GeoIP2AutoUpdater::unzipDownloadedFile).
set -euo pipefail

readonly PAYLOAD=/etc/matomo-provision
readonly LIB=/usr/local/lib/matomo-provision
readonly DIR=/var/lib/matomo-geoip
# Matomo's GeoIp2::TEST_IP.
readonly TEST_IP=194.57.91.215
readonly MAX_BYTES=$((1024 * 1024 * 1024))

# shellcheck source=/dev/null
. "$PAYLOAD/provision.env"
# shellcheck source=/dev/null
. "$LIB/common.sh"

mode=${1:-}
[ "$mode" = install ] || [ "$mode" = refresh ] || die "usage: matomo-geoip.sh install|refresh"
: "${MATOMO_GEOIP_PROVIDER:?}" "${MATOMO_GEOIP_URL:?}" "${MATOMO_GEOIP_FILE:?}"

install -d -m 0755 "$DIR"
db=$DIR/$MATOMO_GEOIP_FILE
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fetch() { curl -fsS --proto '=https' --proto-redir '=https' -L --max-time 1800 --max-filesize "$MAX_BYTES" "$@"; }

# MaxMind wants HTTP basic authentication: the license key goes to curl as a config file on
# stdin, never on a command line (ps) or in a file. curl drops it when redirected to another host.
maxmind_fetch() {
    local key
    key=$("$LIB/matomo-secret.sh" "$MATOMO_GEOIP_KEY_ARN" "$MATOMO_GEOIP_KEY_JSON_KEY")
    printf 'user = "%s:%s"\n' "$MATOMO_GEOIP_ACCOUNT_ID" "$key" | fetch -K - "$@"
}

# verify FILE: an .mmdb of the expected type that knows Matomo's test address.
verify() {
    local file=$1 type
    [ "$(stat -c %s "$file")" -le "$MAX_BYTES" ] || { log "the database is larger than 1 GiB"; return 1; }
    type=$(mmdblookup --verbose --file "$file" --ip "$TEST_IP" 2> "$work/lookup.err" | sed -n 's/^ *Type: *//p') \
        || { log "mmdblookup refused the database: $(tr '\n' ' ' < "$work/lookup.err")"; return 1; }
    case $MATOMO_GEOIP_PROVIDER in
        dbip-lite) [[ $type == DBIP-*City* ]] || { log "the database is of type '$type', not a DB-IP city database"; return 1; } ;;
        maxmind) [ "$type" = "${MATOMO_GEOIP_FILE%.mmdb}" ] || { log "the database is of type '$type', not ${MATOMO_GEOIP_FILE%.mmdb}"; return 1; } ;;
    esac
}

# put_in_place FILE SOURCE: the verified database replaces this node's, atomically.
put_in_place() {
    install -m 0644 -o root -g root "$1" "$DIR/.$MATOMO_GEOIP_FILE.new"
    mv -f "$DIR/.$MATOMO_GEOIP_FILE.new" "$db"
    printf '%s\n' "$2" > "$DIR/source"
    log "installed the location database $MATOMO_GEOIP_FILE ($(sha256sum "$db" | cut -d' ' -f1)) from $2"
}

# dbip_get URL: download, check and install one month's file; 1 (old database kept) on failure.
dbip_get() {
    local url=$1
    log "downloading the location database $url"
    fetch -o "$work/db.mmdb.gz" "$url" || { log "could not download $url"; return 1; }
    gzip -t "$work/db.mmdb.gz" 2> /dev/null || { log "$url is not an intact gzip file"; return 1; }
    gzip -dc "$work/db.mmdb.gz" | head -c $((MAX_BYTES + 1)) > "$work/db.mmdb"
    verify "$work/db.mmdb" || return 1
    put_in_place "$work/db.mmdb" "$url"
}

# maxmind_get: the edition's archive when MaxMind's sha256 differs from the installed one's.
maxmind_get() {
    local sums sum member
    maxmind_fetch -o "$work/sha256" "$MATOMO_GEOIP_URL?suffix=tar.gz.sha256" || { log "could not download the checksum from $MATOMO_GEOIP_URL"; return 1; }
    read -r sum _ < "$work/sha256" || true
    [[ ${sum:-} =~ ^[0-9a-f]{64}$ ]] || { log "MaxMind's checksum file holds no sha256"; return 1; }
    sums="maxmind $sum"
    if [ -f "$db" ] && [ "$(cat "$DIR/source" 2> /dev/null)" = "$sums" ]; then
        log "the location database is MaxMind's current one"
        return 0
    fi
    log "downloading the location database $MATOMO_GEOIP_URL?suffix=tar.gz"
    maxmind_fetch -o "$work/db.tar.gz" "$MATOMO_GEOIP_URL?suffix=tar.gz" || { log "could not download $MATOMO_GEOIP_URL"; return 1; }
    echo "$sum  $work/db.tar.gz" | sha256sum -c --quiet > /dev/null 2>&1 || { log "the archive does not match MaxMind's sha256"; return 1; }
    # MaxMind's archive: <edition>_<date>/<edition>.mmdb beside its licence files.
    tar -tzf "$work/db.tar.gz" > "$work/list" || { log "the archive cannot be listed"; return 1; }
    member=$(awk -F/ -v f="$MATOMO_GEOIP_FILE" 'NF == 2 && $2 == f { print; exit }' "$work/list")
    [ -n "$member" ] || { log "the archive holds no $MATOMO_GEOIP_FILE"; return 1; }
    tar -xzf "$work/db.tar.gz" -C "$work" --no-same-owner "$member"
    verify "$work/$member" || return 1
    put_in_place "$work/$member" "$sums"
}

# misc/<file> points at this node's database; a file of another provider is removed, since
# Matomo takes the first name of its list it finds.
link_into_matomo() {
    local misc=$MATOMO_ROOT/misc name
    install -d -m 0755 "$misc"
    for name in "$misc"/*.mmdb; do
        [ -L "$name" ] && [ "$name" != "$misc/$MATOMO_GEOIP_FILE" ] && rm -f "$name"
    done
    if [ "$(readlink "$misc/$MATOMO_GEOIP_FILE" || true)" != "$db" ]; then
        ln -sfn "$db" "$misc/$MATOMO_GEOIP_FILE"
        log "linked $misc/$MATOMO_GEOIP_FILE to $db"
    fi
}

status=0
case $MATOMO_GEOIP_PROVIDER in
    dbip-lite)
        # DB-IP publishes one file a month, named for it; early on the 1st only the last one may exist.
        month=$(date -u +%Y-%m)
        previous=$(date -u -d "$(date -u +%Y-%m-01) -1 day" +%Y-%m)
        current_url=${MATOMO_GEOIP_URL//\{month\}/$month}
        previous_url=${MATOMO_GEOIP_URL//\{month\}/$previous}
        installed=$(cat "$DIR/source" 2> /dev/null || true)
        if [ -f "$db" ] && { [ "$installed" = "$current_url" ] || { [ "$mode" = install ] && [ "$installed" = "$previous_url" ]; }; }; then
            log "the location database from $installed is in place"
        elif ! dbip_get "$current_url"; then
            # This month's file may not be out yet: a node without one (or booting) takes last month's.
            if [ ! -f "$db" ] || { [ "$mode" = install ] && [ "$installed" != "$previous_url" ]; }; then
                dbip_get "$previous_url" || status=1
            else
                status=1
            fi
        fi
        ;;
    maxmind) maxmind_get || status=1 ;;
    *) die "unknown location database provider '$MATOMO_GEOIP_PROVIDER'" ;;
esac

# A node that has a database keeps serving with it whatever failed; one without any stops here.
[ -f "$db" ] || die "no location database on this node: the download failed (reason above)"
link_into_matomo
[ "$status" = 0 ] || log "WARNING: the location database was not refreshed; this node keeps the one from $(cat "$DIR/source" 2> /dev/null || echo unknown)"
