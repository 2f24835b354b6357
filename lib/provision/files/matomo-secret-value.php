<?php
// matomo-secret-value.php [JSON_KEY] < get-secret-value response: print the secret's value.
// With JSON_KEY and a SecretString that is a JSON object (RDS's {"username", "password", ...}),
// the value is that key; a SecretString that is not a JSON object is the value itself, so an
// existing database's secret may hold the password plain or in RDS's format.
$response = json_decode(stream_get_contents(STDIN), true);
$value = is_array($response) ? ($response["SecretString"] ?? null) : null;
$key = $argv[1] ?? "";
if (is_string($value) && $key !== "") {
    $json = json_decode($value, true);
    if (is_array($json)) {
        $value = $json[$key] ?? null;
    }
}
if (!is_string($value) || $value === "" || preg_match("/[\r\n\\0]/", $value)) {
    fwrite(STDERR, "secret has no single-line string value" . ($key !== "" ? " under key $key" : "") . "\n");
    exit(1);
}
echo $value;
