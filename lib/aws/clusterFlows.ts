/**
 * The network flows the layout needs, each as an egress/ingress pair between two security groups
 * (or one egress rule to an address outside the cluster). Node egress is otherwise 80 and 443 alone.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { InvalidArgumentError } from "../settings";
import { REDIS_PORT, type Cache } from "./cache";
import type { ClusterContext } from "./clusterContext";
import type { Database } from "./database";
import type { LoadBalancer } from "./loadBalancer";
import { NODE_EGRESS_PORTS, type NodeGroup } from "./nodeGroup";
import { allowTcp } from "./securityGroups";

export function allowClusterFlows(
    step: ClusterContext,
    between: { loadBalancer: LoadBalancer; trackers: NodeGroup; ui: NodeGroup; database?: Database; cache?: Cache },
): void {
    const { name, tags, settings, parent } = step;
    const { loadBalancer, database, cache } = between;
    const db = settings.database;
    for (const [role, group] of [
        ["tracker", between.trackers],
        ["ui", between.ui],
    ] as const) {
        allowTcp(
            `${name}-alb-to-${role}`,
            { from: loadBalancer.securityGroupId, to: group.securityGroupId, port: 80, description: `HTTP to the ${role} nodes`, tags },
            { parent },
        );
        if (database) {
            allowTcp(
                `${name}-${role}-to-db`,
                { from: group.securityGroupId, to: database.securityGroupId, port: 3306, description: `MySQL from the ${role} nodes`, tags },
                { parent },
            );
        } else if (pulumi.Output.isInstance(db.port) || !NODE_EGRESS_PORTS.includes(db.port as number)) {
            // On 80 or 443 the nodes' own egress to 0.0.0.0/0 already allows it; EC2 refuses a duplicate rule.
            // A port known only later gets its rule, so it must not be one of those (refused when it resolves).
            const port = pulumi.Output.isInstance(db.port) ? outputDatabasePort(db.port) : db.port;
            new aws.vpc.SecurityGroupEgressRule(
                `${name}-${role}-to-db`,
                {
                    securityGroupId: group.securityGroupId,
                    cidrIpv4: "0.0.0.0/0",
                    ipProtocol: "tcp",
                    fromPort: port,
                    toPort: port,
                    description: "MySQL to the existing database",
                    tags,
                },
                { parent },
            );
        }
        if (cache) {
            allowTcp(
                `${name}-${role}-to-redis`,
                { from: group.securityGroupId, to: cache.securityGroupId, port: REDIS_PORT, description: `Redis from the ${role} nodes`, tags },
                { parent },
            );
        }
    }

    // Mail leaves from the ui nodes only (password resets, scheduled reports; trackers run no
    // scheduled tasks here).
    if (settings.mail !== undefined && !NODE_EGRESS_PORTS.includes(settings.mail.port)) {
        const port = settings.mail.port;
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-ui-to-smtp`,
            {
                securityGroupId: between.ui.securityGroupId,
                cidrIpv4: "0.0.0.0/0",
                ipProtocol: "tcp",
                fromPort: port,
                toPort: port,
                description: "SMTP to the mail server",
                tags,
            },
            { parent },
        );
    }
}

/**
 * An existing database's port given as an Output: it gets its own egress rule, decided before the
 * value is known, so a port the nodes' own egress already allows (EC2 refuses the duplicate) is
 * refused when it resolves, before the rule is created.
 */
function outputDatabasePort(port: pulumi.Output<number>): pulumi.Output<number> {
    return port.apply((p) => {
        if (NODE_EGRESS_PORTS.includes(p))
            throw new InvalidArgumentError(
                "MatomoCluster",
                ["database", "existing", "port"],
                p,
                `a port other than ${NODE_EGRESS_PORTS.join(" and ")} when given as an Output (the nodes' egress already allows those; give it as a plain number)`,
            );
        return p;
    });
}
