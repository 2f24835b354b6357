#!/bin/bash
# matomo-reach.sh < TARGETS: before provisioning waits on anything, check that this node reaches
# every host it is about to need, all at once and within a bound, so that a subnet without a route
# to the internet (or to a VPC endpoint) is named in the log within a minute instead of showing as
# apt's or curl's retries for many minutes. TARGETS are lines "required|optional URL WHAT...":
# URL is one the node will really use (its scheme, host and port are probed, never the path: the
# probe downloads no release), WHAT says what needs it. Each host:port is asked for its root page
# with curl; any HTTP answer (even 403 or 404) counts as reached, a connection or TLS failure does
# not. Every line is tried REACH_ATTEMPTS times, REACH_PAUSE s apart, each try bounded by
# REACH_CONNECT_TIMEOUT s to connect and REACH_MAX_TIME s in all; the probes run in parallel.
#   A required host not reached: "ERROR: cannot reach HOST:PORT (WHAT)" (common.sh's log, the line
#   the provisioning-failures metric filter counts); exit 1. An optional one: a WARNING line.
# Exit 0 when every required host answered. `matomo-reach.sh bound` prints the worst case in seconds.
set -euo pipefail

# shellcheck source=/dev/null
. "$(dirname "$0")/common.sh"

readonly REACH_ATTEMPTS=3 REACH_PAUSE=5 REACH_CONNECT_TIMEOUT=5 REACH_MAX_TIME=10

if [ "${1:-}" = bound ]; then
    echo $((REACH_ATTEMPTS * REACH_MAX_TIME + (REACH_ATTEMPTS - 1) * REACH_PAUSE))
    exit 0
fi

# origin URL: "scheme://host:port" with the scheme's default port made explicit (hkps is HTTPS).
origin() {
    local url=$1 scheme rest authority host port
    scheme=${url%%://*}
    rest=${url#*://}
    authority=${rest%%/*}
    authority=${authority##*@}
    case $scheme in
        http) port=80 ;;
        https | hkps) port=443 scheme=https ;;
        *) return 1 ;;
    esac
    host=$authority
    if [[ $authority =~ ^(.*):([0-9]+)$ ]]; then host=${BASH_REMATCH[1]} port=${BASH_REMATCH[2]}; fi
    [ -n "$host" ] || return 1
    echo "$scheme://$host:$port"
}

# probe KIND ORIGIN WHAT: one host, REACH_ATTEMPTS tries; reports only a failure.
probe() {
    local kind=$1 url=$2 what=$3 i=1 error
    until error=$(curl -sS -o /dev/null --connect-timeout "$REACH_CONNECT_TIMEOUT" --max-time "$REACH_MAX_TIME" "$url/" 2>&1); do
        if [ "$i" -ge "$REACH_ATTEMPTS" ]; then
            if [ "$kind" = required ]; then
                log "ERROR: cannot reach ${url#*://} ($what): ${error:-no answer}" >&2
            else
                log "WARNING: cannot reach ${url#*://} ($what): ${error:-no answer}; going on without it" >&2
            fi
            return 1
        fi
        i=$((i + 1))
        sleep "$REACH_PAUSE"
    done
}

# One probe per kind and host:port, naming everything that needs it.
declare -A needs=()
while read -r kind url what; do
    [ -n "${kind:-}" ] || continue
    [ "$kind" = required ] || [ "$kind" = optional ] || die "matomo-reach: '$kind' is neither required nor optional"
    o=$(origin "$url") || die "matomo-reach: cannot probe '$url' (not an http, https or hkps URL)"
    key="$kind $o"
    needs[$key]="${needs[$key]:+${needs[$key]}; }$what"
done

declare -A pids=()
for key in "${!needs[@]}"; do
    probe "${key%% *}" "${key#* }" "${needs[$key]}" &
    pids[$key]=$!
done
failed=0
for key in "${!pids[@]}"; do
    if ! wait "${pids[$key]}" && [ "${key%% *}" = required ]; then failed=$((failed + 1)); fi
done
if [ "$failed" -gt 0 ]; then
    exit 1
fi
[ "${#needs[@]}" -eq 0 ] || log "every required host answered (${#needs[@]} probed)"
