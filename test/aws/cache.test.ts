/**
 * The QueuedTracking Redis requires TLS and an AUTH token (issue 17 item 9): the token is a
 * generated secret in Secrets Manager that only the two node roles may read, it reaches the
 * replication group and (as a placeholder) the one config, and it is never in user data.
 */
import { strict as assert } from "assert";
import { buildCluster, BASE_ARGS, of, one, nodePayload, userDataText } from "./harness";
import { MatomoCluster, type MatomoClusterComponentArgs } from "../../lib/aws/cluster";
import { installMockRuntime, isSecretValue, valueOf, type MockRuntime } from "../../lib/plan/mockRuntime";
import { checkAwsLimits } from "../../lib/model/awsLimits";
import { InvalidArgumentError } from "../../lib/settings/errors";

const QUEUED: MatomoClusterComponentArgs = { ...BASE_ARGS, queuedTracking: { enabled: true, pluginSha256: "c".repeat(64) } };

type Statement = { Action: string[]; Resource: string[] };
const readable = (rt: MockRuntime, role: string): string[] =>
    of(rt, "aws:iam/rolePolicy:RolePolicy")
        .filter((p) => p.parent === `matomo-${role}`)
        .flatMap((p) => (JSON.parse(String(p.inputs.policy)) as { Statement: Statement[] }).Statement)
        .filter((s) => s.Action.includes("secretsmanager:GetSecretValue"))
        .flatMap((s) => s.Resource);

/** A recorded secret input's value (the mock monitor hands secrets over wrapped). */
const unwrap = (v: unknown): unknown => (isSecretValue(v) ? (v as { value: unknown }).value : v);
const tokenOf = (rt: MockRuntime) => String(unwrap(one(rt, "aws:elasticache/replicationGroup:ReplicationGroup").inputs.authToken));

