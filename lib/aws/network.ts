/**
 * Network: a new VPC across 2 to 6 availability zones, or the user's own VPC and subnets.
 *
 * Hand-written on `@pulumi/aws` rather than `@pulumi/awsx`'s `ec2.Vpc`: awsx's Vpc is a remote
 * (multi-language) component implemented in a provider plugin binary that `pulumi up` downloads
 * outside npm, and under the mock runtime its subnets, routes and NAT gateways are never created,
 * so neither the offline plan nor the graph tests could see them. The layout is small (one public
 * and one private subnet per zone, one route table per private subnet), so we build it here.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { InvalidArgumentError, resolveNetworkComponentArgs } from "../settings";
import { childOpts, primaryChildOpts, type ChildOverride, type Tags } from "./options";

// Generated from the schema (lib/settings/components.ts) with every other argument type (npm run generate).
import type { NetworkArgs } from "./componentArgs.generated";
export type { NetworkArgs };

/** The address plan: the VPC split into 16 equal blocks; private subnets take blocks 0..n-1, public ones 8..8+n-1. */
export function subnetCidrs(
    vpcCidr: string,
    zoneCount: number,
): {
    /** One private subnet CIDR per zone, in zone order. */
    private: string[];
    /** One public subnet CIDR per zone, in zone order. */
    public: string[];
} {
    const [address, prefixText] = vpcCidr.split("/");
    const base = address.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
    const prefix = Number(prefixText) + 4;
    const size = 2 ** (32 - prefix);
    const block = (i: number) => {
        const start = base + i * size;
        return `${[24, 16, 8, 0].map((shift) => Math.floor(start / 2 ** shift) % 256).join(".")}/${prefix}`;
    };
    const zones = [...Array(zoneCount).keys()];
    return { private: zones.map(block), public: zones.map((i) => block(8 + i)) };
}

/** A VPC with one public and one private subnet per zone and NAT for the private ones, or your own VPC passed through. */
export class Network extends pulumi.ComponentResource {
    /** The VPC's id. */
    readonly vpcId: pulumi.Output<string>;
    /** Public subnets, one per zone: where the load balancer lives. */
    readonly publicSubnetIds: pulumi.Output<string[]>;
    /** Private subnets, one per zone: where the nodes, database and cache live. */
    readonly privateSubnetIds: pulumi.Output<string[]>;
    /** Empty when the network was given. */
    readonly natGatewayIds: pulumi.Output<string[]>;
    /** The NAT gateways' Elastic IPs: where the nodes' outbound traffic comes from (for allow-lists). Empty when the network was given. */
    readonly natGatewayPublicIps: pulumi.Output<string[]>;
    /** True when this component created the VPC. */
    readonly created: boolean;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        const { plan, tags: givenTags, vpc: vpcOverride } = resolveNetworkComponentArgs(args);
        super("matomo:aws:Network", name, {}, opts);

        if (plan.kind === "existing") {
            this.created = false;
            this.vpcId = pulumi.output(plan.existing.vpcId);
            this.publicSubnetIds = pulumi.output(plan.existing.publicSubnetIds);
            this.privateSubnetIds = pulumi.output(plan.existing.privateSubnetIds);
            this.natGatewayIds = pulumi.output([]);
            this.natGatewayPublicIps = pulumi.output([]);
            this.registerOutputs({ vpcId: this.vpcId, publicSubnetIds: this.publicSubnetIds, privateSubnetIds: this.privateSubnetIds });
            return;
        }

