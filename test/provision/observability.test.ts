/**
 * The node side of observability: the CloudWatch agent's configuration reads the files the node
 * really writes (checked against Debian's own nginx and php-fpm configuration and Matomo's log
 * setting), the archiving job reports its heartbeat, and the metric jobs run only where they mean
 * something. The boot test proves the files exist and grow on a booted node.
 */
import { strict as assert } from "assert";
import { existsSync, readFileSync } from "fs";
import { ARCHIVING_LOG_PATH, cloudWatchAgentUrl, LOG_SOURCES, MATOMO_LOG_PATH, renderAgentConfig, renderCron, renderMetricsEnv } from "../../lib/provision";
import { parsedByPhp } from "../support/configFiles";
import { configFor, inputFor, OBSERVABILITY, PLUGIN_SHA256, renderBoth, settingsWith } from "./fixtures";
import { renderProvisionEnv } from "../../lib/provision/env";

type AgentConfig = {
    agent: { run_as_user: string };
    logs: { logs_collected: { files: { collect_list: { file_path: string; log_group_name: string; log_stream_name: string }[] } } };
};

describe("provision: observability on the node", () => {
    it("the agent ships each role's logs to the library's log groups, one stream per instance", () => {
        for (const role of ["tracker", "ui"] as const) {
            const config = JSON.parse(renderAgentConfig(role, OBSERVABILITY)) as AgentConfig;
            const list = config.logs.logs_collected.files.collect_list;
            const expected =
                role === "ui"
                    ? ["archiving", "matomo", "nginx-access", "nginx-error", "php-fpm", "provisioning"]
                    : ["matomo", "nginx-access", "nginx-error", "php-fpm", "provisioning"];
            assert.deepEqual(
                list.map((f) => f.log_group_name),
                expected.map((s) => `/matomo/matomo-logs-abc123/${s}`),
            );
            // {instance_id} is the agent's placeholder for the instance's id (CloudWatch agent configuration reference).
            for (const f of list) assert.equal(f.log_stream_name, `${role}/{instance_id}`);
        }
    });

    it("reads nginx's and php-fpm's logs where Debian's packages write them, and Matomo's where config.ini.php sends it", () => {
        // Debian 12's own configuration files (installed with the validators): the node keeps them as shipped.
        const nginx = readFileSync("/etc/nginx/nginx.conf", "utf8");
        assert.match(nginx, new RegExp(`^\\s*access_log ${LOG_SOURCES["nginx-access"].file};`, "m"));
        assert.match(nginx, new RegExp(`^\\s*error_log ${LOG_SOURCES["nginx-error"].file};`, "m"));
        assert.ok(existsSync("/etc/php/8.2/fpm/php-fpm.conf"), "php8.2-fpm installed");
        assert.match(readFileSync("/etc/php/8.2/fpm/php-fpm.conf", "utf8"), new RegExp(`^error_log = ${LOG_SOURCES["php-fpm"].file}$`, "m"));
        const settings = settingsWith();
        const ini = parsedByPhp(configFor(settings).text) as Record<string, Record<string, unknown>>;
        assert.deepEqual(ini.log, { log_writers: ["file"], logger_file_path: MATOMO_LOG_PATH });
        assert.equal(LOG_SOURCES.matomo.file, MATOMO_LOG_PATH);
        assert.match(renderCron("ui", settings, OBSERVABILITY), new RegExp(`core:archive .*>> ${ARCHIVING_LOG_PATH} 2>&1$`, "m"));
    });

    it("the archiving job publishes its heartbeat only through matomo-metric.sh, inside both locks and around the whole command; the ui checks the database every minute; backlogs only with QueuedTracking; the tracker publishes nothing", () => {
        const plain = renderCron("ui", settingsWith());
        assert.doesNotMatch(plain, /matomo-metric/);
        const cron = renderCron("ui", settingsWith(), OBSERVABILITY);
        // The command the plain job runs, unchanged (its --concurrent-archivers=-1 and --url), after matomo-metric.sh archive.
        const plainArchive = /lock-run matomo-core-archive 0 -- (.*) >> /m.exec(plain)![1];
        assert.equal(plainArchive, "php /var/www/matomo/console core:archive --concurrent-archivers=-1 --url=https://analytics.example.com/");
        assert.match(
            cron,
            /^5 \* \* \* \* www-data flock -n \/run\/lock\/matomo-core-archive\.lock php \S+matomo-db\.php \S+ lock-run matomo-core-archive 0 -- \/usr\/local\/lib\/matomo-provision\/matomo-metric\.sh archive (.*) >> /m,
        );
        assert.equal(/lock-run matomo-core-archive 0 -- \/usr\/local\/lib\/matomo-provision\/matomo-metric\.sh archive (.*) >> /m.exec(cron)![1], plainArchive);
        // With a timeout, the heartbeat times the whole run and reports nothing when timeout stops it (exit 124).
        const timed = renderCron("ui", settingsWith({ archiving: { timeoutSeconds: 3000 } }), OBSERVABILITY);
        assert.match(
            timed,
            / -- \/usr\/local\/lib\/matomo-provision\/matomo-metric\.sh archive timeout --kill-after=60 3000 php \/var\/www\/matomo\/console core:archive --concurrent-archivers=-1 /,
        );
        assert.match(
            cron,
            /^\* \* \* \* \* www-data \/usr\/local\/lib\/matomo-provision\/matomo-metric\.sh deep-check >> \/var\/log\/matomo\/matomo-metrics\.log 2>&1$/m,
        );
        assert.doesNotMatch(cron, /queue-backlog/);
        const queuedSettings = settingsWith({ queuedTracking: { enabled: true, pluginSha256: PLUGIN_SHA256 } });
        assert.match(renderCron("ui", queuedSettings, OBSERVABILITY), /^\* \* \* \* \* www-data \S+matomo-metric\.sh queue-backlog /m);
        // Trackers run cron too (runtime files), but archive nothing and publish no metric.
        assert.equal(renderCron("tracker", queuedSettings, OBSERVABILITY), renderCron("tracker", queuedSettings));
    });

    it("the provisioning bundle carries the agent config, the metrics env and the scripts only with observability; user data only the agent's download and key; the agent URL is the region's", () => {
        const settings = settingsWith();
        const off = renderBoth(settings);
        const on = renderBoth(settings, { observability: OBSERVABILITY });
        const paths = [
            "/etc/matomo-provision/cloudwatch-agent.json",
            "/etc/matomo-provision/metrics.env",
            "/usr/local/lib/matomo-provision/matomo-cloudwatch-agent.sh",
            "/usr/local/lib/matomo-provision/matomo-metric.sh",
            "/usr/local/lib/matomo-provision/matomo-queue-backlog.php",
        ];
        for (const role of ["tracker", "ui"] as const) {
            const bundled = (u: typeof on.ui) => u.bundle.files.map((f) => f.path);
            for (const p of paths) {
                assert.ok(!bundled(off[role]).includes(p), `${role} without observability: ${p}`);
                assert.ok(bundled(on[role]).includes(p), `${role} bundle: ${p}`);
                assert.ok(!on[role].text.includes(`path: '${p}'`), `${role}: ${p} is not in user data`);
            }
            // metrics.env is read by cron's www-data: world-readable, root's.
            assert.deepEqual(
                on[role].bundle.files.filter((f) => f.path.endsWith("/metrics.env")).map((f) => [f.owner, f.permissions]),
                [["root:root", "0644"]],
            );
            assert.match(on[role].text, /^ +MATOMO_CLOUDWATCH='1'$/m);
            assert.match(off[role].text, /^ +MATOMO_CLOUDWATCH='0'$/m);
        }
        const env = renderProvisionEnv(inputFor("ui", settings, undefined, { observability: OBSERVABILITY }), 80);
        // AWS's table: https://amazoncloudwatch-agent-<region>.s3.<region>.amazonaws.com/<platform>/<arch>/latest/amazon-cloudwatch-agent.deb
        assert.match(
            env,
            /^MATOMO_CLOUDWATCH_AGENT_URL='https:\/\/amazoncloudwatch-agent-eu-west-1\.s3\.eu-west-1\.amazonaws\.com\/ubuntu\/arm64\/latest\/amazon-cloudwatch-agent\.deb'$/m,
        );
        assert.equal(
            cloudWatchAgentUrl("us-east-1", "x86_64"),
            "https://amazoncloudwatch-agent-us-east-1.s3.us-east-1.amazonaws.com/debian/amd64/latest/amazon-cloudwatch-agent.deb",
        );
        // AWS's CloudWatch agent key, "Verifying the signature of the CloudWatch agent package": 9376 16F3 450B 7D80 6CBD 9725 D581 6730 3B78 9C72.
        assert.match(env, /^MATOMO_CLOUDWATCH_AGENT_FINGERPRINT='937616F3450B7D806CBD9725D58167303B789C72'$/m);
        assert.equal(
            renderMetricsEnv(OBSERVABILITY, "eu-west-1"),
            "# Matomo node metrics. Rendered by pulumi-matomo-aws; read by matomo-metric.sh.\nMATOMO_AWS_REGION='eu-west-1'\nMATOMO_METRICS_NAMESPACE='Matomo'\nMATOMO_METRICS_CLUSTER='matomo'\n",
        );
    });
});
