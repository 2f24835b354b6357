/**
 * The database users Matomo runs as (issue 17 item 1): the tracker nodes connect as a user that
 * may only record visits, the ui nodes as one with what Matomo's app needs on its schema, and the
 * admin credential (the RDS master, or an existing database's admin) stays with the ui's
 * provisioning, which creates the two (lib/provision/files/matomo-db-users.php holds the grants).
 */
import { createHash } from "crypto";

/** MySQL's limit on a user name (MariaDB allows 80; the tighter one holds for both). */
export const DATABASE_USER_NAME_MAX = 32;

/** The two user names, one pair per schema and table prefix. */
export interface DatabaseUserNames {
    /** The ui nodes' user: UI, API, archiving. */
    app: string;
    /** The tracker nodes' user: matomo.php only. */
    tracker: string;
}

/**
 * The user names of the Matomo installation in `schema` with `tablesPrefix`: `matomo_app_<h>` and
 * `matomo_tracker_<h>`, `<h>` 8 hex digits of sha256 over both. Two clusters sharing one server
 * (each its own schema or prefix) thus never share a user, and so never reset each other's
 * password; the same cluster always gets the same names.
 */
export function databaseUserNames(schema: string, tablesPrefix: string): DatabaseUserNames {
    const h = createHash("sha256").update(`${schema}\0${tablesPrefix}`, "utf8").digest("hex").slice(0, 8);
    return { app: `matomo_app_${h}`, tracker: `matomo_tracker_${h}` };
}
