<?php
// Stand-in (boot test only), deciding as Matomo's js/tracker.php does: a POST or any query string
// is a tracking request (piwik.php); otherwise it serves the tracker JS.
if ($_SERVER['REQUEST_METHOD'] == 'POST' || !empty($_SERVER['QUERY_STRING'])) {
    require __DIR__ . '/../piwik.php';
    exit;
}
header('Content-Type: application/javascript; charset=UTF-8');
readfile(__DIR__ . '/../matomo.js');
