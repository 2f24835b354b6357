<?php
// matomo-db-users.php ADMIN_CONFIG: create or update the two database users Matomo runs as,
// connected with ADMIN_CONFIG's [database] credential (the RDS master, or the admin credential an
// existing database's owner gave). Run by matomo-ui-setup.sh under the provisioning lock, so one
// ui node at a time. Idempotent: every run sets both passwords again (a rotation, passwordVersion,
// reaches the database here) and grants what the lists below say, revoking nothing else.
// The users and passwords come from the environment, never the command line:
//   MATOMO_DB_APP_USER, MATOMO_DB_APP_PASSWORD          the ui nodes' user (UI, API, archiving)
//   MATOMO_DB_TRACKER_USER, MATOMO_DB_TRACKER_PASSWORD  the tracker nodes' user (matomo.php)
// Both are created for host '%': nodes come from changing private addresses; the security group
// admits only the node groups on 3306.
declare(strict_types=1);
require __DIR__ . '/matomo-pdo.php';

// What Matomo's installer checks before it installs (plugins/Installation/FormDatabaseSetup.php,
// getRequiredPrivileges: CREATE, ALTER, SELECT, INSERT, UPDATE, DELETE, DROP, CREATE TEMPORARY
// TABLES), plus LOCK TABLES (core/Db.php lockTables, used when available) and INDEX (core:update
// migrations add indexes). On the schema only: no global privilege, no GRANT OPTION.
const APP_PRIVILEGES = 'SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, INDEX, CREATE TEMPORARY TABLES, LOCK TABLES';

// The tracker's tables (without the prefix) and what it does to each, read from Matomo 5's source:
// matomo.php with enable_browser_archiving_triggering = 0 runs no scheduled tasks
// (core/Tracker/ScheduledTasksRunner.php), and with QueuedTracking it only enqueues into Redis
// (processDuringTrackingRequest = 0; the ui's workers write the log tables).
const TRACKER_TABLES = [
    // core/Tracker/Model.php: visits and actions are inserted, then updated by later requests.
    'log_visit' => 'SELECT, INSERT, UPDATE',
    'log_link_visit_action' => 'SELECT, INSERT, UPDATE',
    'log_conversion' => 'SELECT, INSERT, UPDATE',
    'log_conversion_item' => 'SELECT, INSERT, UPDATE',
    // core/Tracker/Model.php: createNewIdAction inserts, deletes the duplicate it lost a race to.
    'log_action' => 'SELECT, INSERT, DELETE',
    // core/Option.php through core/Tracker/FingerprintSalt.php (set, getLike, delete),
    // ScheduledTasksRunner (lastTrackerCronRun) and the archive invalidations a request for a
    // past date remembers (core/Archive/ArchiveInvalidator.php).
    'option' => 'SELECT, INSERT, UPDATE, DELETE',
    // core/Tracker/Failures.php logFailure: INSERT ... ON DUPLICATE KEY UPDATE, and its SELECT.
    'tracking_failure' => 'SELECT, INSERT, UPDATE',
    // The tracker cache (core/Tracker/Cache.php) on a miss: sites and their URLs and settings
    // (SitesManager), goals (Goals), custom dimensions (CustomDimensions), plugin settings
    // (core/Settings/Storage/Backend/PluginSettingsTable.php, QueuedTracking's among them).
    // plugins/SitesManager/Tracker/SitesManagerRequestProcessor.php: a hit older than its site's
    // creation time (less a day: every hit of a new site's first day) moves ts_created back
    // (SitesManager/Model.php updateSiteCreatedTime); refused, the request fails after its visit
    // was written. That column only.
    'site' => 'SELECT, UPDATE (ts_created)',
    'site_url' => 'SELECT',
    'site_setting' => 'SELECT',
    'goal' => 'SELECT',
    'custom_dimensions' => 'SELECT',
    'plugin_setting' => 'SELECT',
    // A tracking request's token_auth (cip, cdt): the tracker cache keeps the hashed tokens of
    // the site's admin and write users (plugins/UsersManager/UsersManager.php
    // recordAdminUsersInCache: login from access, password from user_token_auth).
    'access' => 'SELECT',
    'user_token_auth' => 'SELECT',
    // matomo-generated-files.sh on every node: Tag Manager's published containers (read only).
    'tagmanager_container' => 'SELECT',
    'tagmanager_container_release' => 'SELECT',
    'tagmanager_container_version' => 'SELECT',
    'tagmanager_tag' => 'SELECT',
    'tagmanager_trigger' => 'SELECT',
    'tagmanager_variable' => 'SELECT',
    // The same regeneration formats dates for the console user: Intl's DateTimeFormatProvider asks
    // LanguagesManager::uses12HourClockForCurrentUser, which reads use_12_hour_clock here (seen in
    // real Matomo 5.10's query log); refused, the command exits 1. Logins and language settings only.
    'user_language' => 'SELECT',
];
// Never granted to the tracker, whatever the list above says: the users' password hashes and the
// UI sessions (a tracker never logs anyone in, so a super user's token_auth does not authenticate
// a tracking request; give one of a user with write access to the site).
const TRACKER_NEVER = ['user', 'session'];

