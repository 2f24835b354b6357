/** Path the load balancer health-checks on every node: 200 once provisioning finished and nginx + php-fpm answer (never asks the database). */
export const HEALTH_CHECK_PATH = "/matomo-health.php";

/** Port nginx listens on, for the load balancer's target groups (TLS ends at the load balancer). */
export const NODE_HTTP_PORT = 80;
