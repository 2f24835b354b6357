/**
 * LoadBalancer: the internet-facing ALB. HTTPS only (HTTP answers with a 301 to HTTPS), TLS 1.3
 * and 1.2, invalid header fields dropped, X-Forwarded-For appended to (config.ini.php reads its
 * last entry). Tracker paths go to the tracker target group, everything else to the ui group.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { resolveLoadBalancerComponentArgs, type AccessLogsArgs, type HealthCheckArgs } from "../settings";
import { physicalName, NAME_LIMITS } from "./naming";
import { childOpts, primaryChildOpts, withOverride, type Tags } from "./options";

// Generated from the schema (lib/settings/components.ts) with every other argument type (npm run generate).
import type { LoadBalancerArgs } from "./componentArgs.generated";
export type { LoadBalancerArgs };

// Generated from the schema with the cluster's arguments (lib/settings/args.generated.ts).
export type { AccessLogsArgs, HealthCheckArgs };

/** TLS 1.3 and 1.2 only, forward-secret ciphers (Elastic Load Balancing's recommended policy). */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/**
 * Paths that go to the tracker group: Matomo's tracking endpoints and tracker script, under
 * their current and legacy (piwik) names, and the `js/` directory that serves both (used to
 * dodge ad blockers). One rule per group of paths: a path-pattern condition takes at most 3 values
 * (lib/model/awsLimits.ts, `elb.listenerRule.valuesPerCondition`), and a rule at most one such condition.
 */
export const TRACKER_PATH_GROUPS: readonly (readonly string[])[] = [
    ["/matomo.php", "/piwik.php", "/matomo.js"],
    ["/piwik.js", "/js", "/js/*"],
];

/**
 * Strict-Transport-Security on every HTTPS response: one year, this host only. No `includeSubDomains`
 * (it would force HTTPS on the user's other subdomains, which this stack does not serve) and no
 * `preload` (a request to browser vendors that is hard to take back).
 */
export const HSTS_HEADER_VALUE = "max-age=31536000";

/** The internet-facing HTTPS load balancer: tracker paths to the tracker target group, everything else to the ui group. */
export class LoadBalancer extends pulumi.ComponentResource {
    /** The Application Load Balancer. */
    readonly loadBalancer: aws.lb.LoadBalancer;
    /** Target group of the tracker nodes (the paths in `TRACKER_PATH_GROUPS`). */
    readonly trackerTargetGroup: aws.lb.TargetGroup;
    /** Target group of the ui nodes (every other path). */
    readonly uiTargetGroup: aws.lb.TargetGroup;
    /** The HTTPS (443) listener. */
    readonly httpsListener: aws.lb.Listener;
    /** The load balancer's security group: link it to the node groups with `allowTcp` on port 80. */
    readonly securityGroupId: pulumi.Output<string>;
    /** The load balancer's DNS name. */
    readonly dnsName: pulumi.Output<string>;
    /** The load balancer's Route 53 hosted zone id, for alias records. */
    readonly zoneId: pulumi.Output<string>;
    /** ARN of the certificate the HTTPS listener serves (given or issued). */
    readonly certificateArn: pulumi.Output<string>;
    /** `https://<domain>`. */
    readonly url: pulumi.Output<string>;

    constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
        const r = resolveLoadBalancerComponentArgs(args);
        const hc = r.healthCheck;
        const ingressCidrs = r.ingressCidrs;
        const createDnsRecord = r.createDnsRecord;
        const idleTimeout = r.idleTimeoutSeconds;
        super("matomo:aws:LoadBalancer", name, {}, opts);
        const tags = args.tags ?? {};

        const sg = createLoadBalancerSecurityGroup(name, args, ingressCidrs, tags, this);

        this.loadBalancer = new aws.lb.LoadBalancer(
            `${name}-alb`,
            withOverride<aws.lb.LoadBalancerArgs>(
                {
                    name: physicalName(name, "alb", NAME_LIMITS.loadBalancer),
                    loadBalancerType: "application",
                    internal: false,
                    ipAddressType: "ipv4",
                    subnets: args.subnetIds,
                    securityGroups: [sg.id],
                    dropInvalidHeaderFields: true,
                    xffHeaderProcessingMode: "append",
                    desyncMitigationMode: "defensive",
                    enableHttp2: true,
                    idleTimeout,
                    enableDeletionProtection: r.deletionProtection,
                    accessLogs: args.accessLogs ? { enabled: true, bucket: args.accessLogs.bucket, prefix: args.accessLogs.prefix } : undefined,
                    tags,
                },
                args.loadBalancer,
            ),
            primaryChildOpts(this, opts, args.loadBalancer),
        );

