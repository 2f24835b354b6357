#!/bin/bash
# matomo-secret.sh SECRET_ARN [JSON_KEY]: print one secret value (no trailing newline), read
# from AWS Secrets Manager with the instance role's credentials. With JSON_KEY the secret string
# is JSON (RDS's {"username", "password", ...} format) and the value is that key.
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
# shellcheck disable=SC2016
printf '%s' "$response" | php -r '
    $response = json_decode(stream_get_contents(STDIN), true);
    $value = is_array($response) ? ($response["SecretString"] ?? null) : null;
    $key = $argv[1] ?? "";
    if (is_string($value) && $key !== "") {
        $json = json_decode($value, true);
        $value = is_array($json) ? ($json[$key] ?? null) : null;
    }
    if (!is_string($value) || $value === "" || preg_match("/[\r\n\\0]/", $value)) {
        fwrite(STDERR, "secret has no single-line string value" . ($key !== "" ? " under key $key" : "") . "\n");
        exit(1);
    }
    echo $value;
' -- "$key" || die "secret $arn: unusable value"
