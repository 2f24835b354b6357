#!/bin/bash
# matomo-generated-files.sh: the files Matomo generates into its tree from database state, written
# on this node (docs/runtime-files.md). Matomo writes them only on the node that served the change
# (a ui node); every node runs this as www-data once at boot and every minute from cron, so what
# the trackers serve follows within a minute. Matomo writes each file only when its content changed.
#   - matomo.js/piwik.js: the tracker with plugin additions, which also depend on a setting kept in
#     the database (Privacy: "force cookieless tracking", PrivacyManager::shouldAddTrackerFile);
#   - js/container_*.js: Tag Manager's published containers.
# Quiet when all is well; a failing command's output goes to the cron job's log.
# Usage: matomo-generated-files.sh MATOMO_ROOT (cron and matomo-provision pass it: this runs as
# www-data, without common.sh).
set -euo pipefail

readonly MATOMO_ROOT=${1:?usage: matomo-generated-files.sh MATOMO_ROOT}

console() {
    local out
    out=$(php "$MATOMO_ROOT/console" "$@" --no-interaction 2>&1) || { printf '%s\n' "$out" >&2; echo "matomo-generated-files: console $1 failed" >&2; return 1; }
    printf '%s\n' "$out"
}

console custom-matomo-js:update > /dev/null
# Matomo knows a plugin's commands only while the plugin is activated (core/Console.php takes them
# from Plugin\Manager::findMultipleComponents, activated plugins only), and Tag Manager ships
# deactivated: without the command there are no containers to write.
# The list is read whole before it is searched: `console list | grep -q` under pipefail fails when
# grep stops at the match while the rest of a long list is still being written (SIGPIPE), and
# the containers would silently not be written.
commands=$(console list --raw)
if [[ $'\n'$commands == *$'\ntagmanager:regenerate-released-containers '* ]]; then
    console tagmanager:regenerate-released-containers > /dev/null
fi
