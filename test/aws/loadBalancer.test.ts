import { strict as assert } from "assert";
import { buildCluster, BASE_ARGS, of, one, idOf } from "./harness";
import type { MockRuntime, RecordedResource } from "../../lib/plan/mockRuntime";
import { HEALTH_CHECK_PATH } from "../../lib/provision";

type Action = { type: string; targetGroupArn?: string; redirect?: Record<string, unknown>; fixedResponse?: { statusCode: string } };
type Condition = { pathPattern?: { values: string[] } };

function targetGroup(rt: MockRuntime, role: string): RecordedResource {
    const found = of(rt, "aws:lb/targetGroup:TargetGroup").filter((t) => (t.inputs.tags as Record<string, string>)["matomo:role"] === role);
    assert.equal(found.length, 1, `one ${role} target group`);
    return found[0];
}

/** Where the HTTPS listener sends a request path, evaluating rules by priority as the ALB does (literal paths, `*` wildcard). */
function route(rt: MockRuntime, path: string): string {
    const https = of(rt, "aws:lb/listener:Listener").find((l) => l.inputs.port === 443)!;
    const rules = of(rt, "aws:lb/listenerRule:ListenerRule")
        .filter((r) => r.inputs.listenerArn === https.state.arn)
        .sort((a, b) => Number(a.inputs.priority) - Number(b.inputs.priority));
    const matches = (pattern: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(path);
    for (const rule of rules) {
        const conditions = rule.inputs.conditions as Condition[];
        if (conditions.every((c) => c.pathPattern?.values.some(matches))) {
            const action = (rule.inputs.actions as Action[])[0];
            return action.type === "forward" ? action.targetGroupArn! : `${action.type} ${action.fixedResponse?.statusCode ?? ""}`;
        }
    }
    return (https.inputs.defaultActions as Action[])[0].targetGroupArn!;
}

describe("LoadBalancer", () => {
    let rt: MockRuntime;
    before(async () => {
        rt = (await buildCluster()).rt;
    });

    it("sends Matomo's tracking endpoints and tracker scripts to the tracker group, everything else to the ui group", () => {
        const tracker = targetGroup(rt, "tracker").state.arn;
        const ui = targetGroup(rt, "ui").state.arn;
        for (const path of ["/matomo.php", "/piwik.php", "/matomo.js", "/piwik.js", "/js/", "/js/index.php", "/js/tracker.php"]) {
            assert.equal(route(rt, path), tracker, path);
        }
        for (const path of ["/", "/index.php", "/plugins/Morpheus/images/logo.svg", "/matomo.php.bak", "/misc/matomo.php", "/jsx"]) {
            assert.equal(route(rt, path), ui, path);
        }
        assert.equal(route(rt, HEALTH_CHECK_PATH), "fixed-response 404");
    });

    it("keeps every rule within ALB limits: at most 3 values per condition, 5 match evaluations and 5 wildcards per rule, unique priorities from 1 to 50000", () => {
        // ELB user guide, "Condition types for listener rules": "You can specify up to three match evaluations per
        // condition", "up to five match evaluations per rule", "a limit of five wildcard characters per rule".
        const rules = of(rt, "aws:lb/listenerRule:ListenerRule");
        assert.ok(rules.length > 0);
        const priorities = rules.map((r) => Number(r.inputs.priority));
        assert.equal(new Set(priorities).size, priorities.length);
        for (const rule of rules) {
            const priority = Number(rule.inputs.priority);
            assert.ok(Number.isInteger(priority) && priority >= 1 && priority <= 50000, `priority ${priority}`);
            const conditions = rule.inputs.conditions as Condition[];
            for (const c of conditions) {
                const values = c.pathPattern?.values ?? [];
                assert.ok(values.length >= 1 && values.length <= 3, `${values.length} values in one condition of ${rule.name}`);
            }
            const all = conditions.flatMap((c) => c.pathPattern?.values ?? []);
            assert.ok(all.length <= 5, `${all.length} match evaluations in ${rule.name}`);
            const wildcards = all
                .join("")
                .split("")
                .filter((ch) => ch === "*" || ch === "?").length;
            assert.ok(wildcards <= 5, `${wildcards} wildcards in ${rule.name}`);
        }
    });

    it("answers the health path from the internet with a fixed 404 before any forward (the ALB's own checks go to targets directly)", () => {
        const https = of(rt, "aws:lb/listener:Listener").find((l) => l.inputs.port === 443)!;
        const rules = of(rt, "aws:lb/listenerRule:ListenerRule")
            .filter((r) => r.inputs.listenerArn === https.state.arn)
            .sort((a, b) => Number(a.inputs.priority) - Number(b.inputs.priority));
        const first = rules[0];
        assert.equal((first.inputs.conditions as Condition[]).length, 1);
        for (const spelling of [HEALTH_CHECK_PATH, `/${HEALTH_CHECK_PATH}`, `/js/..${HEALTH_CHECK_PATH}`, `${HEALTH_CHECK_PATH}/`]) {
            assert.equal(route(rt, spelling), "fixed-response 404", spelling);
        }
        const actions = first.inputs.actions as { type: string; fixedResponse?: { statusCode: string; contentType: string } }[];
        assert.equal(actions.length, 1);
        assert.equal(actions[0].type, "fixed-response");
        assert.equal(actions[0].fixedResponse!.statusCode, "404");
        assert.equal(actions[0].fixedResponse!.contentType, "text/plain");
        // The target group still checks that path on the nodes.
        assert.equal((targetGroup(rt, "ui").inputs.healthCheck as { path: string }).path, HEALTH_CHECK_PATH);
    });

    it("tells browsers to use HTTPS only for this host (HSTS one year, no includeSubDomains or preload)", () => {
        const https = of(rt, "aws:lb/listener:Listener").find((l) => l.inputs.port === 443)!;
        assert.equal(https.inputs.routingHttpResponseStrictTransportSecurityHeaderValue, "max-age=31536000");
        const http = of(rt, "aws:lb/listener:Listener").find((l) => l.inputs.port === 80)!;
        assert.equal(
            http.inputs.routingHttpResponseStrictTransportSecurityHeaderValue,
            undefined,
            "HSTS over plain HTTP is ignored by browsers (RFC 6797 8.1)",
        );
    });

    it("serves HTTPS with TLS 1.3/1.2 policy and answers HTTP only with a 301 to HTTPS", () => {
        const listeners = of(rt, "aws:lb/listener:Listener");
        assert.deepEqual(listeners.map((l) => l.inputs.port).sort(), [443, 80]);
        const https = listeners.find((l) => l.inputs.port === 443)!;
        assert.equal(https.inputs.protocol, "HTTPS");
        assert.equal(https.inputs.sslPolicy, "ELBSecurityPolicy-TLS13-1-2-2021-06");
        const http = listeners.find((l) => l.inputs.port === 80)!;
        const actions = http.inputs.defaultActions as Action[];
        assert.equal(actions.length, 1);
        assert.equal(actions[0].type, "redirect");
        assert.equal(actions[0].redirect!.protocol, "HTTPS");
        assert.equal(actions[0].redirect!.port, "443");
        assert.equal(actions[0].redirect!.statusCode, "HTTP_301");
        assert.equal(of(rt, "aws:lb/listenerRule:ListenerRule").filter((r) => r.inputs.listenerArn === http.state.arn).length, 0);
    });

    it("drops invalid header fields and appends to X-Forwarded-For (config reads its last entry)", () => {
        const lb = one(rt, "aws:lb/loadBalancer:LoadBalancer");
        assert.equal(lb.inputs.dropInvalidHeaderFields, true);
        assert.equal(lb.inputs.xffHeaderProcessingMode, "append");
        assert.equal(lb.inputs.internal, false);
        assert.equal(lb.inputs.loadBalancerType, "application");
    });

    it("health-checks the provisioning's readiness path within AWS's ranges on both groups", () => {
        for (const role of ["tracker", "ui"]) {
            const hc = targetGroup(rt, role).inputs.healthCheck as Record<string, number | string | boolean>;
            assert.equal(hc.path, HEALTH_CHECK_PATH);
            assert.equal(hc.matcher, "200");
            const interval = Number(hc.interval);
            const timeout = Number(hc.timeout);
            assert.ok(interval >= 5 && interval <= 300);
            assert.ok(timeout >= 2 && timeout <= 120 && timeout < interval);
            for (const t of [hc.healthyThreshold, hc.unhealthyThreshold]) assert.ok(Number(t) >= 2 && Number(t) <= 10);
        }
    });

    it("names the load balancer and target groups as ELB allows", () => {
        const lbName = String(one(rt, "aws:lb/loadBalancer:LoadBalancer").inputs.name);
        assert.ok(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/.test(lbName) && !lbName.startsWith("internal-"), lbName);
        for (const tg of of(rt, "aws:lb/targetGroup:TargetGroup")) {
            // name_prefix: at most 6 characters (AWS appends a unique suffix within the 32-character limit).
            const prefix = String(tg.inputs.namePrefix);
            assert.ok(prefix.length <= 6 && /^[A-Za-z0-9][A-Za-z0-9-]*$/.test(prefix), prefix);
        }
    });

    it("issues a DNS-validated certificate in the given zone and points the domain at the load balancer", () => {
        const cert = one(rt, "aws:acm/certificate:Certificate");
        assert.equal(cert.inputs.domainName, "analytics.example.com");
        assert.equal(cert.inputs.validationMethod, "DNS");
        const validation = one(rt, "aws:acm/certificateValidation:CertificateValidation");
        const https = of(rt, "aws:lb/listener:Listener").find((l) => l.inputs.port === 443)!;
        assert.equal(https.inputs.certificateArn, validation.state.certificateArn);
        const records = of(rt, "aws:route53/record:Record");
        assert.ok(records.every((r) => r.inputs.zoneId === "Z0123456789ABCDEFGHIJ"));
        const alias = records.find((r) => r.inputs.type === "A")!;
        const lb = one(rt, "aws:lb/loadBalancer:LoadBalancer");
        assert.equal(alias.inputs.name, "analytics.example.com");
        assert.deepEqual(
            (alias.inputs.aliases as { name: string }[]).map((a) => a.name),
            [lb.state.dnsName],
        );
    });

    it("uses a given certificate ARN and creates no certificate or DNS record without a zone", async () => {
        const arn = "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
        const { rt: byo } = await buildCluster({
            domain: BASE_ARGS.domain,
            certificateArn: arn,
            superUser: BASE_ARGS.superUser,
            ingressCidrs: ["203.0.113.0/24"],
        });
        assert.equal(of(byo, "aws:acm/certificate:Certificate").length, 0);
        assert.equal(of(byo, "aws:route53/record:Record").length, 0);
        assert.equal(of(byo, "aws:lb/listener:Listener").find((l) => l.inputs.port === 443)!.inputs.certificateArn, arn);
        const lbSg = (one(byo, "aws:lb/loadBalancer:LoadBalancer").inputs.securityGroups as string[])[0];
        assert.ok(of(byo, "aws:ec2/securityGroup:SecurityGroup").some((sg) => idOf(sg) === lbSg));
        const cidrs = of(byo, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
            .filter((r) => r.inputs.securityGroupId === lbSg)
            .map((r) => r.inputs.cidrIpv4);
        assert.deepEqual([...new Set(cidrs)], ["203.0.113.0/24"]);
    });

    it("turns on sticky sessions for the tracker group only with QueuedTracking", async () => {
        const plain = (targetGroup(rt, "tracker").inputs.stickiness as { enabled: boolean }).enabled;
        assert.equal(plain, false);
        const { rt: queued } = await buildCluster({ ...BASE_ARGS, queuedTracking: { enabled: true, pluginSha256: "c".repeat(64) } });
        assert.equal((targetGroup(queued, "tracker").inputs.stickiness as { enabled: boolean }).enabled, true);
        assert.equal((targetGroup(queued, "ui").inputs.stickiness as { enabled: boolean }).enabled, false);
    });
});