        const certificateArn =
            args.certificateArn !== undefined ? pulumi.output(args.certificateArn) : issueCertificate(name, r.domain, args, tags, this, opts?.customTimeouts);

        const targetGroup = (role: "tracker" | "ui", sticky: boolean) => createTargetGroup(name, role, sticky, args, hc, tags, this);
        this.trackerTargetGroup = targetGroup("tracker", args.stickyTrackers ?? false);
        this.uiTargetGroup = targetGroup("ui", false);

        this.httpsListener = createListeners(
            name,
            args,
            { loadBalancer: this.loadBalancer, certificateArn, trackerTargetGroup: this.trackerTargetGroup, uiTargetGroup: this.uiTargetGroup },
            tags,
            this,
        );

        if (createDnsRecord) {
            new aws.route53.Record(
                `${name}-alias`,
                {
                    zoneId: args.hostedZoneId as pulumi.Input<string>,
                    name: r.domain,
                    type: "A",
                    aliases: [{ name: this.loadBalancer.dnsName, zoneId: this.loadBalancer.zoneId, evaluateTargetHealth: true }],
                },
                childOpts(this),
            );
        }

        this.securityGroupId = sg.id;
        this.dnsName = this.loadBalancer.dnsName;
        this.zoneId = this.loadBalancer.zoneId;
        this.certificateArn = certificateArn;
        this.url = pulumi.interpolate`https://${r.domain}`;
        this.registerOutputs({ dnsName: this.dnsName, securityGroupId: this.securityGroupId, certificateArn: this.certificateArn, url: this.url });
    }
}

/** The arguments with the component's defaults filled in. */
type ResolvedLoadBalancerArgs = ReturnType<typeof resolveLoadBalancerComponentArgs>;

