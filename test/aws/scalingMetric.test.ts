/**
 * Which metric the tracker group scales on, and at what period. Target tracking on
 * `ASGAverageCPUUtilization` averages EC2's `CPUUtilization` over the group, and EC2 publishes that
 * every 5 minutes unless the instance has detailed monitoring ("Basic: 5-minute periods; Detailed:
 * 1-minute", EC2 User Guide); AWS's target tracking guide asks to "confirm that your preferred metric is
 * available at 1-minute intervals". So the scaled group launches with detailed monitoring, the
 * unscaled ui group does not (it would pay for data nothing reads), and the cost counts it.
 */
import { strict as assert } from "assert";
import { buildCluster, of, one } from "./harness";
import { costOf } from "../../lib/plan/cost";
import { US_EAST_1 } from "../../lib/plan/prices/us-east-1";
import type { MockRuntime, RecordedResource } from "../../lib/plan/mockRuntime";

/** EC2's CPUUtilization period, in seconds, for instances launched from this template. */
function cpuMetricPeriodSeconds(template: RecordedResource): number {
    return (template.inputs.monitoring as { enabled?: boolean } | undefined)?.enabled === true ? 60 : 300;
}

function templateOf(rt: MockRuntime, group: RecordedResource): RecordedResource {
    const id = (group.inputs.launchTemplate as { id: string }).id;
    return of(rt, "aws:ec2/launchTemplate:LaunchTemplate").find((t) => t.id === id)!;
}

describe("tracker scaling metric and period", function () {
    let rt: MockRuntime;
    before(async function () {
        rt = (await buildCluster()).rt;
    });

    it("the tracker group's target tracking policy averages CPU over 1-minute data points", function () {
        const policy = one(rt, "aws:autoscaling/policy:Policy");
        const config = policy.inputs.targetTrackingConfiguration as { predefinedMetricSpecification: { predefinedMetricType: string } };
        assert.equal(config.predefinedMetricSpecification.predefinedMetricType, "ASGAverageCPUUtilization");
        const group = of(rt, "aws:autoscaling/group:Group").find((g) => g.state.name === policy.inputs.autoscalingGroupName)!;
        assert.equal(group.parent, "matomo-tracker");
        assert.equal(cpuMetricPeriodSeconds(templateOf(rt, group)), 60);
    });

    it("the ui group, which no policy scales, keeps basic monitoring", function () {
        const ui = of(rt, "aws:autoscaling/group:Group").find((g) => g.parent === "matomo-ui")!;
        assert.equal(cpuMetricPeriodSeconds(templateOf(rt, ui)), 300);
    });

    it("the cost counts detailed monitoring for each tracker node, at CloudWatch's metric price (7 metrics a node)", function () {
        const report = costOf(rt.resources, US_EAST_1);
        const lines = report.lines.filter((l) => /detailed monitoring/.test(l.item));
        assert.deepEqual(
            lines.map((l) => l.resource),
            ["matomo-tracker-asg"],
        );
        const tracker = of(rt, "aws:autoscaling/group:Group").find((g) => g.parent === "matomo-tracker")!;
        const nodes = Number(tracker.inputs.desiredCapacity ?? tracker.inputs.minSize);
        assert.equal(lines[0].monthlyUsd, Math.round(nodes * 7 * 0.3 * 100) / 100);
    });
});
