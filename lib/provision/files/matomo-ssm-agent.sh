#!/bin/bash
# matomo-ssm-agent.sh URL FINGERPRINT KEYFILE
# Install AWS's SSM Agent, which Session Manager needs (nodes have no SSH; Debian's AMIs do not
# ship the agent): download the .deb at URL and its detached signature URL.sig (https only),
# import KEYFILE into a throwaway keyring, require that it holds exactly the key FINGERPRINT (full
# 40 hex digits), unexpired, and that the signature is a good one by it; only then install it.
# Does nothing when the agent is installed already (with systemd: makes sure it runs).
# Exit 0: in place. 3: the .deb could not be downloaded (provisioning warns and goes on).
# Any other failure (bad, missing or foreign signature, wrong or expired key, dpkg): refused.
set -euo pipefail

# shellcheck source=/dev/null
. "$(dirname "$0")/common.sh"

[ "$#" -eq 3 ] || die "usage: matomo-ssm-agent.sh URL FINGERPRINT KEYFILE"
url=$1 fingerprint=${2^^} keyfile=$3
[[ $fingerprint =~ ^[0-9A-F]{40}$ ]] || die "SSM Agent: not a full key fingerprint: '$fingerprint'"

# With systemd: enabled and running. Without (a chroot, a container): installed is all we can do.
ensure_running() {
    if [ ! -d /run/systemd/system ]; then
        log "SSM Agent installed; no systemd here, so it is not run"
    elif ! systemctl is-active --quiet amazon-ssm-agent; then
        systemctl enable --now --quiet amazon-ssm-agent
        log "SSM Agent enabled and started"
    else
        log "SSM Agent installed and running"
    fi
}

if [ "$(dpkg-query -W -f='${Status}' amazon-ssm-agent 2> /dev/null || true)" = "install ok installed" ]; then
    ensure_running
    exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log "downloading the SSM Agent from $url"
get() { retry_download 3 curl -fsS --proto '=https' --proto-redir '=https' --connect-timeout 10 -o "$2" "$1"; }
if ! get "$url" "$work/agent.deb"; then
    log "WARNING: could not download the SSM Agent from $url: this node has no Session Manager access until matomo-provision runs again"
    exit 3
fi
get "$url.sig" "$work/agent.deb.sig" || die "SSM Agent: no signature at $url.sig; refusing to install an unsigned package"

export GNUPGHOME="$work/gnupg"
install -d -m 0700 "$GNUPGHOME"
gpg --batch --quiet --import "$keyfile" 2> /dev/null || die "SSM Agent: cannot import the key in $keyfile"
# pub:<validity>:<bits>:<algo>:<keyid>:<created>:<expires>:...; fpr:...:<fingerprint>:
keys=$(gpg --batch --with-colons --fingerprint 2> /dev/null)
found=$(awk -F: '$1 == "fpr" { print $10 }' <<< "$keys" | head -n 1)
if [ "$(grep -c '^pub:' <<< "$keys")" != 1 ] || [ "$found" != "$fingerprint" ]; then
    die "SSM Agent: $keyfile does not hold exactly the pinned key $fingerprint; refusing to install"
fi
expires=$(awk -F: '$1 == "pub" { print $7 }' <<< "$keys")
if [ -n "$expires" ] && [ "$expires" -le "$(date +%s)" ]; then
    die "SSM Agent: the pinned key $fingerprint expired on $(date -u -d "@$expires" +%F); AWS publishes its successor in 'Verifying the signature of SSM Agent' (docs/provisioning.md says how to update it)"
fi
"$(dirname "$0")/matomo-verify-signature.sh" "$work/agent.deb" "$work/agent.deb.sig" "$fingerprint" \
    || die "SSM Agent: the package's signature does not verify against $fingerprint; refusing to install it"
log "SSM Agent package signed by $fingerprint"

# apt-get rather than dpkg -i: on first boot apt's daily timers may hold the dpkg lock; wait for it.
DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "$work/agent.deb" > /dev/null
ensure_running
