/**
 * Issue 17 items 4 and 8: overrides and extraConfig cannot silently undo the layout's protections.
 * A protected setting is refused with its reason, naming the path the user wrote, unless the
 * documented escape names it (`overrides.allowUnsafe`, `extraConfigAllowUnsafe`).
 */
import { strict as assert } from "assert";
import {
    InvalidArgumentError,
    resolveClusterComponentArgs,
    resolveDatabaseComponentArgs,
    resolveLoadBalancerComponentArgs,
    resolveSecretsComponentArgs,
    resolveSettings,
    type MatomoClusterArgs,
} from "../lib/settings";

const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666";
const BASE: MatomoClusterArgs = { domain: "analytics.example.com", certificateArn: CERT, superUser: { email: "ops@example.com" } };

function refused(call: () => unknown): Record<string, string> {
    try {
        call();
    } catch (e) {
        assert.ok(e instanceof InvalidArgumentError, `expected InvalidArgumentError, got ${e instanceof Error ? e.stack : String(e)}`);
        return Object.fromEntries(e.problems.map((p) => [p.path.join("."), p.allowed]));
    }
    assert.fail("expected the arguments to be refused");
}

const withOverrides = (overrides: Record<string, unknown>) => () => resolveClusterComponentArgs({ ...BASE, overrides });

