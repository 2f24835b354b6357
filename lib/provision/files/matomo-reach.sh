#!/bin/bash
# matomo-reach.sh: before provisioning waits on anything, check that this node reaches every host
# it is about to need, all at once and within a bound, so that a subnet without a route to the
# internet (or to a VPC endpoint) is named in the log within a minute instead of showing as apt's
# or curl's retries for many minutes (docs/aws.md, "What nodes reach").
#   matomo-reach.sh targets PAYLOAD [MISSING_PACKAGE...]
#       print what this run needs, from PAYLOAD/provision.env (and metrics.env), the node's apt
#       sources and what is already in place: lines "required|optional URL WHAT...".
#   matomo-reach.sh < TARGETS
#       probe them. URL is one the node will really use; its scheme, host and port are probed,
#       never its path (no release is downloaded). Each host:port is asked for its root page with
#       curl; any HTTP answer (even 403 or 404) counts as reached, a connection or TLS failure does
#       not (without curl yet: a TCP connect). Each is tried REACH_ATTEMPTS times, REACH_PAUSE s
#       apart, each try bounded by REACH_CONNECT_TIMEOUT s to connect and REACH_MAX_TIME s in all;
#       all hosts in parallel.
#       A required host not reached: "ERROR: cannot reach HOST:PORT (WHAT)" (common.sh's log format,
#       the line the provisioning-failures metric filter counts) and exit 1; an optional one: a
#       WARNING line. Exit 0 when every required host answered.
#   matomo-reach.sh bound
#       print the probe's worst case in seconds.
set -euo pipefail

# shellcheck source=/dev/null
. "$(dirname "$0")/common.sh"

readonly REACH_ATTEMPTS=3 REACH_PAUSE=$RETRY_PAUSE REACH_CONNECT_TIMEOUT=5 REACH_MAX_TIME=10

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

