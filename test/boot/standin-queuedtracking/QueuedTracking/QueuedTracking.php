<?php
// STAND-IN QueuedTracking plugin (boot test only; see ../../standin-matomo/README.md): the main
// file by which Matomo recognises a plugin directory. The stand-in release loads this plugin's
// tracker handler (standin-tracker.php) and worker command (standin-process.php) while the plugin
// is active, as the real plugin's Tracker.newHandler event and console command do.
namespace Piwik\Plugins\QueuedTracking;

class QueuedTracking extends \Piwik\Plugin
{
}
