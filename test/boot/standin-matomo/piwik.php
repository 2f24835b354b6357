<?php
// Stand-in (boot test only): Matomo's piwik.php is its matomo.php under the old name.
require __DIR__ . '/matomo.php';
