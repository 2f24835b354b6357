/**
 * AWS list prices (on-demand, Linux, USD) for what the library creates, in US East (N. Virginia),
 * the region public price quotes most often name. Looked up on 2026-11-25 with no access to AWS's
 * price pages or Price List API: each price says where it was found and how far to trust it.
 *
 * - `aws`: the number as AWS's own pricing page states it (read through a dated transcription of
 *   that page; the page's live tables were not reachable offline).
 * - `secondary`: a dated third-party page quoting AWS's price for this region.
 * - `estimate`: no source reachable offline; from general knowledge of AWS's price list (and, where
 *   said, derived from a sourced price). Check these in the AWS Pricing Calculator.
 */
import type { PriceTable } from "../cost";

const LOOKED = "2026-11-25";
const ESTIMATE = { basis: "estimate", source: "no source reachable offline; general knowledge of AWS's list price", looked: LOOKED } as const;
const EC2_PAGE = "https://aws.amazon.com/ec2/pricing/on-demand/";
const RDS_PAGE = "https://aws.amazon.com/rds/mysql/pricing/";
const ELASTICACHE_PAGE = "https://aws.amazon.com/elasticache/pricing/";

/** The table `npm run plan` prices with (cost.md); see this module's header for how far to trust each price. */
export const US_EAST_1: PriceTable = {
    region: "us-east-1",
    looked: LOOKED,
    hoursPerMonth: 730,
    ec2Hourly: {
        "m7g.large": {
            usd: 0.0816,
            basis: "secondary",
            source: 'https://www.factualminds.com/blog/amazon-ec2-on-demand-pricing-instance-families-2026/ ("In us-east-1 (June 2026), Linux m7g.large is $0.0816/hr")',
            looked: LOOKED,
        },
        "m7g.2xlarge": { usd: 0.3264, ...ESTIMATE, source: `4 × the m7g.large price above (EC2 prices scale with size within a family); ${EC2_PAGE}` },
        "c7g.medium": { usd: 0.0363, ...ESTIMATE, source: `${ESTIMATE.source}; ${EC2_PAGE}` },
        "c7g.large": { usd: 0.0725, ...ESTIMATE, source: `${ESTIMATE.source}; ${EC2_PAGE}` },
        "c7g.xlarge": { usd: 0.145, ...ESTIMATE, source: `${ESTIMATE.source}; ${EC2_PAGE}` },
        "c7a.medium": { usd: 0.05133, ...ESTIMATE, source: `${ESTIMATE.source}; ${EC2_PAGE}` },
        "c7i.large": { usd: 0.08925, ...ESTIMATE, source: `${ESTIMATE.source}; ${EC2_PAGE}` },
        "c7i.xlarge": { usd: 0.1785, ...ESTIMATE, source: `${ESTIMATE.source}; ${EC2_PAGE}` },
        "m7i.large": { usd: 0.1008, ...ESTIMATE, source: `${ESTIMATE.source}; ${EC2_PAGE}` },
        "m7i.2xlarge": { usd: 0.4032, ...ESTIMATE, source: `${ESTIMATE.source}; ${EC2_PAGE}` },
    },
    rdsMysqlHourly: {
        "db.m7g.large": { usd: 0.168, ...ESTIMATE, source: `${ESTIMATE.source}; ${RDS_PAGE}` },
        "db.m7g.xlarge": { usd: 0.336, ...ESTIMATE, source: `${ESTIMATE.source}; ${RDS_PAGE}` },
        "db.r7g.2xlarge": { usd: 0.956, ...ESTIMATE, source: `${ESTIMATE.source}; ${RDS_PAGE}` },
        "db.t4g.large": {
            usd: 0.073,
            basis: "secondary",
            source: 'https://www.usage.ai/blogs/aws/reserved-instances/rds/mysql/ ("A db.t4g.large ... On-demand: $0.073/hr")',
            looked: LOOKED,
        },
    },
    rdsGp3GbMonth: {
        usd: 0.115,
        basis: "secondary",
        source: 'https://www.usage.ai/blogs/aws/reserved-instances/rds/pricing-calculator/ (US East (N. Virginia), June 2026: "GB provisioned x $0.115/month (gp3)")',
        looked: LOOKED,
    },
    rdsGp3IopsMonth: {
        usd: 0.02,
        basis: "secondary",
        source: 'https://www.usage.ai/blogs/aws/reserved-instances/rds/pricing-calculator/ ("Additional IOPS: $0.02/IOPS-month provisioned")',
        looked: LOOKED,
    },
    rdsGp3ThroughputMibpsMonth: { usd: 0.08, ...ESTIMATE, source: `${ESTIMATE.source}; ${RDS_PAGE}` },
    elasticacheHourly: {
        "cache.t4g.small": { usd: 0.032, ...ESTIMATE, source: `${ESTIMATE.source}; ${ELASTICACHE_PAGE}` },
        "cache.r7g.large": { usd: 0.219, ...ESTIMATE, source: `${ESTIMATE.source}; ${ELASTICACHE_PAGE}` },
    },
    ebsGp3GbMonth: {
        usd: 0.08,
        basis: "secondary",
        source: 'https://raw.githubusercontent.com/aws/agent-toolkit-for-aws/main/skills/core-skills/aws-billing-and-cost-management/references/ebs-optimization.md (gp3 "$0.08 ... in us-east-1", approximate, early 2026)',
        looked: LOOKED,
    },
    albHour: {
        usd: 0.0225,
        basis: "aws",
        source: "https://aws.amazon.com/elasticloadbalancing/pricing/ (pricing example, US East (N. Virginia); page text as transcribed 2026-09-20 in github.com/api-evangelist/amazon-elastic-load-balancing)",
        looked: LOOKED,
    },
    albLcuHour: {
        usd: 0.008,
        basis: "aws",
        source: 'https://aws.amazon.com/elasticloadbalancing/pricing/ ("$0.008 per LCU"; same transcription)',
        looked: LOOKED,
    },
    vpcInterfaceEndpointAzHour: { usd: 0.01, ...ESTIMATE, source: `${ESTIMATE.source}; https://aws.amazon.com/privatelink/pricing/` },
    natGatewayHour: {
        usd: 0.045,
        basis: "aws",
        source: 'https://aws.amazon.com/vpc/pricing/ ("$0.045 per hour"; the page\'s example names US East (Ohio); transcribed 2026-09-20 in github.com/api-evangelist/amazon-vpc)',
        looked: LOOKED,
    },
    natGatewayGb: {
        usd: 0.045,
        basis: "aws",
        source: 'https://aws.amazon.com/vpc/pricing/ (data processing "$0.045 per GB"; same transcription)',
        looked: LOOKED,
    },
    publicIpv4Hour: {
        usd: 0.005,
        basis: "secondary",
        source: 'https://www.doit.com/aws-public-ipv4-price-increase-the-complete-guide/ (from 2024-02-01 every public IPv4 address "would cost an extra $0.005/Hour")',
        looked: LOOKED,
    },
    secretMonth: {
        usd: 0.4,
        basis: "aws",
        source: 'https://aws.amazon.com/secrets-manager/pricing/ ("$0.40 / secret / month"; transcribed 2026-09-20 in github.com/api-evangelist/amazon-secrets-manager)',
        looked: LOOKED,
    },
    alarmMonth: {
        usd: 0.1,
        basis: "secondary",
        source: 'https://github.com/vreutova/infracost-idem-support/pull/2 (Infracost: "Standard resolution 1 alarm metrics $0.10")',
        looked: LOOKED,
    },
    logsIngestGb: {
        usd: 0.5,
        basis: "secondary",
        source: 'https://github.com/vreutova/infracost-idem-support/pull/2 (Infracost: "Data ingested ... $0.50 per GB")',
        looked: LOOKED,
    },
    dashboardMonth: { usd: 3, ...ESTIMATE, source: `${ESTIMATE.source}; https://aws.amazon.com/cloudwatch/pricing/` },
    customMetricMonth: { usd: 0.3, ...ESTIMATE, source: `${ESTIMATE.source}; https://aws.amazon.com/cloudwatch/pricing/` },
    s3StandardGbMonth: { usd: 0.023, ...ESTIMATE, source: `${ESTIMATE.source}; https://aws.amazon.com/s3/pricing/` },
};
