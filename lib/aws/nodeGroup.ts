/**
 * NodeGroup: one role's servers (tracker or ui). A launch template (Debian 12, IMDSv2 only,
 * encrypted gp3 root, the role's user data, the config sha256 as a tag), an instance role that
 * may read only the cluster's secrets and talk to SSM Session Manager (no SSH, no key pair), and
 * an autoscaling group in private subnets that takes HTTP only from the load balancer's group.
 *
 * A changed config changes the user data and the `matomo:config-sha256` tag, so the template gets
 * a new version; the group follows `$Latest`-by-number and AWS rolls it with an instance refresh
 * that launches replacements before it stops old nodes (by default), so capacity never drops.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { resolveNodeGroupComponentArgs, type InstanceRefreshArgs } from "../settings";
import { DebianImage } from "./image";
import { physicalPrefix, NAME_LIMITS } from "./naming";
import { serviceAssumeRolePolicy } from "./iam";
import { childOpts, primaryChildOpts, withOverride, type Tags } from "./options";

// Generated from the schema (lib/settings/components.ts) with every other argument type (npm run generate).
import type { NodeGroupArgs } from "./componentArgs.generated";
export type { NodeGroupArgs };

// Generated from the schema with the cluster's arguments (lib/settings/args.generated.ts).
export type { InstanceRefreshArgs };
/** Tag on the launch template and every instance: the sha256 of the config the node writes. */
export const CONFIG_SHA256_TAG = "matomo:config-sha256";
/** What the node role may do in Systems Manager: exactly what a Session Manager session needs. */
export const SESSION_MANAGER_ACTIONS: readonly string[] = [
    "ssm:UpdateInstanceInformation",
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
];
/** What a node may do with its role's provisioning bundle object: read it, by version. */
export const BUNDLE_READ_ACTIONS: readonly string[] = ["s3:GetObject", "s3:GetObjectVersion"];
/** TCP ports every node may reach anywhere (0.0.0.0/0): HTTPS and HTTP. */
export const NODE_EGRESS_PORTS: readonly number[] = [443, 80];

/** Egress to the internet on NODE_EGRESS_PORTS only, one rule per port named `<prefix>-<port>` (nodes and the image build instance). */
export function allowNodeEgress(prefix: string, sg: aws.ec2.SecurityGroup, tags: Tags, parent: pulumi.Resource): void {
    for (const port of NODE_EGRESS_PORTS) {
        new aws.vpc.SecurityGroupEgressRule(
            `${prefix}-${port}`,
            {
                securityGroupId: sg.id,
                cidrIpv4: "0.0.0.0/0",
                ipProtocol: "tcp",
                fromPort: port,
                toPort: port,
                description: port === 443 ? "HTTPS: AWS APIs, Matomo release" : "HTTP: Debian package mirrors",
                tags,
            },
            childOpts(parent),
        );
    }
}
/** Seconds a node launched by a scale-out takes before it carries load: its first boot, at most. */
export const SCALE_OUT_WARMUP_SECONDS = 900;

/** One role's servers: launch template, instance role and autoscaling group in private subnets. */
export class NodeGroup extends pulumi.ComponentResource {
    /** The launch template (a new version per config or user data change). */
    readonly launchTemplate: aws.ec2.LaunchTemplate;
    /** The autoscaling group. */
    readonly autoScalingGroup: aws.autoscaling.Group;
    /** The target-tracking policy, when `targetCpuUtilization` is given. */
    readonly scalingPolicy?: aws.autoscaling.Policy;
    /** The nodes' IAM role: attach your own policies to it. */
    readonly role: aws.iam.Role;
    /** The nodes' security group (no ingress until linked with `allowTcp`). */
    readonly securityGroupId: pulumi.Output<string>;
    /** The autoscaling group's name. */
    readonly groupName: pulumi.Output<string>;
    /** The AMI the nodes boot. */
    readonly imageId: pulumi.Output<string>;

