<?php
// Stand-in Matomo index.php (boot test only; see README.md): the installer steps' effects.
declare(strict_types=1);
require __DIR__ . '/standin.php';

$ini = standin_config();
$prefix = $ini['database']['tables_prefix'];
$installing = !empty($ini['General']['installation_in_progress']);
$action = $_GET['action'] ?? '';

if (!$installing) {
    echo "stand-in Matomo UI\n";
    exit;
}
if (($_GET['module'] ?? '') !== 'Installation' || empty($ini['General']['enable_installer'])) {
    http_response_code(500);
    exit("stand-in Matomo: installation in progress but installer not reachable\n");
}
$pdo = standin_pdo($ini);
switch ($action) {
    case 'tablesCreation':
        $pdo->exec("CREATE TABLE {$prefix}option (option_name VARCHAR(191) NOT NULL PRIMARY KEY, option_value LONGTEXT NOT NULL, autoload TINYINT NOT NULL DEFAULT 1)");
        $pdo->exec("CREATE TABLE {$prefix}user (login VARCHAR(100) NOT NULL PRIMARY KEY, password VARCHAR(255) NOT NULL, email VARCHAR(100) NOT NULL, superuser_access TINYINT NOT NULL DEFAULT 0)");
        $pdo->exec("CREATE TABLE {$prefix}site (idsite INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(90) NOT NULL, main_url VARCHAR(255) NOT NULL, timezone VARCHAR(50) NOT NULL)");
        standin_set_version($pdo, $prefix);
        standin_write_plugin_sections();
        break;
    case 'setupSuperUser':
        if (($_POST['password'] ?? '') === '' || $_POST['password'] !== ($_POST['password_bis'] ?? null)) {
            exit("stand-in Matomo: passwords missing or different\n");
        }
        $pdo->prepare("INSERT INTO {$prefix}user VALUES (?, ?, ?, 1)")
            ->execute([$_POST['login'], password_hash(md5($_POST['password']), PASSWORD_BCRYPT), $_POST['email']]);
        break;
    case 'firstWebsiteSetup':
        $pdo->prepare("INSERT INTO {$prefix}site (name, main_url, timezone) VALUES (?, ?, ?)")
            ->execute([$_POST['siteName'], $_POST['url'], $_POST['timezone']]);
        break;
    case 'finished':
        if ($_SERVER['REQUEST_METHOD'] === 'POST') {
            $text = file_get_contents(STANDIN_CONFIG);
            file_put_contents(STANDIN_CONFIG, preg_replace('/^installation_in_progress = 1\n/m', '', $text));
        }
        break;
    default:
        http_response_code(404);
        exit("stand-in Matomo: no installer step '$action'\n");
}
echo "stand-in Matomo installer: $action done\n";
