/**
 * `awsx.ec2.Vpc` under the mock runtime.
 *
 * In Node, awsx's Vpc is a multi-language (remote) component: the program registers one resource of
 * type `awsx:ec2:Vpc` and the awsx provider creates its children (VPC, subnets, route tables,
 * gateways) and answers its outputs. Under the SDK's mock there is no provider, so the mock plays
 * its part: this is what awsx's provider creates (pulumi/pulumi-awsx, awsx/ec2/vpc.ts and
 * subnetDistributorLegacy.ts) for the arguments it imitates, with the default subnet strategy
 * ("Legacy"), the default subnets (one private and one public per zone) and every NAT strategy.
 * Any other argument that shapes the layout is refused by name, so a plan never answers with a
 * layout awsx would not create.
 */

/** A child resource as the awsx provider would register it, with the id and state the mock gave it. */
export interface AwsxChild {
    type: string;
    name: string;
    /** Logical name of its parent (awsx parents each child to the resource it belongs to). */
    parent: string;
    inputs: Record<string, unknown>;
    id: string;
    state: Record<string, unknown>;
}

/** What the mock makes of a resource: its id and state. */
export type MakeResource = (type: string, name: string, inputs: Record<string, unknown>) => { id: string; state: Record<string, unknown> };

/** The Vpc's outputs (ids only: awsx's resource-valued outputs are references the mock cannot make) and its children. */
export interface AwsxVpcPlan {
    state: Record<string, unknown>;
    children: AwsxChild[];
}

/** Arguments that change the layout in ways this does not imitate (awsx's schema names). */
const NOT_IMITATED = ["subnetSpecs", "subnetStrategy", "ipv4IpamPoolId", "ipv6IpamPoolId", "assignGeneratedIpv6CidrBlock", "vpcEndpointSpecs"] as const;
/** The one subnet strategy imitated: awsx's default. */
const DEFAULT_SUBNET_STRATEGY = "Legacy";
/** awsx's default VPC CIDR and zone count (`decideCidrBlockVpcInput`, `getDefaultAzs`). */
const DEFAULT_CIDR = "10.0.0.0/16";
const DEFAULT_ZONE_COUNT = 3;
/** aws.ec2.Vpc inputs awsx passes through from its own arguments. */
const VPC_PASSTHROUGH = ["enableDnsHostnames", "enableDnsSupport", "instanceTenancy", "enableNetworkAddressUsageMetrics"] as const;

function ipToNumber(ip: string): number {
    return ip.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
}