describe("overrides cannot undo the layout's protections", () => {
    const weakening: [string, Record<string, unknown>, string, RegExp][] = [
        [
            "the ALB passing a client's X-Forwarded-For on unchanged",
            { loadBalancer: { loadBalancer: { args: { xffHeaderProcessingMode: "preserve" } } } },
            "loadBalancer.loadBalancer.args.xffHeaderProcessingMode",
            /'append'.*forge/,
        ],
        [
            "the ALB keeping invalid header fields",
            { loadBalancer: { loadBalancer: { args: { dropInvalidHeaderFields: false } } } },
            "loadBalancer.loadBalancer.args.dropInvalidHeaderFields",
            /true/,
        ],
        [
            "the ALB only monitoring HTTP desync",
            { loadBalancer: { loadBalancer: { args: { desyncMitigationMode: "monitor" } } } },
            "loadBalancer.loadBalancer.args.desyncMitigationMode",
            /defensive/,
        ],
        [
            "IMDSv1 on the trackers",
            { trackers: { launchTemplate: { args: { metadataOptions: { httpEndpoint: "enabled", httpTokens: "optional", httpPutResponseHopLimit: 1 } } } } },
            "trackers.launchTemplate.args.metadataOptions",
            /httpTokens 'required'/,
        ],
        [
            "a metadata hop limit of 3 on the ui",
            { ui: { launchTemplate: { args: { metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 3 } } } } },
            "ui.launchTemplate.args.metadataOptions",
            /hop/i,
        ],
        [
            "public IP addresses on the nodes",
            { trackers: { launchTemplate: { args: { networkInterfaces: [{ associatePublicIpAddress: "true" }] } } } },
            "trackers.launchTemplate.args.networkInterfaces",
            /public/,
        ],
        [
            "an unencrypted root volume",
            { ui: { launchTemplate: { args: { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 40 } }] } } } },
            "ui.launchTemplate.args.blockDeviceMappings",
            /encrypted/,
        ],
        [
            "nodes in other subnets",
            { trackers: { autoScalingGroup: { args: { vpcZoneIdentifiers: ["subnet-0a1b2c3d"] } } } },
            "trackers.autoScalingGroup.args.vpcZoneIdentifiers",
            /private subnets/,
        ],
        [
            "a publicly accessible database",
            { database: { instance: { args: { publiclyAccessible: true } } } },
            "database.instance.args.publiclyAccessible",
            /false/,
        ],
        [
            "a publicly accessible replica",
            { database: { replica: { args: { publiclyAccessible: true } } } },
            "database.replica.args.publiclyAccessible",
            /false/,
        ],
        [
            "a database security group that admits more",
            { database: { instance: { args: { vpcSecurityGroupIds: ["sg-0a1b2c3d4e5f60718"] } } } },
            "database.instance.args.vpcSecurityGroupIds",
            /allowedSecurityGroupIds/,
        ],
        [
            "an unencrypted Redis",
            { cache: { replicationGroup: { args: { atRestEncryptionEnabled: false } } } },
            "cache.replicationGroup.args.atRestEncryptionEnabled",
            /true/,
        ],
        [
            "a Redis that also takes plain connections",
            { cache: { replicationGroup: { args: { transitEncryptionMode: "preferred" } } } },
            "cache.replicationGroup.args.transitEncryptionMode",
            /'required'/,
        ],
        [
            "a Redis AUTH token other than the cluster's secret",
            { cache: { replicationGroup: { args: { authToken: "a-token-typed-into-the-program" } } } },
            "cache.replicationGroup.args.authToken",
            /Secrets Manager/,
        ],
        [
            "a resource policy on the secrets",
            { secrets: { secret: { args: { policy: '{"Statement":[]}' } } } },
            "secrets.secret.args.policy",
            /other principals/,
        ],
    ];
    for (const [what, overrides, path, allowed] of weakening) {
        // `path` is below overrides: the child's key, then the path within that component's arguments.
        const [child, ...inComponent] = path.split(".");
        const within = inComponent.join(".");
        it(`refuses ${what}, naming overrides.${path} and the escape`, () => {
            const p = refused(withOverrides(overrides));
            assert.deepEqual(Object.keys(p), [`overrides.${path}`]);
            assert.match(p[`overrides.${path}`], allowed);
            assert.match(p[`overrides.${path}`], new RegExp(`'${within.replace(/\./g, "\\.")}' in overrides\\.${child}\\.allowUnsafe`));
        });
        it(`accepts ${what} when overrides.${child}.allowUnsafe names it`, () => {
            const given = overrides[child] as Record<string, unknown>;
            const { aws } = resolveClusterComponentArgs({ ...BASE, overrides: { [child]: { ...given, allowUnsafe: [within] } } } as never);
            assert.ok((aws.overrides[child] as Record<string, unknown>)[inComponent[0]], "the override reaches the child");
        });
    }

    it("keeps accepting overrides that leave the protections as they are (or stricter)", () => {
        resolveClusterComponentArgs({
            ...BASE,
            overrides: {
                loadBalancer: {
                    loadBalancer: { args: { xffHeaderProcessingMode: "append", dropInvalidHeaderFields: true, desyncMitigationMode: "strictest" } },
                },
                trackers: { launchTemplate: { args: { ebsOptimized: "true", metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 } } } },
                ui: { launchTemplate: { args: { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 40, encrypted: "true" } }] } } },
                database: { instance: { args: { publiclyAccessible: false, backupWindow: "01:00-02:00" } } },
            },
        } as never);
    });

    it("refuses an allowUnsafe entry that is no protection, or one no override changes", () => {
        const p = refused(() =>
            resolveClusterComponentArgs({
                ...BASE,
                overrides: {
                    loadBalancer: { allowUnsafe: ["loadBalancer.args.xffHeaderProcesingMode"] },
                    database: { allowUnsafe: ["instance.args.publiclyAccessible"] },
                },
            } as never),
        );
        assert.match(p["overrides.loadBalancer.allowUnsafe.0"], /did you mean 'loadBalancer\.args\.xffHeaderProcessingMode'/);
        assert.match(p["overrides.database.allowUnsafe.0"], /no override changes it/);
    });

    it("the standalone components hold the same protections, with their own allowUnsafe", () => {
        const lb = {
            vpcId: "vpc-0a1b2c3d",
            subnetIds: ["subnet-0000000a", "subnet-0000000b"],
            domain: "analytics.example.com",
            certificateArn: CERT,
            healthCheckPath: "/matomo-health.php",
            loadBalancer: { args: { xffHeaderProcessingMode: "preserve" } },
        };
        const p = refused(() => resolveLoadBalancerComponentArgs(lb));
        assert.deepEqual(Object.keys(p), ["loadBalancer.args.xffHeaderProcessingMode"]);
        assert.match(p["loadBalancer.args.xffHeaderProcessingMode"], /'loadBalancer\.args\.xffHeaderProcessingMode' in allowUnsafe/);
        resolveLoadBalancerComponentArgs({ ...lb, allowUnsafe: ["loadBalancer.args.xffHeaderProcessingMode"] });
        const db = { vpcId: "vpc-0a1b2c3d", subnetIds: ["subnet-0000000a", "subnet-0000000b"], instance: { args: { publiclyAccessible: true } } };
        assert.deepEqual(Object.keys(refused(() => resolveDatabaseComponentArgs(db))), ["instance.args.publiclyAccessible"]);
        const secrets = { secret: { args: { policy: "{}" } } };
        assert.deepEqual(Object.keys(refused(() => resolveSecretsComponentArgs(secrets))), ["secret.args.policy"]);
    });
});

