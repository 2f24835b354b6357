<?php
// Stand-in Matomo index.php (boot test only; see README.md): the effects and answers of the
// installer steps provisioning drives, after Matomo 5's plugins/Installation/Controller.php:
// a step's GET answers its page (200); a POST it accepts answers 302 to the next step; a POST it
// refuses shows its form again (200). No nonce on any step, as in Matomo.
declare(strict_types=1);
require __DIR__ . '/standin.php';

$ini = standin_config();
$prefix = $ini['database']['tables_prefix'];
$installing = !empty($ini['General']['installation_in_progress']);
$action = $_GET['action'] ?? '';
$posted = $_SERVER['REQUEST_METHOD'] === 'POST';

if (!$installing) {
    // core/FrontController.php, throwIfPiwikVersionIsOlderThanDBSchema(): code older than the
    // database's version_core (PHP's version_compare) answers every UI/API request with 500.
    $database = standin_pdo($ini)->query("SELECT option_value FROM {$prefix}option WHERE option_name = 'version_core'")->fetchColumn();
    if (is_string($database) && version_compare(\Piwik\Version::VERSION, $database) === -1) {
        http_response_code(500);
        exit('Your Matomo codebase is running the old version ' . \Piwik\Version::VERSION . " and we have detected that your Matomo Database has already been upgraded to the newer version $database.\n");
    }
    // Publishing a container version (TagManager API publishContainerVersion): the release row,
    // then the container's files written on this node in the same request (Model/Container.php
    // generateContainer). No token or nonce checks: the stand-in models the files, not access.
    if (($_GET['method'] ?? '') === 'TagManager.publishContainerVersion' && standin_plugin_active('TagManager')) {
        $pdo = standin_pdo($ini);
        // Dao/ContainerReleaseDao::releaseVersion(): the environment's earlier release is retired.
        $pdo->prepare("UPDATE {$prefix}tagmanager_container_release SET status = 'deleted', deleted_date = NOW()
            WHERE idcontainer = ? AND idsite = ? AND environment = ? AND status = 'active'")->execute([$_GET['idContainer'], (int) $_GET['idSite'], $_GET['environment']]);
        $pdo->prepare("INSERT INTO {$prefix}tagmanager_container_release (idcontainer, idcontainerversion, idsite, environment, status, release_date)
            VALUES (?, ?, ?, ?, 'active', NOW())")->execute([$_GET['idContainer'], (int) $_GET['idContainerVersion'], (int) $_GET['idSite'], $_GET['environment']]);
        standin_generate_containers($pdo, $prefix, $_GET['idContainer']);
        echo "stand-in Matomo: published\n";
        exit;
    }
    echo "stand-in Matomo UI\n";
    exit;
}
if (($_GET['module'] ?? '') !== 'Installation' || empty($ini['General']['enable_installer'])) {
    http_response_code(500);
    exit("stand-in Matomo: installation in progress but installer not reachable\n");
}

function next_step(string $step): void
{
    header("Location: index.php?action=$step&module=Installation", true, 302);
    exit;
}

function form_page(string $step, string $error = ''): void
{
    echo "stand-in Matomo installer: $step form" . ($error === '' ? '' : " (error: $error)") . "\n";
    exit;
}

$pdo = standin_pdo($ini);
standin_log('standin-installer.log', "$action " . ($posted ? 'POST' : 'GET') . ' from ' . $_SERVER['REMOTE_ADDR']);
switch ($action) {
    case 'tablesCreation':
        // Matomo creates its ~50 tables and installs every plugin here, which takes seconds; the
        // pause keeps that window open long enough for the boot test to knock from outside.
        sleep(3);
        $pdo->exec("CREATE TABLE {$prefix}option (option_name VARCHAR(191) NOT NULL PRIMARY KEY, option_value LONGTEXT NOT NULL, autoload TINYINT NOT NULL DEFAULT 1)");
        $pdo->exec("CREATE TABLE {$prefix}user (login VARCHAR(100) NOT NULL PRIMARY KEY, password VARCHAR(255) NOT NULL, email VARCHAR(100) NOT NULL,
            twofactor_secret VARCHAR(40) NOT NULL DEFAULT '', superuser_access TINYINT(2) UNSIGNED NOT NULL DEFAULT 0,
            date_registered TIMESTAMP NULL, ts_password_modified TIMESTAMP NULL, UNIQUE INDEX uniq_email (email))");
        // core/Db/Schema/Mysql.php: ts_created too (the tracker's user may move it back, matomo-db-users.php).
        $pdo->exec("CREATE TABLE {$prefix}site (idsite INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(90) NOT NULL, main_url VARCHAR(255) NOT NULL, ts_created TIMESTAMP NULL, timezone VARCHAR(50) NOT NULL)");
        // core/Db/Schema/Mysql.php: the log_visit columns the stand-in tracker writes.
        $pdo->exec("CREATE TABLE {$prefix}log_visit (idvisit BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, idsite INT UNSIGNED NOT NULL,
            idvisitor BINARY(8) NOT NULL, visit_last_action_time DATETIME NOT NULL, location_ip VARBINARY(16) NOT NULL)");
        // …and the log_link_visit_action columns it writes for a page view.
        $pdo->exec("CREATE TABLE {$prefix}log_link_visit_action (idlink_va BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, idsite INT UNSIGNED NOT NULL,
            idvisitor BINARY(8) NOT NULL, idvisit BIGINT UNSIGNED NOT NULL, server_time DATETIME NOT NULL)");
        // Matomo's Schema::createAnonymousUser(): the anonymous user, no super user access.
        $pdo->exec("INSERT IGNORE INTO {$prefix}user (login, password, email, twofactor_secret, superuser_access, date_registered, ts_password_modified)
            VALUES ('anonymous', '', 'anonymous@example.org', '', 0, NOW(), NOW())");
        standin_set_version($pdo, $prefix);
        standin_write_plugin_sections();
        echo "stand-in Matomo installer: tables created\n";
        break;
    case 'setupSuperUser':
        if ((int) $pdo->query("SELECT COUNT(*) FROM {$prefix}user WHERE superuser_access = 1")->fetchColumn() > 0) {
            next_step('firstWebsiteSetup');
        }
        if (!$posted) {
            form_page($action);
        }
        foreach (['login', 'password', 'password_bis', 'email'] as $field) {
            if (($_POST[$field] ?? '') === '') {
                form_page($action, "$field is required");
            }
        }
        if ($_POST['password'] !== $_POST['password_bis']) {
            form_page($action, 'the passwords differ');
        }
        $pdo->prepare("INSERT INTO {$prefix}user (login, password, email, superuser_access, date_registered, ts_password_modified) VALUES (?, ?, ?, 1, NOW(), NOW())")
            ->execute([$_POST['login'], password_hash(md5($_POST['password']), PASSWORD_BCRYPT), $_POST['email']]);
        next_step('firstWebsiteSetup');
        // no break: next_step exits
    case 'firstWebsiteSetup':
        if ((int) $pdo->query("SELECT COUNT(*) FROM {$prefix}site")->fetchColumn() > 0) {
            next_step('trackingCode');
        }
        if (!$posted) {
            form_page($action);
        }
        foreach (['siteName', 'url', 'timezone'] as $field) {
            if (($_POST[$field] ?? '') === '') {
                form_page($action, "$field is required");
            }
        }
        $pdo->prepare("INSERT INTO {$prefix}site (name, main_url, ts_created, timezone) VALUES (?, ?, UTC_TIMESTAMP(), ?)")
            ->execute([$_POST['siteName'], $_POST['url'], $_POST['timezone']]);
        next_step('trackingCode');
        // no break: next_step exits
    case 'finished':
        if (!$posted) {
            form_page($action);
        }
        // PrivacyManager::installationFormSubmit(): an unchecked anonymise_ip box deactivates the
        // IP anonymiser (the option is '1' or '0'). setup_geoip2 has no effect in the stand-in.
        standin_set_option($pdo, $prefix, 'PrivacyManager.ipAnonymizerEnabled', empty($_POST['anonymise_ip']) ? '0' : '1');
        $text = file_get_contents(STANDIN_CONFIG);
        file_put_contents(STANDIN_CONFIG, preg_replace('/^installation_in_progress = 1\n/m', '', $text));
        header('Location: index.php', true, 302);
        exit;
    default:
        http_response_code(404);
        exit("stand-in Matomo: no installer step '$action'\n");
}
