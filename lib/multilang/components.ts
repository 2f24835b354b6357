/**
 * The standalone components for Python, Go, C#, Java and YAML (tokens
 * `pulumi-matomo-aws:index:<Name>`). Each one builds the TypeScript component of the same name as
 * its one child, from the same argument values (the enums carry the same strings; only the
 * TypeScript-only per-child overrides are absent), and exposes the child's outputs that are values:
 * the child resources themselves (`instance`, `loadBalancer`, …) stay TypeScript only, and a
 * plain value of the TypeScript class (`created`, `port`, `url`, …) is an output here.
 */
import * as pulumi from "@pulumi/pulumi";
import * as ts from "../aws";
import type { CacheArgs, DatabaseArgs, DebianImageArgs, LoadBalancerArgs, NetworkArgs, NodeGroupArgs, ProvisioningBucketArgs, SecretsArgs } from "./args";
import { PROVIDER_NAME, childOptions } from "./token";

/** A VPC with public and private subnets over 2 to 6 zones and NAT gateways, or the one you give. */
export class Network extends pulumi.ComponentResource {
    /** The VPC. */
    readonly vpcId: pulumi.Output<string>;
    /** Public subnets, one per zone. */
    readonly publicSubnetIds: pulumi.Output<string[]>;
    /** Private subnets, one per zone. */
    readonly privateSubnetIds: pulumi.Output<string[]>;
    /** NAT gateways; empty when the network was given. */
    readonly natGatewayIds: pulumi.Output<string[]>;
    /** The NAT gateways' Elastic IPs; empty when the network was given. */
    readonly natGatewayPublicIps: pulumi.Output<string[]>;
    /** True when this component created the VPC. */
    readonly created: pulumi.Output<boolean>;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super(`${PROVIDER_NAME}:index:Network`, name, {}, opts);
        const c = new ts.Network(name, args, childOptions(this, opts));
        this.vpcId = c.vpcId;
        this.publicSubnetIds = c.publicSubnetIds;
        this.privateSubnetIds = c.privateSubnetIds;
        this.natGatewayIds = c.natGatewayIds;
        this.natGatewayPublicIps = c.natGatewayPublicIps;
        this.created = pulumi.output(c.created);
        this.registerOutputs({});
    }
}

/** An RDS MySQL or MariaDB instance for Matomo (gp3, encrypted, TLS), its password secret and optional read replica. */
export class Database extends pulumi.ComponentResource {
    /** Security group of the database. */
    readonly securityGroupId: pulumi.Output<string>;
    /** Host name of the master. */
    readonly address: pulumi.Output<string>;
    /** Host name of the read replica, when there is one. */
    readonly readerAddress?: pulumi.Output<string>;
    /** Port (3306). */
    readonly port: pulumi.Output<number>;
    /** `host:port` of the master. */
    readonly endpoint: pulumi.Output<string>;
    /** Secrets Manager secret, JSON in RDS's format. */
    readonly passwordSecretArn: pulumi.Output<string>;
    /** The secret's current version. */
    readonly passwordSecretVersionId: pulumi.Output<string>;
    /** The master password (a Pulumi secret). */
    readonly password: pulumi.Output<string>;
    /** Master user name. */
    readonly username: pulumi.Output<string>;
    /** Schema name. */
    readonly databaseName: pulumi.Output<string>;

    constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super(`${PROVIDER_NAME}:index:Database`, name, {}, opts);
        const c = new ts.Database(name, args, childOptions(this, opts));
        this.securityGroupId = c.securityGroupId;
        this.address = c.address;
        this.readerAddress = c.readerAddress;
        this.port = c.port;
        this.endpoint = c.endpoint;
        this.passwordSecretArn = c.passwordSecretArn;
        this.passwordSecretVersionId = c.passwordSecretVersionId;
        this.password = c.password;
        this.username = pulumi.output(c.username);
        this.databaseName = pulumi.output(c.databaseName);
        this.registerOutputs({});
    }
}

/** The ElastiCache Redis QueuedTracking queues requests in. */
export class Cache extends pulumi.ComponentResource {
    /** Security group of the cache. */
    readonly securityGroupId: pulumi.Output<string>;
    /** Primary endpoint. */
    readonly host: pulumi.Output<string>;
    /** Port. */
    readonly port: pulumi.Output<number>;

    constructor(name: string, args: CacheArgs, opts?: pulumi.ComponentResourceOptions) {
        super(`${PROVIDER_NAME}:index:Cache`, name, {}, opts);
        const c = new ts.Cache(name, args, childOptions(this, opts));
        this.securityGroupId = c.securityGroupId;
        this.host = c.host;
        this.port = pulumi.output(c.port);
        this.registerOutputs({});
    }
}