    constructor(name: string, args: NodeGroupArgs, opts?: pulumi.ComponentResourceOptions) {
        const r = resolveNodeGroupComponentArgs(args);
        super("matomo:aws:NodeGroup", name, {}, opts);
        const tags = { ...(args.tags ?? {}), "matomo:role": args.role };

        const sg = createNodeSecurityGroup(name, args, tags, this);
        const { role, profile } = createNodeRole(name, args, tags, this);
        this.role = role;
        // A given image is used as is; otherwise Debian's, resolved once and kept (see DebianImage).
        const imageId =
            args.amiId !== undefined
                ? pulumi.output(args.amiId)
                : new DebianImage(`${name}-image`, { architecture: r.architecture, generation: r.amiGeneration, tags }, { parent: this }).imageId;
        this.launchTemplate = createLaunchTemplate(name, args, r, { imageId, profile, securityGroup: sg, tags }, this);
        this.autoScalingGroup = createAutoScalingGroup(
            name,
            args,
            r,
            this.launchTemplate,
            tags,
            scalingGroupOpts(primaryChildOpts(this, opts, args.autoScalingGroup), r.targetCpuUtilization !== undefined),
        );
        if (r.targetCpuUtilization !== undefined) this.scalingPolicy = createScalingPolicy(name, r, r.targetCpuUtilization, this.autoScalingGroup, this);

        this.securityGroupId = sg.id;
        this.groupName = this.autoScalingGroup.name;
        this.imageId = imageId;
        this.registerOutputs({ groupName: this.groupName, securityGroupId: this.securityGroupId, launchTemplateId: this.launchTemplate.id });
    }
}

/** The arguments with the component's defaults filled in. */
type ResolvedNodeGroupArgs = ReturnType<typeof resolveNodeGroupComponentArgs>;

/** The nodes' security group, with egress to the internet on NODE_EGRESS_PORTS only. */
function createNodeSecurityGroup(name: string, args: NodeGroupArgs, tags: Tags, parent: pulumi.Resource): aws.ec2.SecurityGroup {
    const sg = new aws.ec2.SecurityGroup(
        `${name}-sg`,
        { vpcId: args.vpcId, description: `Matomo ${args.role} nodes: HTTP from the load balancer only`, tags: { ...tags, Name: `${name}-nodes` } },
        childOpts(parent),
    );
    // No ingress here: whoever places the group behind a load balancer links the two with `allowTcp`
    // (MatomoCluster does, on port 80). A second identical rule would be refused by EC2 as a duplicate.
    // Outbound: HTTPS for Secrets Manager, SSM, Matomo's release and signature; HTTP for Debian's package mirrors (apt verifies signatures).
    allowNodeEgress(`${name}-out`, sg, tags, parent);
    return sg;
}

/** The nodes' instance role and profile: Session Manager, the role's secrets, its log groups and metrics, its bundle. */
function createNodeRole(name: string, args: NodeGroupArgs, tags: Tags, parent: pulumi.Resource): { role: aws.iam.Role; profile: aws.iam.InstanceProfile } {
    const role = new aws.iam.Role(
        `${name}-role`,
        {
            namePrefix: physicalPrefix(name, "role", NAME_LIMITS.iamRoleNamePrefix),
            description: `Matomo ${args.role} nodes: read the role's secrets and provisioning bundle, SSM Session Manager`,
            assumeRolePolicy: serviceAssumeRolePolicy("ec2.amazonaws.com"),
            tags,
        },
        childOpts(parent),
    );
    // Session Manager only, as AWS documents a custom instance role for it ("Create a custom IAM role for
    // Session Manager"; the same five actions as the managed AWSCloud9SSMInstanceProfile), rather than
    // AmazonSSMManagedInstanceCore, which also grants ssm:GetParameter(s) on every parameter of the account,
    // Run Command and State Manager. No S3/CloudWatch/KMS statements: session logging and KMS session
    // encryption are off by default and would need them.
    new aws.iam.RolePolicy(
        `${name}-session-manager`,
        {
            namePrefix: physicalPrefix(name, "session-manager", NAME_LIMITS.iamRolePolicyNamePrefix),
            role: role.id,
            policy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Sid: "SessionManager", Effect: "Allow", Action: [...SESSION_MANAGER_ACTIONS], Resource: "*" }],
            }),
        },
        childOpts(parent),
    );
    new aws.iam.RolePolicy(
        `${name}-secrets`,
        {
            namePrefix: physicalPrefix(name, "secrets", NAME_LIMITS.iamRolePolicyNamePrefix),
            role: role.id,
            policy: pulumi
                .all([
                    pulumi.all(args.secretArns),
                    pulumi.all(args.secretKmsKeyArns ?? []),
                    aws.getRegionOutput({}, { parent }).region,
                    aws.getPartitionOutput({}, { parent }).dnsSuffix,
                ])
                .apply(([arns, keyArns, region, dnsSuffix]) => secretsPolicy(arns, keyArns, `secretsmanager.${region}.${dnsSuffix}`)),
        },
        childOpts(parent),
    );
    // Observability: write streams in the cluster's own log groups, and metrics in one namespace only.
    if (args.logGroupArns !== undefined || args.metricNamespace !== undefined) {
        new aws.iam.RolePolicy(
            `${name}-observability`,
            {
                namePrefix: physicalPrefix(name, "observability", NAME_LIMITS.iamRolePolicyNamePrefix),
                role: role.id,
                policy: pulumi.all(args.logGroupArns ?? []).apply((arns) => observabilityPolicy(arns, args.metricNamespace)),
            },
            childOpts(parent),
        );
    }
    if (args.bundleObjectArn !== undefined) {
        // The one object user data names. GetObjectVersion is what the boot uses (GetObject API reference:
        // "If you include a versionId in your request header, you must have the s3:GetObjectVersion
        // permission ... The s3:GetObject permission is not required in this scenario"); GetObject lets
        // an operator on the node read the current version of the same object, and nothing more.
        new aws.iam.RolePolicy(
            `${name}-bundle`,
            {
                namePrefix: physicalPrefix(name, "bundle", NAME_LIMITS.iamRolePolicyNamePrefix),
                role: role.id,
                policy: pulumi.output(args.bundleObjectArn).apply((arn) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [{ Sid: "ReadProvisioningBundle", Effect: "Allow", Action: [...BUNDLE_READ_ACTIONS], Resource: arn }],
                    }),
                ),
            },
            childOpts(parent),
        );
    }
    const profile = new aws.iam.InstanceProfile(
        `${name}-profile`,
        { namePrefix: physicalPrefix(name, "profile", NAME_LIMITS.iamRoleNamePrefix), role: role.name, tags },
        childOpts(parent),
    );
    return { role, profile };
}

