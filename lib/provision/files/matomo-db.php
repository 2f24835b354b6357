<?php
// matomo-db.php CONFIG COMMAND ...: the database questions provisioning asks, with the
// connection from CONFIG's [database] section.
//   ping                         exit 0 when the database answers
//   tables                       number of tables with the configured prefix
//   get-option NAME              print a row of the Matomo option table; exit 3 when absent
//   set-option NAME              store stdin as that option (autoload off)
//   scalar SQL                   print the first column of the first row ({prefix} = tables prefix)
//   lock-run NAME WAIT -- CMD...   run CMD while holding MySQL's GET_LOCK(NAME); wait at most WAIT
//                                seconds for it, exit 75 when another session holds it. The lock
//                                belongs to this connection, so it spans every node.
declare(strict_types=1);
require __DIR__ . '/matomo-pdo.php';

[$self, $configPath, $command] = array_pad($argv, 3, '');
$args = array_slice($argv, 3);
try {
    $db = matomo_config($configPath)['database'];
    $pdo = matomo_pdo($db);
} catch (Throwable $e) {
    fwrite(STDERR, "matomo-db: " . $e->getMessage() . "\n");
    exit(1);
}
$prefix = (string) ($db['tables_prefix'] ?? '');
$optionTable = '`' . str_replace('`', '``', $prefix . 'option') . '`';

function option_table_exists(PDO $pdo, string $prefix): bool
{
    $q = $pdo->prepare('SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?');
    $q->execute([$prefix . 'option']);
    return (int) $q->fetchColumn() === 1;
}

switch ($command) {
    case 'ping':
        $pdo->query('SELECT 1')->fetchColumn();
        exit(0);
    case 'tables':
        $q = $pdo->prepare("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE ?");
        $q->execute([addcslashes($prefix, '%_\\') . '%']);
        echo $q->fetchColumn(), "\n";
        exit(0);
    case 'get-option':
        if (!option_table_exists($pdo, $prefix)) {
            exit(3);
        }
        $q = $pdo->prepare("SELECT option_value FROM $optionTable WHERE option_name = ?");
        $q->execute([$args[0] ?? '']);
        $value = $q->fetchColumn();
        if ($value === false) {
            exit(3);
        }
        echo $value;
        exit(0);
    case 'set-option':
        $value = stream_get_contents(STDIN);
        $q = $pdo->prepare("INSERT INTO $optionTable (option_name, option_value, autoload) VALUES (?, ?, 0)
            ON DUPLICATE KEY UPDATE option_value = VALUES(option_value)");
        $q->execute([$args[0] ?? '', $value]);
        exit(0);
    case 'scalar':
        $value = $pdo->query(str_replace('{prefix}', $prefix, $args[0] ?? ''))->fetchColumn();
        echo $value === false ? '' : $value, "\n";
        exit(0);
    case 'lock-run':
        [$name, $wait, $separator] = array_pad($args, 3, '');
        $cmd = array_slice($args, 3);
        if ($separator !== '--' || $cmd === [] || !ctype_digit($wait)) {
            fwrite(STDERR, "usage: matomo-db.php CONFIG lock-run NAME WAIT_SECONDS -- COMMAND...\n");
            exit(2);
        }
        $q = $pdo->prepare('SELECT GET_LOCK(?, ?)');
        $q->execute([$name, (int) $wait]);
        if ((int) $q->fetchColumn() !== 1) {
            fwrite(STDERR, "matomo-db: lock '$name' is held by another session; not running " . implode(' ', $cmd) . "\n");
            exit(75);
        }
        $process = proc_open($cmd, [STDIN, STDOUT, STDERR], $pipes);
        if (!is_resource($process)) {
            exit(1);
        }
        // Keep the connection (and with it the lock) alive while the command runs.
        $lastPing = time();
        while (($status = proc_get_status($process))['running']) {
            usleep(200000);
            if (time() - $lastPing >= 60) {
                $pdo->query('SELECT 1')->fetchColumn();
                $lastPing = time();
            }
        }
        proc_close($process);
        $pdo->prepare('SELECT RELEASE_LOCK(?)')->execute([$name]);
        exit($status['exitcode']);
    default:
        fwrite(STDERR, "matomo-db: unknown command '$command'\n");
        exit(2);
}
