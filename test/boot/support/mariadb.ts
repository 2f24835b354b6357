/** A real MariaDB server for the boot test: its own datadir, socket and loopback port. */
import { ChildProcess, execFileSync, spawn } from "child_process";
import { chownSync, existsSync, mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";

export interface TestDatabase {
    port: number;
    /** Run SQL as root over the socket; returns tab-separated rows, values raw (newlines not escaped). */
    query(sql: string): string;
    /** Stop the server, keeping its data (a database outage); `startServer` brings it back. */
    stopServer(): Promise<void>;
    startServer(): Promise<void>;
    stop(): Promise<void>;
}

function sqlString(value: string): string {
    return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

export async function startMariaDb(port: number, database: string, user: string, password: string): Promise<TestDatabase> {
    const dir = mkdtempSync(join(tmpdir(), "matomo-boot-db-"));
    const datadir = join(dir, "data");
    const socket = join(dir, "mysqld.sock");
    const mysqlUid = Number(execFileSync("id", ["-u", "mysql"]).toString().trim());
    const mysqlGid = Number(execFileSync("id", ["-g", "mysql"]).toString().trim());
    chownSync(dir, mysqlUid, mysqlGid);
    execFileSync(
        "mariadb-install-db",
        ["--no-defaults", "--user=mysql", `--datadir=${datadir}`, "--auth-root-authentication-method=socket", "--skip-test-db"],
        { stdio: "pipe" },
    );

    const query = (sql: string): string => execFileSync("mariadb", ["--no-defaults", `--socket=${socket}`, "-uroot", "-N", "-B", "-r", "-e", sql]).toString();
    let server: ChildProcess | undefined;
    let exited = true;
    let exitedPromise = Promise.resolve();
    const startServer = async (): Promise<void> => {
        const child = spawn(
            "mariadbd",
            [
                "--no-defaults",
                "--user=mysql",
                `--datadir=${datadir}`,
                `--socket=${socket}`,
                `--port=${port}`,
                "--bind-address=127.0.0.1",
                `--pid-file=${join(dir, "mysqld.pid")}`,
                "--skip-log-bin",
                // As the RDS parameter group lib/aws/database.ts creates (MariaDB's own default, 16 MiB, is below Matomo's 64 MB).
                `--max-allowed-packet=${128 * 1024 * 1024}`,
            ],
            { stdio: "ignore" },
        );
        server = child;
        exited = false;
        exitedPromise = new Promise<void>((resolve) => child.once("exit", () => ((exited = true), resolve())));
        const deadline = Date.now() + 30_000;
        for (;;) {
            if (exited) throw new Error("mariadbd exited during startup");
            if (existsSync(socket)) {
                try {
                    query("SELECT 1");
                    return;
                } catch {
                    /* not ready yet */
                }
            }
            if (Date.now() > deadline) throw new Error("mariadbd did not start within 30 s");
            await new Promise((r) => setTimeout(r, 250));
        }
    };
    const stopServer = async (): Promise<void> => {
        if (!exited && server?.pid !== undefined) {
            process.kill(server.pid, "SIGTERM");
            await Promise.race([exitedPromise, new Promise((r) => setTimeout(r, 30_000))]);
        }
    };
    await startServer();
    query(
        `CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci; ` +
            `CREATE USER ${sqlString(user)}@'%' IDENTIFIED BY ${sqlString(password)}; ` +
            `GRANT ALL PRIVILEGES ON \`${database}\`.* TO ${sqlString(user)}@'%';`,
    );
    return {
        port,
        query,
        stopServer,
        startServer,
        async stop() {
            await stopServer();
            rmSync(dir, { recursive: true, force: true });
        },
    };
}
