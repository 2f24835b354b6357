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

type AgentConfig = { agent: { run_as_user: string }; logs: { logs_collected: { files: { collect_list: { file_path: string; log_group_name: string; log_stream_name: string }[] } } } };

describe("provision: observability on the node", () => {
    it("the agent ships each role's logs to the library's log groups, one stream per instance", () => {
        for (const role of ["tracker", "ui"] as const) {
            const config = JSON.parse(renderAgentConfig(role, OBSERVABILITY)) as AgentConfig;
            const list = config.logs.logs_collected.files.collect_list;
            const expected = role === "ui" ? ["archiving", "matomo", "nginx-access", "nginx-error", "php-fpm", "provisioning"] : ["matomo", "nginx-access", "nginx-error", "php-fpm", "provisioning"];
            assert.deepEqual(list.map((f) => f.log_group_name), expected.map((s) => `/matomo/matomo-logs-abc123/${s}`));
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
        assert.match(renderCron(settings, OBSERVABILITY), new RegExp(`core:archive .*>> ${ARCHIVING_LOG_PATH} 2>&1$`, "m"));
    });

    it("the archiving job publishes its heartbeat only through matomo-metric.sh; the ui checks the database every minute; backlogs only with QueuedTracking", () => {
        const plain = renderCron(settingsWith());
        assert.doesNotMatch(plain, /matomo-metric/);
        const cron = renderCron(settingsWith(), OBSERVABILITY);
        assert.match(cron, /^5 \* \* \* \* www-data flock -n \S+ php \S+matomo-db\.php \S+ lock-run matomo-core-archive 0 -- \/usr\/local\/lib\/matomo-provision\/matomo-metric\.sh archive php \/var\/www\/matomo\/console core:archive /m);
        assert.match(cron, /^\* \* \* \* \* www-data \/usr\/local\/lib\/matomo-provision\/matomo-metric\.sh deep-check >> \/var\/log\/matomo\/matomo-metrics\.log 2>&1$/m);
        assert.doesNotMatch(cron, /queue-backlog/);
        const queued = renderCron(settingsWith({ queuedTracking: { enabled: true, pluginSha256: PLUGIN_SHA256 } }), OBSERVABILITY);
        assert.match(queued, /^\* \* \* \* \* www-data \S+matomo-metric\.sh queue-backlog /m);
    });

    it("user data carries the agent config, the metrics env and the scripts only with observability; the agent URL is the region's", () => {
        const settings = settingsWith();
        const off = renderBoth(settings);
        const on = renderBoth(settings, { observability: OBSERVABILITY });
        for (const role of ["tracker", "ui"] as const) {
            assert.doesNotMatch(off[role].text, /path: '[^']*(cloudwatch-agent\.json|metrics\.env|matomo-metric\.sh|matomo-cloudwatch-agent\.sh)'/);
            assert.match(on[role].text, /path: '\/etc\/matomo-provision\/cloudwatch-agent\.json'/);
            assert.match(on[role].text, /path: '\/usr\/local\/lib\/matomo-provision\/matomo-cloudwatch-agent\.sh'/);
        }
        const env = renderProvisionEnv(inputFor("ui", settings, undefined, { observability: OBSERVABILITY }), 80);
        // AWS's table: https://amazoncloudwatch-agent-<region>.s3.<region>.amazonaws.com/<platform>/<arch>/latest/amazon-cloudwatch-agent.deb
        assert.match(env, /^MATOMO_CLOUDWATCH_AGENT_URL='https:\/\/amazoncloudwatch-agent-eu-west-1\.s3\.eu-west-1\.amazonaws\.com\/ubuntu\/arm64\/latest\/amazon-cloudwatch-agent\.deb'$/m);
        assert.equal(cloudWatchAgentUrl("us-east-1", "x86_64"), "https://amazoncloudwatch-agent-us-east-1.s3.us-east-1.amazonaws.com/debian/amd64/latest/amazon-cloudwatch-agent.deb");
        // AWS's CloudWatch agent key, "Verifying the signature of the CloudWatch agent package": 9376 16F3 450B 7D80 6CBD 9725 D581 6730 3B78 9C72.
        assert.match(env, /^MATOMO_CLOUDWATCH_AGENT_FINGERPRINT='937616F3450B7D806CBD9725D58167303B789C72'$/m);
        assert.equal(renderMetricsEnv(OBSERVABILITY, "eu-west-1"), "# Matomo node metrics. Rendered by pulumi-matomo-aws; read by matomo-metric.sh.\nMATOMO_AWS_REGION='eu-west-1'\nMATOMO_METRICS_NAMESPACE='Matomo'\nMATOMO_METRICS_CLUSTER='matomo'\n");
    });
});
