#!/bin/bash
# matomo-bootstrap: the one command cloud-init runs. Fetches this role's provisioning bundle from
# S3 by bucket, key AND version id (bundle.env, written by the same user data), refuses it unless
# its sha256 is the one pinned there, unpacks it over / and runs matomo-provision.
# A node that cannot get exactly its bundle stops here, loudly: without the bundle it has none of
# the provisioning scripts, so it never turns healthy and its group replaces it (see
# docs/provisioning.md, "The provisioning bundle").
# MATOMO_S3_ENDPOINT_URL, when set, replaces the regional endpoint (the boot test's stand-in).
set -euo pipefail

readonly PAYLOAD=/etc/matomo-provision
# shellcheck source=/dev/null
. "$PAYLOAD/provision.env"
# shellcheck source=/dev/null
. "$PAYLOAD/bundle.env"

# common.sh is in the bundle: the two helpers needed before it, with the same output format.
log() { printf '%s matomo-provision[%s]: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${MATOMO_ROLE:-?}" "$*"; }
die() { log "ERROR: $*" >&2; exit 1; }
: "${MATOMO_AWS_REGION:?}" "${MATOMO_BUNDLE_BUCKET:?}" "${MATOMO_BUNDLE_KEY:?}" "${MATOMO_BUNDLE_VERSION_ID:?}" "${MATOMO_BUNDLE_SHA256:?}"

# The AWS CLI (awscli, also in the provisioning's package list) reads S3 with the instance role.
if ! command -v aws > /dev/null; then
    log "installing the AWS CLI to fetch the provisioning bundle"
    export DEBIAN_FRONTEND=noninteractive
    for attempt in 1 2 3; do
        apt-get -o DPkg::Lock::Timeout=600 update -q && apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends awscli && break
        [ "$attempt" -lt 3 ] || die "could not install the AWS CLI; without it this node cannot fetch its provisioning bundle"
        sleep 5
    done
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
endpoint=()
if [ -n "${MATOMO_S3_ENDPOINT_URL:-}" ]; then
    endpoint=(--endpoint-url "$MATOMO_S3_ENDPOINT_URL")
fi
source="s3://$MATOMO_BUNDLE_BUCKET/$MATOMO_BUNDLE_KEY version $MATOMO_BUNDLE_VERSION_ID"
log "fetching the provisioning bundle $source"
# Retried: a new instance profile's credentials can take a few seconds to work.
for attempt in 1 2 3 4 5; do
    aws s3api get-object --region "$MATOMO_AWS_REGION" "${endpoint[@]}" --bucket "$MATOMO_BUNDLE_BUCKET" \
        --key "$MATOMO_BUNDLE_KEY" --version-id "$MATOMO_BUNDLE_VERSION_ID" "$work/bundle.tar.gz" > /dev/null && break
    [ "$attempt" -lt 5 ] || die "could not fetch the provisioning bundle $source; this node cannot provision"
    log "retrying ($attempt/5)"
    sleep 5
done
actual=$(sha256sum "$work/bundle.tar.gz" | cut -d' ' -f1)
[ "$actual" = "$MATOMO_BUNDLE_SHA256" ] \
    || die "the provisioning bundle $source has sha256 $actual, not $MATOMO_BUNDLE_SHA256 as pinned in user data; refusing to unpack it"
# Regular files only, root's (tar keeps the archive's owner and modes when run as root). The
# bundle is reproducible, every mtime 0, and PHP's opcache caches no script dated 0 (health.php
# runs every few seconds): --touch dates each file now, as matomo-release.sh does the release.
tar -xzf "$work/bundle.tar.gz" -C / --no-overwrite-dir --touch
log "provisioning bundle sha256 $actual verified and unpacked ($(tar -tzf "$work/bundle.tar.gz" | wc -l) files)"
rm -rf "$work"
trap - EXIT
exec /usr/local/sbin/matomo-provision
