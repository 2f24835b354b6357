/** `out/plan/cost.md`: cost reports as Markdown, with the prices they used and where each came from. */
import type { CostReport, Price, PriceTable } from "./cost";

const usd = (n: number) => `$${n.toFixed(2)}`;
const MARK: Record<Price["basis"], string> = { aws: "", secondary: " (secondary source)", estimate: " (estimate)" };

/** One priced program in `cost.md`. */
export interface CostSection {
    /** Heading, e.g. `Preset \`small\``. */
    title: string;
    /** Its cost report. */
    report: CostReport;
}

function section({ title, report }: CostSection): string[] {
    const out = [`## ${title}`, "", "| resource | type | billed | USD/month |", "| --- | --- | --- | ---: |"];
    for (const l of report.lines) out.push(`| \`${l.resource}\` | \`${l.type}\` | ${l.item}${MARK[l.basis]} | ${usd(l.monthlyUsd)} |`);
    out.push(
        `| **total** | | ${report.hasEstimates ? "**estimate** (some prices are estimates or secondary sources)" : ""} | **${usd(report.totalUsd)}** |`,
        "",
    );
    out.push(
        report.notPriced.length === 0
            ? "Not priced: none."
            : `Not priced (billed, but the table has no price for them; the total leaves them out): ${report.notPriced.map((n) => `\`${n.resource}\` (\`${n.type}\`: ${n.reason})`).join("; ")}.`,
        "",
    );
    out.push(`No charge of their own: ${report.noCharge.map((n) => `${n.count} × \`${n.type}\``).join(", ") || "none"}.`, "");
    if (report.notAws.length > 0)
        out.push(`Not AWS resources (components and local providers): ${report.notAws.map((n) => `${n.count} × \`${n.type}\``).join(", ")}.`, "");
    return out;
}

/** Sections first, then the assumptions (from the first report) and every price of the table with its basis and source. */
export function renderCost(sections: readonly CostSection[], table: PriceTable, plannedRegion: string): string {
    const out = [
        "# Monthly cost of the planned resources",
        "",
        `Prices: \`lib/plan/prices/${table.region}.ts\`, region **${table.region}**, looked up ${table.looked}, on-demand USD.` +
            (plannedRegion !== table.region
                ? ` The plan's region is ${plannedRegion}; its list prices differ from ${table.region}'s (typically a little higher) and were not looked up.`
                : ""),
        "A line marked *estimate* or *secondary source* rests on a price not read on AWS's own page (see the table at the end); check them in the AWS Pricing Calculator.",
        "",
    ];
    for (const s of sections) out.push(...section(s));
    if (sections.length > 0) {
        out.push("## Assumptions", "");
        for (const a of sections[0].report.assumptions) out.push(`- ${a}`);
        out.push("");
    }
    out.push("## Prices used", "", "| item | USD | basis | source (looked up) |", "| --- | ---: | --- | --- |");
    const row = (item: string, p: Price) => out.push(`| ${item} | ${p.usd} | ${p.basis} | ${p.source} (${p.looked}) |`);
    for (const [k, p] of Object.entries(table.ec2Hourly)) row(`EC2 ${k}, per hour`, p);
    for (const [k, p] of Object.entries(table.rdsMysqlHourly)) row(`RDS MySQL ${k} single-AZ, per hour`, p);
    row("RDS gp3, per GB-month", table.rdsGp3GbMonth);
    row("RDS gp3 IOPS above baseline, per IOPS-month", table.rdsGp3IopsMonth);
    row("RDS gp3 throughput above baseline, per MiB/s-month", table.rdsGp3ThroughputMibpsMonth);
    for (const [k, p] of Object.entries(table.elasticacheHourly)) row(`ElastiCache ${k}, per hour`, p);
    row("EBS gp3, per GB-month", table.ebsGp3GbMonth);
    row("Application Load Balancer, per hour", table.albHour);
    row("Application Load Balancer, per LCU-hour", table.albLcuHour);
    row("NAT gateway, per hour", table.natGatewayHour);
    row("NAT gateway, per GB processed", table.natGatewayGb);
    row("public IPv4 address, per hour", table.publicIpv4Hour);
    row("Secrets Manager, per secret-month", table.secretMonth);
    row("CloudWatch alarm, per standard-resolution metric-month", table.alarmMonth);
    row("CloudWatch Logs ingestion, per GB", table.logsIngestGb);
    row("S3 Standard, per GB-month", table.s3StandardGbMonth);
    return out.join("\n") + "\n";
}
