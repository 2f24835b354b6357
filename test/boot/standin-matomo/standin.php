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
    // As Matomo's core/Config/IniFileChain.php reload(): every string read is html_entity_decode'd twice.
    array_walk_recursive($ini, function (&$value): void {
        if (is_string($value)) {
            $value = html_entity_decode(html_entity_decode($value, ENT_COMPAT, 'UTF-8'), ENT_COMPAT, 'UTF-8');
        }
    });
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
// core:update keeps the sections the config already has (an adopted Matomo's activated and
// installed plugins) and adds what the release brings: Plugin\Manager::installLoadedPlugins()
// appends each loaded plugin not yet in [PluginsInstalled] (core/Plugin/Manager.php).
function standin_write_plugin_sections(): void
{
    $global = parse_ini_file(STANDIN_GLOBAL_CONFIG, true);
    $current = standin_config();
    $activated = $current['Plugins']['Plugins'] ?? null;
    $installed = $current['PluginsInstalled']['PluginsInstalled'] ?? [];
    foreach ($global['Plugins']['Plugins'] as $p) {
        if (!in_array($p, $installed, true)) {
            $installed[] = $p;
        }
    }
    $text = file_get_contents(STANDIN_CONFIG);
    $text = preg_replace('/\n\[(Plugins|PluginsInstalled)\]\n(?:[^\[\n][^\n]*\n)*/', "\n", $text);
    $text = rtrim($text, "\n") . "\n";
    if ($activated !== null) {
        $text .= "\n[Plugins]\n";
        foreach ($activated as $p) {
            $text .= "Plugins[] = \"$p\"\n";
        }
    }
    $text .= "\n[PluginsInstalled]\n";
    foreach ($installed as $p) {
        $text .= "PluginsInstalled[] = \"$p\"\n";
    }
    if (file_put_contents(STANDIN_CONFIG, $text) === false) {
        throw new RuntimeException('stand-in Matomo: config not writable');
    }
}

// Plugin\Manager as plugin:activate/deactivate drive it (core/Plugin/Manager.php, Matomo 5).
// The activated list is config.ini.php's [Plugins] when it has one, else global.ini.php's
// (PluginList::getActivatedPlugins over the merged config).
function standin_activated_plugins(array $ini): array
{
    return $ini['Plugins']['Plugins'] ?? parse_ini_file(STANDIN_GLOBAL_CONFIG, true)['Plugins']['Plugins'];
}

// isPluginInFilesystem: a valid name (isValidPluginName) and a directory under plugins/ that
// looks like a plugin (pluginStructureLooksValid: plugin.json or NAME.php in it).
function standin_plugin_in_filesystem(string $name): bool
{
    $dir = __DIR__ . "/plugins/$name";
    return preg_match('/^[a-zA-Z]([a-zA-Z0-9_]){0,59}$/D', $name) === 1
        && (is_file("$dir/plugin.json") || is_file("$dir/$name.php"));
}

