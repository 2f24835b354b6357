/**
 * NodeImage: the pre-built node image (`nodeImage.prebuilt`), baked by EC2 Image Builder from the
 * nodes' Debian 12 image with the nodes' own provisioning in bake mode (lib/provision/image.ts).
 *
 *   bake bundle (S3, versioned) ─► component (AWSTOE document: fetch, verify, bake, clean, validate)
 *   parent image (Debian 12) + component ─► image recipe ─┐
 *   build instance: private subnet, egress 80/443 only, IMDSv2, its own least-privilege profile ─► image ─► AMI id
 *   distribution: this region, AMI named after the build date ───────────────────────────────────┘
 *
 * The component's and the recipe's versions are derived from what they hold (the document; the
 * document and the parent image), so a new release, plugin list, generation or parent image makes
 * new versions, a new image and a new AMI id in both launch templates: the groups roll.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BAKE_BUNDLE_KEY, renderBakeBundle, renderBakeComponent, renderBuildInstanceUserData, semanticVersionOf, sha256Hex } from "../provision";
import type { ResolvedSettings } from "../settings";
import { physicalName, physicalPrefix, NAME_LIMITS } from "./naming";
import { serviceAssumeRolePolicy } from "./iam";
import { childOpts, type Tags } from "./options";
import { allowNodeEgress } from "./nodeGroup";

/** How Image Builder talks to the build instance: the SSM Agent's Run Command channel (ec2messages) and session channel (ssmmessages). */
export const IMAGE_BUILD_AGENT_ACTIONS: readonly string[] = [
    "ssm:UpdateInstanceInformation",
    "ec2messages:AcknowledgeMessage",
    "ec2messages:DeleteMessage",
    "ec2messages:FailMessage",
    "ec2messages:GetEndpoint",
    "ec2messages:GetMessages",
    "ec2messages:SendReply",
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
];
/** The image's root device (Debian's AMIs boot from it). */
export const IMAGE_ROOT_DEVICE = "/dev/xvda";

export interface NodeImageArgs {
    /** Resolved cluster settings: the release, plugins, packages, architecture and `nodeImage`. */
    settings: ResolvedSettings;
    /** The image the bake starts from: the nodes' kept Debian 12 image, or the given `amiId`. */
    parentImageId: pulumi.Input<string>;
    vpcId: pulumi.Input<string>;
    /** A private subnet with a route to Debian's archive, S3 and the release URL (the NAT gateway). */
    subnetId: pulumi.Input<string>;
    /** The provisioning bucket: the bake bundle is stored beside the roles' bundles. */
    bucketName: pulumi.Input<string>;
    bucketArn: pulumi.Input<string>;
    /** Tags for every resource, the build instance and the AMI. Default none. */
    tags?: Tags;
}

export class NodeImage extends pulumi.ComponentResource {
    /** The baked AMI's id, for both launch templates. */
    readonly imageId: pulumi.Output<string>;
    readonly image: aws.imagebuilder.Image;
    readonly component: aws.imagebuilder.Component;
    readonly recipe: aws.imagebuilder.ImageRecipe;
    readonly infrastructure: aws.imagebuilder.InfrastructureConfiguration;
    readonly distribution: aws.imagebuilder.DistributionConfiguration;
    readonly role: aws.iam.Role;

