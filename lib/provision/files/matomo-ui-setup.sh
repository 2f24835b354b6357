#!/bin/bash
# matomo-ui-setup.sh: run by matomo-provision on ui nodes while holding the database lock
# "matomo-provision", so exactly one ui node at a time gets here. Installs Matomo when the
# database has none of its tables, adopts one installed elsewhere (matomo-adopt.sh), runs
# core:update when the installed release is older than the pinned one, applies the plugin list
# (matomo-plugins.sh apply) and stores the plugin sections Matomo wrote into config in the database.
# Never drops or rewrites existing tables: a partial install stops here for a person to look at.
set -euo pipefail

readonly PAYLOAD=/etc/matomo-provision
readonly LIB=/usr/local/lib/matomo-provision

# shellcheck source=/dev/null
. "$PAYLOAD/provision.env"
# shellcheck source=/dev/null
. "$LIB/common.sh"


work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Give Matomo a config it may write (installer, core:update), owned by PHP's user for now.
writable_config() {
    install -o www-data -g www-data -m 0600 "$1" "$CONFIG"
}

# The installer's own bootstrap: the rendered config with the installer switched on and
# installation_in_progress set, so Matomo treats the empty database as "not installed yet"
# instead of refusing to run with a complete config and no tables.
installer_config() {
    sed -e 's/^enable_installer = 0$/enable_installer = 1/' \
        -e 's/^\[General\]$/[General]\ninstallation_in_progress = 1/' "$ADMIN_CONFIG"
}

# installer_step ACTION EXPECTED [curl --data-urlencode args...]: one request to Matomo's web
# installer over loopback, as the load balancer would send it (Host = the public name, HTTPS
# forwarded). Matomo answers a step's GET with its page (200) and a POST it accepted with a
# redirect to the next step (302); a POST answered 200 is its form shown again with an error.
# A page with an unexpected status is kept for a person, root-only, under $STATE.
installer_step() {
    local action=$1 expected=$2 code
    shift 2
    code=$(curl -sS -o "$work/$action.html" -w '%{http_code}' --max-time 900 \
        --cookie "$work/cookies" --cookie-jar "$work/cookies" \
        -H "Host: $MATOMO_DOMAIN" -H 'X-Forwarded-Proto: https' \
        "$@" "http://127.0.0.1:$MATOMO_HTTP_PORT/index.php?module=Installation&action=$action")
    if [ "$code" != "$expected" ]; then
        install -m 0600 "$work/$action.html" "$STATE/installer-$action.html"
        die "installer step $action answered HTTP $code, not $expected (page kept in $STATE/installer-$action.html)"
    fi
    log "installer step $action: HTTP $code"
}

# The only super user must be the configured login: the super user step has no nonce, so a
# login of anyone else's would mean someone else's request reached the installer.
check_super_users() {
    local found
    found=$(db scalar "SELECT COALESCE(GROUP_CONCAT(login ORDER BY login SEPARATOR ' '), '') FROM {prefix}user WHERE superuser_access = 1")
    [ "$found" = "$MATOMO_SUPERUSER_LOGIN" ] \
        || die "super users are '$found', not only '$MATOMO_SUPERUSER_LOGIN': someone else may have used the installer"
}

install_matomo() {
    log "no Matomo tables with this prefix: installing Matomo $MATOMO_VERSION through its web installer over loopback"
    # The installer answers only loopback while it runs (see installerGate.ts). Provisioning
    # closed the gate before nginx started; close it again in case this node was ready before.
    install_file "$PAYLOAD/installer-gate.conf" "$MATOMO_INSTALLER_GATE" root root 0644
    start_or_reload nginx "$FILES_CHANGED"
    installer_config > "$work/installer.ini.php"
    writable_config "$work/installer.ini.php"

    installer_step tablesCreation 200
    [ "$(db get-option version_core || true)" = "$MATOMO_VERSION" ] || die "tables were not created"

    local password_file="$work/superuser-password"
    ( umask 077 && "$LIB/matomo-secret.sh" "$SECRET_SUPERUSER_PASSWORD_ARN" "$SECRET_SUPERUSER_PASSWORD_KEY" > "$password_file" )
    installer_step setupSuperUser 302 -X POST \
        --data-urlencode "login=$MATOMO_SUPERUSER_LOGIN" \
        --data-urlencode "password@$password_file" \
        --data-urlencode "password_bis@$password_file" \
        --data-urlencode "email=$MATOMO_SUPERUSER_EMAIL"
    rm -f "$password_file"
    check_super_users

    installer_step firstWebsiteSetup 302 -X POST \
        --data-urlencode "siteName=$MATOMO_SITE_NAME" \
        --data-urlencode "url=$MATOMO_SITE_URL" \
        --data-urlencode "timezone=$MATOMO_SITE_TIMEZONE" \
        --data-urlencode "ecommerce=0"
    [ "$(db scalar 'SELECT COUNT(*) FROM {prefix}site')" -ge 1 ] || die "the first website was not created"

    # The last page's form ("default settings"): PrivacyManager's anonymise_ip box, which Matomo
    # shows checked and which, left unchecked, turns the IP anonymiser off; and GeoIp2's
    # setup_geoip2 box, left unchecked on purpose: it would download a GeoIP database into this
    # one node's read-only tree, and trackers geolocate from their own disk.
    local privacy=()
    [ "$MATOMO_ANONYMIZE_IP" = 1 ] && privacy=(--data-urlencode "anonymise_ip=1")
    installer_step finished 302 -X POST "${privacy[@]}" --data-urlencode "submit=Continue"
    if grep -q '^installation_in_progress' "$CONFIG"; then
        die "the installer did not mark the installation complete"
    fi
    check_super_users
    local anonymize
    anonymize=$(db get-option PrivacyManager.ipAnonymizerEnabled || true)
    [ "$anonymize" = "$MATOMO_ANONYMIZE_IP" ] || die "IP anonymisation stored as '$anonymize', not $MATOMO_ANONYMIZE_IP (privacy.anonymizeIp)"
    log "IP anonymisation stored as $anonymize"
}

