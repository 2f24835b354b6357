<?php
// Stand-in (boot test only): Monolog's main file. A real release's [Plugins] always holds Monolog,
// whose config defines Matomo's log handlers (plugins/Monolog/config/cli.php 'log.handlers'); the
// adoption scenario's old config lists it, so its code must be on the node as in a real release.
