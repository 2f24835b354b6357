#!/bin/bash
# matomo-plugin.sh NAME VERSION URL SHA256 MATOMO_ROOT STATE_DIR [LICENSE_FILE]
# Put a plugin release at MATOMO_ROOT/plugins/NAME, the same on every node: download the zip from
# URL (https only), refuse it unless its sha256 is SHA256, require NAME/plugin.json naming NAME and
# VERSION, and install it owned like the rest of the tree (root, not writable by PHP). Before
# unpacking, an archive with anything but plain files and directories inside NAME/ is refused. Does nothing
# when that zip is already in place; never replaces a plugin of Matomo's release. LICENSE_FILE: a
# file holding the Marketplace license key, posted as Matomo's Marketplace client does
# (plugins/Marketplace/Api/Service.php download(): POST, field access_token); the key never
# appears on a command line, and is never sent on through a redirect. Activating the plugin is
# matomo-plugins.sh apply's job.
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
if [ -z "$license" ]; then
    retry_download 5 curl -fsSL --proto '=https' --proto-redir '=https' -o "$work/plugin.zip" "$url"
else
    # The key goes to $url and nowhere else: with -L curl re-posts the body on a 307/308 to
    # wherever it points. So no -L; a redirect is fetched once more without the key (a signed
    # download link needs none), and the pinned sha256 decides either way.
    retry_download 5 curl -fsS --proto '=https' --data-urlencode "access_token@$license" -o "$work/plugin.zip" \
        -w '%{http_code} %{redirect_url}\n' "$url" > "$work/answer" || die "plugin $name: downloading $url failed"
    read -r code location < <(tail -n 1 "$work/answer")
    case $code in
        200) ;;
        301 | 302 | 303 | 307 | 308)
            [[ ${location:-} == https://* ]] || die "plugin $name: $url answered HTTP $code without an https Location; not following it"
            log "plugin $name: $url answered HTTP $code; fetching ${location%%\?*} without the license key"
            retry_download 5 curl -fsSL --proto '=https' --proto-redir '=https' -o "$work/plugin.zip" "$location" ;;
        *) die "plugin $name: $url answered HTTP $code, not the plugin's zip" ;;
    esac
fi
echo "$sha256  $work/plugin.zip" | sha256sum -c --quiet > /dev/null 2>&1 \
    || die "plugin $name: the zip from $url has sha256 $(sha256sum "$work/plugin.zip" | cut -d' ' -f1), not the configured $sha256; refusing to install it"
log "plugin zip matches the configured sha256"

# Before anything is unpacked: nothing but plain files and directories, all inside $name/ (a
# symlink such as $name/images/cfg.png -> ../../config/config.ini.php would be served by nginx).
# zipinfo -s shows each entry's Unix type as its first character; -1 the bare names.
zipinfo -1 "$work/plugin.zip" > "$work/names" 2> /dev/null || die "plugin $name: the download is not a zip archive"
grep -qFx "$name/plugin.json" "$work/names" || die "plugin $name: the zip has no $name/plugin.json"
while IFS= read -r entry; do
    [[ $entry == "$name"/* && $entry != *\\* ]] || die "plugin $name: the zip has an entry outside $name/ ($(printf %q "$entry")); refusing it"
    [[ /$entry/ != */../* && /$entry/ != */./* && /$entry/ != *//*/* ]] \
        || die "plugin $name: the zip has an entry outside $name/ ($(printf %q "$entry"), with . or .. or an empty segment); refusing it"
done < "$work/names"
zipinfo -s "$work/plugin.zip" | sed '1,2d;$d' | cut -c1 | sort -u > "$work/types"
grep -qvx '[-d]' "$work/types" \
    && die "plugin $name: the zip has an entry that is not a plain file or directory (a symlink, device or fifo: type '$(grep -vx '[-d]' "$work/types" | tr -d '\n')'); refusing it"
unzip -q "$work/plugin.zip" -d "$work/x"
# What unzip made must be what the listing said: only files and directories, no file with a second
# name (a hard link; Info-ZIP's format has none, this holds whatever the archive tried).
[ -z "$(find "$work/x" \( \( ! -type f ! -type d \) -o \( -type f -links +1 \) \) -print -quit)" ] \
    || die "plugin $name: unpacking made something that is not a plain file or directory, or a hard link; refusing it"
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
