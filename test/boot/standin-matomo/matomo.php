<?php
// Stand-in Matomo tracking endpoint (boot test only; see README.md): answers with the client
// address PHP saw, so the test can check nginx's X-Forwarded-For handling.
require __DIR__ . '/standin.php';
// For the boot test's load check only: hold the worker as a tracking request waits on its database.
usleep(1000 * min(1000, max(0, (int) ($_GET['standin_wait_ms'] ?? 0))));
header('Content-Type: text/plain');
echo 'stand-in tracker REMOTE_ADDR=' . $_SERVER['REMOTE_ADDR'] . "\n";
