/**
 * Arguments a program takes from other resources (issue 19 items 1 and 5): a cluster composed from
 * the Outputs of a VPC, subnets, an RDS instance, an ACM certificate and a secret created in the
 * same program plans, and one whose domain is a Route 53 zone's name; an Output whose value resolves
 * to something the argument (or a rule that needs its value) does not allow fails with the same
 * InvalidArgumentError (path and words) a plain value gets at construction, and no resource that
 * depends on the value is created.
 */
import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { build, nodePayload, of, one } from "./harness";
import { installMockRuntime, valueOf } from "../../lib/plan/mockRuntime";
import { MatomoCluster, type MatomoClusterComponentArgs } from "../../lib/aws/cluster";
import { LoadBalancer } from "../../lib/aws/loadBalancer";
import { InvalidArgumentError } from "../../lib/settings/errors";
import { parsedByPhp } from "../support/configFiles";

const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:matomo-db-AbCdEf";
const CERTIFICATE_ARN = "arn:aws:acm:eu-west-1:123456789012:certificate/0b5c1a2e-3f4d-4e5f-8a9b-0c1d2e3f4a5b";
const EXISTING: MatomoClusterComponentArgs = {
    domain: "analytics.example.com",
    certificateArn: CERTIFICATE_ARN,
    superUser: { email: "ops@example.com" },
    salt: { generateNew: true },
    network: {
        existing: {
            vpcId: "vpc-0a1b2c3d4e5f60718",
            publicSubnetIds: ["subnet-0a000001", "subnet-0a000002"],
            privateSubnetIds: ["subnet-0b000001", "subnet-0b000002"],
        },
    },
    database: { existing: { host: "db.internal.example.com", username: "matomo_app", passwordSecretArn: SECRET_ARN } },
};

/** A certificate issued in a zone, and the alias record: the resources that take the domain itself. */
const ZONED: MatomoClusterComponentArgs = { ...EXISTING, certificateArn: undefined, hostedZoneId: "Z0123456789ABCDEFGHIJ" };
/** A valid hostname of 93 characters: longer than a site name may be (90). */
const LONG_DOMAIN = `${"a".repeat(40)}.${"b".repeat(40)}.example.com`;

/** The program of the issue: everything the cluster needs comes from resources it creates first. */
function composedProgram(): MatomoCluster {
    const vpc = new aws.ec2.Vpc("shop", { cidrBlock: "10.20.0.0/16" });
    const subnet = (tier: string, i: number) =>
        new aws.ec2.Subnet(`shop-${tier}-${i}`, {
            vpcId: vpc.id,
            cidrBlock: `10.20.${tier === "public" ? i : 10 + i}.0/24`,
            availabilityZone: `eu-west-1${"ab"[i]}`,
        });
    const password = new aws.secretsmanager.Secret("shop-db-password", {});
    const db = new aws.rds.Instance("shop-db", {
        engine: "mysql",
        instanceClass: "db.m7g.large",
        allocatedStorage: 50,
        port: 3307,
        dbName: "analytics",
        username: "matomo_app",
        manageMasterUserPassword: true,
    });
    const certificate = new aws.acm.Certificate("shop-cert", { domainName: "analytics.shop.example", validationMethod: "DNS" });
    const smtp = new aws.ec2.Eip("shop-smtp", {});
    return new MatomoCluster("matomo", {
        domain: "analytics.shop.example",
        certificateArn: certificate.arn,
        superUser: { email: "ops@shop.example" },
        salt: { generateNew: true },
        network: {
            existing: {
                vpcId: vpc.id,
                publicSubnetIds: [subnet("public", 0).id, subnet("public", 1).id],
                privateSubnetIds: [subnet("private", 0).id, subnet("private", 1).id],
            },
        },
        database: { existing: { host: db.address, port: db.port, name: db.dbName.apply((n) => n!), username: db.username, passwordSecretArn: password.arn } },
        mail: { host: smtp.publicIp },
        ingressCidrs: [vpc.cidrBlock],
        tags: { network: vpc.id },
    });
}

/**
 * Run `make` under the mock runtime and collect what Node reports as unhandled rejections: a
 * resource whose input rejects is never registered, and `pulumi up` fails with that rejection.
 * The registrations waiting on the rejected value never finish, so this waits for the rejection
 * (the SDK's RPC queue would not drain), then for the registrations that can still finish.
 */