/** The HTTPS application load balancer: tracker paths to the tracker group, everything else to the ui group. */
export class LoadBalancer extends pulumi.ComponentResource {
    /** Security group of the load balancer. */
    readonly securityGroupId: pulumi.Output<string>;
    /** DNS name. */
    readonly dnsName: pulumi.Output<string>;
    /** Canonical hosted zone id. */
    readonly zoneId: pulumi.Output<string>;
    /** The certificate served (given, or issued). */
    readonly certificateArn: pulumi.Output<string>;
    /** `https://<domain>`. */
    readonly url: pulumi.Output<string>;
    /** The load balancer's ARN. */
    readonly loadBalancerArn: pulumi.Output<string>;
    /** Target group of the tracker nodes. */
    readonly trackerTargetGroupArn: pulumi.Output<string>;
    /** Target group of the ui nodes. */
    readonly uiTargetGroupArn: pulumi.Output<string>;

    constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
        super(`${PROVIDER_NAME}:index:LoadBalancer`, name, {}, opts);
        const c = new ts.LoadBalancer(name, args, childOptions(this, opts));
        this.securityGroupId = c.securityGroupId;
        this.dnsName = c.dnsName;
        this.zoneId = c.zoneId;
        this.certificateArn = c.certificateArn;
        this.url = pulumi.output(c.url);
        this.loadBalancerArn = c.loadBalancer.arn;
        this.trackerTargetGroupArn = c.trackerTargetGroup.arn;
        this.uiTargetGroupArn = c.uiTargetGroup.arn;
        this.registerOutputs({});
    }
}

/** One role's nodes: launch template, auto scaling group, instance role and security group. */
export class NodeGroup extends pulumi.ComponentResource {
    /** Security group of the nodes. */
    readonly securityGroupId: pulumi.Output<string>;
    /** Name of the auto scaling group. */
    readonly groupName: pulumi.Output<string>;
    /** The AMI the nodes boot. */
    readonly imageId: pulumi.Output<string>;
    /** IAM role name of the instances. */
    readonly roleName: pulumi.Output<string>;

    constructor(name: string, args: NodeGroupArgs, opts?: pulumi.ComponentResourceOptions) {
        super(`${PROVIDER_NAME}:index:NodeGroup`, name, {}, opts);
        const c = new ts.NodeGroup(name, args, childOptions(this, opts));
        this.securityGroupId = c.securityGroupId;
        this.groupName = c.groupName;
        this.imageId = c.imageId;
        this.roleName = c.role.name;
        this.registerOutputs({});
    }
}

/** The secrets the library generates: the first super user's password and Matomo's salt. */
export class Secrets extends pulumi.ComponentResource {
    /** The salt's secret; none with `generateSalt: false`. */
    readonly saltSecretArn?: pulumi.Output<string>;
    /** The super user's password secret. */
    readonly superUserPasswordSecretArn: pulumi.Output<string>;
    /** The salt (a Pulumi secret); none with `generateSalt: false`. */
    readonly salt?: pulumi.Output<string>;
    /** The super user's password (a Pulumi secret). */
    readonly superUserPassword: pulumi.Output<string>;

    constructor(name: string, args: SecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super(`${PROVIDER_NAME}:index:Secrets`, name, {}, opts);
        const c = new ts.Secrets(name, args, childOptions(this, opts));
        this.saltSecretArn = c.saltSecretArn;
        this.superUserPasswordSecretArn = c.superUserPasswordSecretArn;
        this.salt = c.salt;
        this.superUserPassword = c.superUserPassword;
        this.registerOutputs({});
    }
}

/** The official Debian 12 image for an architecture, resolved once and kept until `generation` is raised. */
export class DebianImage extends pulumi.ComponentResource {
    /** The AMI id. */
    readonly imageId: pulumi.Output<string>;
    /** The AMI name. */
    readonly imageName: pulumi.Output<string>;

    constructor(name: string, args: DebianImageArgs, opts?: pulumi.ComponentResourceOptions) {
        super(`${PROVIDER_NAME}:index:DebianImage`, name, {}, opts);
        const c = new ts.DebianImage(name, args, childOptions(this, opts));
        this.imageId = c.imageId;
        this.imageName = c.imageName;
        this.registerOutputs({});
    }
}

/** The private, versioned S3 bucket holding each role's provisioning bundle. */
export class ProvisioningBucket extends pulumi.ComponentResource {
    /** The bucket's name. */
    readonly bucketName: pulumi.Output<string>;
    /** The S3 version id of the tracker bundle just stored. */
    readonly trackerBundleVersionId: pulumi.Output<string>;
    /** ARN of the tracker bundle's object. */
    readonly trackerBundleObjectArn: pulumi.Output<string>;
    /** The S3 version id of the ui bundle just stored. */
    readonly uiBundleVersionId: pulumi.Output<string>;
    /** ARN of the ui bundle's object. */
    readonly uiBundleObjectArn: pulumi.Output<string>;

    constructor(name: string, args: ProvisioningBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super(`${PROVIDER_NAME}:index:ProvisioningBucket`, name, {}, opts);
        const c = new ts.ProvisioningBucket(name, args, childOptions(this, opts));
        this.bucketName = c.bucketName;
        this.trackerBundleVersionId = c.bundles.tracker.versionId;
        this.trackerBundleObjectArn = c.bundles.tracker.objectArn;
        this.uiBundleVersionId = c.bundles.ui.versionId;
        this.uiBundleObjectArn = c.bundles.ui.objectArn;
        this.registerOutputs({});
    }
}
