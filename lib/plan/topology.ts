/**
 * The cluster's topology, read off a planned graph (never drawn by hand): who receives traffic
 * from whom on which port (security group rules), and where the load balancer routes which paths
 * (listener rules → target groups → node groups). Rendered as Mermaid (README, GitHub) and as
 * Graphviz DOT (an SVG rendered offline by `dot`). Pure: resources in, text out.
 */
import type { RecordedResource } from "./mockRuntime";

/** A party that traffic flows between: the internet, or a resource behind a security group. */
export interface TopologyNode {
    id: string;
    label: string;
}

export interface TopologyEdge {
    from: string;
    to: string;
    /** `network`: a security group rule allows it; `route`: the load balancer forwards these paths. */
    kind: "network" | "route";
    label: string;
}

export interface Topology {
    nodes: TopologyNode[];
    edges: TopologyEdge[];
}

const INTERNET: TopologyNode = { id: "internet", label: "Internet" };
const WORLD = new Set(["0.0.0.0/0", "::/0"]);

type Props = Record<string, unknown>;
/** An identifier both Mermaid and DOT take unquoted. */
const nodeId = (kind: string, name: string): string => `${kind}_${name.replace(/[^A-Za-z0-9]/g, "_")}`;
const props = (r: RecordedResource): Props => ({ ...r.state, ...r.inputs });
const tags = (r: RecordedResource): Record<string, string> => (props(r).tags ?? {}) as Record<string, string>;
const ids = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

function portLabel(p: Props): string {
    const protocol = String(p.ipProtocol ?? "tcp").toUpperCase();
    return p.fromPort === p.toPort ? `${protocol} ${String(p.fromPort)}` : `${protocol} ${String(p.fromPort)}-${String(p.toPort)}`;
}

