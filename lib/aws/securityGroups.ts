/**
 * Security group links. Every group this library creates starts with no rules at all; each
 * allowed flow is one pair of rules (egress on the source, ingress on the target) for one port,
 * between two security groups, so nothing is open to an address range it doesn't need.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface TcpLinkArgs {
    /** Security group the connection starts from. */
    from: pulumi.Input<string>;
    /** Security group the connection goes to. */
    to: pulumi.Input<string>;
    port: number;
    description: string;
    tags?: Record<string, string>;
}

/**
 * Allow TCP `port` from one security group to another: an egress rule on `from` and an ingress
 * rule on `to`. Use it to let your own resources reach the cluster's, e.g. a bastion to the
 * database: `allowTcp("bastion-db", { from: bastionSg.id, to: cluster.database!.securityGroupId, port: 3306, ... })`.
 */
export function allowTcp(name: string, args: TcpLinkArgs, opts?: pulumi.CustomResourceOptions): { egress: aws.vpc.SecurityGroupEgressRule; ingress: aws.vpc.SecurityGroupIngressRule } {
    const egress = new aws.vpc.SecurityGroupEgressRule(
        `${name}-out`,
        {
            securityGroupId: args.from,
            referencedSecurityGroupId: args.to,
            ipProtocol: "tcp",
            fromPort: args.port,
            toPort: args.port,
            description: args.description,
            tags: args.tags,
        },
        opts,
    );
    const ingress = new aws.vpc.SecurityGroupIngressRule(
        `${name}-in`,
        {
            securityGroupId: args.to,
            referencedSecurityGroupId: args.from,
            ipProtocol: "tcp",
            fromPort: args.port,
            toPort: args.port,
            description: args.description,
            tags: args.tags,
        },
        opts,
    );
    return { egress, ingress };
}
