<?php
// Stand-in (boot test only): serves the tracker JS.
header('Content-Type: application/javascript');
readfile(__DIR__ . '/../matomo.js');