describe("Cache: Redis requires TLS and an AUTH token kept in Secrets Manager", () => {
    let built: Awaited<ReturnType<typeof buildCluster>>;
    before(async () => {
        built = await buildCluster(QUEUED);
    });

    const tokenSecret = () => {
        const secret = of(built.rt, "aws:secretsmanager/secret:Secret").find((s) => s.name === "matomo-cache-auth-token");
        assert.ok(
            secret,
            `no auth token secret among ${of(built.rt, "aws:secretsmanager/secret:Secret")
                .map((s) => s.name)
                .join(", ")}`,
        );
        return secret;
    };

    it("the replication group requires TLS (transit encryption 'required') and is given the token the secret holds", () => {
        const group = one(built.rt, "aws:elasticache/replicationGroup:ReplicationGroup").inputs;
        assert.equal(group.transitEncryptionEnabled, true);
        assert.equal(group.transitEncryptionMode, "required");
        const version = of(built.rt, "aws:secretsmanager/secretVersion:SecretVersion").find((v) => v.inputs.secretId === tokenSecret().id);
        assert.ok(version, "the token secret has a version");
        // A Pulumi secret, never a plain value in the state or the plan.
        assert.ok(isSecretValue(group.authToken) && isSecretValue(version.inputs.secretString));
        assert.equal(typeof unwrap(group.authToken), "string");
        assert.equal(unwrap(group.authToken), unwrap(version.inputs.secretString));
    });

    it("the token satisfies ElastiCache's AUTH rules: 16 to 128 printable characters, non-alphanumerics only from ! & # $ ^ < > -", () => {
        const token = tokenOf(built.rt);
        // docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html, written here by hand.
        assert.ok(token.length >= 16 && token.length <= 128, String(token.length));
        assert.match(token, /^[A-Za-z0-9!&#$^<>-]+$/);
        // QueuedTracking's redisPassword setting takes at most 100 characters in older releases (128 in 5.x).
        assert.ok(token.length <= 100);
        const violations = checkAwsLimits(
            built.rt.resources.map((r) => ({
                type: r.type,
                name: r.name,
                inputs: r.type.startsWith("aws:elasticache") ? { ...r.inputs, authToken: token } : r.inputs,
            })),
        );
        assert.deepEqual(
            violations.filter((v) => v.rule.id.startsWith("elasticache")),
            [],
        );
    });

    it("the plan refuses an AUTH token ElastiCache would refuse", () => {
        const bad = (authToken: string) =>
            checkAwsLimits([
                { type: "aws:elasticache/replicationGroup:ReplicationGroup", name: "r", inputs: { replicationGroupId: "r", description: "d", authToken } },
            ]).map((v) => v.rule.id);
        assert.deepEqual(bad("short-token"), ["elasticache.replicationGroup.authToken"]);
        assert.deepEqual(bad("a".repeat(129)), ["elasticache.replicationGroup.authToken"]);
        assert.deepEqual(bad("abcdefghijklmnop@"), ["elasticache.replicationGroup.authToken"]);
        assert.deepEqual(bad("abcdefghijklmno/p"), ["elasticache.replicationGroup.authToken"]);
        assert.deepEqual(bad("abcdefghijklmno%p"), ["elasticache.replicationGroup.authToken"]);
        assert.deepEqual(bad("Abcdefghijklmnop!&#$^<>-0"), []);
    });

    it("only the tracker and ui roles may read the token: both enqueue or process", async () => {
        const arn = await valueOf(built.value.cache!.authTokenSecretArn);
        assert.equal(arn, tokenSecret().id);
        assert.ok(readable(built.rt, "tracker").includes(arn), "tracker");
        assert.ok(readable(built.rt, "ui").includes(arn), "ui");
        const others = of(built.rt, "aws:iam/rolePolicy:RolePolicy").filter((p) => p.parent !== "matomo-tracker" && p.parent !== "matomo-ui");
        for (const p of others) assert.ok(!String(p.inputs.policy).includes(arn), p.name);
        // Without QueuedTracking there is no token, and no role reads one.
        const plain = await buildCluster();
        assert.equal(of(plain.rt, "aws:elasticache/replicationGroup:ReplicationGroup").length, 0);
        assert.ok(!of(plain.rt, "aws:secretsmanager/secret:Secret").some((s) => s.name.includes("auth-token")));
    });

    it("the config connects over TLS with the token as a placeholder; user data names the secret by ARN and never holds the token", async () => {
        const endpoint = await valueOf(built.value.cache!.host);
        const text = built.outputs.configIniPhp;
        const section = text.slice(text.indexOf("[QueuedTracking]")).split("\n\n")[0];
        // phpredis opens TLS for a tls:// host (the plugin's Redis backend passes redisHost to connect() as is).
        assert.match(section, new RegExp(`^redisHost = "tls://${endpoint.replace(/\./g, "\\.")}"$`, "m"));
        assert.match(section, /^redisPassword = "\{\{secret:redis_password\}\}"$/m);
        const token = tokenOf(built.rt);
        const arn = await valueOf(built.value.cache!.authTokenSecretArn);
        for (const role of ["tracker", "ui"]) {
            const env = nodePayload(built.rt, role, "provision.env")!;
            assert.match(env, new RegExp(`^MATOMO_SECRET_ARN_redis_password='${arn}'$`, "m"), role);
            assert.match(env, /^MATOMO_CONFIG_SECRETS='[^']*\bredis_password\b[^']*'$/m, role);
            assert.ok(!userDataText(built.rt, role).includes(token), role);
            assert.ok(!env.includes(token), role);
        }
        // The filled config (a secret output) holds the token itself.
        const rendered = await valueOf(built.value.configIniPhpRendered);
        // Escaped as every config value is (lib/config/ini.ts): & twice entity-encoded, then \\ " $ backslashed.
        const escaped = token.replace(/&/g, "&amp;amp;").replace(/[\\"$]/g, (c) => `\\${c}`);
        assert.ok(rendered.split("\n").includes(`redisPassword = "${escaped}"`));
    });

    it("refuses transit encryption 'preferred' with QueuedTracking, before any resource: the cache would accept plain connections", () => {
        const fresh = installMockRuntime();
        assert.throws(
            () => new MatomoCluster("bad", { ...QUEUED, overrides: { cache: { transitEncryption: "preferred" } } }),
            (e: unknown) => e instanceof InvalidArgumentError && e.argument === "overrides.cache.transitEncryption" && /required/.test(e.message),
        );
        assert.equal(fresh.resources.length, 0);
    });
});
