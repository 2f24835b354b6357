<?php
// Stand-in (boot test only): a plugin's main file, which is how Matomo recognises a plugin
// directory (core/Plugin/Manager.php pluginStructureLooksValid: NAME/NAME.php or plugin.json).
