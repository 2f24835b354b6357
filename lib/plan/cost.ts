/**
 * Monthly cost of a planned graph, from a price table kept in the repository (`./prices/`), read off
 * each resource's real inputs: instance types × the group's size at creation (desired, else min),
 * the database class, storage, IOPS and throughput above gp3's baseline, Multi-AZ and the replica,
 * cache nodes, load balancer hours and an assumed LCU load, NAT gateways, public IPv4 addresses,
 * secrets, alarms, log ingestion, S3 objects. Pure: the same graph and table give the same report.
 *
 * Every resource lands somewhere: a cost line, the no-charge list (types AWS does not bill for
 * themselves), "not priced" (a billed type or size the table lacks, with the reason), or the list of
 * entries that are no AWS resource (components, local providers such as `random`).
 */
import type { RecordedResource } from "./mockRuntime";

/** How far to trust a price: see the table's header (`./prices/us-east-1.ts`). */
export type PriceBasis = "aws" | "secondary" | "estimate";

/** One price of the table. */
export interface Price {
    /** USD per the unit the table's field names (per hour, per GB-month, ...). */
    usd: number;
    /** How far to trust it. */
    basis: PriceBasis;
    /** Where it was found (URL and what it says), or why it is an estimate. */
    source: string;
    /** The day it was looked up (YYYY-MM-DD). */
    looked: string;
}

/** Prices for one region, each with its source (see `./prices/us-east-1.ts`). */
export interface PriceTable {
    /** AWS region code the prices are for. */
    region: string;
    /** The day the table was put together. */
    looked: string;
    /** Hours in the month the table's monthly figures use (AWS's calculator uses 730). */
    hoursPerMonth: number;
    /** On-demand Linux EC2, per instance-hour, by instance type. */
    ec2Hourly: Record<string, Price>;
    /** RDS for MySQL per instance-hour, by class. Single-AZ; Multi-AZ (one standby) bills twice the instance hours and storage. */
    rdsMysqlHourly: Record<string, Price>;
    /** RDS gp3 storage per GB-month (single-AZ). */
    rdsGp3GbMonth: Price;
    /** Per IOPS-month above gp3's baseline. */
    rdsGp3IopsMonth: Price;
    /** Per MiB/s-month above gp3's baseline. */
    rdsGp3ThroughputMibpsMonth: Price;
    /** ElastiCache per node-hour, by node type. */
    elasticacheHourly: Record<string, Price>;
    /** EBS gp3 per GB-month (node root volumes). */
    ebsGp3GbMonth: Price;
    /** Application Load Balancer per hour. */
    albHour: Price;
    /** Application Load Balancer per LCU-hour. */
    albLcuHour: Price;
    /** An interface VPC endpoint per Availability Zone and hour (data processed not counted). */
    vpcInterfaceEndpointAzHour: Price;
    /** NAT gateway per hour. */
    natGatewayHour: Price;
    /** NAT gateway per GB processed. */
    natGatewayGb: Price;
    /** Public IPv4 address per hour. */
    publicIpv4Hour: Price;
    /** Secrets Manager per secret-month. */
    secretMonth: Price;
    /** CloudWatch standard-resolution alarm per metric-month. */
    alarmMonth: Price;
    /** CloudWatch Logs per GB ingested. */
    logsIngestGb: Price;
    /** One CloudWatch dashboard a month (AWS's free tier of 3 per account not counted). */
    dashboardMonth: Price;
    /** One custom metric a month, first tier (a log metric filter publishes one). */
    customMetricMonth: Price;
    /** S3 Standard per GB-month. */
    s3StandardGbMonth: Price;
}

/**
 * Metrics EC2 detailed monitoring publishes at 1-minute resolution per instance (CPU utilization, disk
 * read/write bytes and operations, network in/out), each billed as a custom metric (secondary source:
 * https://ryuzoji.com/archives/969, "7 metrics" at "0.30USD/月" each beyond the free tier).
 */
export const EC2_DETAILED_MONITORING_METRICS = 7;

/** Usage the graph cannot tell: each is an assumption and printed as one. */
export interface UsageAssumptions {
    /** Load balancer capacity units used on average. Default 1. */
    albLcus: number;
    /** GB a month through each NAT gateway (package mirrors, Matomo release, GeoIP). Default 5. */
    natGbPerGateway: number;
    /** GB a month ingested into each log group. Default 1. */
    logGbPerGroup: number;
}

