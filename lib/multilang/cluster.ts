/**
 * `MatomoCluster` for Python, Go, C#, Java and YAML: the component the generated SDKs construct
 * (token `pulumi-matomo-aws:index:MatomoCluster`). It converts its arguments
 * (`./convert.ts`) and builds the TypeScript `MatomoCluster` as its one child, so the validation,
 * the resources and their names are the TypeScript component's; it exposes that component's
 * outputs that are values (the child components and `settings` are TypeScript only).
 */
import * as pulumi from "@pulumi/pulumi";
import { MatomoCluster as TypeScriptMatomoCluster } from "../aws/cluster";
import type { MatomoClusterArgs } from "./args";
import { withMultiLanguagePaths } from "./convert";
import { PROVIDER_NAME, childOptions } from "./token";

/** Matomo's load-balanced layout on AWS: load balancer, tracker and ui/archiving groups, MySQL, optional Redis, one config.ini.php. */
export class MatomoCluster extends pulumi.ComponentResource {
    /** `https://<domain>`. */
    readonly url: pulumi.Output<string>;
    /** The load balancer's DNS name. */
    readonly loadBalancerDnsName: pulumi.Output<string>;
    /** sha256 of `configIniPhp`: the same in both roles' launch templates. */
    readonly configSha256: pulumi.Output<string>;
    /** config.ini.php with `{{secret:…}}` placeholders (no secret values). */
    readonly configIniPhp: pulumi.Output<string>;
    /** config.ini.php exactly as nodes write it, secrets filled in. A Pulumi secret. */
    readonly configIniPhpRendered: pulumi.Output<string>;
    /** Host of the database the nodes connect to. */
    readonly databaseHost: pulumi.Output<string>;
    /** Host of the read replica, when there is one. */
    readonly databaseReaderHost?: pulumi.Output<string>;
    /** The database password's secret. */
    readonly databasePasswordSecretArn: pulumi.Output<string>;
    /** The salt's secret: the one the library generated, or `salt.existingSecretArn`. */
    readonly saltSecretArn: pulumi.Output<string>;
    /** The first super user's password secret. */
    readonly superUserPasswordSecretArn: pulumi.Output<string>;
    /** Security group of the load balancer. */
    readonly loadBalancerSecurityGroupId: pulumi.Output<string>;
    /** Security group of the tracker nodes. */
    readonly trackerSecurityGroupId: pulumi.Output<string>;
    /** Security group of the ui nodes. */
    readonly uiSecurityGroupId: pulumi.Output<string>;
    /** Security group of the database this library created; none for an existing database. */
    readonly databaseSecurityGroupId?: pulumi.Output<string>;
    /** Name of the trackers' auto scaling group. */
    readonly trackerAutoScalingGroupName: pulumi.Output<string>;
    /** Name of the ui nodes' auto scaling group. */
    readonly uiAutoScalingGroupName: pulumi.Output<string>;
    /** The VPC. */
    readonly vpcId: pulumi.Output<string>;
    /** The load balancer's ARN. */
    readonly loadBalancerArn: pulumi.Output<string>;
    /** The load balancer's canonical hosted zone id. */
    readonly loadBalancerZoneId: pulumi.Output<string>;
    /** Target group of the tracker nodes. */
    readonly trackerTargetGroupArn: pulumi.Output<string>;
    /** Target group of the ui nodes. */
    readonly uiTargetGroupArn: pulumi.Output<string>;
    /** Port of the database the nodes connect to. */
    readonly databasePort: pulumi.Output<number>;
    /** Primary endpoint of the QueuedTracking Redis. Only with `queuedTracking.enabled`. */
    readonly redisHost?: pulumi.Output<string>;
    /** Port of the QueuedTracking Redis. Only with `queuedTracking.enabled`. */
    readonly redisPort?: pulumi.Output<number>;
    /** IAM role name of the tracker instances. */
    readonly trackerInstanceRoleName: pulumi.Output<string>;
    /** IAM role name of the ui instances. */
    readonly uiInstanceRoleName: pulumi.Output<string>;
    /** Public IPv4 addresses the nodes' outbound traffic leaves from. Empty when you gave the network. */
    readonly natGatewayPublicIps: pulumi.Output<string[]>;
    /** The SNS topic the alarms notify (created, or yours). Only with `observability.enabled`. */
    readonly alarmTopicArn?: pulumi.Output<string>;
    /** The CloudWatch dashboard's name. Only with `observability.enabled`. */
    readonly dashboardName?: pulumi.Output<string>;
    /** Log group names by source (nginx-access, nginx-error, php-fpm, matomo, provisioning, archiving). Only with `observability.enabled`. */
    readonly logGroupNames?: pulumi.Output<{ [source: string]: string }>;
    /** Bucket the load balancer writes access logs to (created, or yours); none when off. */
    readonly accessLogBucket?: pulumi.Output<string>;
    /** The AMI id of the pre-built image both groups boot; only with `nodeImage.prebuilt`. */
    readonly nodeImageId?: pulumi.Output<string>;

    constructor(name: string, args: MatomoClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super(`${PROVIDER_NAME}:index:MatomoCluster`, name, {}, opts);
        const c = withMultiLanguagePaths(args, (converted) => new TypeScriptMatomoCluster(name, converted, childOptions(this, opts)));
        this.url = c.url;
        this.loadBalancerDnsName = c.loadBalancerDnsName;
        this.configSha256 = c.configSha256;
        this.configIniPhp = c.configIniPhp;
        this.configIniPhpRendered = c.configIniPhpRendered;
        this.databaseHost = c.databaseHost;
        this.databaseReaderHost = c.databaseReaderHost;
        this.databasePasswordSecretArn = c.databasePasswordSecretArn;
        this.saltSecretArn = c.saltSecretArn;
        this.superUserPasswordSecretArn = c.superUserPasswordSecretArn;
        this.loadBalancerSecurityGroupId = c.loadBalancerSecurityGroupId;
        this.trackerSecurityGroupId = c.trackerSecurityGroupId;
        this.uiSecurityGroupId = c.uiSecurityGroupId;
        this.databaseSecurityGroupId = c.databaseSecurityGroupId;
        this.trackerAutoScalingGroupName = c.trackerAutoScalingGroupName;
        this.uiAutoScalingGroupName = c.uiAutoScalingGroupName;
        this.vpcId = c.vpcId;
        this.loadBalancerArn = c.loadBalancerArn;
        this.loadBalancerZoneId = c.loadBalancerZoneId;
        this.trackerTargetGroupArn = c.trackerTargetGroupArn;
        this.uiTargetGroupArn = c.uiTargetGroupArn;
        this.databasePort = c.databasePort;
        this.redisHost = c.redisHost;
        this.redisPort = c.redisPort;
        this.trackerInstanceRoleName = c.trackerInstanceRoleName;
        this.uiInstanceRoleName = c.uiInstanceRoleName;
        this.natGatewayPublicIps = c.natGatewayPublicIps;
        this.alarmTopicArn = c.alarmTopicArn;
        this.dashboardName = c.dashboardName === undefined ? undefined : pulumi.output(c.dashboardName);
        this.logGroupNames = c.logGroupNames === undefined ? undefined : pulumi.output<{ [source: string]: string }>({ ...c.logGroupNames });
        this.accessLogBucket = c.accessLogBucket;
        this.nodeImageId = c.nodeImageId;
        this.registerOutputs({});
    }
}