/** The load balancer's security group: HTTPS and HTTP (redirected) from each allowed range. */
function createLoadBalancerSecurityGroup(
    name: string,
    args: LoadBalancerArgs,
    ingressCidrs: ResolvedLoadBalancerArgs["ingressCidrs"],
    tags: Tags,
    parent: pulumi.Resource,
): aws.ec2.SecurityGroup {
    const sg = new aws.ec2.SecurityGroup(
        `${name}-sg`,
        { vpcId: args.vpcId, description: "Matomo load balancer: HTTP and HTTPS from the allowed ranges", tags: { ...tags, Name: `${name}-alb` } },
        childOpts(parent),
    );
    ingressCidrs.forEach((cidr, i) => {
        for (const port of [443, 80]) {
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-in-${port}-${i + 1}`,
                {
                    securityGroupId: sg.id,
                    cidrIpv4: cidr,
                    ipProtocol: "tcp",
                    fromPort: port,
                    toPort: port,
                    description: port === 443 ? "HTTPS" : "HTTP (redirected to HTTPS)",
                    tags,
                },
                childOpts(parent),
            );
        }
    });
    return sg;
}

/** A certificate for `domain` from ACM, validated through a DNS record in the hosted zone; its ARN once validated. */
function issueCertificate(
    name: string,
    domain: pulumi.Input<string>,
    args: LoadBalancerArgs,
    tags: Tags,
    parent: pulumi.Resource,
    customTimeouts: pulumi.CustomTimeouts | undefined,
): pulumi.Output<string> {
    const zoneId = args.hostedZoneId as pulumi.Input<string>;
    const cert = new aws.acm.Certificate(`${name}-cert`, { domainName: domain, validationMethod: "DNS", tags }, childOpts(parent));
    const option = cert.domainValidationOptions.apply((o) => o[0]);
    const record = new aws.route53.Record(
        `${name}-cert-validation`,
        {
            zoneId,
            name: option.resourceRecordName,
            type: option.resourceRecordType,
            records: [option.resourceRecordValue],
            ttl: 300,
            allowOverwrite: true,
        },
        childOpts(parent),
    );
    const validation = new aws.acm.CertificateValidation(
        `${name}-cert`,
        { certificateArn: cert.arn, validationRecordFqdns: [record.fqdn] },
        primaryChildOpts(parent, { customTimeouts }),
    );
    return validation.certificateArn;
}

/** One role's target group, health checked on the readiness path. */
function createTargetGroup(
    name: string,
    role: "tracker" | "ui",
    sticky: boolean,
    args: LoadBalancerArgs,
    hc: ResolvedLoadBalancerArgs["healthCheck"],
    tags: Tags,
    parent: pulumi.Resource,
): aws.lb.TargetGroup {
    return new aws.lb.TargetGroup(
        `${name}-${role}`,
        withOverride<aws.lb.TargetGroupArgs>(
            {
                // A prefix, not a name: a replaced group must coexist with the old one while the listener moves over.
                namePrefix: role === "tracker" ? "mtrk-" : "mui-",
                vpcId: args.vpcId,
                port: 80,
                protocol: "HTTP",
                protocolVersion: "HTTP1",
                targetType: "instance",
                deregistrationDelay: role === "tracker" ? 30 : 60,
                healthCheck: {
                    enabled: true,
                    protocol: "HTTP",
                    port: "traffic-port",
                    path: args.healthCheckPath,
                    matcher: "200",
                    interval: hc.intervalSeconds,
                    timeout: hc.timeoutSeconds,
                    healthyThreshold: hc.healthyThreshold,
                    unhealthyThreshold: hc.unhealthyThreshold,
                },
                stickiness: sticky ? { enabled: true, type: "lb_cookie", cookieDuration: 86400 } : { enabled: false, type: "lb_cookie" },
                tags: { ...tags, "matomo:role": role },
            },
            args.targetGroup,
        ),
        childOpts(parent, args.targetGroup),
    );
}

/** HTTP redirects to HTTPS; HTTPS forwards tracker paths to the trackers and everything else to the ui. Returns the HTTPS listener. */
function createListeners(
    name: string,
    args: LoadBalancerArgs,
    to: { loadBalancer: aws.lb.LoadBalancer; certificateArn: pulumi.Output<string>; trackerTargetGroup: aws.lb.TargetGroup; uiTargetGroup: aws.lb.TargetGroup },
    tags: Tags,
    parent: pulumi.Resource,
): aws.lb.Listener {
    new aws.lb.Listener(
        `${name}-http`,
        {
            loadBalancerArn: to.loadBalancer.arn,
            port: 80,
            protocol: "HTTP",
            defaultActions: [
                {
                    type: "redirect",
                    redirect: { protocol: "HTTPS", port: "443", host: "#{host}", path: "/#{path}", query: "#{query}", statusCode: "HTTP_301" },
                },
            ],
            tags,
        },
        childOpts(parent),
    );
    const httpsListener = new aws.lb.Listener(
        `${name}-https`,
        {
            loadBalancerArn: to.loadBalancer.arn,
            port: 443,
            protocol: "HTTPS",
            sslPolicy: TLS_POLICY,
            certificateArn: to.certificateArn,
            defaultActions: [{ type: "forward", targetGroupArn: to.uiTargetGroup.arn }],
            // The load balancer adds the header to every response it sends, whichever node answered.
            routingHttpResponseStrictTransportSecurityHeaderValue: HSTS_HEADER_VALUE,
            tags,
        },
        childOpts(parent),
    );
    // The readiness path answers only the load balancer's own health checks, which go to the targets
    // directly and never through a listener: from the internet it is a 404, before any forward. The
    // wildcard form also catches spellings nginx would normalise to the same file (`//x`, `/a/../x`, `x/`).
    new aws.lb.ListenerRule(
        `${name}-health-hidden`,
        {
            listenerArn: httpsListener.arn,
            priority: 1,
            conditions: [{ pathPattern: { values: [args.healthCheckPath, `*${args.healthCheckPath}*`] } }],
            actions: [{ type: "fixed-response", fixedResponse: { statusCode: "404", contentType: "text/plain", messageBody: "Not Found" } }],
            tags,
        },
        childOpts(parent),
    );
    TRACKER_PATH_GROUPS.forEach((paths, i) => {
        new aws.lb.ListenerRule(
            `${name}-tracker-${i + 1}`,
            {
                listenerArn: httpsListener.arn,
                priority: 10 * (i + 1),
                conditions: [{ pathPattern: { values: [...paths] } }],
                actions: [{ type: "forward", targetGroupArn: to.trackerTargetGroup.arn }],
                tags,
            },
            childOpts(parent),
        );
    });
    return httpsListener;
}
