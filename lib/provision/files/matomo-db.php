<?php
// matomo-db.php CONFIG COMMAND ...: the database questions provisioning asks, with the
// connection from CONFIG's [database] section.
//   ping                         exit 0 when the database answers
//   check-server                 exit 0 when the server meets what Matomo needs (see below); else
//                                print each problem and exit 4
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
    case 'check-server':
        // What Matomo needs of any server, checked before anything is installed on it (a database
        // the user brings has had no parameter group of ours). Matomo's System Check
        // (Diagnostics/Diagnostic/DbMaxPacket.php) wants max_allowed_packet >= 64 MB, counted
        // as 64 * 1000 * 1000 bytes: archiving writes blobs that large.
        $problems = [];
        $packet = (int) $pdo->query('SELECT @@GLOBAL.max_allowed_packet')->fetchColumn();
        if ($packet < 64000000) {
            $problems[] = "max_allowed_packet is $packet bytes; Matomo needs at least 64 MB (64000000)";
        }
        // utf8mb4 with the collation the config names (the connection already asked for utf8mb4).
        $q = $pdo->prepare("SELECT COUNT(*) FROM information_schema.collations WHERE character_set_name = 'utf8mb4' AND collation_name = ?");
        $q->execute([$db['collation'] ?? '']);
        if ((int) $q->fetchColumn() !== 1) {
            $problems[] = 'no utf8mb4 collation ' . ($db['collation'] ?? '');
        }
        // With enable_ssl the connection must really be encrypted, not merely allowed to be.
        if (!empty($db['enable_ssl']) && (string) ($pdo->query("SHOW SESSION STATUS LIKE 'Ssl_cipher'")->fetch(PDO::FETCH_NUM)[1] ?? '') === '') {
            $problems[] = 'enable_ssl = 1 but this connection is not encrypted';
        }
        // [database] schema: Matomo's MariaDB dialect sends statements MySQL refuses; the reverse
        // only loses MariaDB's statement time limits (a warning, for an existing database).
        $mariadb = stripos((string) $pdo->query('SELECT VERSION()')->fetchColumn(), 'mariadb') !== false;
        $schema = $db['schema'] ?? 'Mysql';
        if ($schema === 'Mariadb' && !$mariadb) {
            $problems[] = 'schema = Mariadb but the server is not MariaDB';
        } elseif ($mariadb && $schema !== 'Mariadb') {
            echo "warning: the server is MariaDB but [database] schema is '$schema' (extraConfig.database.schema)\n";
        }
        foreach ($problems as $problem) {
            fwrite(STDERR, "matomo-db: $problem\n");
        }
        exit($problems === [] ? 0 : 4);
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
