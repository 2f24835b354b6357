#!/bin/bash
# matomo-plugins.sh install | apply | record
# The plugins of /etc/matomo-provision/plugins.manifest ("NAME VERSION SHA256 URL LICENSE" lines,
# rendered by lib/provision/plugins.ts), the same on every node. A line whose LICENSE is "bundled"
# names a plugin the release ships inactive (TagManager…): install skips it, apply and record treat
# it as any other line.
#   install  every node, before its config is written: each plugin at $MATOMO_ROOT/plugins/NAME
#            through matomo-plugin.sh (sha256 checked before unpacking); a plugin this script put
#            here before and the manifest no longer lists is taken away (a rerun by hand; a roll
#            starts from fresh nodes).
#   apply    a ui node, from matomo-ui-setup.sh while it holds the lock "matomo-provision" and
#            Matomo's config is writable: first deactivate what was activated here before and is no
#            longer listed (so no node keeps code the others lack active), then activate every
#            listed plugin, then core:update when one is new or upgraded (its migrations).
#   record   a ui node, after the plugin sections are stored: record the applied list ("NAME
#            VERSION" lines) in the database; other nodes wait until it matches their manifest.
# shellcheck disable=SC2153 # MATOMO_ROOT and STATE are common.sh's, not misspellings of MATOMO_ROLE
set -euo pipefail

readonly PAYLOAD=/etc/matomo-provision
readonly LIB=/usr/local/lib/matomo-provision

# shellcheck source=/dev/null
. "$PAYLOAD/provision.env"
# matomo-plugin.sh (a child) logs under the node's role too.
export MATOMO_ROLE
# shellcheck source=/dev/null
. "$LIB/common.sh"

listed() { awk -v n="$1" '$1 == n { found = 1 } END { exit !found }' "$PLUGIN_MANIFEST"; }
activated() { grep -qx "Plugins\[\] = \"$1\"" "$CONFIG"; }

install_plugins() {
    local name version sha256 url license key_file="" marker
    if grep -q ' marketplace$' "$PLUGIN_MANIFEST"; then
        key_file=$(mktemp)
        trap 'rm -f "$key_file"' EXIT
        ( umask 077 && "$LIB/matomo-secret.sh" "$MATOMO_MARKETPLACE_LICENSE_ARN" "$MATOMO_MARKETPLACE_LICENSE_KEY" > "$key_file" )
        # Matomo's own Marketplace client sends a key only when it is letters and digits
        # (plugins/Marketplace/Api/Service.php authenticate(): ctype_alnum).
        grep -qE '^[A-Za-z0-9]+$' "$key_file" \
            || die "the Marketplace license key in secret $MATOMO_MARKETPLACE_LICENSE_ARN is not letters and digits only, as Matomo's Marketplace client requires; not sending it"
    fi
    while read -r -u 3 name version sha256 url license; do
        if [ "$license" = bundled ]; then
            # Its code is the release's: nothing to download, and no marker (never removed from plugins/).
            [ -d "$MATOMO_ROOT/plugins/$name" ] || die "bundled plugin $name is not in this Matomo release ($MATOMO_ROOT/plugins/$name)"
            continue
        elif [ "$license" = marketplace ]; then
            "$LIB/matomo-plugin.sh" "$name" "$version" "$url" "$sha256" "$MATOMO_ROOT" "$STATE" "$key_file"
        else
            "$LIB/matomo-plugin.sh" "$name" "$version" "$url" "$sha256" "$MATOMO_ROOT" "$STATE"
        fi
    done 3< "$PLUGIN_MANIFEST"
    for marker in "$STATE"/plugin-*; do
        [ -e "$marker" ] || continue
        name=${marker##*/plugin-}
        listed "$name" && continue
        rm -rf "${MATOMO_ROOT:?}/plugins/$name"
        rm -f "$marker"
        log "removed plugin $name: no longer listed"
    done
}

# console COMMAND NAME: Matomo's plugin commands exit 0 even when they did nothing ("Cannot find
# plugin files", missing dependencies: plugins/CorePluginsAdmin/Commands/ActivatePlugin.php), so
# callers check the config Matomo wrote, and show Matomo's words when it is not as expected.
console() {
    as_www php "$MATOMO_ROOT/console" "$1" "$2" --no-interaction 2>&1
}

apply_plugins() {
    local stored name version out changed=0
    stored=$(db get-option "$PLUGINS_OPTION" 2> /dev/null || true)
    while read -r -u 4 name version; do
        [ -n "$name" ] || continue
        listed "$name" && continue
        log "deactivating plugin $name: no longer listed"
        out=$(console plugin:deactivate "$name") || die "plugin:deactivate $name failed: $out"
        log "$out"
        ! activated "$name" || die "plugin $name is still in [Plugins] after plugin:deactivate: $out"
    done 4<<< "$stored"
    while read -r -u 3 name version _; do
        out=$(console plugin:activate "$name") || die "plugin:activate $name failed: $out"
        log "$out"
        activated "$name" || die "plugin $name is not in [Plugins] after plugin:activate: $out"
        grep -qx "$name $version" <<< "$stored" || changed=1
    done 3< "$PLUGIN_MANIFEST"
    if [ "$changed" = 1 ]; then
        log "a plugin is new or upgraded: core:update runs its database migrations"
        as_www php "$MATOMO_ROOT/console" core:update --yes --no-interaction
    fi
}

case "${1:-}" in
    install) install_plugins ;;
    apply) apply_plugins ;;
    record)
        plugins_applied | db set-option "$PLUGINS_OPTION"
        log "recorded $(plugins_applied | grep -c . || true) applied plugins for every node"
        ;;
    *) die "usage: matomo-plugins.sh install | apply | record" ;;
esac
