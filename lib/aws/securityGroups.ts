/**
 * Security group links. Every group this library creates starts with no rules at all; each
 * allowed flow is one pair of rules (egress on the source, ingress on the target) for one port,
 * between two security groups, so nothing is open to an address range it doesn't need.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Tags } from "./options";

/** One allowed TCP flow between two security groups. */
export interface TcpLinkArgs {
    /** Security group the connection starts from. */
    from: pulumi.Input<string>;
    /** Security group the connection goes to. */
    to: pulumi.Input<string>;
    /** The TCP port allowed. Required. */
    port: number;
    /** Description of both rules, e.g. `MySQL from the ui nodes`. Required. */
    description: string;
    /** Tags for both rules. Default none. */
    tags?: Tags;
}

/**
 * Allow TCP `port` from one security group to another: an egress rule on `from` and an ingress
 * rule on `to`. Use it to let your own resources reach the cluster's, e.g. a bastion to the
 * database: `allowTcp("bastion-db", { from: bastionSg.id, to: cluster.database!.securityGroupId, port: 3306, ... })`.
 */
export function allowTcp(
    name: string,
    args: TcpLinkArgs,
    opts?: pulumi.CustomResourceOptions,
): {
    /** The egress rule on `from` (named `<name>-out`). */
    egress: aws.vpc.SecurityGroupEgressRule;
    /** The ingress rule on `to` (named `<name>-in`). */
    ingress: aws.vpc.SecurityGroupIngressRule;
} {
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