/** The usage assumed unless told otherwise. */
export const DEFAULT_USAGE: UsageAssumptions = { albLcus: 1, natGbPerGateway: 5, logGbPerGroup: 1 };

/** One billed item of one resource. */
export interface CostLine {
    /** Logical name of the resource. */
    resource: string;
    /** Its type token. */
    type: string;
    /** What is billed, with quantities: `2 × c7g.large (desired 2, max 6)`. */
    item: string;
    /** USD a month, to the cent. */
    monthlyUsd: number;
    /** The weakest basis among the prices used. */
    basis: PriceBasis;
}

/** How many resources of one type the graph holds. */
export interface TypeCount {
    /** The Pulumi type token, e.g. `aws:ec2/securityGroup:SecurityGroup`. */
    type: string;
    /** Resources of that type in the graph. */
    count: number;
}

/** A billed resource the price table cannot price. */
export interface NotPriced {
    /** Its logical name in the graph. */
    resource: string;
    /** Its Pulumi type token. */
    type: string;
    /** Why it has no price (a missing table entry, an input only known at deploy time, …). */
    reason: string;
}

/** A graph's monthly cost, and where every resource went. */
export interface CostReport {
    /** The price table's region. */
    region: string;
    /** Every priced item. */
    lines: CostLine[];
    /** Sum of the lines, to the cent. */
    totalUsd: number;
    /** Whether any line rests on an estimate or a secondary source. */
    hasEstimates: boolean;
    /** AWS resource types that cost nothing by themselves, with counts. */
    noCharge: TypeCount[];
    /** Billed resources the table cannot price, each with the reason. */
    notPriced: NotPriced[];
    /** Entries that are no AWS resource (components, local providers), with counts. */
    notAws: TypeCount[];
    /** The usage assumptions and what is not counted, in words. */
    assumptions: string[];
}

/**
 * AWS resource types with no charge of their own (their cost, if any, is in a priced resource:
 * a launch template's instances are the group's, a secret version is the secret's).
 */
export const NO_CHARGE_TYPES: readonly string[] = [
    "aws:acm/certificate:Certificate",
    "aws:acm/certificateValidation:CertificateValidation",
    "aws:autoscaling/policy:Policy",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    "aws:ec2/internetGateway:InternetGateway",
    "aws:ec2/launchTemplate:LaunchTemplate",
    "aws:ec2/routeTable:RouteTable",
    "aws:ec2/routeTableAssociation:RouteTableAssociation",
    "aws:ec2/route:Route",
    "aws:ec2/securityGroup:SecurityGroup",
    "aws:ec2/subnet:Subnet",
    "aws:ec2/vpc:Vpc",
    "aws:iam/instanceProfile:InstanceProfile",
    "aws:iam/policy:Policy",
    "aws:iam/role:Role",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:lb/listener:Listener",
    "aws:lb/listenerRule:ListenerRule",
    "aws:lb/targetGroup:TargetGroup",
    "aws:rds/parameterGroup:ParameterGroup",
    "aws:rds/subnetGroup:SubnetGroup",
    "aws:elasticache/subnetGroup:SubnetGroup",
    "aws:elasticache/parameterGroup:ParameterGroup",
    "aws:route53/record:Record",
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketV2:BucketV2",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    // Server access logging: its cost is the log objects stored in the target bucket (not counted).
    "aws:s3/bucketLogging:BucketLogging",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "aws:s3/bucketPolicy:BucketPolicy",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:secretsmanager/secretVersion:SecretVersion",
    "aws:ssm/parameter:Parameter",
    "aws:sns/topic:Topic",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
];

const RANK: Record<PriceBasis, number> = { aws: 0, secondary: 1, estimate: 2 };
const weakest = (...prices: Price[]): PriceBasis => prices.reduce<PriceBasis>((w, p) => (RANK[p.basis] > RANK[w] ? p.basis : w), "aws");
const cents = (usd: number) => Math.round(usd * 100) / 100;

/** gp3's included performance on RDS: 3,000 IOPS / 125 MiB/s below 400 GiB, 12,000 / 500 from there (MySQL). */
export function rdsGp3Baseline(allocatedGiB: number): { iops: number; throughput: number } {
    return allocatedGiB >= 400 ? { iops: 12000, throughput: 500 } : { iops: 3000, throughput: 125 };
}

