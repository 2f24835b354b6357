#!/bin/bash
# matomo-fpm-pool.sh TEMPLATE VCPUS MEM_MB: prints the php-fpm pool TEMPLATE (lib/provision/php.ts)
# with its sizes filled in for a node with VCPUS vCPUs and MEM_MB of MemTotal. The template's
# "; sizing: K RESERVE WORKER LEAST" line gives the role's numbers; the formula is fpmPoolSize's:
#   max_children = min(K x VCPUS, (MEM_MB - RESERVE) / WORKER), refused below LEAST
#   min_spare = min(VCPUS, max_children), max_spare = min(2 x VCPUS, max_children)
set -euo pipefail
v=$2 m=$3
read -r k reserve w least < <(sed -n 's/^; sizing: \([0-9]*\) \([0-9]*\) \([0-9]*\) \([0-9]*\)$/\1 \2 \3 \4/p' "$1")
n=$(( k * v < (m - reserve) / w ? k * v : (m - reserve) / w ))
(( v > 0 && n >= least )) || { echo "matomo-fpm-pool.sh: $v vCPUs, $m MB: this role needs at least $(( reserve + least * w )) MB" >&2; exit 1; }
sed -e "s/@PM_MAX_CHILDREN@/$n/" -e "s/@PM_MIN_SPARE@/$(( v < n ? v : n ))/g" -e "s/@PM_MAX_SPARE@/$(( 2 * v < n ? 2 * v : n ))/" "$1"
