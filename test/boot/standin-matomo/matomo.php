<?php
// Stand-in Matomo tracking endpoint (boot test only; see README.md). What the boot test asks of a
// tracking request, as Matomo 5's tracker does it: a request with rec=1 and an idsite records a
// visit in log_visit with the client address PHP saw, masked as PrivacyManager does (its options
// PrivacyManager.ipAnonymizerEnabled, default on, and PrivacyManager.ipAddressMaskLength, default
// 2 bytes), and answers 204 to send_image=0, else the 1x1 GIF (core/Tracker/Response.php); any
// other request gets Matomo's "This resource is part of Matomo" text. STAND-IN: one visit per
// request (no visitor recognition, no actions).
require __DIR__ . '/standin.php';
// For the boot test's load check only: hold the worker as a tracking request waits on its database.
usleep(1000 * min(1000, max(0, (int) ($_GET['standin_wait_ms'] ?? 0))));

$params = $_SERVER['REQUEST_METHOD'] === 'POST' ? $_POST + $_GET : $_GET;
if (($params['rec'] ?? '') !== '1' || (int) ($params['idsite'] ?? 0) < 1) {
    echo "This resource is part of Matomo. Keep full control of your data with the leading free and open source <a href='https://matomo.org' target='_blank' rel='noopener noreferrer nofollow'>web analytics & conversion optimisation platform</a>.<br>\n";
    exit;
}

$ini = standin_config();
$pdo = standin_pdo($ini);
$prefix = $ini['database']['tables_prefix'];
$option = function (string $name, string $default) use ($pdo, $prefix): string {
    $q = $pdo->prepare("SELECT option_value FROM {$prefix}option WHERE option_name = ?");
    $q->execute([$name]);
    $value = $q->fetchColumn();
    return $value === false ? $default : (string) $value;
};
$ip = inet_pton($_SERVER['REMOTE_ADDR']);
if ($option('PrivacyManager.ipAnonymizerEnabled', '1') === '1') {
    // IPAnonymizer::applyIPMask: the last N bytes of an IPv4 address, 8 × N of an IPv6 one, zeroed.
    $bytes = (int) $option('PrivacyManager.ipAddressMaskLength', '2') * (strlen($ip) === 4 ? 1 : 8);
    $ip = substr($ip, 0, strlen($ip) - $bytes) . str_repeat("\0", $bytes);
}
$pdo->prepare("INSERT INTO {$prefix}log_visit (idsite, idvisitor, visit_last_action_time, location_ip) VALUES (?, ?, UTC_TIMESTAMP(), ?)")
    ->execute([(int) $params['idsite'], random_bytes(8), $ip]);

if (($params['send_image'] ?? '1') === '0') {
    http_response_code(204);
    exit;
}
header('Content-Type: image/gif');
echo base64_decode('R0lGODlhAQABAIAAAAAAAAAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==');