/** What every per-type pricer reads and writes. */
interface PricingContext {
    graph: readonly RecordedResource[];
    table: PriceTable;
    usage: UsageAssumptions;
    hours: number;
    /** Add a priced line; its basis is the weakest of the prices it used. */
    line(r: RecordedResource, item: string, monthlyUsd: number, ...prices: Price[]): void;
    /** Report a resource that could not be priced, and why. */
    missing(r: RecordedResource, reason: string): void;
}

function priceAutoScalingGroup(r: RecordedResource, c: PricingContext): void {
    const { graph, table, hours, line, missing } = c;
    const i = r.inputs;
    const template = graph.find((t) => t.type === "aws:ec2/launchTemplate:LaunchTemplate" && t.id === (i.launchTemplate as { id?: string } | undefined)?.id);
    const instanceType = String(template?.inputs.instanceType ?? "");
    const count = Number(i.desiredCapacity ?? i.minSize ?? 0);
    const max = Number(i.maxSize ?? count);
    const price = table.ec2Hourly[instanceType];
    if (price === undefined) {
        missing(r, template === undefined ? "no launch template found for the group" : `no price for instance type ${instanceType}`);
        return;
    }
    line(
        r,
        `${count} × ${instanceType} (${i.desiredCapacity !== undefined ? "desired" : "min"} ${count}, up to ${max} when scaled out)`,
        count * price.usd * hours,
        price,
    );
    if ((template?.inputs.monitoring as { enabled?: boolean } | undefined)?.enabled === true) {
        line(
            r,
            `${count} × EC2 detailed monitoring (${EC2_DETAILED_MONITORING_METRICS} metrics a node, 1-minute)`,
            count * EC2_DETAILED_MONITORING_METRICS * table.customMetricMonth.usd,
            table.customMetricMonth,
        );
    }
    const root = ((template?.inputs.blockDeviceMappings ?? []) as { ebs?: { volumeSize?: number; volumeType?: string } }[])[0]?.ebs;
    if (root?.volumeSize !== undefined) {
        if (root.volumeType === "gp3")
            line(r, `${count} × ${root.volumeSize} GiB gp3 root volume`, count * root.volumeSize * table.ebsGp3GbMonth.usd, table.ebsGp3GbMonth);
        else missing(r, `root volume type ${String(root.volumeType)} is not in the table`);
    }
}

function priceDatabaseInstance(r: RecordedResource, c: PricingContext): void {
    const { graph, table, hours, line, missing } = c;
    const i = r.inputs;
    const instanceClass = String(i.instanceClass);
    const price = table.rdsMysqlHourly[instanceClass];
    const engine = String(i.engine ?? "mysql");
    const source = i.replicateSourceDb === undefined ? undefined : graph.find((s) => s.type === r.type && s.inputs.identifier === i.replicateSourceDb);
    // A read replica is created with its source's storage (RDS copies the source's volume).
    const storage = source?.inputs ?? i;
    const multiAz = i.multiAz === true;
    const copies = multiAz ? 2 : 1;
    const role = source !== undefined ? "read replica" : multiAz ? "Multi-AZ (primary + standby)" : "single-AZ";
    if (price === undefined || (engine !== "mysql" && source === undefined)) {
        missing(r, price === undefined ? `no price for ${instanceClass}` : `engine ${engine}: the table prices MySQL`);
    } else {
        line(r, `${instanceClass} ${role}`, copies * price.usd * hours, price);
    }
    const gib = Number(storage.allocatedStorage ?? 0);
    if (String(storage.storageType ?? i.storageType) !== "gp3") {
        missing(r, `storage type ${String(storage.storageType)} is not in the table`);
        return;
    }
    line(r, `${gib} GiB gp3${copies === 2 ? " × 2 (Multi-AZ)" : ""}`, copies * gib * table.rdsGp3GbMonth.usd, table.rdsGp3GbMonth);
    const base = rdsGp3Baseline(gib);
    const extraIops = Math.max(0, Number(storage.iops ?? base.iops) - base.iops);
    const extraThroughput = Math.max(0, Number(storage.storageThroughput ?? base.throughput) - base.throughput);
    if (extraIops > 0)
        line(
            r,
            `${extraIops} IOPS above gp3's ${base.iops} baseline${copies === 2 ? " × 2" : ""}`,
            copies * extraIops * table.rdsGp3IopsMonth.usd,
            table.rdsGp3IopsMonth,
        );
    if (extraThroughput > 0) {
        line(
            r,
            `${extraThroughput} MiB/s above gp3's ${base.throughput} baseline${copies === 2 ? " × 2" : ""}`,
            copies * extraThroughput * table.rdsGp3ThroughputMibpsMonth.usd,
            table.rdsGp3ThroughputMibpsMonth,
        );
    }
}

