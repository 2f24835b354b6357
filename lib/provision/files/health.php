<?php
// Load balancer health check: 200 when this node finished provisioning and nginx and php-fpm
// answer (this script running is the proof). It never asks the database: a database blip
// (reboot, minor upgrade, Multi-AZ failover) would otherwise mark every node unhealthy at once
// and the groups would replace them all. Database reachability is matomo-deep-check.php's job.
// Not index.php: in maintenance mode that still answers 200.
declare(strict_types=1);

header('Cache-Control: no-store');
header('Content-Type: text/plain');

if (!is_file('/var/lib/matomo-provision/ready')) {
    http_response_code(503);
    echo "unhealthy: provisioning has not finished\n";
    exit;
}
echo "ok\n";