    constructor(name: string, args: NodeImageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("matomo:aws:NodeImage", name, {}, opts);
        const { settings } = args;
        const tags = { ...(args.tags ?? {}), "matomo:role": "image" };
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;

        const { component, componentName, document } = createBakeComponent(name, args, region, tags, this);
        this.component = component;

        const { securityGroup: sg, role, profile } = createBuildInstanceAccess(name, args, { partition, region, account, componentName }, tags, this);
        this.role = role;

        // Image Builder reaches the build instance through the SSM Agent, which Debian's image lacks and
        // Image Builder's own install does not support: this user data installs AWS's, verified.
        const buildUserData = region.apply((r) => renderBuildInstanceUserData(settings, r));
        this.recipe = new aws.imagebuilder.ImageRecipe(
            `${name}-recipe`,
            {
                name: physicalName(name, "recipe", 128),
                parentImage: args.parentImageId,
                version: pulumi
                    .all([document, args.parentImageId, buildUserData])
                    .apply(([d, parent, u]) => semanticVersionOf(sha256Hex(`${parent}\n${d}\n${u}`))),
                userDataBase64: buildUserData.apply((u) => Buffer.from(u, "utf8").toString("base64")),
                components: [{ componentArn: this.component.arn }],
                // Encrypted like the nodes' volumes; the launch templates set the size.
                blockDeviceMappings: [{ deviceName: IMAGE_ROOT_DEVICE, ebs: { volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } }],
                // Keep the agent the user data installed: it is AWS's, and the nodes need one for Session Manager.
                systemsManagerAgent: { uninstallAfterBuild: false },
                description: `Matomo ${settings.matomo.version} node image on Debian 12 (${settings.architecture})`,
                tags,
            },
            childOpts(this),
        );

        this.infrastructure = new aws.imagebuilder.InfrastructureConfiguration(
            `${name}-build`,
            {
                name: physicalName(name, "build", 128),
                description: "Matomo image build instance: private subnet, egress 80/443 only, IMDSv2",
                instanceProfileName: profile.name,
                instanceTypes: [settings.nodeImage.buildInstanceType],
                subnetId: args.subnetId,
                securityGroupIds: [sg.id],
                terminateInstanceOnFailure: true,
                instanceMetadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
                resourceTags: tags,
                tags,
            },
            childOpts(this),
        );

        this.distribution = new aws.imagebuilder.DistributionConfiguration(
            `${name}-distribution`,
            {
                name: physicalName(name, "distribution", 128),
                description: "Matomo node image: this region only",
                distributions: [
                    {
                        region,
                        amiDistributionConfiguration: {
                            // Image Builder substitutes the build date, so each bake gets an AMI name of its own.
                            name: `${physicalName(name, "node", 80)}-{{ imagebuilder:buildDate }}`,
                            description: `Matomo ${settings.matomo.version} node image (pulumi-matomo-aws)`,
                            amiTags: tags,
                        },
                    },
                ],
                tags,
            },
            childOpts(this),
        );

        this.image = new aws.imagebuilder.Image(
            `${name}-image`,
            {
                imageRecipeArn: this.recipe.arn,
                infrastructureConfigurationArn: this.infrastructure.arn,
                distributionConfigurationArn: this.distribution.arn,
                // The component's validate phase checks the image; a test stage would launch a second instance for nothing.
                imageTestsConfiguration: { imageTestsEnabled: false },
                // Enhanced metadata is an SSM inventory run on the build instance: more permissions, nothing the nodes use.
                enhancedImageMetadataEnabled: false,
                tags,
            },
            childOpts(this, undefined, { customTimeouts: { create: "90m" } }),
        );
        this.imageId = this.image.outputResources.apply((resources) => {
            const ami = resources?.[0]?.amis?.[0]?.image;
            if (ami === undefined) throw new Error("NodeImage: Image Builder reported no AMI for the node image");
            return ami;
        });
        this.registerOutputs({ imageId: this.imageId });
    }
}

/** The bake bundle (stored next to the nodes' bundles) and the Image Builder component that installs it. */
function createBakeComponent(
    name: string,
    args: NodeImageArgs,
    region: pulumi.Output<string>,
    tags: Tags,
    parent: pulumi.Resource,
): { component: aws.imagebuilder.Component; componentName: string; document: pulumi.Output<string> } {
    const { settings } = args;
    const bundle = region.apply((r) => renderBakeBundle(settings, r));
    const stored = new aws.s3.BucketObjectv2(
        `${name}-bundle`,
        {
            bucket: args.bucketName,
            key: BAKE_BUNDLE_KEY,
            contentBase64: bundle.apply((b) => b.content.toString("base64")),
            contentType: "application/gzip",
            tags,
        },
        childOpts(parent),
    );
    const document = pulumi
        .all([region, args.bucketName, stored.versionId, bundle])
        .apply(([r, bucket, versionId, b]) =>
            renderBakeComponent({ settings, region: r, bundle: { bucket, key: BAKE_BUNDLE_KEY, versionId }, bundleSha256: b.sha256 }),
        );

    const componentName = physicalName(name, "bake", 128);
    const component = new aws.imagebuilder.Component(
        `${name}-bake`,
        {
            name: componentName,
            platform: "Linux",
            version: document.apply((d) => semanticVersionOf(sha256Hex(d))),
            data: document,
            description: `Matomo ${settings.matomo.version} node image: packages, the verified release and plugins (no config, no secrets)`,
            tags,
        },
        childOpts(parent),
    );
    return { component, componentName, document };
}