function priceRedis(r: RecordedResource, c: PricingContext): void {
    const { table, hours, line, missing } = c;
    const i = r.inputs;
    const nodeType = String(i.nodeType);
    const nodes = Number(i.numCacheClusters ?? 1);
    const price = table.elasticacheHourly[nodeType];
    if (price === undefined) missing(r, `no price for ${nodeType}`);
    else line(r, `${nodes} × ${nodeType}`, nodes * price.usd * hours, price);
}

function priceLoadBalancer(r: RecordedResource, c: PricingContext): void {
    const { table, usage, hours, line, missing } = c;
    const i = r.inputs;
    if ((i.loadBalancerType ?? "application") !== "application") {
        missing(r, `load balancer type ${String(i.loadBalancerType)}: the table prices Application Load Balancers`);
        return;
    }
    line(
        r,
        `load balancer hours + ${usage.albLcus} LCU (assumed)`,
        (table.albHour.usd + usage.albLcus * table.albLcuHour.usd) * hours,
        table.albHour,
        table.albLcuHour,
    );
    if (i.internal !== true) {
        const addresses = Array.isArray(i.subnets) ? i.subnets.length : 2;
        line(
            r,
            `${addresses} public IPv4 addresses (one per subnet; AWS may add more as it scales)`,
            addresses * table.publicIpv4Hour.usd * hours,
            table.publicIpv4Hour,
        );
    }
}

function priceNatGateway(r: RecordedResource, c: PricingContext): void {
    const { table, usage, hours, line } = c;
    line(
        r,
        `NAT gateway hours + ${usage.natGbPerGateway} GB processed (assumed)`,
        table.natGatewayHour.usd * hours + usage.natGbPerGateway * table.natGatewayGb.usd,
        table.natGatewayHour,
        table.natGatewayGb,
    );
}

function priceVpcEndpoint(r: RecordedResource, c: PricingContext): void {
    const { table, hours, line } = c;
    const i = r.inputs;
    if (i.vpcEndpointType === "Gateway") {
        line(r, "gateway endpoint (no charge)", 0, table.vpcInterfaceEndpointAzHour);
        return;
    }
    const zones = Array.isArray(i.subnetIds) ? i.subnetIds.length : 1;
    line(
        r,
        `interface endpoint in ${zones} zone${zones === 1 ? "" : "s"} (data processed not counted)`,
        zones * table.vpcInterfaceEndpointAzHour.usd * hours,
        table.vpcInterfaceEndpointAzHour,
    );
}

function priceElasticIp(r: RecordedResource, c: PricingContext): void {
    const { table, hours, line } = c;
    line(r, "1 public IPv4 address", table.publicIpv4Hour.usd * hours, table.publicIpv4Hour);
}

function priceSecret(r: RecordedResource, c: PricingContext): void {
    const { table, line } = c;
    line(r, "1 secret (API calls at $0.05 per 10,000 not counted)", table.secretMonth.usd, table.secretMonth);
}

function priceAlarm(r: RecordedResource, c: PricingContext): void {
    const { table, line } = c;
    const i = r.inputs;
    // CloudWatch bills an alarm per metric it evaluates: a metric-math alarm counts each metric query.
    const metrics = Array.isArray(i.metricQueries) ? (i.metricQueries as { metric?: unknown }[]).filter((q) => q.metric !== undefined).length || 1 : 1;
    line(r, `alarm, ${metrics} standard-resolution metric${metrics === 1 ? "" : "s"}`, metrics * table.alarmMonth.usd, table.alarmMonth);
}

function priceDashboard(r: RecordedResource, c: PricingContext): void {
    const { table, line } = c;
    line(r, "1 dashboard (the account's 3 free ones not counted)", table.dashboardMonth.usd, table.dashboardMonth);
}

function priceLogMetricFilter(r: RecordedResource, c: PricingContext): void {
    const { table, line } = c;
    line(r, "the custom metric it publishes", table.customMetricMonth.usd, table.customMetricMonth);
}

function priceLogGroup(r: RecordedResource, c: PricingContext): void {
    const { table, usage, line } = c;
    line(r, `${usage.logGbPerGroup} GB ingested (assumed); storage not counted`, usage.logGbPerGroup * table.logsIngestGb.usd, table.logsIngestGb);
}

