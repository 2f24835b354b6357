/** Path the load balancer health-checks on every node: 200 only when PHP and the database answer. */
export const HEALTH_CHECK_PATH = "/matomo-health.php";

/** Port nginx listens on, for the load balancer's target groups (TLS ends at the load balancer). */
export const NODE_HTTP_PORT = 80;
