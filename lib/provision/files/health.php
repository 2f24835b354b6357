<?php
// Load balancer health check: 200 only when this node finished provisioning and PHP can reach
// the database with the node's config. Not index.php: in maintenance mode that still answers 200.
declare(strict_types=1);
require '/usr/local/lib/matomo-provision/matomo-pdo.php';

header('Cache-Control: no-store');
header('Content-Type: text/plain');

function unhealthy(string $why): void
{
    http_response_code(503);
    echo "unhealthy: $why\n";
    exit;
}

if (!is_file('/var/lib/matomo-provision/ready')) {
    unhealthy('provisioning has not finished');
}
try {
    $db = matomo_config('/var/www/matomo/config/config.ini.php')['database'];
    matomo_pdo($db, 2)->query('SELECT 1')->fetchColumn();
} catch (Throwable $e) {
    unhealthy('database unreachable');
}
echo "ok\n";