        this.created = true;
        const tags = givenTags ?? {};
        const named = (suffix: string) => ({ ...tags, Name: `${name}-${suffix}` });
        const zones = aws
            .getAvailabilityZonesOutput({ state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] }, { parent: this })
            .names.apply((names) => {
                if (names.length < plan.availabilityZoneCount) {
                    throw new InvalidArgumentError(
                        "Network",
                        ["availabilityZoneCount"],
                        plan.availabilityZoneCount,
                        `at most ${names.length}, the zones this region offers`,
                    );
                }
                return names.slice(0, plan.availabilityZoneCount);
            });

        const vpc = new aws.ec2.Vpc(
            `${name}-vpc`,
            { cidrBlock: plan.vpcCidr, enableDnsHostnames: true, enableDnsSupport: true, tags: named("vpc"), ...(vpcOverride?.args ?? {}) },
            primaryChildOpts(this, opts, vpcOverride as ChildOverride<aws.ec2.VpcArgs> | undefined),
        );
        // AWS's default security group admits everything from its own members; nothing uses it, so empty it.
        new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.id, tags: named("default-unused") }, childOpts(this));

        const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: named("igw") }, childOpts(this));
        const publicRoutes = new aws.ec2.RouteTable(
            `${name}-public`,
            { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }], tags: named("public") },
            childOpts(this),
        );

        const cidrs = subnetCidrs(plan.vpcCidr, plan.availabilityZoneCount);
        const privateRouteTables: aws.ec2.RouteTable[] = [];
        const publicSubnets: aws.ec2.Subnet[] = [];
        const privateSubnets: aws.ec2.Subnet[] = [];
        const natGateways: aws.ec2.NatGateway[] = [];
        const natIps: pulumi.Output<string>[] = [];
        for (let i = 0; i < plan.availabilityZoneCount; i++) {
            const zone = zones.apply((z) => z[i]);
            const pub = new aws.ec2.Subnet(
                `${name}-public-${i + 1}`,
                { vpcId: vpc.id, cidrBlock: cidrs.public[i], availabilityZone: zone, mapPublicIpOnLaunch: false, tags: named(`public-${i + 1}`) },
                childOpts(this),
            );
            new aws.ec2.RouteTableAssociation(`${name}-public-${i + 1}`, { subnetId: pub.id, routeTableId: publicRoutes.id }, childOpts(this));
            publicSubnets.push(pub);
            if (i === 0 || plan.natGateways === "onePerAz") {
                const eip = new aws.ec2.Eip(`${name}-nat-${i + 1}`, { domain: "vpc", tags: named(`nat-${i + 1}`) }, childOpts(this));
                natIps.push(eip.publicIp);
                natGateways.push(
                    new aws.ec2.NatGateway(
                        `${name}-nat-${i + 1}`,
                        { allocationId: eip.id, subnetId: pub.id, connectivityType: "public", tags: named(`nat-${i + 1}`) },
                        primaryChildOpts(this, opts, undefined, { dependsOn: [igw] }),
                    ),
                );
            }
        }
        for (let i = 0; i < plan.availabilityZoneCount; i++) {
            const nat = natGateways[plan.natGateways === "onePerAz" ? i : 0];
            const priv = new aws.ec2.Subnet(
                `${name}-private-${i + 1}`,
                {
                    vpcId: vpc.id,
                    cidrBlock: cidrs.private[i],
                    availabilityZone: zones.apply((z) => z[i]),
                    mapPublicIpOnLaunch: false,
                    tags: named(`private-${i + 1}`),
                },
                childOpts(this),
            );
            const routes = new aws.ec2.RouteTable(
                `${name}-private-${i + 1}`,
                { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }], tags: named(`private-${i + 1}`) },
                childOpts(this),
            );
            new aws.ec2.RouteTableAssociation(`${name}-private-${i + 1}`, { subnetId: priv.id, routeTableId: routes.id }, childOpts(this));
            privateSubnets.push(priv);
            privateRouteTables.push(routes);
        }
        if (plan.vpcEndpoints) {
            createVpcEndpoints(name, { vpc, cidrBlock: plan.vpcCidr, privateSubnets, privateRouteTables, tags }, this);
        }

        this.vpcId = vpc.id;
        this.publicSubnetIds = pulumi.all(publicSubnets.map((s) => s.id));
        this.privateSubnetIds = pulumi.all(privateSubnets.map((s) => s.id));
        this.natGatewayIds = pulumi.all(natGateways.map((n) => n.id));
        this.natGatewayPublicIps = pulumi.all(natIps);
        this.registerOutputs({
            natGatewayPublicIps: this.natGatewayPublicIps,
            vpcId: this.vpcId,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
            natGatewayIds: this.natGatewayIds,
        });
    }
}

/** Interface endpoints the nodes use (their regional host names resolve to them through private DNS). */
export const INTERFACE_ENDPOINT_SERVICES = [
    "secretsmanager", // matomo-secret.sh: the database password, salt, super user password
    "ssm", // the SSM Agent's registration, and the kept Debian image parameter
    "ssmmessages", // Session Manager's channel
    "ec2messages", // the SSM Agent's command channel
    "logs", // the CloudWatch agent's log shipping
    "monitoring", // put-metric-data (matomo-metric.sh) and the agent's metrics
] as const;

/**
 * An S3 gateway endpoint on the private route tables (no charge: S3 in the region then bypasses NAT:
 * the bundle, the SSM Agent's and the CloudWatch agent's packages) and one interface endpoint per
 * service with private DNS in every private subnet, admitting HTTPS from the VPC only.
 */
function createVpcEndpoints(
    name: string,
    args: { vpc: aws.ec2.Vpc; cidrBlock: string; privateSubnets: aws.ec2.Subnet[]; privateRouteTables: aws.ec2.RouteTable[]; tags: Tags },
    parent: pulumi.ComponentResource,
): void {
    const region = aws.getRegionOutput({}, { parent }).region;
    const service = (s: string) => pulumi.interpolate`com.amazonaws.${region}.${s}`;
    new aws.ec2.VpcEndpoint(
        `${name}-s3`,
        {
            vpcId: args.vpc.id,
            serviceName: service("s3"),
            vpcEndpointType: "Gateway",
            routeTableIds: args.privateRouteTables.map((t) => t.id),
            tags: args.tags,
        },
        childOpts(parent),
    );
    const sg = new aws.ec2.SecurityGroup(
        `${name}-endpoints`,
        { vpcId: args.vpc.id, description: "VPC interface endpoints: HTTPS from the VPC", tags: { ...args.tags, Name: `${name}-endpoints` } },
        childOpts(parent),
    );
    new aws.vpc.SecurityGroupIngressRule(
        `${name}-endpoints-https`,
        { securityGroupId: sg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: args.cidrBlock, description: "HTTPS from the VPC" },
        childOpts(parent),
    );
    for (const s of INTERFACE_ENDPOINT_SERVICES) {
        new aws.ec2.VpcEndpoint(
            `${name}-${s}`,
            {
                vpcId: args.vpc.id,
                serviceName: service(s),
                vpcEndpointType: "Interface",
                privateDnsEnabled: true,
                subnetIds: args.privateSubnets.map((p) => p.id),
                securityGroupIds: [sg.id],
                tags: args.tags,
            },
            childOpts(parent),
        );
    }
}
