#!/bin/bash
# matomo-verify-signature.sh ARCHIVE SIGNATURE FINGERPRINT
# Succeeds only when SIGNATURE is a good signature of ARCHIVE made by the key whose primary
# fingerprint is FINGERPRINT (full 40 hex digits), using the keyring in $GNUPGHOME.
set -euo pipefail

archive=$1 signature=$2 fingerprint=${3^^}
[[ $fingerprint =~ ^[0-9A-F]{40}$ ]] || { echo "not a full fingerprint: $fingerprint" >&2; exit 2; }

status=$(gpg --batch --status-fd 1 --verify "$signature" "$archive" 2> /dev/null || true)
# [GNUPG:] VALIDSIG <sig-key-fpr> <date> <timestamp> <expiry> <version> <reserved> <pk-algo>
#          <hash-algo> <class> <primary-key-fpr>; the last field names the key that signed.
if grep -q '^\[GNUPG:\] GOODSIG ' <<< "$status" \
    && awk -v want="$fingerprint" '$1 == "[GNUPG:]" && $2 == "VALIDSIG" && toupper($NF) == want { ok = 1 } END { exit !ok }' <<< "$status"; then
    exit 0
fi
echo "no good signature by $fingerprint on $archive" >&2
exit 1
