<?php
// Stand-in (boot test only): as Matomo's js/index.php, hands everything to js/tracker.php.
require_once __DIR__ . '/tracker.php';
