#!/bin/bash
# matomo-cloudwatch-agent.sh URL KEY_URL FINGERPRINT CONFIG
# Install AWS's CloudWatch agent, which ships this node's logs to the log groups the library
# created (Debian packages nothing that writes to CloudWatch Logs): download the .deb at URL, its
# detached signature URL.sig and AWS's public key at KEY_URL (https only); require that the key
# file holds exactly the key FINGERPRINT (full 40 hex digits), unexpired, and that the signature
# is a good one by it; only then install the package. Then load CONFIG (rendered by
# lib/provision/observability.ts) with the agent's own tool, which validates it, and start it.
# Exit 0: in place. 3: a download failed (provisioning warns and goes on: the node serves Matomo,
# its logs stay on its disk). Any other failure (bad or foreign signature, wrong key, dpkg, a
# config the agent refuses): refused.
set -euo pipefail

# shellcheck source=/dev/null
. "$(dirname "$0")/common.sh"

[ "$#" -eq 4 ] || die "usage: matomo-cloudwatch-agent.sh URL KEY_URL FINGERPRINT CONFIG"
url=$1 key_url=$2 fingerprint=${3^^} config=$4
[[ $fingerprint =~ ^[0-9A-F]{40}$ ]] || die "CloudWatch agent: not a full key fingerprint: '$fingerprint'"
readonly CTL=/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl

if [ "$(dpkg-query -W -f='${Status}' amazon-cloudwatch-agent 2> /dev/null || true)" != "install ok installed" ]; then
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    log "downloading the CloudWatch agent from $url"
    get() { retry_download 3 curl -fsS --proto '=https' --proto-redir '=https' --connect-timeout 10 -o "$2" "$1"; }
    if ! get "$url" "$work/agent.deb" || ! get "$url.sig" "$work/agent.deb.sig" || ! get "$key_url" "$work/agent.gpg"; then
        log "WARNING: could not download the CloudWatch agent, its signature or AWS's key: this node's logs stay on its disk until matomo-provision runs again"
        exit 3
    fi
    export GNUPGHOME="$work/gnupg"
    install -d -m 0700 "$GNUPGHOME"
    gpg --batch --quiet --import "$work/agent.gpg" 2> /dev/null || die "CloudWatch agent: cannot import the key from $key_url"
    keys=$(gpg --batch --with-colons --fingerprint 2> /dev/null)
    found=$(awk -F: '$1 == "fpr" { print $10 }' <<< "$keys" | head -n 1)
    if [ "$(grep -c '^pub:' <<< "$keys")" != 1 ] || [ "$found" != "$fingerprint" ]; then
        die "CloudWatch agent: $key_url does not hold exactly the pinned key $fingerprint; refusing to install"
    fi
    expires=$(awk -F: '$1 == "pub" { print $7 }' <<< "$keys")
    if [ -n "$expires" ] && [ "$expires" -le "$(date +%s)" ]; then
        die "CloudWatch agent: the pinned key $fingerprint expired on $(date -u -d "@$expires" +%F) (docs/observability.md says how to update it)"
    fi
    "$(dirname "$0")/matomo-verify-signature.sh" "$work/agent.deb" "$work/agent.deb.sig" "$fingerprint" \
        || die "CloudWatch agent: the package's signature does not verify against $fingerprint; refusing to install it"
    log "CloudWatch agent package signed by $fingerprint"
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "$work/agent.deb" > /dev/null
fi

# fetch-config translates and validates the JSON (it refuses an invalid one) and, with -s, (re)starts the agent.
if [ -d /run/systemd/system ]; then
    "$CTL" -a fetch-config -m ec2 -s -c "file:$config" > /dev/null || die "CloudWatch agent: the agent refused $config"
    log "CloudWatch agent configured and running"
else
    "$CTL" -a fetch-config -m ec2 -c "file:$config" > /dev/null || die "CloudWatch agent: the agent refused $config"
    log "CloudWatch agent configured; no systemd here, so it is not run"
fi
