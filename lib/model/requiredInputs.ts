/**
 * The inputs AWS needs on each resource type the cluster creates, as data, so the plan flags one a
 * program left undefined (an Output that never resolved to a value, a VPC module's id the mock did not
 * know) instead of reporting "violations: 0" for a graph `pulumi up` would refuse.
 *
 * Most entries are the provider's schema: the fields of the `<Resource>Args` interface that are not
 * optional in @pulumi/aws 7.x (`node_modules/@pulumi/aws/<service>/<resource>.d.ts`, generated from the
 * provider's schema; linked at the version package-lock.json pins).
 * A few are optional in the schema but required by AWS for what the cluster builds; each says why.
 * An entry with alternatives (`["subnets", "subnetMappings"]`) is met by any one of them.
 */
import type { AwsLimitRule } from "./awsLimits";

/** Inputs one resource type needs, and where that is written. */
export interface RequiredInputs {
    /** Pulumi type token. */
    type: string;
    /** Each entry an input name, or alternatives of which one must be set. */
    inputs: readonly (string | readonly string[])[];
    /** Where the requirement is written: the sentence, and the page or source file. */
    source: { quote: string; url: string };
}

/** The @pulumi/aws release the schema entries were read from. */
const PROVIDER_SDK = "https://github.com/pulumi/pulumi-aws/blob/v7.48.0/sdk/nodejs";

/** A schema-required entry: the provider's `<Resource>Args` declares these fields without `?`. */
function schema(type: string, ...inputs: string[]): RequiredInputs {
    const [, module, resource] = type.split(":");
    const [service, file] = module.split("/");
    return {
        type,
        inputs,
        source: {
            quote: `${resource}Args declares ${inputs.join(", ")} without "?" (required by the provider's schema)`,
            url: `${PROVIDER_SDK}/${service}/${file}.ts`,
        },
    };
}

export const REQUIRED_INPUTS: readonly RequiredInputs[] = [
    schema("aws:acm/certificateValidation:CertificateValidation", "certificateArn"),
    schema("aws:autoscaling/group:Group", "maxSize", "minSize"),
    {
        type: "aws:autoscaling/group:Group",
        inputs: [["vpcZoneIdentifiers", "availabilityZones"]],
        source: {
            // Without either, AWS has nowhere to launch; with zones only, it launches into the default VPC,
            // where the nodes' security groups (in the cluster's VPC) cannot be attached.
            quote: "VPCZoneIdentifier: A comma-separated list of subnet IDs for a virtual private cloud (VPC) where instances in the Auto Scaling group can be created. AvailabilityZones: ... Used for launching into the default VPC subnet in each Availability Zone when not using the VPCZoneIdentifier property",
            url: "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateAutoScalingGroup.html",
        },
    },
    schema("aws:autoscaling/policy:Policy", "autoscalingGroupName"),
    schema("aws:cloudwatch/dashboard:Dashboard", "dashboardBody", "dashboardName"),
    schema("aws:cloudwatch/logMetricFilter:LogMetricFilter", "logGroupName", "metricTransformation", "pattern"),
    schema("aws:ec2/routeTable:RouteTable", "vpcId"),
    schema("aws:ec2/routeTableAssociation:RouteTableAssociation", "routeTableId"),
    {
        type: "aws:ec2/securityGroup:SecurityGroup",
        inputs: ["vpcId"],
        source: {
            // Optional in the schema, which then uses the default VPC: never the VPC the cluster's nodes,
            // load balancer and database are in.
            quote: "VpcId: The ID of the VPC. Required for a nondefault VPC.",
            url: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html",
        },
    },
    schema("aws:ec2/subnet:Subnet", "vpcId"),
    schema("aws:elasticache/replicationGroup:ReplicationGroup", "description"),
    schema("aws:elasticache/subnetGroup:SubnetGroup", "subnetIds"),
    schema("aws:iam/role:Role", "assumeRolePolicy"),
    schema("aws:iam/rolePolicy:RolePolicy", "policy", "role"),
    schema("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "policyArn", "role"),
    schema("aws:lb/listener:Listener", "defaultActions", "loadBalancerArn"),
    schema("aws:lb/listenerRule:ListenerRule", "actions", "conditions", "listenerArn"),
    {
        type: "aws:lb/loadBalancer:LoadBalancer",
        inputs: [["subnets", "subnetMappings"]],
        source: {
            quote: "Subnets: The IDs of the subnets. You can specify only one subnet per Availability Zone. You must specify either subnets or subnet mappings, but not both. [Application Load Balancers] You must specify subnets from at least two Availability Zones.",
            url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html",
        },
    },
    schema("aws:rds/instance:Instance", "instanceClass"),
    schema("aws:rds/parameterGroup:ParameterGroup", "family"),
    schema("aws:rds/subnetGroup:SubnetGroup", "subnetIds"),
    schema("aws:route53/record:Record", "name", "type", "zoneId"),
    schema("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "bucket"),
    schema("aws:s3/bucketLogging:BucketLogging", "bucket", "targetBucket", "targetPrefix"),
    schema("aws:s3/bucketObjectv2:BucketObjectv2", "bucket"),
    schema("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "bucket", "rule"),
    schema("aws:s3/bucketPolicy:BucketPolicy", "bucket", "policy"),
    schema("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "bucket"),
    schema("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "bucket", "rules"),
    schema("aws:s3/bucketVersioning:BucketVersioning", "bucket", "versioningConfiguration"),
    schema("aws:secretsmanager/secretVersion:SecretVersion", "secretId"),
    schema("aws:ssm/parameter:Parameter", "type"),
    schema("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "ipProtocol", "securityGroupId"),
    schema("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "ipProtocol", "securityGroupId"),
];

/** Whether a planned input holds a value: an empty list, or a list holding an undefined id, is not one. */
function isSet(value: unknown): boolean {
    if (value === undefined || value === null) return false;
    return !Array.isArray(value) || (value.length > 0 && value.every((v) => v !== undefined && v !== null));
}

/** One rule per required input, in the shape of the AWS limits, so the plan reports both the same way. */
export const REQUIRED_INPUT_RULES: readonly AwsLimitRule[] = REQUIRED_INPUTS.flatMap((entry) =>
    entry.inputs.map((input): AwsLimitRule => {
        const names = typeof input === "string" ? [input] : input;
        const [service, resource] = entry.type.split(":")[1].split("/");
        return {
            id: `required.${service}.${resource}.${names[0]}`,
            type: entry.type,
            property: names[0],
            limit: names.length === 1 ? "set: AWS needs it" : `set, or else ${names.slice(1).join(" or ")}: AWS needs one of them`,
            source: entry.source,
            check: (r) => (names.some((n) => isSet(r.inputs[n])) ? [] : [[names[0], undefined]]),
        };
    }),
);
