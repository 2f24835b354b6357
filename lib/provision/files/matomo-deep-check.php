<?php
// matomo-deep-check.php [CONFIG]: what the load balancer's health check deliberately does not
// ask, for operators (Session Manager), metrics and alarms. Prints one line per check, exits 0
// when all pass, 1 otherwise. PDO's messages name user and host, never the password.
declare(strict_types=1);
require __DIR__ . '/matomo-pdo.php';

$ok = is_file('/var/lib/matomo-provision/ready');
echo 'provisioning: ', $ok ? 'finished' : 'not finished', "\n";
try {
    matomo_pdo(matomo_config($argv[1] ?? '/var/www/matomo/config/config.ini.php')['database'], 5)->query('SELECT 1');
    echo "database: reachable\n";
} catch (Throwable $e) {
    echo 'database: unreachable (', preg_replace('/\s+/', ' ', $e->getMessage()), ")\n";
    $ok = false;
}
exit($ok ? 0 : 1);
