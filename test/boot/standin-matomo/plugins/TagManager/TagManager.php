<?php
// Stand-in for the bundled plugins/TagManager (boot test only): its directory and NAME.php, which
// is what Plugin\Manager::isPluginInFilesystem looks for; Matomo's release ships it inactive.
// What activating it does is in ../../console (plugin:activate) and ../../standin.php.