/** Read the role's secrets; with customer-managed keys, decrypt through Secrets Manager only (`viaService`). */
function secretsPolicy(secretArns: string[], kmsKeyArns: string[], viaService: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            { Sid: "ReadClusterSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [...new Set(secretArns)].sort() },
            // A secret under a customer-managed key is decrypted by Secrets Manager with the caller's permissions.
            ...(kmsKeyArns.length > 0
                ? [
                      {
                          Sid: "DecryptClusterSecrets",
                          Effect: "Allow",
                          Action: ["kms:Decrypt"],
                          Resource: [...new Set(kmsKeyArns)].sort(),
                          Condition: { StringEquals: { "kms:ViaService": viaService } },
                      },
                  ]
                : []),
        ],
    });
}

/** Write streams in the cluster's own log groups, and metrics in one namespace only. */
function observabilityPolicy(logGroupArns: string[], metricNamespace: string | undefined): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            ...(logGroupArns.length > 0
                ? [
                      {
                          Sid: "ShipLogs",
                          Effect: "Allow",
                          Action: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
                          Resource: [...new Set(logGroupArns)].sort().flatMap((arn) => [arn, `${arn}:log-stream:*`]),
                      },
                  ]
                : []),
            ...(metricNamespace !== undefined
                ? [
                      {
                          Sid: "PublishMetrics",
                          Effect: "Allow",
                          Action: ["cloudwatch:PutMetricData"],
                          // PutMetricData takes no resource; the namespace condition is how AWS scopes it.
                          Resource: "*",
                          Condition: { StringEquals: { "cloudwatch:namespace": metricNamespace } },
                      },
                  ]
                : []),
        ],
    });
}