function quoted_identifier(string $name): string
{
    return '`' . str_replace('`', '``', $name) . '`';
}

function env_value(string $name): string
{
    $value = getenv($name);
    if (!is_string($value) || $value === '') {
        fwrite(STDERR, "matomo-db-users: $name is not set\n");
        exit(2);
    }
    return $value;
}

try {
    $db = matomo_config($argv[1] ?? '')['database'];
    $pdo = matomo_pdo($db);
    $schema = quoted_identifier((string) $db['dbname']);
    $prefix = (string) ($db['tables_prefix'] ?? '');
    $users = [
        'app' => [env_value('MATOMO_DB_APP_USER'), env_value('MATOMO_DB_APP_PASSWORD')],
        'tracker' => [env_value('MATOMO_DB_TRACKER_USER'), env_value('MATOMO_DB_TRACKER_PASSWORD')],
    ];
    $admin = (string) $db['username'];
    foreach ($users as $role => [$user]) {
        if ($user === $admin) {
            throw new RuntimeException("the $role user is the admin user $admin");
        }
    }
    if ($users['app'][0] === $users['tracker'][0]) {
        throw new RuntimeException('the app and tracker users have the same name');
    }
    $account = fn (string $user): string => $pdo->quote($user) . "@'%'";
    foreach ($users as [$user, $password]) {
        // CREATE USER IF NOT EXISTS leaves an existing user's password alone; ALTER USER sets it.
        // The server's error for these would quote the statement, password and all: report its code only.
        try {
            $pdo->exec('CREATE USER IF NOT EXISTS ' . $account($user) . ' IDENTIFIED BY ' . $pdo->quote($password));
            $pdo->exec('ALTER USER ' . $account($user) . ' IDENTIFIED BY ' . $pdo->quote($password));
        } catch (PDOException $e) {
            throw new RuntimeException("could not create or update the user $user (SQLSTATE " . $e->getCode() . '; the admin user needs CREATE USER)');
        }
    }
    $pdo->exec('GRANT ' . APP_PRIVILEGES . " ON $schema.* TO " . $account($users['app'][0]));

    // Table privileges need the table: grant on those that exist now (plugins' tables appear when
    // they are activated; the ui runs this again after every install, update and plugin change).
    $q = $pdo->prepare('SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()');
    $q->execute();
    $existing = array_flip($q->fetchAll(PDO::FETCH_COLUMN));
    $granted = 0;
    foreach (TRACKER_TABLES as $table => $privileges) {
        if (in_array($table, TRACKER_NEVER, true)) {
            throw new RuntimeException("refusing to grant the tracker $table");
        }
        if (!isset($existing[$prefix . $table])) {
            continue;
        }
        $pdo->exec("GRANT $privileges ON $schema." . quoted_identifier($prefix . $table) . ' TO ' . $account($users['tracker'][0]));
        $granted++;
    }
    echo "database users {$users['app'][0]} (schema) and {$users['tracker'][0]} ($granted tables) are up to date\n";
} catch (Throwable $e) {
    fwrite(STDERR, 'matomo-db-users: ' . $e->getMessage() . "\n");
    exit(1);
}
