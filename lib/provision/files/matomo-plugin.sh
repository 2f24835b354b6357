#!/bin/bash
# matomo-plugin.sh NAME VERSION URL SHA256 MATOMO_ROOT STATE_DIR [LICENSE_FILE]
# Put a plugin release at MATOMO_ROOT/plugins/NAME, the same on every node: download the zip from
# URL (https only), refuse it unless its sha256 is SHA256, require NAME/plugin.json naming NAME and
# VERSION, and install it owned like the rest of the tree (root, not writable by PHP). Does nothing
# when that zip is already in place; never replaces a plugin of Matomo's release. LICENSE_FILE: a
# file holding the Marketplace license key, posted as Matomo's Marketplace client does
# (plugins/Marketplace/Api/Service.php download(): POST, field access_token); the key never
# appears on a command line. Activating the plugin is matomo-plugins.sh apply's job.
set -euo pipefail

# shellcheck source=/dev/null
. "$(dirname "$0")/common.sh"

[ "$#" -eq 6 ] || [ "$#" -eq 7 ] || die "usage: matomo-plugin.sh NAME VERSION URL SHA256 MATOMO_ROOT STATE_DIR [LICENSE_FILE]"
name=$1 version=$2 url=$3 sha256=$4 root=$5 state=$6 license=${7:-}
dest="$root/plugins/$name"
marker="$state/plugin-$name"
# Matomo's own rule (core/Plugin/Manager.php isValidPluginName).
[[ $name =~ ^[A-Za-z][A-Za-z0-9_]{0,59}$ ]] || die "bad plugin name '$name'"
[[ $sha256 =~ ^[0-9a-f]{64}$ ]] || die "bad sha256 '$sha256' for plugin $name"
[ -d "$root/plugins" ] || die "no Matomo at $root (plugins/ is missing)"

plugin_json_field() {
    # shellcheck disable=SC2016
    php -r '$j = json_decode((string) file_get_contents($argv[1]), true); echo is_array($j) && is_string($j[$argv[2]] ?? null) ? $j[$argv[2]] : "";' "$1" "$2"
}

# A new Matomo release replaces the whole tree, plugins/ included: then the marker alone is stale.
if [ -f "$marker" ] && [ "$(cat "$marker")" = "$sha256 $url" ] && [ -f "$dest/plugin.json" ] \
    && [ "$(plugin_json_field "$dest/plugin.json" version)" = "$version" ]; then
    log "plugin $name $version already in place"
    exit 0
fi

# A directory there without our marker came with Matomo's release.
[ -e "$dest" ] && [ ! -f "$marker" ] && die "plugins/$name ships with Matomo's release; refusing to replace it"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log "downloading plugin $name $version from $url"
post=()
[ -z "$license" ] || post=(--data-urlencode "access_token@$license")
retry 5 curl -fsSL --proto '=https' --proto-redir '=https' "${post[@]}" -o "$work/plugin.zip" "$url"
echo "$sha256  $work/plugin.zip" | sha256sum -c --quiet > /dev/null 2>&1 \
    || die "plugin $name: the zip from $url has sha256 $(sha256sum "$work/plugin.zip" | cut -d' ' -f1), not the configured $sha256; refusing to install it"
log "plugin zip matches the configured sha256"

unzip -q "$work/plugin.zip" -d "$work/x"
[ -f "$work/x/$name/plugin.json" ] || die "plugin $name: the zip has no $name/plugin.json"
[ "$(plugin_json_field "$work/x/$name/plugin.json" name)" = "$name" ] || die "plugin $name: $name/plugin.json names another plugin"
found=$(plugin_json_field "$work/x/$name/plugin.json" version)
[ "$found" = "$version" ] || die "plugin $name: the zip holds release '$found', not the pinned $version"

chown -R root:root "$work/x/$name"
chmod -R u+rwX,go+rX,go-w "$work/x/$name"
rm -rf "$dest"
mv "$work/x/$name" "$dest"
install -d -m 0755 "$state"
echo "$sha256 $url" > "$marker"
log "plugin $name $version installed at $dest"