/** The topology of every cluster in a planned graph. */
export function topologyOf(resources: readonly RecordedResource[]): Topology {
    const nodes: TopologyNode[] = [];
    const owner = new Map<string, string>(); // security group id → node id
    const add = (node: TopologyNode, groups: string[]) => {
        if (!nodes.some((n) => n.id === node.id)) nodes.push(node);
        for (const g of groups) owner.set(g, node.id);
    };
    const ofType = (type: string) => resources.filter((r) => r.type === type);

    for (const lb of ofType("aws:lb/loadBalancer:LoadBalancer")) {
        add({ id: nodeId("lb", lb.name), label: `Load balancer<br/>${String(props(lb).name ?? lb.name)}` }, ids(props(lb).securityGroups));
    }
    const templates = ofType("aws:ec2/launchTemplate:LaunchTemplate");
    const groupOfTargetGroup = new Map<string, string>();
    for (const asg of ofType("aws:autoscaling/group:Group")) {
        const p = props(asg);
        const template = templates.find((t) => t.id === (p.launchTemplate as { id?: string } | undefined)?.id);
        if (template === undefined) continue;
        const role = tags(template)["matomo:role"] ?? template.name;
        const size = p.minSize === p.maxSize ? `${String(p.minSize)}` : `${String(p.minSize)}–${String(p.maxSize)}`;
        const id = nodeId("group", asg.name);
        add({ id, label: `${role} nodes<br/>${size} × ${String(props(template).instanceType)}` }, ids(props(template).vpcSecurityGroupIds));
        for (const arn of ids(p.targetGroupArns)) groupOfTargetGroup.set(arn, id);
    }
    for (const db of ofType("aws:rds/instance:Instance")) {
        const p = props(db);
        const what = p.replicateSourceDb !== undefined ? "Read replica" : "Database";
        add({ id: nodeId("db", db.name), label: `${what}<br/>${String(p.engine ?? "mysql")} ${String(p.instanceClass)}` }, ids(p.vpcSecurityGroupIds));
    }
    for (const cache of ofType("aws:elasticache/replicationGroup:ReplicationGroup")) {
        add({ id: nodeId("redis", cache.name), label: `Redis<br/>${String(props(cache).nodeType)}` }, ids(props(cache).securityGroupIds));
    }

    const edges: TopologyEdge[] = [];
    const network = new Map<string, string[]>(); // "from→to" → port labels
    for (const rule of ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")) {
        const p = props(rule);
        const to = owner.get(String(p.securityGroupId));
        const from =
            p.referencedSecurityGroupId !== undefined
                ? owner.get(String(p.referencedSecurityGroupId))
                : WORLD.has(String(p.cidrIpv4)) || WORLD.has(String(p.cidrIpv6))
                  ? INTERNET.id
                  : undefined;
        if (to === undefined || from === undefined) continue;
        if (from === INTERNET.id && !nodes.includes(INTERNET)) nodes.unshift(INTERNET);
        const key = `${from}→${to}`;
        network.set(key, [...(network.get(key) ?? []), portLabel(p)]);
    }
    for (const [key, ports] of network) {
        const [from, to] = key.split("→");
        edges.push({ from, to, kind: "network", label: [...new Set(ports)].sort().join(", ") });
    }

    const targetGroupArn = (r: RecordedResource) => String(r.state.arn ?? "");
    const routes = new Map<string, string[]>(); // "lb→group" → path patterns
    const listeners = ofType("aws:lb/listener:Listener");
    for (const lb of ofType("aws:lb/loadBalancer:LoadBalancer")) {
        const lbArn = String(lb.state.arn ?? "");
        for (const listener of listeners.filter((l) => props(l).loadBalancerArn === lbArn)) {
            const listenerArn = String(listener.state.arn ?? "");
            const forwardTo = (actions: unknown, paths: string[]) => {
                for (const action of (actions ?? []) as { type?: string; targetGroupArn?: string }[]) {
                    const tg = ofType("aws:lb/targetGroup:TargetGroup").find((t) => targetGroupArn(t) === action.targetGroupArn);
                    const group = action.type === "forward" && tg !== undefined ? groupOfTargetGroup.get(targetGroupArn(tg)) : undefined;
                    if (group === undefined) continue;
                    const key = `${nodeId("lb", lb.name)}→${group}`;
                    routes.set(key, [...(routes.get(key) ?? []), ...paths]);
                }
            };
            for (const rule of ofType("aws:lb/listenerRule:ListenerRule").filter((r) => props(r).listenerArn === listenerArn)) {
                const conditions = (props(rule).conditions ?? []) as { pathPattern?: { values?: string[] } }[];
                forwardTo(
                    props(rule).actions,
                    conditions.flatMap((c) => c.pathPattern?.values ?? []),
                );
            }
            forwardTo(props(listener).defaultActions, ["every other path"]);
        }
    }
    for (const [key, paths] of routes) {
        const [from, to] = key.split("→");
        edges.push({ from, to, kind: "route", label: paths.join(" ") });
    }
    // Registration order varies (ui before trackers, for instance): order by kind, then by id.
    const rank = (id: string) => ["internet", "lb_", "group_", "db_", "redis_"].findIndex((prefix) => id.startsWith(prefix));
    const byRankThenId = (a: string, b: string) => rank(a) - rank(b) || a.localeCompare(b);
    nodes.sort((a, b) => byRankThenId(a.id, b.id));
    edges.sort((a, b) => a.kind.localeCompare(b.kind) || byRankThenId(a.from, b.from) || byRankThenId(a.to, b.to));
    return { nodes, edges };
}

/** Mermaid flowchart: solid arrows are allowed traffic, dotted arrows the load balancer's routing. */
export function renderMermaid(topology: Topology): string {
    const out = ["flowchart LR"];
    for (const n of topology.nodes) out.push(n.id === INTERNET.id ? `    ${n.id}(("${n.label}"))` : `    ${n.id}["${n.label}"]`);
    for (const e of topology.edges) {
        const label = e.label.replace(/"/g, "'");
        out.push(e.kind === "network" ? `    ${e.from} -->|"${label}"| ${e.to}` : `    ${e.from} -.->|"${label}"| ${e.to}`);
    }
    return out.join("\n") + "\n";
}

/** The same topology as Graphviz DOT, for an SVG rendered offline with `dot -Tsvg`. */
export function renderDot(topology: Topology): string {
    const quote = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
    const out = [
        "digraph matomo {",
        "    rankdir=LR;",
        '    node [shape=box, style="rounded", fontname="Helvetica"];',
        '    edge [fontname="Helvetica", fontsize=10];',
    ];
    for (const n of topology.nodes) out.push(`    ${n.id} [label=${quote(n.label.replace(/<br\/>/g, "\n"))}${n.id === INTERNET.id ? ", shape=ellipse" : ""}];`);
    for (const e of topology.edges) out.push(`    ${e.from} -> ${e.to} [label=${quote(e.label)}${e.kind === "route" ? ", style=dashed" : ""}];`);
    out.push("}");
    return out.join("\n") + "\n";
}