/** The launch template: the image, the role's user data and instance profile, IMDSv2 only, an encrypted gp3 root. */
function createLaunchTemplate(
    name: string,
    args: NodeGroupArgs,
    r: ResolvedNodeGroupArgs,
    parts: { imageId: pulumi.Output<string>; profile: aws.iam.InstanceProfile; securityGroup: aws.ec2.SecurityGroup; tags: Tags },
    parent: pulumi.Resource,
): aws.ec2.LaunchTemplate {
    const { imageId, profile, tags } = parts;
    const sg = parts.securityGroup;
    const rootDeviceName = pulumi.output(args.rootDeviceName ?? "/dev/xvda");
    const configTags = { "matomo:role": args.role, [CONFIG_SHA256_TAG]: args.configSha256 };
    return new aws.ec2.LaunchTemplate(
        `${name}-lt`,
        withOverride<aws.ec2.LaunchTemplateArgs>(
            {
                namePrefix: physicalPrefix(name, "lt", NAME_LIMITS.launchTemplateNamePrefix),
                description: `Matomo ${args.role} node`,
                imageId,
                instanceType: args.instanceType,
                userData: args.userData,
                iamInstanceProfile: { arn: profile.arn },
                vpcSecurityGroupIds: [sg.id],
                metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
                blockDeviceMappings: [
                    { deviceName: rootDeviceName, ebs: { volumeType: "gp3", volumeSize: r.rootVolumeGiB, encrypted: "true", deleteOnTermination: "true" } },
                ],
                // Detailed (1-minute) EC2 metrics only where a policy scales on them: target tracking on basic
                // monitoring reacts to 5-minute averages. Billed per metric (docs/aws.md, "Tracker scaling").
                monitoring: { enabled: r.targetCpuUtilization !== undefined },
                updateDefaultVersion: true,
                // Only role and config hash here: user tags reach instances through the group, so a tag edit never rolls nodes.
                tagSpecifications: [
                    { resourceType: "instance", tags: configTags },
                    { resourceType: "volume", tags: configTags },
                ],
                tags: { ...tags, [CONFIG_SHA256_TAG]: args.configSha256 },
            },
            args.launchTemplate,
        ),
        childOpts(parent, args.launchTemplate),
    );
}

/** The autoscaling group behind the role's target groups, rolled by an instance refresh when the template changes. */
function createAutoScalingGroup(
    name: string,
    args: NodeGroupArgs,
    r: ResolvedNodeGroupArgs,
    launchTemplate: aws.ec2.LaunchTemplate,
    tags: Tags,
    opts: pulumi.CustomResourceOptions,
): aws.autoscaling.Group {
    return new aws.autoscaling.Group(
        `${name}-asg`,
        withOverride<aws.autoscaling.GroupArgs>(
            {
                namePrefix: physicalPrefix(name, "asg", NAME_LIMITS.autoScalingGroupNamePrefix),
                vpcZoneIdentifiers: args.subnetIds,
                minSize: r.minSize,
                maxSize: r.maxSize,
                desiredCapacity: r.desiredCapacity,
                launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply((v) => String(v)) },
                targetGroupArns: args.targetGroupArns,
                healthCheckType: "ELB",
                healthCheckGracePeriod: r.healthCheckGracePeriodSeconds,
                instanceRefresh: {
                    strategy: "Rolling",
                    preferences: {
                        minHealthyPercentage: r.instanceRefresh.minHealthyPercentage,
                        maxHealthyPercentage: r.instanceRefresh.maxHealthyPercentage,
                        instanceWarmup: String(r.instanceRefresh.instanceWarmupSeconds),
                        skipMatching: false,
                    },
                },
                waitForCapacityTimeout: "20m",
                tags: Object.entries(tags)
                    .sort(([a], [b]) => a.localeCompare(b))
                    .map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
            },
            args.autoScalingGroup,
        ),
        opts,
    );
}

/** Target tracking on the group's average CPU. */
function createScalingPolicy(
    name: string,
    r: ResolvedNodeGroupArgs,
    targetCpuUtilization: number,
    group: aws.autoscaling.Group,
    parent: pulumi.Resource,
): aws.autoscaling.Policy {
    // CPU, not ALBRequestCountPerTarget: tracking is CPU-bound PHP, and a request-count target
    // would have to be re-tuned for every instance type and for QueuedTracking's cheaper hits.
    return new aws.autoscaling.Policy(
        `${name}-cpu`,
        {
            autoscalingGroupName: group.name,
            policyType: "TargetTrackingScaling",
            // A new node's first boot (packages, Matomo) is not load: count it only after the health check grace period,
            // or after 15 minutes when the grace period is longer (trackers': it also covers an upgrade's wait for the
            // ui, which a scale-out never has).
            estimatedInstanceWarmup: Math.min(r.healthCheckGracePeriodSeconds, SCALE_OUT_WARMUP_SECONDS),
            targetTrackingConfiguration: {
                predefinedMetricSpecification: { predefinedMetricType: "ASGAverageCPUUtilization" },
                targetValue: targetCpuUtilization,
            },
        },
        childOpts(parent),
    );
}

/**
 * The group's options. With a scaling policy, `desiredCapacity` belongs to the policy after creation:
 * without ignoring it, every `pulumi up` would reset the group to its initial size.
 */
function scalingGroupOpts(opts: pulumi.CustomResourceOptions, scaled: boolean): pulumi.CustomResourceOptions {
    if (!scaled) return opts;
    return { ...opts, ignoreChanges: [...new Set([...(opts.ignoreChanges ?? []), "desiredCapacity"])] };
}