/** The build instance's security group (egress 80/443 only), role and profile. */
function createBuildInstanceAccess(
    name: string,
    args: NodeImageArgs,
    where: { partition: pulumi.Output<string>; region: pulumi.Output<string>; account: pulumi.Output<string>; componentName: string },
    tags: Tags,
    parent: pulumi.Resource,
): { securityGroup: aws.ec2.SecurityGroup; role: aws.iam.Role; profile: aws.iam.InstanceProfile } {
    const { partition, region, account, componentName } = where;
    const sg = new aws.ec2.SecurityGroup(
        `${name}-build-sg`,
        { vpcId: args.vpcId, description: "Matomo image build instance: outbound HTTP/HTTPS only, no inbound", tags: { ...tags, Name: `${name}-build` } },
        childOpts(parent),
    );
    allowNodeEgress(`${name}-build-out`, sg, tags, parent);

    const role = new aws.iam.Role(
        `${name}-build-role`,
        {
            namePrefix: physicalPrefix(name, "build", NAME_LIMITS.iamRoleNamePrefix),
            description: "Matomo image build instance: Image Builder's agent channel, its component and the bake bundle; no secrets",
            assumeRolePolicy: serviceAssumeRolePolicy("ec2.amazonaws.com"),
            tags,
        },
        childOpts(parent),
    );
    // Instead of the managed EC2InstanceProfileForImageBuilder + AmazonSSMManagedInstanceCore (any
    // component, any parameter, any ec2imagebuilder* object): the agent channel, this component,
    // this bundle, the tools bucket Image Builder downloads AWSTOE from, and its own log group.
    new aws.iam.RolePolicy(
        `${name}-build-policy`,
        {
            namePrefix: physicalPrefix(name, "build", NAME_LIMITS.iamRolePolicyNamePrefix),
            role: role.id,
            policy: pulumi
                .all([partition, region, account, args.bucketArn])
                .apply(([p, r, a, bucketArn]) =>
                    JSON.stringify(
                        buildInstancePolicy({ partition: p, region: r, account: a, componentName, bundleObjectArn: `${bucketArn}/${BAKE_BUNDLE_KEY}` }),
                    ),
                ),
        },
        childOpts(parent),
    );
    const profile = new aws.iam.InstanceProfile(
        `${name}-build-profile`,
        { namePrefix: physicalPrefix(name, "build", NAME_LIMITS.iamRoleNamePrefix), role: role.name, tags },
        childOpts(parent),
    );
    return { securityGroup: sg, role, profile };
}

/** The build instance's one policy (see NodeImage): nothing that reads a secret or another component. */
export function buildInstancePolicy(p: { partition: string; region: string; account: string; componentName: string; bundleObjectArn: string }): object {
    return {
        Version: "2012-10-17",
        Statement: [
            // These actions have no resource-level permissions (Service Authorization Reference).
            { Sid: "ImageBuilderAgentChannel", Effect: "Allow", Action: [...IMAGE_BUILD_AGENT_ACTIONS], Resource: "*" },
            {
                Sid: "ReadBakeComponent",
                Effect: "Allow",
                Action: ["imagebuilder:GetComponent"],
                Resource: `arn:${p.partition}:imagebuilder:${p.region}:${p.account}:component/${p.componentName}/*`,
            },
            { Sid: "ReadBakeBundle", Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: p.bundleObjectArn },
            // Where Image Builder keeps AWSTOE, as EC2InstanceProfileForImageBuilder grants it.
            { Sid: "ReadImageBuilderTools", Effect: "Allow", Action: ["s3:GetObject"], Resource: `arn:${p.partition}:s3:::ec2imagebuilder*` },
            {
                Sid: "WriteBuildLogs",
                Effect: "Allow",
                Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: `arn:${p.partition}:logs:${p.region}:${p.account}:log-group:/aws/imagebuilder/*`,
            },
        ],
    };
}