update_matomo() {
    log "running core:update ($1)"
    local sections="$work/sections.before"
    sections_before > "$sections" || : > "$sections"
    php "$LIB/matomo-config-sections.php" assemble "$ADMIN_CONFIG" "$sections" > "$work/update.ini.php"
    writable_config "$work/update.ini.php"
    as_www php "$MATOMO_ROOT/console" core:update --yes --no-interaction
}

# The two users Matomo runs as (matomo-db-users.php), created or updated as the admin: every run
# sets their passwords again (rotation) and grants the tracker the tables that exist by now.
database_users() {
    local secret="$LIB/matomo-secret.sh"
    MATOMO_DB_APP_USER=$("$secret" "$MATOMO_DB_APP_SECRET_ARN" username) \
        MATOMO_DB_APP_PASSWORD=$("$secret" "$MATOMO_DB_APP_SECRET_ARN" password) \
        MATOMO_DB_TRACKER_USER=$("$secret" "$MATOMO_DB_TRACKER_SECRET_ARN" username) \
        MATOMO_DB_TRACKER_PASSWORD=$("$secret" "$MATOMO_DB_TRACKER_SECRET_ARN" password) \
        php "$LIB/matomo-db-users.php" "$ADMIN_CONFIG" | while read -r line; do log "$line"; done
}

# The stored plugin list is not this node's manifest: plugins to activate, upgrade or deactivate
# (see matomo-plugins.sh apply).
plugins_pending() {
    [ "$(db get-option "$PLUGINS_OPTION" 2> /dev/null || true)" != "$(plugins_applied)" ]
}

# The location provider, a database option every node's tracker reads (through its tracker cache,
# 5 minutes): geoip2php reads the database every node keeps in misc/ (matomo-geoip.sh). With
# geoIp off, Matomo's default provider again, as GeoIp2's deactivate() does.
set_location_provider() {
    local provider
    provider=$(db get-option "$LOCATION_PROVIDER_OPTION" || true)
    if [ "$MATOMO_GEOIP_PROVIDER" != off ] && [ "$provider" != geoip2php ]; then
        printf geoip2php | db set-option "$LOCATION_PROVIDER_OPTION"
        log "location provider set to geoip2php (was '${provider:-unset}')"
    elif [ "$MATOMO_GEOIP_PROVIDER" = off ] && [ "$provider" = geoip2php ]; then
        printf default | db set-option "$LOCATION_PROVIDER_OPTION"
        log "location provider set back to Matomo's default"
    fi
}

tables=$(db tables)
installed=$(db get-option version_core || true)
# An installed Matomo with no plugin sections stored by this library was installed elsewhere: adopt
# it (matomo-adopt.sh checks its old sections or stops), then go on from those as from our own.
# Only on "no such option" (exit 3): a failed query must never replace sections already stored.
stored=0
db get-option "$SECTIONS_OPTION" > /dev/null || stored=$?
adopting=
if [ "$tables" -gt 0 ] && [ -n "$installed" ] && [ "$stored" = 3 ]; then
    "$LIB/matomo-adopt.sh" "$installed"
    adopting=$PAYLOAD/adopt-sections.ini
fi

# The plugin sections Matomo starts from: those stored for every node, or while adopting, the old
# config's (stored at the end, from what Matomo then wrote).
sections_before() {
    if [ -n "$adopting" ]; then cat "$adopting"; else db get-option "$SECTIONS_OPTION"; fi
}

if [ "$tables" -eq 0 ]; then
    install_matomo
elif [ -z "$installed" ]; then
    die "found $tables tables with this prefix but no installed Matomo version: a partial or foreign install; refusing to touch it (drop the tables or finish it by hand)"
elif [ "$installed" = "$MATOMO_VERSION" ] && { [ -n "$adopting" ] || db get-option "$SECTIONS_OPTION" > /dev/null; }; then
    log "Matomo $MATOMO_VERSION is installed and current"
    set_location_provider
    plugins_pending || [ -n "$adopting" ] || { database_users; exit 0; }
    sections_before > "$work/sections.before"
    php "$LIB/matomo-config-sections.php" assemble "$ADMIN_CONFIG" "$work/sections.before" > "$work/activate.ini.php"
    writable_config "$work/activate.ini.php"
elif [ "$(printf '%s\n%s\n' "$installed" "$MATOMO_VERSION" | sort -V | tail -n 1)" != "$MATOMO_VERSION" ]; then
    die "the database holds Matomo $installed, newer than this node's $MATOMO_VERSION; refusing to run an older release against it"
else
    update_matomo "database at ${installed}, release $MATOMO_VERSION"
fi

[ "$(db get-option version_core || true)" = "$MATOMO_VERSION" ] || die "the database does not report Matomo $MATOMO_VERSION after setup"
"$LIB/matomo-plugins.sh" apply
set_location_provider
# Before the sections: trackers go on once those are stored, as their own user.
database_users
php "$LIB/matomo-config-sections.php" extract "$CONFIG" > "$work/sections"
db set-option "$SECTIONS_OPTION" < "$work/sections"
log "stored Matomo's plugin sections ($(grep -c '\[\]' "$work/sections") entries) for every node"
"$LIB/matomo-plugins.sh" record
