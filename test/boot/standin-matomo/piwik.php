<?php
// Stand-in Matomo tracking endpoint (boot test only; see README.md): answers with the client
// address PHP saw, so the test can check nginx's X-Forwarded-For handling.
require __DIR__ . '/standin.php';
header('Content-Type: text/plain');
echo 'stand-in tracker REMOTE_ADDR=' . $_SERVER['REMOTE_ADDR'] . "\n";