async function buildFailing(make: () => unknown): Promise<{ resources: { type: string; inputs: Record<string, unknown> }[]; errors: unknown[] }> {
    const errors: unknown[] = [];
    const saved = process.listeners("unhandledRejection");
    process.removeAllListeners("unhandledRejection");
    const collect = (error: unknown) => void errors.push(error);
    process.on("unhandledRejection", collect);
    try {
        const rt = installMockRuntime();
        make();
        // Hang guard only: the rejection comes once the value resolves; nothing asserts on time.
        for (let turns = 0; errors.length === 0 && turns < 6000; turns++) await new Promise((resolve) => setTimeout(resolve, 10));
        for (let turns = 0; turns < 50; turns++) await new Promise((resolve) => setImmediate(resolve));
        return { resources: [...rt.resources], errors };
    } finally {
        process.removeListener("unhandledRejection", collect);
        for (const listener of saved) process.on("unhandledRejection", listener);
    }
}

/** The message construction throws for these arguments (a plain value). */
function constructionMessage(args: MatomoClusterComponentArgs): string {
    try {
        new MatomoCluster("matomo", args);
    } catch (error) {
        assert.ok(error instanceof InvalidArgumentError, String(error));
        return error.message;
    }
    assert.fail("construction accepted the plain value");
}

