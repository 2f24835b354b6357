#!/bin/bash
# matomo-metric.sh: publish this node's metrics to CloudWatch (namespace, cluster and region from
# /etc/matomo-provision/metrics.env; the names are lib/provision/observability.ts's NODE_METRICS).
#   matomo-metric.sh archive COMMAND...  run COMMAND (core:archive); when it exits 0, publish
#                                        ArchivingSucceeded=1 and ArchivingDurationSeconds. Exits
#                                        with COMMAND's status.
#   matomo-metric.sh deep-check          run matomo-deep-check.php; publish DatabaseReachable 1 or 0.
#   matomo-metric.sh queue-backlog       publish QueueBacklog of every QueuedTracking queue.
# Run by cron as www-data, with the instance role's credentials. A metric that cannot be sent is
# reported on stderr (the job's log) and never fails the job it reports on.
# MATOMO_METRICS_ENDPOINT_URL (metrics.env, from observability.metricsEndpointUrl), when set,
# replaces the regional endpoint (an interface VPC endpoint without private DNS, or the boot test's stand-in).
set -euo pipefail

readonly LIB=/usr/local/lib/matomo-provision
# shellcheck source=/dev/null
. /etc/matomo-provision/metrics.env
: "${MATOMO_AWS_REGION:?}" "${MATOMO_METRICS_NAMESPACE:?}" "${MATOMO_METRICS_CLUSTER:?}"

# put NAME VALUE UNIT [DIMENSION=VALUE ...]
put() {
    local name=$1 value=$2 unit=$3 dimensions="Cluster=$MATOMO_METRICS_CLUSTER" endpoint=()
    shift 3
    for d in "$@"; do dimensions+=",$d"; done
    [ -z "${MATOMO_METRICS_ENDPOINT_URL:-}" ] || endpoint=(--endpoint-url "$MATOMO_METRICS_ENDPOINT_URL")
    aws cloudwatch put-metric-data --region "$MATOMO_AWS_REGION" "${endpoint[@]}" --namespace "$MATOMO_METRICS_NAMESPACE" \
        --metric-name "$name" --value "$value" --unit "$unit" --dimensions "$dimensions" \
        || echo "matomo-metric: could not publish $name=$value" >&2
}

case ${1:-} in
    archive)
        shift
        [ "$#" -gt 0 ] || { echo "usage: matomo-metric.sh archive COMMAND..." >&2; exit 2; }
        started=$(date +%s)
        status=0
        "$@" || status=$?
        if [ "$status" -eq 0 ]; then
            put ArchivingSucceeded 1 Count
            put ArchivingDurationSeconds "$(( $(date +%s) - started ))" Seconds
        fi
        exit "$status"
        ;;
    deep-check)
        # The database's line alone: the check also exits 1 while this node's provisioning has not
        # finished, which says nothing about the database.
        reachable=0
        report=$(php "$LIB/matomo-deep-check.php") || true
        if [[ $'\n'$report$'\n' == *$'\ndatabase: reachable\n'* ]]; then reachable=1; fi
        put DatabaseReachable "$reachable" Count
        ;;
    queue-backlog)
        php "$LIB/matomo-queue-backlog.php" | while read -r queue length; do
            put QueueBacklog "$length" Count "Queue=$queue"
        done
        ;;
    *)
        echo "usage: matomo-metric.sh archive COMMAND... | deep-check | queue-backlog" >&2
        exit 2
        ;;
esac