function numberToIp(n: number): string {
    return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

/** awsx's `cidrSubnetV4` (Terraform's cidrsubnet): the `netNum`-th block of `newBits` more bits inside `range`. */
export function cidrSubnet(range: string, newBits: number, netNum: number): string {
    const [address, maskText] = range.split("/");
    const mask = Number(maskText) + newBits;
    if (mask > 32) throw new Error(`Requested ${newBits} new bits, but only ${32 - Number(maskText)} are available.`);
    return `${numberToIp(ipToNumber(address) + 2 ** (32 - mask) * netNum)}/${mask}`;
}

function nextPow2(n: number): number {
    let p = 1;
    while (p < n) p *= 2;
    return p;
}

/** The zones the Vpc spans: `availabilityZoneNames`, else the first `numberOfAvailabilityZones` (3) of the region's. */
function zonesOf(inputs: Record<string, unknown>, regionZones: string[]): string[] {
    if (inputs.availabilityZoneNames !== undefined && inputs.numberOfAvailabilityZones !== undefined) {
        throw new Error("Only one of [availabilityZoneNames] and [numberOfAvailabilityZones] can be specified");
    }
    if (Array.isArray(inputs.availabilityZoneNames)) return inputs.availabilityZoneNames.map(String);
    const count = Number(inputs.numberOfAvailabilityZones ?? DEFAULT_ZONE_COUNT);
    if (regionZones.length < count) {
        throw new Error(`The configured region for this provider does not have at least ${count} Availability Zones.`);
    }
    return regionZones.slice(0, count);
}

function natStrategyOf(inputs: Record<string, unknown>): "none" | "single" | "oneperaz" {
    const strategy = String((inputs.natGateways as { strategy?: string } | undefined)?.strategy ?? "OnePerAz").toLowerCase();
    if (strategy !== "none" && strategy !== "single" && strategy !== "oneperaz") throw new Error(`Unknown NatGatewayStrategy "${strategy}"`);
    if (((inputs.natGateways as { elasticIpAllocationIds?: unknown[] } | undefined)?.elasticIpAllocationIds ?? []).length > 0) {
        throw new Error("mock runtime: awsx:ec2:Vpc natGateways.elasticIpAllocationIds is not imitated; answer it in PlanOptions.mock.newResource");
    }
    return strategy;
}

/** One zone's subnets as awsx's Legacy distributor lays them out: private the first half of the zone's block, public the first half of the rest. */
function zoneSubnets(
    name: string,
    zone: string,
    index: number,
    zoneBlock: string,
): { type: "Public" | "Private"; name: string; zone: string; cidrBlock: string }[] {
    const privateBlock = cidrSubnet(zoneBlock, 1, 0);
    const publicBlock = cidrSubnet(cidrSubnet(privateBlock, 0, 1), 1, 0);
    // awsx registers a zone's public subnets before its private ones (compareSubnetSpecs).
    return [
        { type: "Public", name: `${name}-public-${index + 1}`, zone, cidrBlock: publicBlock },
        { type: "Private", name: `${name}-private-${index + 1}`, zone, cidrBlock: privateBlock },
    ];
}

/**
 * Plan an `awsx:ec2:Vpc` named `name` with `inputs`: its children and outputs. `regionZones` are the
 * zones of its region; `make` is what the mock makes of any other resource.
 */
export function planAwsxVpc(name: string, inputs: Record<string, unknown>, regionZones: string[], make: MakeResource): AwsxVpcPlan {
    for (const arg of NOT_IMITATED) {
        if (inputs[arg] === undefined || (arg === "subnetStrategy" && inputs[arg] === DEFAULT_SUBNET_STRATEGY)) continue;
        throw new Error(`mock runtime: awsx:ec2:Vpc ${arg} is not imitated (only awsx's default subnets); answer its outputs in PlanOptions.mock.newResource`);
    }
    const zones = zonesOf(inputs, regionZones);
    const nat = natStrategyOf(inputs);
    const cidrBlock = String(inputs.cidrBlock ?? DEFAULT_CIDR);
    const userTags = (inputs.tags ?? {}) as Record<string, unknown>;
    const sharedTags = { Name: name, ...userTags };
    const children: AwsxChild[] = [];
    const add = (type: string, childName: string, parent: string, childInputs: Record<string, unknown>): string => {
        const made = make(type, childName, childInputs);
        children.push({ type, name: childName, parent, inputs: childInputs, ...made });
        return made.id;
    };
    const passthrough = Object.fromEntries(VPC_PASSTHROUGH.filter((k) => inputs[k] !== undefined).map((k) => [k, inputs[k]]));
    const vpcId = add("aws:ec2/vpc:Vpc", name, name, { ...passthrough, cidrBlock, tags: sharedTags });
    const igwId = add("aws:ec2/internetGateway:InternetGateway", name, name, { vpcId, tags: sharedTags });
    const ids = { Public: [] as string[], Private: [] as string[] };
    const natIds: string[] = [];
    const newBitsPerZone = Math.log2(nextPow2(zones.length));
    zones.forEach((zone, i) => {
        for (const subnet of zoneSubnets(name, zone, i, cidrSubnet(cidrBlock, newBitsPerZone, i))) {
            const tags = { ...sharedTags, Name: subnet.name, SubnetType: subnet.type };
            const subnetId = add("aws:ec2/subnet:Subnet", subnet.name, name, {
                vpcId,
                availabilityZone: subnet.zone,
                mapPublicIpOnLaunch: subnet.type === "Public",
                cidrBlock: subnet.cidrBlock,
                assignIpv6AddressOnCreation: false,
                tags,
            });
            ids[subnet.type].push(subnetId);
            const routeTableId = add("aws:ec2/routeTable:RouteTable", subnet.name, subnet.name, { vpcId, tags });
            add("aws:ec2/routeTableAssociation:RouteTableAssociation", subnet.name, subnet.name, { routeTableId, subnetId });
            if (subnet.type === "Public" && (nat === "oneperaz" || (nat === "single" && natIds.length === 0))) {
                const gatewayTags = { ...userTags, Name: `${name}-${i + 1}` };
                const allocationId = add("aws:ec2/eip:Eip", `${name}-${i + 1}`, subnet.name, { tags: gatewayTags });
                natIds.push(add("aws:ec2/natGateway:NatGateway", `${name}-${i + 1}`, subnet.name, { subnetId, allocationId, tags: gatewayTags }));
            }
            const route =
                subnet.type === "Public" ? { gatewayId: igwId } : nat === "none" ? undefined : { natGatewayId: nat === "single" ? natIds[0] : natIds[i] };
            if (route) add("aws:ec2/route:Route", subnet.name, subnet.name, { routeTableId, ...route, destinationCidrBlock: "0.0.0.0/0" });
        }
    });
    return { state: { vpcId, publicSubnetIds: ids.Public, privateSubnetIds: ids.Private, isolatedSubnetIds: [] }, children };
}
