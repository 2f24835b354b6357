<?php
// Shared helpers of the stand-in Matomo (boot test only; see README.md).
declare(strict_types=1);
require_once __DIR__ . '/core/Version.php';

const STANDIN_CONFIG = __DIR__ . '/config/config.ini.php';
const STANDIN_GLOBAL_CONFIG = __DIR__ . '/config/global.ini.php';

function standin_config(): array
{
    $ini = @parse_ini_file(STANDIN_CONFIG, true);
    if (!is_array($ini)) {
        throw new RuntimeException('stand-in Matomo: config/config.ini.php missing or unreadable');
    }
    return $ini;
}

function standin_pdo(array $ini): PDO
{
    $db = $ini['database'];
    return new PDO(
        sprintf('mysql:host=%s;port=%d;dbname=%s;charset=utf8mb4', $db['host'], (int) $db['port'], $db['dbname']),
        $db['username'],
        $db['password'],
        [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION]
    );
}

function standin_set_option(PDO $pdo, string $prefix, string $name, string $value): void
{
    $pdo->prepare("INSERT INTO {$prefix}option (option_name, option_value, autoload) VALUES (?, ?, 1)
        ON DUPLICATE KEY UPDATE option_value = VALUES(option_value)")->execute([$name, $value]);
}

function standin_set_version(PDO $pdo, string $prefix): void
{
    standin_set_option($pdo, $prefix, 'version_core', \Piwik\Version::VERSION);
}

// Matomo's config writer stores only what differs from global.ini.php. After an install every
// plugin of global.ini.php's [Plugins] is installed, so config.ini.php gets [PluginsInstalled]
// (the whole list) and no [Plugins] section (the activated list equals global.ini.php's).
function standin_write_plugin_sections(): void
{
    $global = parse_ini_file(STANDIN_GLOBAL_CONFIG, true);
    $text = file_get_contents(STANDIN_CONFIG);
    $text = preg_replace('/\n\[(Plugins|PluginsInstalled)\]\n(?:[^\[\n][^\n]*\n)*/', "\n", $text);
    $text = rtrim($text, "\n") . "\n\n[PluginsInstalled]\n";
    foreach ($global['Plugins']['Plugins'] as $p) {
        $text .= "PluginsInstalled[] = \"$p\"\n";
    }
    if (file_put_contents(STANDIN_CONFIG, $text) === false) {
        throw new RuntimeException('stand-in Matomo: config not writable');
    }
}

function standin_log(string $file, string $line): void
{
    file_put_contents(__DIR__ . "/tmp/$file", gmdate('c') . " $line\n", FILE_APPEND | LOCK_EX);
}

// STAND-IN for the QueuedTracking plugin's Redis lists: one table of queued requests (the boot
// test enqueues into it as trackers would) and one of requests "tracked" by queuedtracking:process.
function standin_queue_tables(PDO $pdo, string $prefix): void
{
    $pdo->exec("CREATE TABLE IF NOT EXISTS {$prefix}standin_queuedtracking_queue (id BIGINT AUTO_INCREMENT PRIMARY KEY,
        queue_id INT NOT NULL, request VARCHAR(255) NOT NULL, enqueued_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), KEY (queue_id, id))");
    $pdo->exec("CREATE TABLE IF NOT EXISTS {$prefix}standin_tracked (id BIGINT AUTO_INCREMENT PRIMARY KEY, queue_id INT NOT NULL,
        request VARCHAR(255) NOT NULL, enqueued_at DATETIME(3) NOT NULL, batch INT NOT NULL, tracked_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3))");
}