// updatePluginsConfig + forceSave: [Plugins] written whole, sorted as PluginList::sortPlugins
// does (global.ini.php's plugins in its order first, then the others by natural case-insensitive
// name), and left out when that equals global.ini.php's list (the config writer keeps only what
// differs from it: real Matomo 5.2.0-b5 drops [Plugins] after deactivating the only extra plugin);
// [PluginsInstalled] as given (Matomo appends a newly installed plugin).
function standin_save_plugins(array $activated, array $installed): void
{
    $global = parse_ini_file(STANDIN_GLOBAL_CONFIG, true)['Plugins']['Plugins'];
    $first = array_values(array_intersect($global, $activated));
    $others = array_values(array_diff($activated, $first));
    natcasesort($others);
    $text = file_get_contents(STANDIN_CONFIG);
    $text = preg_replace('/\n\[(Plugins|PluginsInstalled)\]\n(?:[^\[\n][^\n]*\n)*/', "\n", $text);
    $sorted = array_merge($first, array_values($others));
    $text = rtrim($text, "\n") . "\n\n";
    if ($sorted !== $global) {
        $text .= "[Plugins]\n";
        foreach ($sorted as $p) {
            $text .= "Plugins[] = \"$p\"\n";
        }
        $text .= "\n";
    }
    $text .= "[PluginsInstalled]\n";
    foreach ($installed as $p) {
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

// Plugins activated: config.ini.php's [Plugins] when it has one, else global.ini.php's
// (core/Config/IniFileChain merges them so; Matomo writes [Plugins] once the list differs).
function standin_plugin_active(string $plugin): bool
{
    $ini = standin_config();
    $plugins = $ini['Plugins']['Plugins'] ?? parse_ini_file(STANDIN_GLOBAL_CONFIG, true)['Plugins']['Plugins'];
    return in_array($plugin, $plugins, true);
}

// Tag Manager's container files, after plugins/TagManager: TagManager::regenerateReleasedContainers()
// walks every active container (ContainersDao::getActiveContainersInfo) and WebContext::generate()
// writes one file per release into js/ (BaseContext::getJsTargetPath: container_<id>.js for
// "live", container_<id>_preview.js for "preview"; other environments are not modelled), each
// only when its content changed (Context/Storage/Filesystem::save, which throws when it cannot
// write). The stand-in's JavaScript is one line naming the release it was made from.
function standin_generate_containers(PDO $pdo, string $prefix, ?string $onlyContainer = null): void
{
    $releases = $pdo->query("SELECT c.idcontainer, r.environment, r.idcontainerversion FROM {$prefix}tagmanager_container c
        JOIN {$prefix}tagmanager_container_release r ON r.idcontainer = c.idcontainer AND r.idsite = c.idsite AND r.status = 'active' AND r.deleted_date IS NULL
        WHERE c.status = 'active' AND c.deleted_date IS NULL ORDER BY c.idcontainer, r.environment")->fetchAll(PDO::FETCH_ASSOC);
    foreach ($releases as $r) {
        if ($onlyContainer !== null && $r['idcontainer'] !== $onlyContainer) {
            continue;
        }
        $suffix = ['live' => '', 'preview' => '_preview'][$r['environment']] ?? null;
        if ($suffix === null) {
            continue;
        }
        $file = __DIR__ . "/js/container_{$r['idcontainer']}$suffix.js";
        $js = "/* stand-in Matomo Tag Manager container {$r['idcontainer']} ({$r['environment']}), version {$r['idcontainerversion']} */\n";
        if (@file_get_contents($file) !== $js && !@file_put_contents($file, $js)) {
            throw new RuntimeException("Failed to write tag manager file $file");
        }
    }
}

// TagManager's install and activation as far as the container files go: its container and
// release tables (plugins/TagManager/Dao/ContainersDao.php, ContainerReleaseDao.php; only the
// columns used here), then one active container per site with a live release, as activating
// the real plugin does ("Default Container", version "0.1.0 - Auto generated").
function standin_install_tag_manager(PDO $pdo, string $prefix): void
{
    $pdo->exec("CREATE TABLE IF NOT EXISTS {$prefix}tagmanager_container (idcontainer VARCHAR(8) NOT NULL, idsite INT UNSIGNED NOT NULL, context VARCHAR(10) NOT NULL, name VARCHAR(255) NOT NULL, status VARCHAR(10) NOT NULL, created_date DATETIME NOT NULL, deleted_date DATETIME NULL, PRIMARY KEY (idcontainer, idsite))");
    $pdo->exec("CREATE TABLE IF NOT EXISTS {$prefix}tagmanager_container_release (idcontainerrelease BIGINT AUTO_INCREMENT PRIMARY KEY, idcontainer VARCHAR(8) NOT NULL, idcontainerversion BIGINT UNSIGNED NOT NULL, idsite INT UNSIGNED NOT NULL, status VARCHAR(10) NOT NULL, environment VARCHAR(40) NOT NULL, release_login VARCHAR(100) NOT NULL DEFAULT '', release_date DATETIME NOT NULL, deleted_date DATETIME NULL)");
    foreach ($pdo->query("SELECT idsite FROM {$prefix}site WHERE idsite NOT IN (SELECT idsite FROM {$prefix}tagmanager_container)")->fetchAll(PDO::FETCH_COLUMN) as $idsite) {
        // Model/Container::generateUniqueContainerId: 8 random letters and digits.
        $id = substr(str_shuffle(str_repeat('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 8)), 0, 8);
        $pdo->prepare("INSERT INTO {$prefix}tagmanager_container VALUES (?, ?, 'web', 'Default Container', 'active', NOW(), NULL)")->execute([$id, $idsite]);
        $pdo->prepare("INSERT INTO {$prefix}tagmanager_container_release (idcontainer, idcontainerversion, idsite, status, environment, release_date) VALUES (?, 1, ?, 'active', 'live', NOW())")->execute([$id, $idsite]);
    }
}

// A tracking request recorded as Matomo 5's tracker records it, in what the boot test reads: a
// visit in log_visit with the client address, masked as PrivacyManager does (its options
// PrivacyManager.ipAnonymizerEnabled, default on, and PrivacyManager.ipAddressMaskLength, default
// 2 bytes: IPAnonymizer::applyIPMask zeroes the last N bytes of an IPv4 address, 8 × N of an IPv6
// one), and for a page view (a url) one action in log_link_visit_action, at the time the request
// was received. STAND-IN: every request is a new visit (no visitor recognition).
function standin_track(PDO $pdo, string $prefix, array $params, string $remoteAddr, int $time): void
{
    // Read once per process, as Matomo's tracker reads them from its cache.
    static $options = [];
    $option = function (string $name, string $default) use ($pdo, $prefix, &$options): string {
        if (!array_key_exists($name, $options)) {
            $q = $pdo->prepare("SELECT option_value FROM {$prefix}option WHERE option_name = ?");
            $q->execute([$name]);
            $options[$name] = $q->fetchColumn();
        }
        return $options[$name] === false ? $default : (string) $options[$name];
    };
    $ip = inet_pton($remoteAddr);
    if ($option('PrivacyManager.ipAnonymizerEnabled', '1') === '1') {
        $bytes = (int) $option('PrivacyManager.ipAddressMaskLength', '2') * (strlen($ip) === 4 ? 1 : 8);
        $ip = substr($ip, 0, strlen($ip) - $bytes) . str_repeat("\0", $bytes);
    }
    $visitor = isset($params['_id']) && preg_match('/^[0-9a-fA-F]{16}$/D', (string) $params['_id']) ? hex2bin((string) $params['_id']) : random_bytes(8);
    $when = gmdate('Y-m-d H:i:s', $time);
    $pdo->prepare("INSERT INTO {$prefix}log_visit (idsite, idvisitor, visit_last_action_time, location_ip) VALUES (?, ?, ?, ?)")
        ->execute([(int) $params['idsite'], $visitor, $when, $ip]);
    if (($params['url'] ?? '') !== '') {
        $pdo->prepare("INSERT INTO {$prefix}log_link_visit_action (idsite, idvisitor, idvisit, server_time) VALUES (?, ?, ?, ?)")
            ->execute([(int) $params['idsite'], $visitor, (int) $pdo->lastInsertId(), $when]);
    }
}
