#!/bin/bash
# matomo-queue-worker.sh QUEUE FORCE_AFTER CONSOLE: the QueuedTracking worker of one queue on a
# ui node (QUEUE is a queue id, or "all" for the plugin's single queue; CONSOLE is Matomo's, which
# cron passes: this runs as www-data, without common.sh). Started every minute by cron under
# `flock -n`, so exactly one runs per queue and node, and a killed one is back within a minute
# (cron runs under systemd on a real node and directly in a chroot alike).
#
# Why a loop around single runs: one `queuedtracking:process` run stops after 501 batches
# (Queue/Processor.php: `$loops > $numMaxBatchesToProcess`, set to 500 by Commands/Process.php),
# 12,525 requests with batches of 25, so a run per minute drains at most ~209 requests/s. Here the
# next run starts as soon as one ends while it found work, and each run is a fresh PHP process
# (Matomo's code and config as they are on disk now, no memory carried over).
#
# Why the forced run: the plugin takes a queue only when it holds at least numRequestsToProcess
# request sets (Queue.php `shouldProcess` → backend `hasAtLeastXRequestsQueued`; Processor.php
# stops on a batch smaller than that), so on a quiet site up to numRequestsToProcess - 1 hits
# would wait for the next ones indefinitely. When no run has processed anything for FORCE_AFTER
# seconds, one run takes batches of 1 (`--force-num-requests-process-at-once=1`, Commands/
# Process.php), which empties the queue. A hit therefore waits at most FORCE_AFTER + IDLE_PAUSE
# seconds + two runs (docs/provisioning.md, *QueuedTracking*).
set -euo pipefail

[ "$#" -eq 3 ] || { echo "usage: matomo-queue-worker.sh QUEUE FORCE_AFTER CONSOLE" >&2; exit 2; }
queue=$1 force_after=$2 console=$3
[[ $queue =~ ^([0-9]+|all)$ ]] || { echo "bad queue '$queue'" >&2; exit 2; }
[[ $force_after =~ ^[0-9]+$ ]] || { echo "bad FORCE_AFTER '$force_after'" >&2; exit 2; }
# Between runs that found nothing: each run boots Matomo's tracker environment, which costs CPU.
readonly IDLE_PAUSE=5

args=()
[ "$queue" = all ] || args=(--queue-id="$queue")

say() { printf '%s queue %s: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$queue" "$*"; }

# run [extra option]: one queuedtracking:process run; sets $processed to the requests it tracked,
# from the plugin's own summary ("... (<n> requests in <s> seconds)", Commands/Process.php). Only
# runs that tracked something or failed are logged, so an idle queue does not fill the log.
processed=0
run() {
    local out status=0
    out=$(php "$console" queuedtracking:process "${args[@]}" "$@" --no-interaction 2>&1) || status=$?
    processed=$(sed -n 's/.*(\([0-9][0-9]*\) requests in .*/\1/p' <<< "$out" | tail -n 1)
    processed=${processed:-0}
    if [ "$status" -ne 0 ]; then
        say "queuedtracking:process $* exited $status:"
        printf '%s\n' "$out"
        return 1
    fi
    [ "$processed" -eq 0 ] || say "processed $processed requests${1:+ ($1)}"
}

say "worker started (pid $$), forcing a queue below a full batch after ${force_after}s"
last_work=$(date +%s)
while :; do
    if ! run; then
        # Redis or the database away: try again soon, without spinning.
        sleep "$IDLE_PAUSE"
        continue
    fi
    if [ "$processed" -gt 0 ]; then
        last_work=$(date +%s)
        continue
    fi
    if [ $(( $(date +%s) - last_work )) -ge "$force_after" ]; then
        run --force-num-requests-process-at-once=1 || true
        last_work=$(date +%s)
    fi
    sleep "$IDLE_PAUSE"
done
