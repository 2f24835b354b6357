#!/bin/bash
# matomo-secret.sh SECRET_ARN [JSON_KEY]: print one secret value (no trailing newline), read
# from AWS Secrets Manager with the instance role's credentials. With JSON_KEY, a secret string
# that is a JSON object (RDS's {"username", "password", ...} format) gives that key's value, and
# any other secret string is the value itself (matomo-secret-value.php).
# MATOMO_SECRETS_ENDPOINT_URL, when set, replaces the regional endpoint (a VPC endpoint without
# private DNS, or the boot test's stand-in).
set -euo pipefail

readonly PAYLOAD=/etc/matomo-provision
readonly LIB=/usr/local/lib/matomo-provision
# shellcheck source=/dev/null
. "$PAYLOAD/provision.env"
# shellcheck source=/dev/null
. "$LIB/common.sh"

arn=$1 key=${2:-}
endpoint=()
if [ -n "${MATOMO_SECRETS_ENDPOINT_URL:-}" ]; then
    endpoint=(--endpoint-url "$MATOMO_SECRETS_ENDPOINT_URL")
fi

response=$(retry 5 aws secretsmanager get-secret-value --region "$MATOMO_AWS_REGION" "${endpoint[@]}" \
    --secret-id "$arn" --output json) || die "could not read secret $arn"
printf '%s' "$response" | php "$LIB/matomo-secret-value.php" "$key" || die "secret $arn: unusable value"
