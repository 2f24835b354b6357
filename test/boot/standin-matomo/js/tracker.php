<?php
// Stand-in (boot test only): tracking through js/.
require __DIR__ . '/../matomo.php';
