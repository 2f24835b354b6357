#!/bin/bash
# matomo-containers.sh: this node's Tag Manager container files (js/container_*.js), written from
# the database by Matomo's own command (docs/runtime-files.md). Publishing a container writes its
# files only on the node that served the click; every node runs this as www-data once at boot and
# every minute from cron, so the trackers, which answer /js/*, serve what was published within a
# minute. Matomo writes a file only when its content changed (Context/Storage/Filesystem.php).
set -euo pipefail

readonly MATOMO_ROOT=/var/www/matomo

# Matomo knows a plugin's commands only while the plugin is activated, and Tag Manager ships
# deactivated: without the command there are no containers to write.
commands=$(php "$MATOMO_ROOT/console" list --raw --no-interaction) || { echo "matomo-containers: Matomo's console did not answer" >&2; exit 1; }
grep -q '^tagmanager:regenerate-released-containers ' <<< "$commands" || exit 0
php "$MATOMO_ROOT/console" tagmanager:regenerate-released-containers --no-interaction > /dev/null
