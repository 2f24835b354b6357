#!/bin/bash
# matomo-adopt.sh INSTALLED_VERSION: run by matomo-ui-setup.sh, under the database lock
# "matomo-provision", when the database holds an installed Matomo (its tables, and version_core in
# its option table: what Matomo itself checks, core/DbHelper.php isInstalled and the Updater's
# component versions) but no plugin sections stored by this library: a Matomo installed elsewhere,
# being adopted. Checks the plugin sections of its old config.ini.php (the arguments adopt.*,
# rendered to adopt-sections.ini), which matomo-ui-setup.sh then starts from as from sections of
# its own (core:update once if the release is newer). Stores nothing: the sections reach the
# database only once the whole setup succeeded, so a failed core:update leaves no row that
# trackers would take, or that would keep a corrected rerun from adopting again. Never runs the
# installer, never writes a Matomo table.
set -euo pipefail

readonly PAYLOAD=/etc/matomo-provision
readonly LIB=/usr/local/lib/matomo-provision

# shellcheck source=/dev/null
. "$PAYLOAD/provision.env"
# shellcheck source=/dev/null
. "$LIB/common.sh"


installed=${1:?usage: matomo-adopt.sh INSTALLED_VERSION}
sections=$PAYLOAD/adopt-sections.ini

# A newer database than this release is never adopted (matomo-ui-setup.sh refuses it too).
if [ "$(printf '%s\n%s\n' "$installed" "$MATOMO_VERSION" | sort -V | tail -n 1)" != "$MATOMO_VERSION" ]; then
    die "the database holds Matomo $installed, newer than this node's $MATOMO_VERSION; refusing to adopt it with an older release"
fi
if [ ! -f "$sections" ]; then
    die "the database holds Matomo $installed but no plugin sections stored by this library: a Matomo installed elsewhere (or a first install here that stopped half-way; see this log above). To adopt it, give adopt.installedPlugins and adopt.activatedPlugins from its old config.ini.php (npm run import-config prints them). Nothing was changed"
fi

# Every plugin the old config activated must have its code on this node, or Matomo would run
# without it here while the old server ran with it. A plugin's code is there as Matomo sees it
# (core/Plugin/Manager.php pluginStructureLooksValid): plugins/NAME/NAME.php or plugin.json.
missing=()
while IFS= read -r name; do
    [ -f "$MATOMO_ROOT/plugins/$name/plugin.json" ] || [ -f "$MATOMO_ROOT/plugins/$name/$name.php" ] || missing+=("$name")
done < <(sed -n 's/^Plugins\[\] = "\([A-Za-z0-9_]*\)"$/\1/p' "$sections")
if [ "${#missing[@]}" -gt 0 ]; then
    die "adopting Matomo $installed: its config activated plugins whose code is not on this node: ${missing[*]}. Put them on every node first (the plugins argument), or leave them out of adopt.activatedPlugins. Nothing was changed"
fi

log "adopting Matomo $installed installed elsewhere: carrying over the plugin sections of its old config ($(grep -c '^Plugins\[\]' "$sections" || true) activated, $(grep -c '^PluginsInstalled\[\]' "$sections" || true) installed)"
