#!/bin/bash
# Put the pinned Matomo release at /var/www/matomo, verified before any of it is used: its .asc
# signature must verify against the pinned release key fingerprint, or the archive must match
# the sha256 the user supplied. Does nothing when that release is already in place.
set -euo pipefail

readonly PAYLOAD=/etc/matomo-provision
readonly LIB=/usr/local/lib/matomo-provision

# shellcheck source=/dev/null
. "$PAYLOAD/provision.env"
# shellcheck source=/dev/null
. "$LIB/common.sh"

installed_version() {
    sed -n "s/^.*const VERSION = '\([^']*\)'.*$/\1/p" "$1/core/Version.php" 2> /dev/null | head -n 1
}

if [ -f "$STATE/release" ] && [ "$(cat "$STATE/release")" = "$MATOMO_VERSION $MATOMO_DOWNLOAD_URL" ] \
    && [ "$(installed_version "$MATOMO_ROOT")" = "$MATOMO_VERSION" ]; then
    log "Matomo $MATOMO_VERSION already in place"
    exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log "downloading $MATOMO_DOWNLOAD_URL"
retry_download 5 curl -fsS --proto '=https' -o "$work/matomo.tar.gz" "$MATOMO_DOWNLOAD_URL"

case $MATOMO_VERIFY in
    sha256)
        echo "$MATOMO_SHA256  $work/matomo.tar.gz" | sha256sum -c --quiet \
            || die "the archive does not match the configured sha256; refusing to install it"
        log "archive matches the configured sha256"
        ;;
    signature)
        retry_download 5 curl -fsS --proto '=https' -o "$work/matomo.tar.gz.asc" "$MATOMO_DOWNLOAD_URL.asc"
        export GNUPGHOME="$work/gnupg"
        install -d -m 0700 "$GNUPGHOME"
        if [ -s "$PAYLOAD/matomo-release-key.asc" ]; then
            gpg --batch --quiet --import "$PAYLOAD/matomo-release-key.asc"
        else
            received=0
            for server in $MATOMO_KEYSERVERS; do
                if gpg --batch --quiet --keyserver "$server" --recv-keys "$MATOMO_SIGNING_KEY_FINGERPRINT"; then
                    received=1
                    break
                fi
                log "could not receive the release key from $server"
            done
            [ "$received" = 1 ] || die "could not receive Matomo's release key $MATOMO_SIGNING_KEY_FINGERPRINT from any keyserver"
        fi
        "$LIB/matomo-verify-signature.sh" "$work/matomo.tar.gz" "$work/matomo.tar.gz.asc" "$MATOMO_SIGNING_KEY_FINGERPRINT" \
            || die "the archive's signature does not verify against $MATOMO_SIGNING_KEY_FINGERPRINT; refusing to install it"
        log "archive signed by $MATOMO_SIGNING_KEY_FINGERPRINT"
        ;;
    *) die "unknown verification method '$MATOMO_VERIFY'" ;;
esac

# --touch: every file gets the extraction time as its mtime. A reproducibly built archive (or a
# mirror) carries mtime 0, and PHP's opcache refuses to cache a script whose timestamp is 0
# (ZendAccelerator.c: validate_timestamps or file_update_protection on, timestamp 0 = "can't
# cache"), so every request would compile Matomo again (issue 21.7). Timestamps of our own
# making keep opcache's default revalidation working, and nothing reads the archive's.
tar -xzf "$work/matomo.tar.gz" -C "$work" --no-same-owner --touch
[ -f "$work/matomo/console" ] || die "the archive has no matomo/ directory with a console"
found=$(installed_version "$work/matomo")
[ "$found" = "$MATOMO_VERSION" ] || die "the archive holds Matomo '$found', not the pinned $MATOMO_VERSION"

# A node in service leaves the load balancer before its tree is swapped: health answers 503 while
# the drain marker is there (health.php), and the wait lets the load balancer see enough failed
# checks (interval x unhealthy threshold) and finish requests in flight. Provisioning removes
# the marker once the new tree has its config and the node is ready again.
if [ -e "$MATOMO_ROOT" ] && [ -f "$STATE/ready" ]; then
    touch "$STATE/drain"
    log "draining: health answers 503; waiting ${MATOMO_DRAIN_SECONDS}s for the load balancer before swapping the release"
    sleep "$MATOMO_DRAIN_SECONDS"
fi
if [ -e "$MATOMO_ROOT" ]; then
    previous="$MATOMO_ROOT.previous-$(date +%s)"
    log "moving the existing $MATOMO_ROOT aside to $previous"
    mv "$MATOMO_ROOT" "$previous"
fi
install -d -m 0755 "$(dirname "$MATOMO_ROOT")"
mv "$work/matomo" "$MATOMO_ROOT"
chown -R root:root "$MATOMO_ROOT"
chmod -R go-w "$MATOMO_ROOT"
# js/ before anything runs Matomo: Tag Manager writes js/container_*.js during core:update and
# plugin installs (its CoreUpdater.update.end and PluginManager.pluginInstalled hooks), on the ui
# before provisioning gets to its generated files; a write it cannot make is a logged error,
# which makes Matomo's console exit 1 (core/Console.php). PHP's user may add files there but,
# sticky, not replace or remove the release's own (and only js/index.php and js/tracker.php run).
chown root:www-data "$MATOMO_ROOT/js"
chmod 1775 "$MATOMO_ROOT/js"
# What Matomo itself writes: tmp/ (local to this node), the tracker JS it regenerates, and
# config/ only while the ui node runs the installer or core:update (see matomo-ui-setup.sh).
install -d -o www-data -g www-data -m 0750 "$MATOMO_ROOT/tmp"
chown root:www-data "$MATOMO_ROOT/config"
chmod 0750 "$MATOMO_ROOT/config"
for js in matomo.js piwik.js; do
    [ -f "$MATOMO_ROOT/$js" ] && chown www-data:www-data "$MATOMO_ROOT/$js"
done
echo "$MATOMO_VERSION $MATOMO_DOWNLOAD_URL" > "$STATE/release"
# The tree moved aside holds the old release and its filled config.ini.php (the database
# password): nothing needs it once the new tree is in place (provisioning writes the config next).
for old in "$MATOMO_ROOT".previous-*; do
    [ -e "$old" ] || continue
    rm -rf "$old"
    log "removed the previous tree $old"
done
log "Matomo $MATOMO_VERSION installed at $MATOMO_ROOT"
