/** Where things live on a node; the shell scripts in `files/` use the same paths. */
export const PAYLOAD_DIR = "/etc/matomo-provision";
export const LIB_DIR = "/usr/local/lib/matomo-provision";
export const PROVISION_COMMAND = "/usr/local/sbin/matomo-provision";
export const STATE_DIR = "/var/lib/matomo-provision";
export const MATOMO_ROOT = "/var/www/matomo";
export const CONFIG_PATH = `${MATOMO_ROOT}/config/config.ini.php`;
/** The filled config without the plugin sections (every role), which provisioning assembles config.ini.php from. */
export const BASE_CONFIG_PATH = "/etc/matomo/config.base.ini.php";
/** ui only: the same config with the database's admin credential (install, core:update, plugin changes, user management). */
export const ADMIN_CONFIG_PATH = "/etc/matomo/config.admin.ini.php";
export const PHP_FPM_SOCKET = "/run/php/matomo-fpm.sock";
/** PHP's memory_limit for console commands (core:archive); the ui's web pool is sized around it. */
export const CLI_MEMORY_MB = 2048;
/**
 * The ui node's cached answer to "is the database's Matomo newer than this node's code?", written
 * every minute by matomo-version-check.php (as www-data, into a directory provisioning gives it)
 * and read by the health check, which never asks the database itself.
 */
export const VERSION_CHECK_DIR = `${STATE_DIR}/version-check`;
export const VERSION_CHECK_FILE = `${VERSION_CHECK_DIR}/database-version.json`;