describe("extraConfig cannot weaken Matomo's own protections", () => {
    // Sections and names as Matomo's config/global.ini.php has them.
    const weakening: [string, string, unknown, RegExp][] = [
        ["database", "ssl_no_verify", 1, /certificate/],
        ["Tracker", "debug", 1, /log/],
        ["Tracker", "debug_on_demand", "1", /debug=1/],
        ["General", "login_allow_logme", true, /URL/],
        ["General", "enable_framed_pages", 1, /click-jacking/],
        ["General", "enable_framed_settings", 1, /click-jacking/],
        ["General", "enable_framed_allow_write_admin_token_auth", 1, /token/],
        ["General", "cors_domains", ["https://shop.example", "*"], /any site/],
        ["General", "proxy_ips", ["0.0.0.0/0"], /forge/],
        ["General", "proxy_ips", ["::/0"], /forge/],
    ];
    for (const [section, key, value, why] of weakening) {
        it(`refuses ${section}.${key} = ${JSON.stringify(value)} with its reason, unless extraConfigAllowUnsafe names it`, () => {
            const p = refused(() => resolveSettings({ ...BASE, extraConfig: { [section]: { [key]: value as string } } }));
            const path = `extraConfig.${section}.${key}`;
            assert.deepEqual(Object.keys(p), [path]);
            assert.match(p[path], why);
            assert.match(p[path], new RegExp(`'${section}\\.${key}' in extraConfigAllowUnsafe`));
            const s = resolveSettings({ ...BASE, extraConfig: { [section]: { [key]: value as string } }, extraConfigAllowUnsafe: [`${section}.${key}`] });
            assert.deepEqual(s.extraConfig[section][key], value);
        });
    }

    it("accepts the same keys at Matomo's safe defaults, and lists without a catch-all", () => {
        resolveSettings({
            ...BASE,
            extraConfig: {
                database: { ssl_no_verify: 0 },
                Tracker: { debug: 0, debug_on_demand: false },
                General: { login_allow_logme: 0, enable_framed_pages: "0", cors_domains: ["https://shop.example"], proxy_ips: ["10.0.0.0/8"] },
            },
        });
    });

    it("refuses an extraConfigAllowUnsafe entry that is no protection, or one extraConfig does not set", () => {
        const p = refused(() => resolveSettings({ ...BASE, extraConfigAllowUnsafe: ["Tracker.debgu", "General.cors_domains"] }));
        assert.match(p["extraConfigAllowUnsafe.0"], /did you mean 'Tracker\.debug'/);
        assert.match(p["extraConfigAllowUnsafe.1"], /extraConfig does not weaken it/);
    });
});