# once ORIGIN: one try. curl when installed (TLS too); before it is (a minimal image: curl is
# among the packages provisioning installs) a TCP connect with bash's /dev/tcp, bounded by timeout.
once() {
    local url=$1 hostport out status=0
    if command -v curl > /dev/null; then
        curl -sS -o /dev/null --connect-timeout "$REACH_CONNECT_TIMEOUT" --max-time "$REACH_MAX_TIME" "$url/" 2>&1
        return
    fi
    hostport=${url#*://}
    # shellcheck disable=SC2016 # $1 and $2 are the inner bash's arguments
    out=$(timeout "$REACH_CONNECT_TIMEOUT" bash -c 'exec 3<> "/dev/tcp/$1/$2"' _ "${hostport%:*}" "${hostport##*:}" 2>&1) || status=$?
    [ "$status" != 0 ] || return 0
    if [ "$status" = 124 ]; then
        echo "no TCP connection within ${REACH_CONNECT_TIMEOUT}s (TCP only: curl is not installed yet)"
    else
        out=${out%%$'\n'*}
        out=${out#_: }
        echo "no TCP connection: ${out#line 1: } (TCP only: curl is not installed yet)"
    fi
    return 1
}

# probe KIND ORIGIN WHAT: one host, REACH_ATTEMPTS tries; reports only a failure.
probe() {
    local kind=$1 url=$2 what=$3 i=1 error
    until error=$(once "$url"); do
        # One line: the metric filter and a reader count lines.
        error=${error//$'\n'/ }
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

# Every URI the node's apt sources name (one-line and deb822 formats), as apt-get update uses them.
# MATOMO_REACH_APT_DIR: another /etc/apt (the tests').
apt_uris() {
    local f apt=${MATOMO_REACH_APT_DIR:-/etc/apt}
    for f in "$apt/sources.list" "$apt"/sources.list.d/*.list; do
        # "deb [options] URI suite...": the options go first, then the URI is the second word.
        if [ -f "$f" ]; then awk '$1 == "deb" || $1 == "deb-src" { sub(/\[[^]]*\]/, ""); print $2 }' "$f"; fi
    done
    for f in "$apt"/sources.list.d/*.sources; do
        if [ -f "$f" ]; then awk 'tolower($1) == "uris:" { for (i = 2; i <= NF; i++) print $i }' "$f"; fi
    done
}
installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2> /dev/null || true)" = "install ok installed" ]; }

# targets PAYLOAD [MISSING_PACKAGE...]: what the provisioning steps will fetch, each only when the
# step will fetch it (what is in place already is not probed: a pre-built image needs no mirror).
targets() {
    local payload=$1 uri list name version url
    shift
    # shellcheck source=/dev/null
    . "$payload/provision.env"
    if [ "$#" -gt 0 ]; then
        apt_uris | sort -u | while read -r uri; do
            # mirror+file:/etc/apt/mirrors/x.list (apt's mirror method, as cloud images use it): the mirrors it lists.
            if [[ $uri == mirror+file:* ]]; then
                list=${uri#mirror+file:}
                { grep -Eo '^https?://[^[:space:]]+' "${list#//}" 2> /dev/null || true; } | sed 's/^/required /; s/$/ apt: Debian packages/'
            elif [[ ${uri#mirror+} == http://* || ${uri#mirror+} == https://* ]]; then
                echo "required ${uri#mirror+} apt: Debian packages"
            fi
        done
    fi
    if [ "$(cat "$STATE/release" 2> /dev/null || true)" != "$MATOMO_VERSION $MATOMO_DOWNLOAD_URL" ]; then
        echo "required $MATOMO_DOWNLOAD_URL the Matomo release"
        if [ "$MATOMO_VERIFY" = signature ]; then
            for url in $MATOMO_KEYSERVERS; do echo "optional $url Matomo's signing key (one keyserver is enough)"; done
        fi
    fi
    if [ -f "$PLUGIN_MANIFEST" ]; then
        # A bundled plugin (LICENSE "bundled", URL "-") ships with the release: nothing to fetch.
        while read -r name version _ url license; do
            if [ -n "${name:-}" ] && [ "${license:-}" != bundled ] && [ ! -f "$MATOMO_ROOT/plugins/$name/plugin.json" ]; then echo "required $url plugin $name $version"; fi
        done < "$PLUGIN_MANIFEST"
    fi
    installed amazon-ssm-agent || echo "optional $MATOMO_SSM_AGENT_URL the SSM Agent package"
    if [ "$MATOMO_CLOUDWATCH" = 1 ]; then
        if ! installed amazon-cloudwatch-agent; then
            echo "optional $MATOMO_CLOUDWATCH_AGENT_URL the CloudWatch agent package"
            echo "optional $MATOMO_CLOUDWATCH_AGENT_KEY_URL the CloudWatch agent's signing key"
        fi
        echo "optional https://logs.$MATOMO_AWS_REGION.amazonaws.com the CloudWatch agent (this log)"
    fi
    # A bake stops after the release and plugins (matomo-provision.sh step 2): nothing below then.
    [ "${MATOMO_PROVISION_MODE:-boot}" != bake ] || return 0
    # MATOMO_SECRETS_ENDPOINT_URL: as matomo-secret.sh reads it.
    echo "required ${MATOMO_SECRETS_ENDPOINT_URL:-https://secretsmanager.$MATOMO_AWS_REGION.amazonaws.com} Secrets Manager: the config's secrets"
    if [ "$MATOMO_DB_TLS" = 1 ] && [ ! -s "$MATOMO_DB_CA_PATH" ]; then echo "required $MATOMO_DB_CA_URL the database's CA bundle"; fi
    if [ "$MATOMO_GEOIP_PROVIDER" != off ] && [ ! -f "/var/lib/matomo-geoip/$MATOMO_GEOIP_FILE" ]; then
        echo "required $MATOMO_GEOIP_URL the location database"
    fi
    # The ui's metrics (matomo-metric.sh, which never fails a job it reports on).
    if [ "$MATOMO_ROLE" = ui ] && [ -f "$payload/metrics.env" ]; then
        # shellcheck source=/dev/null
        . "$payload/metrics.env"
        echo "optional ${MATOMO_METRICS_ENDPOINT_URL:-https://monitoring.$MATOMO_AWS_REGION.amazonaws.com} CloudWatch: the node metrics"
    fi
}

case ${1:-} in
    bound)
        echo $((REACH_ATTEMPTS * REACH_MAX_TIME + (REACH_ATTEMPTS - 1) * REACH_PAUSE))
        exit 0
        ;;
    targets)
        shift
        [ "$#" -ge 1 ] || die "usage: matomo-reach.sh targets PAYLOAD [MISSING_PACKAGE...]"
        targets "$@"
        exit 0
        ;;
    "") ;;
    *) die "usage: matomo-reach.sh [targets PAYLOAD [MISSING_PACKAGE...] | bound] (probe: targets on stdin)" ;;
esac

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
