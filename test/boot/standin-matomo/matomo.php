<?php
// Stand-in Matomo tracking endpoint (boot test only; see README.md). What the boot test asks of a
// tracking request, as Matomo 5's tracker does it: a request with rec=1 and an idsite records a
// visit in log_visit with the client address PHP saw, masked as PrivacyManager does (its options
// PrivacyManager.ipAnonymizerEnabled, default on, and PrivacyManager.ipAddressMaskLength, default
// 2 bytes), and answers 204 to send_image=0, else the 1x1 GIF (core/Tracker/Response.php); any
// other request gets Matomo's "This resource is part of Matomo" text. STAND-IN: one visit per
// request (no visitor recognition); a request with a url records one page view action.
require __DIR__ . '/standin.php';
// For the boot test's load check only: hold the worker as a tracking request waits on its database.
usleep(1000 * min(1000, max(0, (int) ($_GET['standin_wait_ms'] ?? 0))));

$params = $_SERVER['REQUEST_METHOD'] === 'POST' ? $_POST + $_GET : $_GET;
if (($params['rec'] ?? '') !== '1' || (int) ($params['idsite'] ?? 0) < 1) {
    echo "This resource is part of Matomo. Keep full control of your data with the leading free and open source <a href='https://matomo.org' target='_blank' rel='noopener noreferrer nofollow'>web analytics & conversion optimisation platform</a>.<br>\n";
    exit;
}

$ini = standin_config();
// The QueuedTracking plugin, while active, takes the request instead (its Tracker.newHandler event).
$queued = __DIR__ . '/plugins/QueuedTracking/standin-tracker.php';
if (!(standin_plugin_active('QueuedTracking') && is_file($queued) && (require $queued))) {
    standin_track(standin_pdo($ini), $ini['database']['tables_prefix'], $params, (string) $_SERVER['REMOTE_ADDR'], time());
}

if (($params['send_image'] ?? '1') === '0') {
    http_response_code(204);
    exit;
}
header('Content-Type: image/gif');
echo base64_decode('R0lGODlhAQABAIAAAAAAAAAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==');
