/**
 * The ui node's installer gate: an nginx snippet the ui site includes at server level. While the
 * node is not ready (first install, update, or a failed run) it is "closed": only loopback may
 * reach the site, so Matomo's web installer, which the node drives over loopback and whose
 * super user step has no nonce, can never be posted to from outside, even when the load balancer
 * fails open and forwards public traffic to an unhealthy target. Provisioning opens it as the
 * last step before the node reports ready.
 *
 * nginx's realip module has already replaced $remote_addr with the client address the load
 * balancer appended to X-Forwarded-For, so a request through the load balancer is never
 * "loopback", whatever its own headers say. The health check is refused too while closed (403 instead of 503:
 * unhealthy either way).
 */

/** Where provisioning puts the snippet that the ui site includes. */
export const INSTALLER_GATE_PATH = "/etc/nginx/matomo-installer-gate.conf";
/** The closed gate, shipped in the payload under this name; the open gate is an empty file. */
export const INSTALLER_GATE_PAYLOAD = "installer-gate.conf";

export function renderInstallerGate(): string {
    return ["# Installer gate (pulumi-matomo-aws): loopback only until this node is ready; then empty.", "allow 127.0.0.1;", "deny all;", ""].join("\n");
}