function priceS3Object(r: RecordedResource, c: PricingContext): void {
    const { table, line, missing } = c;
    const i = r.inputs;
    const bytes =
        typeof i.contentBase64 === "string"
            ? Buffer.from(i.contentBase64, "base64").length
            : typeof i.content === "string"
              ? Buffer.byteLength(i.content)
              : undefined;
    if (bytes === undefined) missing(r, "object size unknown at plan time");
    else
        line(
            r,
            `${bytes} bytes in S3 Standard (each older version kept is billed too)`,
            (bytes / 1024 ** 3) * table.s3StandardGbMonth.usd,
            table.s3StandardGbMonth,
        );
}

/** One pricer per AWS resource type that costs money; types in NO_CHARGE_TYPES cost nothing, any other is reported. */
const PRICERS: Readonly<Record<string, (r: RecordedResource, c: PricingContext) => void>> = {
    "aws:autoscaling/group:Group": priceAutoScalingGroup,
    "aws:rds/instance:Instance": priceDatabaseInstance,
    "aws:elasticache/replicationGroup:ReplicationGroup": priceRedis,
    "aws:lb/loadBalancer:LoadBalancer": priceLoadBalancer,
    "aws:ec2/natGateway:NatGateway": priceNatGateway,
    "aws:ec2/vpcEndpoint:VpcEndpoint": priceVpcEndpoint,
    "aws:ec2/eip:Eip": priceElasticIp,
    "aws:secretsmanager/secret:Secret": priceSecret,
    "aws:cloudwatch/metricAlarm:MetricAlarm": priceAlarm,
    "aws:cloudwatch/dashboard:Dashboard": priceDashboard,
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": priceLogMetricFilter,
    "aws:cloudwatch/logGroup:LogGroup": priceLogGroup,
    "aws:s3/bucketObjectv2:BucketObjectv2": priceS3Object,
    "aws:s3/bucketObject:BucketObject": priceS3Object,
};

/** Price every resource of `graph` with `table`; `usage` covers what the graph cannot tell (default `DEFAULT_USAGE`). */
export function costOf(graph: readonly RecordedResource[], table: PriceTable, usage: UsageAssumptions = DEFAULT_USAGE): CostReport {
    const lines: CostLine[] = [];
    const notPriced: CostReport["notPriced"] = [];
    const noCharge = new Map<string, number>();
    const notAws = new Map<string, number>();
    const hours = table.hoursPerMonth;
    const line = (r: RecordedResource, item: string, monthlyUsd: number, ...prices: Price[]) =>
        lines.push({ resource: r.name, type: r.type, item, monthlyUsd: cents(monthlyUsd), basis: weakest(...prices) });
    const missing = (r: RecordedResource, reason: string) => notPriced.push({ resource: r.name, type: r.type, reason });

    const c: PricingContext = { graph, table, usage, hours, line, missing };
    for (const r of graph) {
        if (!r.type.startsWith("aws:")) {
            notAws.set(r.type, (notAws.get(r.type) ?? 0) + 1);
            continue;
        }
        const price = PRICERS[r.type];
        if (price !== undefined) price(r, c);
        else if (NO_CHARGE_TYPES.includes(r.type)) noCharge.set(r.type, (noCharge.get(r.type) ?? 0) + 1);
        else missing(r, "type not in the price table");
    }
    const totalUsd = cents(lines.reduce((s, l) => s + l.monthlyUsd, 0));
    const sorted = (m: Map<string, number>) => [...m].sort(([a], [b]) => a.localeCompare(b)).map(([type, count]) => ({ type, count }));
    return {
        region: table.region,
        lines,
        totalUsd,
        hasEstimates: lines.some((l) => l.basis !== "aws"),
        noCharge: sorted(noCharge),
        notPriced,
        notAws: sorted(notAws),
        assumptions: [
            `${hours} hours a month, on-demand, Linux`,
            `load balancer: ${usage.albLcus} LCU on average (an LCU is 25 new connections/s, 3,000 active connections/min, 1 GB/h to EC2 targets or 1,000 rule evaluations/s, whichever is highest)`,
            `NAT: ${usage.natGbPerGateway} GB a month through each gateway`,
            `log groups: ${usage.logGbPerGroup} GB ingested a month each`,
            "not counted: data transfer out to the internet, cross-AZ traffic, backup storage beyond the database's size, snapshots, Route 53 queries, API requests",
        ],
    };
}
