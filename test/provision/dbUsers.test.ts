/**
 * matomo-db-users.php against a real MariaDB: the users the ui creates under the provisioning lock
 * may do what Matomo's tracker and app need, and the tracker nothing else (issue 17 item 1).
 * Expected privileges are written from Matomo's source (see the script's comments), not from its output.
 */
import { strict as assert } from "assert";
import { execFileSync, spawnSync } from "child_process";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { PROVISION_FILES_DIR } from "../../lib/provision";
import { startMariaDb, type TestDatabase } from "../boot/support/mariadb";
import { freePort } from "../support/ports";
import { requireRoot, requireTools } from "../support/tools";

const SCHEMA = "matomo";
const PREFIX = "matomo_";
const ADMIN = { user: "admin", password: "Admin-Pass-1" };
const APP = { user: "matomo_app", password: "App-Pass-1!#" };
const TRACKER = { user: "matomo_tracker", password: "Tracker-Pass-1[]" };

/** A few of Matomo's tables, enough to tell allowed statements from refused ones. */
const TABLES = [
    "log_visit",
    "log_action",
    "log_link_visit_action",
    "option",
    "site",
    "access",
    "user_token_auth",
    "user_language",
    "user",
    "session",
    "archive_numeric_2026_01",
];

describe("matomo-db-users.php on a real MariaDB", function () {
    let db: TestDatabase;
    let port = 0;
    let dir: string;
    const adminConfig = () => join(dir, "admin.ini.php");

    const run = (env: Record<string, string>) =>
        spawnSync("php", [join(PROVISION_FILES_DIR, "matomo-db-users.php"), adminConfig()], { encoding: "utf8", env: { PATH: process.env.PATH, ...env } });
    const users = (tracker = TRACKER.password, app = APP.password) => ({
        MATOMO_DB_APP_USER: APP.user,
        MATOMO_DB_APP_PASSWORD: app,
        MATOMO_DB_TRACKER_USER: TRACKER.user,
        MATOMO_DB_TRACKER_PASSWORD: tracker,
    });
    /** One statement as a user over TCP, as the nodes connect: exit status and error text. */
    const as = (who: { user: string; password: string }, sql: string) =>
        spawnSync("mariadb", ["--no-defaults", "-h127.0.0.1", `-P${port}`, `-u${who.user}`, `-p${who.password}`, "-N", "-B", SCHEMA, "-e", sql], {
            encoding: "utf8",
        });
    const allowed = (who: { user: string; password: string }, sql: string) => {
        const r = as(who, sql);
        assert.equal(r.status, 0, `${who.user} should run ${sql}: ${r.stderr}`);
        return r.stdout;
    };
    const refused = (who: { user: string; password: string }, sql: string) => {
        const r = as(who, sql);
        assert.notEqual(r.status, 0, `${who.user} must be refused ${sql}`);
        assert.match(r.stderr, /denied/i, `${who.user}: ${sql}: ${r.stderr}`);
    };

    before(async function () {
        requireRoot("mariadbd runs as the mysql user from a root-owned temporary directory");
        requireTools("mariadbd", "mariadb-install-db", "mariadb", "php");
        if (!/^pdo_mysql$/m.test(execFileSync("php", ["-m"]).toString())) throw new Error("PHP has no pdo_mysql: apt-get install -y php8.2-mysql");
        port = await freePort();
        db = await startMariaDb(port, SCHEMA, ADMIN.user, ADMIN.password);
        // What the RDS master user holds: every schema privilege with GRANT OPTION, and CREATE USER.
        db.query(`GRANT ALL PRIVILEGES ON \`${SCHEMA}\`.* TO '${ADMIN.user}'@'%' WITH GRANT OPTION; GRANT CREATE USER ON *.* TO '${ADMIN.user}'@'%';`);
        db.query(TABLES.map((t) => `CREATE TABLE \`${SCHEMA}\`.\`${PREFIX}${t}\` (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(64));`).join(" "));
        // Matomo's site table has the creation time a hit older than the site moves back.
        db.query(`ALTER TABLE \`${SCHEMA}\`.\`${PREFIX}site\` ADD COLUMN ts_created TIMESTAMP NULL;`);
        db.query(
            `INSERT INTO \`${SCHEMA}\`.\`${PREFIX}user\` (v) VALUES ('password hash'); INSERT INTO \`${SCHEMA}\`.\`${PREFIX}site\` (v, ts_created) VALUES ('site', '2026-12-07 10:00:00');`,
        );
        dir = mkdtempSync(join(tmpdir(), "db-users-"));
        writeFileSync(
            adminConfig(),
            `; <?php exit; ?> DO NOT REMOVE THIS LINE\n[database]\nhost = "127.0.0.1"\nport = ${port}\nusername = "${ADMIN.user}"\npassword = "${ADMIN.password}"\ndbname = "${SCHEMA}"\ntables_prefix = "${PREFIX}"\n`,
        );
        const r = run(users());
        assert.equal(r.status, 0, r.stderr);
    });
    after(async () => {
        await db?.stop();
        if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("lets the tracker record a visit: insert and update the log tables, read sites, write options", () => {
        allowed(TRACKER, `INSERT INTO ${PREFIX}log_visit (v) VALUES ('visit'); UPDATE ${PREFIX}log_visit SET v = 'again' WHERE id = 1;`);
        allowed(TRACKER, `INSERT INTO ${PREFIX}log_action (v) VALUES ('a'); DELETE FROM ${PREFIX}log_action WHERE v = 'a';`);
        allowed(TRACKER, `INSERT INTO ${PREFIX}log_link_visit_action (v) VALUES ('pageview');`);
        allowed(TRACKER, `INSERT INTO \`${PREFIX}option\` (v) VALUES ('salt'); UPDATE \`${PREFIX}option\` SET v = 'x'; DELETE FROM \`${PREFIX}option\`;`);
        assert.equal(allowed(TRACKER, `SELECT v FROM ${PREFIX}site`).trim(), "site");
        allowed(TRACKER, `SELECT * FROM ${PREFIX}access; SELECT * FROM ${PREFIX}user_token_auth;`);
    });

    it("lets the tracker move a site's creation time back for an older hit, as SitesManagerRequestProcessor does, and change nothing else of the site", () => {
        // plugins/SitesManager/Model.php updateSiteCreatedTime, run by a tracking request whose time
        // (less a day) is before ts_created: every hit in a new site's first day.
        allowed(TRACKER, `UPDATE ${PREFIX}site SET ts_created = '2026-12-06 00:00:00' WHERE id IN (1) AND ts_created > '2026-12-06 00:00:00'`);
        assert.equal(allowed(TRACKER, `SELECT ts_created FROM ${PREFIX}site`).trim(), "2026-12-06 00:00:00");
        refused(TRACKER, `UPDATE ${PREFIX}site SET v = 'mine'`);
    });

    it("lets the tracker read users' languages, which Tag Manager's container regeneration on every node looks up", () => {
        // plugins/Intl/DateTimeFormatProvider.php → LanguagesManager::uses12HourClockForCurrentUser,
        // reached from tagmanager:regenerate-released-containers (matomo-generated-files.sh) on trackers too.
        allowed(TRACKER, `SELECT * FROM ${PREFIX}user_language`);
        refused(TRACKER, `INSERT INTO ${PREFIX}user_language (v) VALUES ('fr')`);
    });

    it("refuses the tracker DROP, ALTER, CREATE, CREATE USER and GRANT", () => {
        refused(TRACKER, `DROP TABLE ${PREFIX}log_visit`);
        refused(TRACKER, `ALTER TABLE ${PREFIX}log_visit ADD COLUMN evil INT`);
        refused(TRACKER, `CREATE TABLE ${PREFIX}evil (id INT)`);
        refused(TRACKER, `CREATE USER 'evil'@'%' IDENTIFIED BY 'evil'`);
        refused(TRACKER, `GRANT SELECT ON ${SCHEMA}.${PREFIX}log_visit TO '${APP.user}'@'%'`);
        refused(TRACKER, `TRUNCATE TABLE ${PREFIX}log_visit`);
        refused(TRACKER, `DELETE FROM ${PREFIX}log_visit`);
    });

    it("refuses the tracker the users' password hashes, the UI sessions, the reports and the server's user table", () => {
        refused(TRACKER, `SELECT * FROM ${PREFIX}user`);
        refused(TRACKER, `SELECT * FROM ${PREFIX}session`);
        refused(TRACKER, `SELECT * FROM ${PREFIX}archive_numeric_2026_01`);
        refused(TRACKER, `UPDATE ${PREFIX}site SET v = 'mine'`);
        refused(TRACKER, "SELECT * FROM mysql.user");
    });

    it("gives the app user what Matomo's installer checks (and LOCK TABLES, INDEX), on the schema only", () => {
        allowed(
            APP,
            `CREATE TABLE ${PREFIX}t (id INT PRIMARY KEY, v INT); ALTER TABLE ${PREFIX}t ADD COLUMN w INT; CREATE INDEX i ON ${PREFIX}t (v);` +
                ` INSERT INTO ${PREFIX}t VALUES (1, 2, 3); UPDATE ${PREFIX}t SET v = 4; SELECT * FROM ${PREFIX}t; DELETE FROM ${PREFIX}t;` +
                ` CREATE TEMPORARY TABLE tmp (id INT); LOCK TABLES ${PREFIX}t WRITE; UNLOCK TABLES; DROP TABLE ${PREFIX}t;`,
        );
        allowed(APP, `SELECT v FROM ${PREFIX}user`);
        refused(APP, `CREATE USER 'evil'@'%' IDENTIFIED BY 'evil'`);
        refused(APP, `GRANT SELECT ON ${SCHEMA}.* TO '${TRACKER.user}'@'%'`);
        refused(APP, "SELECT * FROM mysql.user");
    });

    it("sets both passwords again on every run, so a rotation reaches the database and the old password stops working", () => {
        const rotated = { ...TRACKER, password: "Tracker-Pass-2" };
        const r = run(users(rotated.password));
        assert.equal(r.status, 0, r.stderr);
        allowed(rotated, `SELECT v FROM ${PREFIX}site`);
        const old = as(TRACKER, "SELECT 1");
        assert.notEqual(old.status, 0);
        assert.match(old.stderr, /denied/i);
        assert.equal(run(users()).status, 0);
    });

    it("refuses to run without a user's password, or with a user that is the admin", () => {
        const missing = run({ ...users(), MATOMO_DB_TRACKER_PASSWORD: "" });
        assert.equal(missing.status, 2);
        assert.match(missing.stderr, /MATOMO_DB_TRACKER_PASSWORD is not set/);
        const admin = run({ ...users(), MATOMO_DB_TRACKER_USER: ADMIN.user });
        assert.equal(admin.status, 1);
        assert.match(admin.stderr, /the tracker user is the admin user/);
    });

    it("never prints a password, even when the server refuses a statement", () => {
        // An admin without CREATE USER: the server refuses, and the message must not carry the statement.
        db.query(`REVOKE CREATE USER ON *.* FROM '${ADMIN.user}'@'%';`);
        try {
            const r = run({ ...users("Brand-New-Secret-9"), MATOMO_DB_TRACKER_USER: "someone_new" });
            assert.equal(r.status, 1);
            assert.ok(!`${r.stdout}${r.stderr}`.includes("Brand-New-Secret-9"), r.stderr);
            assert.match(r.stderr, /matomo-db-users: /);
        } finally {
            db.query(`GRANT CREATE USER ON *.* TO '${ADMIN.user}'@'%';`);
        }
    });
});