describe("arguments given as Outputs of other resources", function () {
    it("a cluster composed from a VPC, subnets, an RDS instance, a certificate and a secret created in the same program plans with their values", async () => {
        const { rt, value } = await build(composedProgram, (c) => [c.configIniPhp, c.url, c.trackerAutoScalingGroupName, c.uiAutoScalingGroupName]);
        const outputs = { configIniPhp: await valueOf(value.configIniPhp) };
        const vpc = one(rt, "aws:ec2/vpc:Vpc");
        const db = one(rt, "aws:rds/instance:Instance");
        const ini = parsedByPhp(outputs.configIniPhp);
        assert.equal(ini.database.host, db.state.address);
        assert.equal(ini.database.port, "3307");
        assert.equal(ini.database.dbname, "analytics");
        // The config names each role's own database user by placeholder; the RDS instance's user,
        // resolved from its Output, is the admin credential the ui's provisioning connects as.
        assert.equal(ini.database.username, "{{secret:database_username}}");
        assert.match(String(nodePayload(rt, "ui", "provision.env")), /^MATOMO_DB_ADMIN_USER='matomo_app'$/m);
        assert.equal(ini.mail.host, "198.51.100.20");
        const https = of(rt, "aws:lb/listener:Listener").find((l) => l.inputs.protocol === "HTTPS")!;
        assert.equal(https.inputs.certificateArn, one(rt, "aws:acm/certificate:Certificate").state.arn);
        const albGroup = of(rt, "aws:ec2/securityGroup:SecurityGroup").find((g) => g.name === "matomo-lb-sg")!;
        assert.equal(albGroup.inputs.vpcId, vpc.id);
        const ingress = of(rt, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.inputs.securityGroupId === albGroup.id);
        assert.deepEqual([...new Set(ingress.map((r) => r.inputs.cidrIpv4))], ["10.20.0.0/16"]);
        const lb = one(rt, "aws:lb/loadBalancer:LoadBalancer");
        assert.deepEqual(
            lb.inputs.subnets,
            of(rt, "aws:ec2/subnet:Subnet")
                .filter((s) => s.name.startsWith("shop-public"))
                .map((s) => s.id),
        );
        assert.equal((lb.inputs.tags as Record<string, string>).network, vpc.id);
        // The database port is not one the nodes' egress already allows: it gets its own rule.
        const toDb = of(rt, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter((r) => r.name.endsWith("-to-db"));
        assert.deepEqual(
            toDb.map((r) => [r.inputs.fromPort, r.inputs.toPort]),
            [
                [3307, 3307],
                [3307, 3307],
            ],
        );
    });

    it("a domain taken from a Route 53 zone made in the same program reaches trusted_hosts, the certificate, the alias record, the site, mail, the archiving cron and url, lowercased", async () => {
        const { rt, value } = await build(
            () => {
                const zone = new aws.route53.Zone("shop", { name: "Shop.Example" });
                // Typed as a program writes it: the domain is an Output<string>, not a string.
                const domain: pulumi.Output<string> = pulumi.interpolate`Analytics.${zone.name}`;
                return new MatomoCluster("matomo", {
                    domain,
                    hostedZoneId: zone.zoneId,
                    // The domain again (other case) is dropped once the domain is known, as it is for a plain one.
                    additionalTrustedHosts: ["ANALYTICS.shop.example", "stats.shop.example"],
                    superUser: { email: "ops@shop.example" },
                    mail: { host: "smtp.shop.example" },
                });
            },
            (c) => [c.configIniPhp, c.url, c.trackerAutoScalingGroupName, c.uiAutoScalingGroupName],
        );
        const zone = one(rt, "aws:route53/zone:Zone");
        const ini = parsedByPhp(await valueOf(value.configIniPhp));
        assert.deepEqual(ini.General.trusted_hosts, ["analytics.shop.example", "stats.shop.example"]);
        assert.equal(ini.General.noreply_email_address, "noreply@analytics.shop.example");
        assert.equal(one(rt, "aws:acm/certificate:Certificate").inputs.domainName, "analytics.shop.example");
        const alias = of(rt, "aws:route53/record:Record").filter((r) => r.inputs.type === "A");
        assert.deepEqual(
            alias.map((r) => [r.inputs.name, r.inputs.zoneId]),
            [["analytics.shop.example", zone.state.zoneId]],
        );
        assert.equal(await valueOf(value.url), "https://analytics.shop.example");
        const env = String(nodePayload(rt, "ui", "provision.env"));
        assert.match(env, /^MATOMO_DOMAIN='analytics\.shop\.example'$/m);
        assert.match(env, /^MATOMO_SITE_NAME='analytics\.shop\.example'$/m);
        assert.match(env, /^MATOMO_SITE_URL='https:\/\/analytics\.shop\.example'$/m);
        assert.match(String(nodePayload(rt, "tracker", "provision.env")), /^MATOMO_DOMAIN='analytics\.shop\.example'$/m);
        assert.match(String(nodePayload(rt, "ui", "cron")), / --url=https:\/\/analytics\.shop\.example\/ /);
    });

    it("a LoadBalancer takes its domain as an Output: the certificate and the alias record are for its value", async () => {
        const { rt, value } = await build(
            () =>
                new LoadBalancer("web", {
                    vpcId: "vpc-0a1b2c3d4e5f60718",
                    subnetIds: ["subnet-0a000001", "subnet-0a000002"],
                    domain: pulumi.output("www.shop.example"),
                    hostedZoneId: "Z0123456789ABCDEFGHIJ",
                    healthCheckPath: "/health",
                }),
            (lb) => [lb.url],
        );
        assert.equal(one(rt, "aws:acm/certificate:Certificate").inputs.domainName, "www.shop.example");
        assert.deepEqual(
            of(rt, "aws:route53/record:Record")
                .filter((r) => r.inputs.type === "A")
                .map((r) => r.inputs.name),
            ["www.shop.example"],
        );
        assert.equal(await valueOf(value.url), "https://www.shop.example");
    });

    const BAD: {
        what: string;
        path: string;
        plain: MatomoClusterComponentArgs;
        output: MatomoClusterComponentArgs;
        dependent: string;
        uses?: (inputs: Record<string, unknown>) => boolean;
    }[] = [
        {
            what: "a database port out of range",
            path: "database.existing.port",
            plain: { ...EXISTING, database: { existing: { ...existingDatabase(), port: 70000 } } },
            output: { ...EXISTING, database: { existing: { ...existingDatabase(), port: pulumi.output(70000) } } },
            dependent: "aws:ec2/launchTemplate:LaunchTemplate",
        },
        {
            what: "an object as vpcId (item 5)",
            path: "network.existing.vpcId",
            plain: { ...EXISTING, network: { existing: { ...existingNetwork(), vpcId: { id: "vpc-0a1b2c3d4e5f60718" } as never } } },
            output: { ...EXISTING, network: { existing: { ...existingNetwork(), vpcId: pulumi.output({ id: "vpc-0a1b2c3d4e5f60718" }) as never } } },
            dependent: "aws:ec2/securityGroup:SecurityGroup",
        },
        {
            what: "subnets as one comma-separated string (item 5)",
            path: "network.existing.publicSubnetIds",
            plain: { ...EXISTING, network: { existing: { ...existingNetwork(), publicSubnetIds: "subnet-0a000001,subnet-0a000002" as never } } },
            output: {
                ...EXISTING,
                network: { existing: { ...existingNetwork(), publicSubnetIds: pulumi.output("subnet-0a000001,subnet-0a000002") as never } },
            },
            dependent: "aws:lb/loadBalancer:LoadBalancer",
        },
        {
            what: "a certificate ARN that is not one",
            path: "certificateArn",
            plain: { ...EXISTING, certificateArn: "arn:aws:iam::123456789012:server-certificate/matomo" },
            output: { ...EXISTING, certificateArn: pulumi.output("arn:aws:iam::123456789012:server-certificate/matomo") },
            dependent: "aws:lb/listener:Listener",
            uses: (inputs) => inputs.protocol === "HTTPS",
        },
        {
            what: "a mail host with a scheme",
            path: "mail.host",
            plain: { ...EXISTING, mail: { host: "smtp://mail.example.com" } },
            output: { ...EXISTING, mail: { host: pulumi.output("smtp://mail.example.com") } },
            dependent: "aws:ec2/launchTemplate:LaunchTemplate",
        },
        {
            what: "a database user name with a space",
            path: "database.existing.username",
            plain: { ...EXISTING, database: { existing: { ...existingDatabase(), username: "matomo app" } } },
            output: { ...EXISTING, database: { existing: { ...existingDatabase(), username: pulumi.output("matomo app") } } },
            dependent: "aws:ec2/launchTemplate:LaunchTemplate",
        },
        {
            what: "an ingress range that is no CIDR",
            path: "ingressCidrs[0]",
            plain: { ...EXISTING, ingressCidrs: ["10.20.0.0"] },
            output: { ...EXISTING, ingressCidrs: [pulumi.output("10.20.0.0")] },
            dependent: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
            uses: (inputs) => inputs.cidrIpv4 !== undefined,
        },
        {
            what: "a domain with a scheme",
            path: "domain",
            plain: { ...EXISTING, domain: "https://analytics.example.com" },
            output: { ...EXISTING, domain: pulumi.output("https://analytics.example.com") },
            dependent: "aws:ec2/launchTemplate:LaunchTemplate",
        },
        {
            what: "a domain with a scheme, with a zone to issue its certificate in",
            path: "domain",
            plain: { ...ZONED, domain: "https://analytics.example.com" },
            output: { ...ZONED, domain: pulumi.output("https://analytics.example.com") },
            dependent: "aws:acm/certificate:Certificate",
        },
        {
            what: "a domain with a space, for its alias record",
            path: "domain",
            plain: { ...ZONED, domain: "analytics example.com" },
            output: { ...ZONED, domain: pulumi.output("analytics example.com") },
            dependent: "aws:route53/record:Record",
            uses: (inputs) => inputs.type === "A",
        },
        {
            // Cross-field: the first site is named after the domain unless named, and Matomo allows 90 characters.
            what: "a domain too long to name the first site, when firstSite.name is not given",
            path: "firstSite.name",
            plain: { ...ZONED, domain: LONG_DOMAIN },
            output: { ...ZONED, domain: pulumi.output(LONG_DOMAIN) },
            dependent: "aws:acm/certificate:Certificate",
        },
        {
            what: "a tag value with a newline",
            path: "tags.team",
            plain: { ...EXISTING, tags: { team: "web\nops" } },
            output: { ...EXISTING, tags: { team: pulumi.output("web\nops") } },
            dependent: "aws:lb/loadBalancer:LoadBalancer",
        },
    ];
    for (const bad of BAD) {
        it(`${bad.what}, given as an Output, fails when it resolves with the construction error for '${bad.path}', before the resources that use it`, async () => {
            const expected = constructionMessage(bad.plain);
            assert.ok(expected.includes(`invalid argument '${bad.path}'`), expected);
            const { resources, errors } = await buildFailing(() => new MatomoCluster("matomo", bad.output));
            const messages = errors.map((e) => (e instanceof Error ? e.message : String(e)));
            assert.ok(
                messages.some((m) => m.includes(expected)),
                `expected a rejection with\n${expected}\ngot:\n${messages.join("\n")}`,
            );
            assert.deepEqual(
                resources.filter((r) => r.type === bad.dependent && (bad.uses?.(r.inputs) ?? true)),
                [],
                `${bad.dependent} was created from the bad value`,
            );
        });
    }

    it("a bad value inside a secret Output is reported without the value", async () => {
        const { errors } = await buildFailing(
            () => new MatomoCluster("matomo", { ...EXISTING, certificateArn: pulumi.secret("arn:aws:iam::123456789012:server-certificate/s3cr3t") }),
        );
        const messages = errors.map((e) => (e instanceof Error ? e.message : String(e)));
        assert.ok(
            messages.some((m) => m.includes("invalid argument 'certificateArn' = (hidden: ")),
            messages.join("\n"),
        );
        assert.ok(!messages.some((m) => m.includes("s3cr3t")));
    });
});

function existingDatabase() {
    return (EXISTING.database as { existing: NonNullable<Extract<MatomoClusterComponentArgs["database"], { existing: unknown }>["existing"]> }).existing;
}
function existingNetwork() {
    return (EXISTING.network as { existing: NonNullable<Extract<MatomoClusterComponentArgs["network"], { existing: unknown }>["existing"]> }).existing;
}
