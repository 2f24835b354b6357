/**
 * The one Pulumi mock runtime every graph test and the offline plan use.
 *
 * `pulumi.runtime.setMocks` builds the real resource graph in-process. What a mock returns is
 * what the next resource sees as a computed output, so this returns what AWS would: ids of the
 * right shape, ARNs, DNS names, endpoints, random passwords honouring their character rules.
 * Every value is derived from the resource's name, so two builds with the same args produce the
 * same graph byte for byte (the perpetual-diff tests rely on that).
 */
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { applyTransformsInMocks } from "./transforms";
import { resolveOutput, watchFailures, type FailureWatch } from "./failures";
import { planAwsxVpc, type AwsxChild } from "./awsxVpc";

/** awsx's Vpc: a remote component, whose provider the mock plays (see `awsxVpc.ts`). */
const AWSX_VPC = "awsx:ec2:Vpc";

/** The region the mocked provider reports; ARNs and endpoints are made in it. */
export const MOCK_REGION = "eu-west-1";
/** The account id the mocked caller identity and ARNs carry. */
export const MOCK_ACCOUNT = "123456789012";
/** The project name the program sees unless another is given. */
export const MOCK_PROJECT = "matomo";
/** The stack name the program sees. */
export const MOCK_STACK = "plan";

/** What a resource was created with, as the plan and tests read it. */
export interface RecordedResource {
    /** Type token as Pulumi writes it, e.g. `aws:lb/loadBalancer:LoadBalancer`. */
    type: string;
    /** Logical (Pulumi) name the resource was registered with. */
    name: string;
    /** Logical name of the parent resource; undefined for top-level resources. */
    parent?: string;
    /** Inputs with SDK (camelCase) names; secret values still wrapped (see `redactSecrets`). */
    inputs: Record<string, unknown>;
    /** True for a provider resource; false for a component (which has no state). */
    custom: boolean;
    /** The computed outputs the mock returned. */
    state: Record<string, unknown>;
    /** The id the mock gave the resource: what other resources' inputs hold when they reference it by `.id`. */
    id: string;
    /** Provider reference (`urn::id`) the resource was registered with, when one was given or inherited. */
    provider?: string;
    /** The resource option `ignoreChanges`, when given. */
    ignoreChanges?: string[];
    /** Names of the resources it waits for (its `dependsOn` and the resources its inputs come from), when any. */
    dependencies?: string[];
    /** The resource option `retainOnDelete` (own or inherited from its parent), when true: `pulumi destroy` leaves it in the account. */
    retainOnDelete?: true;
}

/** What the mocked AWS account and stack state look like. */
export interface MockOptions {
    /** Date stamp of the newest official Debian image the AMI lookup finds (`debian-12-<arch>-<date>-<build>`). Default `20261101`. */
    debianImageDate?: string;
    /**
     * The program's own answers for provider functions (invokes), asked before the library's: return
     * the function's result, or undefined to leave it to the library (which fails the plan, naming
     * the function, when it has no answer either).
     */
    call?: (token: string, inputs: Record<string, unknown>) => Record<string, unknown> | undefined;
    /** The program's own computed outputs for a resource, merged over the library's (return undefined to keep those). */
    newResource?: (type: string, name: string, inputs: Record<string, unknown>) => Record<string, unknown> | undefined;
    /**
     * The resources of a previous `pulumi up` (the stack's state). A resource registered again with the
     * same type and name keeps its previous value of every top-level property its `ignoreChanges` names,
     * as the engine does on an update.
     */
    previous?: RecordedResource[];
}

/** The running mock: what the program has registered so far. */
export interface MockRuntime {
    /** Every resource registered, in registration order. */
    resources: RecordedResource[];
    /** Resources of one type token, in creation order. */
    ofType(type: string): RecordedResource[];
    /** The single resource with this name; throws if there is none or several. */
    named(name: string): RecordedResource;
    /** Rejects with the first provider function the mocks had no answer for (the SDK would only report it as an unhandled rejection). */
    unanswered: Promise<never>;
    /** What failed so far: registrations the SDK dropped or the mock refused, unanswered invokes (see `failures.ts`). */
    failures: FailureWatch;
}

/** A stable pseudo-random hex string for a seed. */
export function stableHex(seed: string, length: number): string {
    let out = "";
    for (let i = 0; out.length < length; i++) out += createHash("sha256").update(`${seed}#${i}`).digest("hex");
    return out.slice(0, length);
}

/** The region this build answers in: the stack's `aws:region`, else `MOCK_REGION`. */
let activeRegion = MOCK_REGION;

/** A UUID-shaped id derived from a seed. */
function stableUuid(seed: string): string {
    const h = stableHex(seed, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function arn(service: string, resource: string, region = activeRegion): string {
    return `arn:aws:${service}:${region}:${MOCK_ACCOUNT}:${resource}`;
}

/**
 * A password as random.RandomPassword would make it: `length` characters from the classes its
 * inputs allow (upper, lower, numeric, special / overrideSpecial), each required class present.
 */
export function mockPassword(name: string, inputs: Record<string, unknown>): string {
    const length = Number(inputs.length ?? 16);
    const classes: string[] = [];
    if (inputs.upper !== false) classes.push("ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    if (inputs.lower !== false) classes.push("abcdefghijklmnopqrstuvwxyz");
    if (inputs.numeric !== false && inputs.number !== false) classes.push("0123456789");
    if (inputs.special !== false) classes.push(typeof inputs.overrideSpecial === "string" ? inputs.overrideSpecial : "!@#$%&*()-_=+[]{}<>:?");
    const usable = classes.filter((c) => c.length > 0);
    // Keepers replace the password in the real provider: a new value for new keepers.
    const seed = inputs.keepers === undefined ? `password:${name}` : `password:${name}:${JSON.stringify(inputs.keepers)}`;
    const bytes = Buffer.from(stableHex(seed, length * 2), "hex");
    const chars = [...bytes].map((b, i) => {
        const pool = i < usable.length ? usable[i] : usable.join("");
        return pool[b % pool.length];
    });
    return chars.join("");
}

/** What a mock resource's state is made from: its type, name and inputs, and stable ids derived from them. */
interface MockResource {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
    /** `n` hex digits, the same for the same type and name. */
    hex(n: number): string;
    /** An EC2-style id: `prefix-` and 17 hex digits. */
    shortId(prefix: string): string;
}

interface MockState {
    id: string;
    state: Record<string, unknown>;
}

/** Each resource type's state as its provider reports it after a create: ids, ARNs, endpoints in AWS's formats. */
const MOCK_STATES: Readonly<Record<string, (m: MockResource) => MockState>> = {
    "aws:ec2/vpc:Vpc": ({ inputs, shortId }) => {
        const id = shortId("vpc");
        return { id, state: { ...inputs, arn: arn("ec2", `vpc/${id}`), defaultSecurityGroupId: shortId("sg"), mainRouteTableId: shortId("rtb") } };
    },
    "aws:ec2/subnet:Subnet": ({ inputs, shortId }) => {
        const id = shortId("subnet");
        return { id, state: { ...inputs, arn: arn("ec2", `subnet/${id}`) } };
    },
    "aws:ec2/securityGroup:SecurityGroup": ({ inputs, shortId }) => {
        const id = shortId("sg");
        return { id, state: { ...inputs, arn: arn("ec2", `security-group/${id}`), ownerId: MOCK_ACCOUNT } };
    },
    "aws:ec2/internetGateway:InternetGateway": ({ inputs, shortId }) => ({ id: shortId("igw"), state: { ...inputs } }),
    "aws:ec2/natGateway:NatGateway": ({ inputs, shortId }) => ({ id: shortId("nat"), state: { ...inputs, publicIp: "198.51.100.10" } }),
    "aws:ec2/eip:Eip": ({ inputs, shortId }) => ({
        id: shortId("eipalloc"),
        state: { ...inputs, publicIp: "198.51.100.20", allocationId: shortId("eipalloc") },
    }),
    "aws:ec2/routeTable:RouteTable": ({ inputs, shortId }) => ({ id: shortId("rtb"), state: { ...inputs } }),
    "aws:ec2/launchTemplate:LaunchTemplate": ({ inputs, shortId }) => {
        const id = shortId("lt");
        return { id, state: { ...inputs, arn: arn("ec2", `launch-template/${id}`), latestVersion: 1, defaultVersion: 1 } };
    },
    "aws:lb/loadBalancer:LoadBalancer": ({ name, inputs, hex }) => {
        const lbName = String(inputs.name ?? name).slice(0, 32);
        const suffix = `app/${lbName}/${hex(16)}`;
        return {
            id: arn("elasticloadbalancing", `loadbalancer/${suffix}`),
            state: {
                ...inputs,
                arn: arn("elasticloadbalancing", `loadbalancer/${suffix}`),
                arnSuffix: suffix,
                dnsName: `${lbName}-${parseInt(hex(8), 16) % 1_000_000_000}.${activeRegion}.elb.amazonaws.com`,
                zoneId: "Z32O12XQLNTSW2",
            },
        };
    },
    "aws:lb/targetGroup:TargetGroup": ({ name, inputs, hex }) => {
        const suffix = `targetgroup/${String(inputs.name ?? name).slice(0, 32)}/${hex(16)}`;
        return { id: arn("elasticloadbalancing", suffix), state: { ...inputs, arn: arn("elasticloadbalancing", suffix), arnSuffix: suffix } };
    },
    "aws:lb/listener:Listener": ({ name, inputs, hex }) => {
        const a = arn("elasticloadbalancing", `listener/app/${name}/${hex(16)}`);
        return { id: a, state: { ...inputs, arn: a } };
    },
    "aws:lb/listenerRule:ListenerRule": (m) => MOCK_STATES["aws:lb/listener:Listener"](m),
    "aws:acm/certificate:Certificate": ({ inputs, hex }) => {
        const a = arn("acm", `certificate/${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`);
        const domainName = String(inputs.domainName ?? "example.com");
        return {
            id: a,
            state: {
                ...inputs,
                arn: a,
                status: "ISSUED",
                domainValidationOptions: [
                    {
                        domainName,
                        resourceRecordName: `_${hex(32)}.${domainName}.`,
                        resourceRecordType: "CNAME",
                        resourceRecordValue: `_${hex(32)}.mhbtsbpdnt.acm-validations.aws.`,
                    },
                ],
            },
        };
    },
    "aws:acm/certificateValidation:CertificateValidation": ({ name, inputs }) => ({ id: String(inputs.certificateArn ?? name), state: { ...inputs } }),
    "aws:rds/instance:Instance": ({ name, inputs, hex }) => {
        const identifier = String(inputs.identifier ?? name);
        const address = `${identifier}.c${hex(11)}.${activeRegion}.rds.amazonaws.com`;
        const port = Number(inputs.port ?? 3306);
        return {
            id: `db-${hex(26).toUpperCase()}`,
            state: {
                ...inputs,
                identifier,
                arn: arn("rds", `db:${identifier}`),
                address,
                port,
                endpoint: `${address}:${port}`,
                // RDS keeps a managed master password in a secret it names rds!db-<uuid>.
                ...(inputs.manageMasterUserPassword === true
                    ? {
                          masterUserSecrets: [
                              {
                                  secretArn: arn("secretsmanager", `secret:rds!db-${stableUuid(`rds:${identifier}`)}-${hex(6)}`),
                                  kmsKeyId: String(inputs.masterUserSecretKmsKeyId ?? arn("kms", `key/${stableUuid(`rds-kms:${identifier}`)}`)),
                                  secretStatus: "active",
                              },
                          ],
                      }
                    : {}),
                resourceId: `db-${hex(26).toUpperCase()}`,
                hostedZoneId: "Z29XKXDKYMONMX",
            },
        };
    },
    "aws:secretsmanager/secret:Secret": ({ name, inputs, hex }) => {
        const secretName = String(inputs.name ?? name);
        const a = arn("secretsmanager", `secret:${secretName}-${hex(6)}`);
        return { id: a, state: { ...inputs, arn: a, name: secretName } };
    },
    "aws:secretsmanager/secretVersion:SecretVersion": ({ type, name, inputs }) => {
        // Secrets Manager makes a new version for a new value: the id follows the value here.
        const versionId = stableHex(`${type}:${name}:${JSON.stringify(inputs.secretString ?? null)}`, 32);
        return { id: `${String(inputs.secretId)}|${versionId}`, state: { ...inputs, arn: inputs.secretId, versionId } };
    },
    "aws:iam/role:Role": ({ name, inputs, hex }) => {
        const roleName = String(inputs.name ?? `${name}-${hex(7)}`);
        return {
            id: roleName,
            state: { ...inputs, name: roleName, arn: `arn:aws:iam::${MOCK_ACCOUNT}:role/${roleName}`, uniqueId: `AROA${hex(17).toUpperCase()}` },
        };
    },
    "aws:iam/instanceProfile:InstanceProfile": ({ name, inputs, hex }) => {
        const profileName = String(inputs.name ?? `${name}-${hex(7)}`);
        return { id: profileName, state: { ...inputs, name: profileName, arn: `arn:aws:iam::${MOCK_ACCOUNT}:instance-profile/${profileName}` } };
    },
    "aws:iam/policy:Policy": ({ name, inputs, hex }) => {
        const policyName = String(inputs.name ?? `${name}-${hex(7)}`);
        return {
            id: `arn:aws:iam::${MOCK_ACCOUNT}:policy/${policyName}`,
            state: { ...inputs, name: policyName, arn: `arn:aws:iam::${MOCK_ACCOUNT}:policy/${policyName}` },
        };
    },
    "aws:autoscaling/group:Group": ({ name, inputs, hex }) => {
        const groupName = String(inputs.name ?? `${name}-${hex(7)}`);
        return {
            id: groupName,
            state: { ...inputs, name: groupName, arn: arn("autoscaling", `autoScalingGroup:${hex(8)}:autoScalingGroupName/${groupName}`) },
        };
    },
    "aws:elasticache/replicationGroup:ReplicationGroup": ({ name, inputs, hex }) => {
        const groupId = String(inputs.replicationGroupId ?? name);
        return {
            id: groupId,
            state: {
                ...inputs,
                arn: arn("elasticache", `replicationgroup:${groupId}`),
                primaryEndpointAddress: `master.${groupId}.${hex(6)}.euw1.cache.amazonaws.com`,
                readerEndpointAddress: `replica.${groupId}.${hex(6)}.euw1.cache.amazonaws.com`,
                port: inputs.port ?? 6379,
            },
        };
    },
    "aws:s3/bucket:Bucket": ({ name, inputs, hex }) => {
        // With bucketPrefix, the provider appends a 26-digit unique suffix (a timestamp and a counter).
        const bucket = String(
            inputs.bucket ??
                (typeof inputs.bucketPrefix === "string"
                    ? `${inputs.bucketPrefix}${String(parseInt(hex(12), 16))
                          .padStart(26, "0")
                          .slice(-26)}`
                    : `${name}-${hex(7)}`),
        );
        return { id: bucket, state: { ...inputs, bucket, arn: `arn:aws:s3:::${bucket}`, bucketDomainName: `${bucket}.s3.amazonaws.com` } };
    },
    "aws:s3/bucketV2:BucketV2": (m) => MOCK_STATES["aws:s3/bucket:Bucket"](m),
    "aws:s3/bucketObjectv2:BucketObjectv2": ({ name, inputs, hex }) => {
        // S3 gives every stored version a new opaque id (letters, digits, + and /, 32 here); derived from
        // the content, so the same bytes keep their version and new bytes get a new one, as after an update.
        const versionId = createHash("sha256")
            .update(`${name}:${String(inputs.contentBase64 ?? inputs.content ?? "")}`)
            .digest("base64")
            .slice(0, 32);
        return {
            id: String(inputs.key),
            state: { ...inputs, versionId, etag: hex(32), arn: `arn:aws:s3:::${String(inputs.bucket)}/${String(inputs.key)}` },
        };
    },
    // A hosted zone's id as Route 53 gives one (e.g. Z23ABC4XYZL05B), its ARN partition-global, four name servers.
    "aws:route53/zone:Zone": ({ inputs, hex }) => {
        const zoneId = `Z${hex(13).toUpperCase()}`;
        return {
            id: zoneId,
            state: {
                ...inputs,
                zoneId,
                arn: `arn:aws:route53:::hostedzone/${zoneId}`,
                nameServers: ["ns-1.awsdns-01.com", "ns-513.awsdns-01.net", "ns-1025.awsdns-01.org", "ns-1537.awsdns-01.co.uk"],
            },
        };
    },
    "aws:route53/record:Record": ({ inputs }) => ({
        id: `${String(inputs.zoneId)}_${String(inputs.name)}_${String(inputs.type)}`,
        state: { ...inputs, fqdn: inputs.name },
    }),
    // Image Builder: ARNs name the resource and its version (build 1); the image reports its AMI as the service does.
    "aws:imagebuilder/component:Component": ({ inputs }) => {
        return {
            id: arn("imagebuilder", `component/${String(inputs.name)}/${String(inputs.version)}/1`),
            state: { ...inputs, arn: arn("imagebuilder", `component/${String(inputs.name)}/${String(inputs.version)}/1`) },
        };
    },
    "aws:imagebuilder/imageRecipe:ImageRecipe": ({ inputs }) => {
        return {
            id: arn("imagebuilder", `image-recipe/${String(inputs.name)}/${String(inputs.version)}`),
            state: { ...inputs, arn: arn("imagebuilder", `image-recipe/${String(inputs.name)}/${String(inputs.version)}`) },
        };
    },
    "aws:imagebuilder/image:Image": ({ name, inputs }) => {
        const recipe = /image-recipe\/([^/]+)\/([^/]+)/.exec(String(inputs.imageRecipeArn ?? "")) ?? [];
        const imageArn = arn("imagebuilder", `image/${recipe[1] ?? name}/${recipe[2] ?? "1.0.0"}/1`);
        return {
            id: imageArn,
            state: {
                ...inputs,
                arn: imageArn,
                outputResources: [
                    { amis: [{ image: `ami-${stableHex(`ami:${name}:${String(inputs.imageRecipeArn)}`, 17)}`, region: activeRegion }], containers: [] },
                ],
            },
        };
    },
    "aws:cloudwatch/logGroup:LogGroup": ({ name, inputs }) => {
        // CloudWatch Logs' ARN format; the provider's `arn` carries no trailing `:*`.
        const groupName = String(inputs.name ?? name);
        return { id: groupName, state: { ...inputs, name: groupName, arn: arn("logs", `log-group:${groupName}`) } };
    },
    "random:index/randomPassword:RandomPassword": ({ name, inputs }) => {
        const result = mockPassword(name, inputs);
        return { id: "none", state: { ...inputs, result, bcryptHash: `$2a$10$${stableHex(`bcrypt:${name}`, 53)}` } };
    },
    "random:index/randomId:RandomId": ({ inputs, hex }) => ({
        id: hex(16),
        state: { ...inputs, hex: hex(Number(inputs.byteLength ?? 8) * 2), b64Url: hex(11) },
    }),
};

/** Any other type: its inputs, a generated id, and an ARN when it is an AWS resource. */
function genericMockState({ type, name, inputs, hex }: MockResource): MockState {
    const [pkg, module] = type.split(":");
    const service = (module ?? "").split("/")[0] || "resource";
    const id = `${name}-${hex(8)}`;
    return { id, state: pkg === "aws" ? { ...inputs, arn: arn(service, `${name}/${id}`) } : { ...inputs } };
}

function mockState(type: string, name: string, inputs: Record<string, unknown>): MockState {
    const hex = (n: number) => stableHex(`${type}:${name}`, n);
    const shortId = (prefix: string) => `${prefix}-${hex(17)}`;
    return (MOCK_STATES[type] ?? genericMockState)({ type, name, inputs, hex, shortId });
}

/** AWS's zone id prefix for a region: eu-west-1 → euw1, us-east-1 → use1, ap-southeast-2 → apse2. */
function zoneIdPrefix(region: string): string {
    const [area, direction = "", number = ""] = region.split("-");
    const short = direction
        .replace(/^(north|south)(east|west)$/, (_, a: string, b: string) => a[0] + b[0])
        .replace(/^(north|south|east|west|central)$/, (d) => d[0]);
    return `${area}${short}${number}`;
}

/** The zones the mocked account sees in a region: its a, b and c. */
function zoneNames(region: string): string[] {
    return ["a", "b", "c"].map((z) => `${region}${z}`);
}

/** A component's state: none, except for the remote components whose provider the mock plays (awsx's Vpc), which bring children. */
function componentState(type: string, name: string, inputs: Record<string, unknown>): MockState & { children: AwsxChild[] } {
    if (type !== AWSX_VPC) return { id: `${name}-component`, state: {}, children: [] };
    const region = typeof inputs.region === "string" ? inputs.region : activeRegion;
    const { state, children } = planAwsxVpc(name, inputs, zoneNames(region), mockState);
    return { id: `${name}-component`, state, children };
}

function mockCall(token: string, inputs: Record<string, unknown>, options: MockOptions): Record<string, unknown> {
    switch (token) {
        case "aws:index/getAvailabilityZones:getAvailabilityZones":
            return {
                names: zoneNames(activeRegion),
                zoneIds: [1, 2, 3].map((n) => `${zoneIdPrefix(activeRegion)}-az${n}`),
                state: "available",
            };
        case "aws:index/getRegion:getRegion":
            return { name: activeRegion, region: activeRegion, id: activeRegion, endpoint: `ec2.${activeRegion}.amazonaws.com` };
        case "aws:acm/getCertificate:getCertificate": {
            // The newest issued certificate for the domain, as ACM lists it.
            const domain = String(inputs.domain ?? "example.com");
            const a = arn("acm", `certificate/${stableUuid(`acm:${domain}`)}`);
            return { id: a, arn: a, domain, status: "ISSUED", statuses: inputs.statuses ?? [], tags: {} };
        }
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return { accountId: MOCK_ACCOUNT, arn: `arn:aws:iam::${MOCK_ACCOUNT}:user/plan`, userId: "AIDAPLAN", id: MOCK_ACCOUNT };
        case "aws:index/getPartition:getPartition":
            return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
        case "aws:ec2/getAmi:getAmi": {
            // Debian's images: architecture as asked for in the filters, root device /dev/xvda.
            const filters = (inputs.filters ?? []) as { name: string; values: string[] }[];
            const architecture = filters.find((f) => f.name === "architecture")?.values[0] ?? "arm64";
            const debianArch = architecture === "x86_64" ? "amd64" : "arm64";
            const date = options.debianImageDate ?? "20261101";
            return {
                id: `ami-${stableHex(`${JSON.stringify(inputs)}@${date}`, 17)}`,
                architecture,
                name: `debian-12-${debianArch}-${date}-1234`,
                ownerId: "136693071363",
                rootDeviceName: "/dev/xvda",
                rootDeviceType: "ebs",
                virtualizationType: "hvm",
            };
        }
        case "aws:secretsmanager/getSecretVersion:getSecretVersion": {
            // An RDS-format secret for any ARN, its password derived from the ARN.
            const secretId = String(inputs.secretId);
            const password = mockPassword(`secret:${secretId}`, { length: 32, overrideSpecial: "!#%*()-_=+[]{}<>:?" });
            return {
                arn: secretId,
                id: `${secretId}|AWSCURRENT`,
                secretId,
                versionId: stableHex(secretId, 32),
                versionStages: ["AWSCURRENT"],
                secretString: JSON.stringify({ username: "matomo", password }),
            };
        }
        case "aws:kms/getKey:getKey": {
            // A key id, alias name or alias ARN resolves to the key's ARN, as KMS DescribeKey does.
            const h = stableHex(`kms:${String(inputs.keyId)}`, 32);
            const keyId = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
            return { id: keyId, keyId, arn: arn("kms", `key/${keyId}`), keyManager: "CUSTOMER", enabled: true };
        }
        case "aws:iam/getPolicyDocument:getPolicyDocument":
            return { json: JSON.stringify({ Version: "2012-10-17", Statement: inputs.statements ?? [] }) };
        default:
            throw new Error(
                `mock runtime: no answer for the provider function ${token}; give one in PlanOptions.mock.call (or add it to lib/plan/mockRuntime.ts)`,
            );
    }
}

/**
 * Install the mocks and start recording. Call before importing or constructing anything that
 * creates resources. `config` is stack config as `project:key` → value.
 */
export function installMockRuntime(config: Record<string, string> = {}, project = MOCK_PROJECT, options: MockOptions = {}): MockRuntime {
    const resources: RecordedResource[] = [];
    let currentParent: string | undefined;
    let currentIgnoreChanges: string[] = [];
    let currentDependencies: string[] = [];
    let currentRetainOnDelete = false;

    pulumi.runtime.setAllConfig({ "aws:region": MOCK_REGION, ...config });
    activeRegion = config["aws:region"] ?? MOCK_REGION;
    let reportUnanswered: (error: Error) => void = () => undefined;
    const unanswered = new Promise<never>((_, reject) => (reportUnanswered = reject));
    unanswered.catch(() => undefined); // a build that never asks is not a failure
    pulumi.runtime.setMocks(
        {
            newResource(args: pulumi.runtime.MockResourceArgs) {
                const inputs = (args.inputs ?? {}) as Record<string, unknown>;
                const own = options.newResource?.(args.type, args.name, inputs);
                // A component the program answers itself is not imitated (the imitation refuses arguments it does not know).
                const made: MockState & { children?: AwsxChild[] } =
                    args.custom !== false
                        ? mockState(args.type, args.name, inputs)
                        : own !== undefined
                          ? { id: `${args.name}-component`, state: {} }
                          : componentState(args.type, args.name, inputs);
                const id = made.id;
                const state: Record<string, unknown> = { ...made.state, ...(own ?? {}) };
                const ignoreChanges = currentIgnoreChanges;
                const retainOnDelete = currentRetainOnDelete;
                const before = options.previous?.find((r) => r.type === args.type && r.name === args.name);
                for (const key of before ? ignoreChanges : []) {
                    inputs[key] = before!.inputs[key];
                    state[key] = before!.state[key];
                }
                resources.push({
                    type: args.type,
                    name: args.name,
                    id,
                    parent: currentParent,
                    inputs,
                    custom: args.custom !== false,
                    state,
                    ...(args.provider ? { provider: args.provider } : {}),
                    ...(ignoreChanges.length > 0 ? { ignoreChanges } : {}),
                    ...(currentDependencies.length > 0 ? { dependencies: currentDependencies } : {}),
                    ...(retainOnDelete ? { retainOnDelete: true as const } : {}),
                });
                for (const child of made.children ?? []) resources.push({ ...child, custom: true });
                return { id, state };
            },
            call(args: pulumi.runtime.MockCallArgs) {
                const inputs = (args.inputs ?? {}) as Record<string, unknown>;
                const own = options.call?.(args.token, inputs);
                if (own !== undefined) return own;
                try {
                    return mockCall(args.token, inputs, options);
                } catch (error) {
                    reportUnanswered(error as Error);
                    throw error;
                }
            },
        },
        project,
        MOCK_STACK,
        false,
    );
    recordRequests((parentUrn, ignoreChanges, dependencies, retainOnDelete) => {
        currentParent = parentUrn ? parentUrn.split("::").pop() : undefined;
        currentIgnoreChanges = ignoreChanges;
        currentDependencies = dependencies.map((urn) => urn.split("::").pop() as string);
        currentRetainOnDelete = retainOnDelete;
    });
    const failures = watchFailures(runtimeSettings().getMonitor());
    unanswered.catch((error: Error) => failures.record({ error: error.message }, error));
    applyTransformsInMocks(runtimeSettings().getMonitor() as Parameters<typeof applyTransformsInMocks>[0]);

    return {
        resources,
        unanswered,
        failures,
        ofType: (type) => resources.filter((r) => r.type === type),
        named(name) {
            const found = resources.filter((r) => r.name === name);
            if (found.length !== 1) throw new Error(`expected one resource named ${name}, found ${found.length}`);
            return found[0];
        },
    };
}

/** The SDK's runtime settings module: its mock monitor and its queue of pending registrations. */
function runtimeSettings(): { getMonitor(): unknown; waitForRPCs(): Promise<void> } {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("@pulumi/pulumi/runtime/settings");
}

/**
 * The mock monitor hands `newResource` no parent and no `ignoreChanges`. It calls `newResource`
 * synchronously at the start of `registerResource`, so noting the request's just before is exact.
 */
function recordRequests(onRequest: (parentUrn: string | undefined, ignoreChanges: string[], dependencies: string[], retainOnDelete: boolean) => void): void {
    const monitor = runtimeSettings().getMonitor() as Record<
        string,
        (
            req: { getParent(): string; getIgnorechangesList?(): string[]; getDependenciesList?(): string[]; getRetainondelete?(): boolean | undefined },
            cb: unknown,
        ) => unknown
    >;
    for (const method of ["registerResource", "readResource"]) {
        const original = monitor[method];
        if (typeof original !== "function") throw new Error(`mock runtime: the Pulumi SDK's mock monitor has no ${method}; update lib/plan/mockRuntime.ts`);
        monitor[method] = function (this: unknown, req, cb) {
            onRequest(req.getParent() || undefined, req.getIgnorechangesList?.() ?? [], req.getDependenciesList?.() ?? [], req.getRetainondelete?.() === true);
            return original.call(this, req, cb);
        };
    }
}

/**
 * Wait until every resource registration and provider call started so far has finished (the SDK's
 * own RPC queue, as `pulumi up` drains it before exiting). Call it after constructing, before
 * reading `resources` and before the next `installMockRuntime`: `setMocks` resets that queue.
 */
export async function settle(): Promise<void> {
    const settings = runtimeSettings();
    if (typeof settings.waitForRPCs !== "function") throw new Error("mock runtime: the Pulumi SDK has no waitForRPCs; update lib/plan/mockRuntime.ts");
    await settings.waitForRPCs();
}

/** Resolve an Output (or plain value) to its value, for assertions; rejects when the Output does (an apply threw). */
export function valueOf<T>(output: pulumi.Input<T>): Promise<T> {
    return resolveOutput(output) as Promise<T>;
}

const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Whether a recorded input value is a secret (a Pulumi secret as the mock monitor hands it over, or an unresolved Output). */
export function isSecretValue(value: unknown): boolean {
    if (value === null || typeof value !== "object") return false;
    return (value as Record<string, unknown>)[pulumi.runtime.specialSigKey] === SECRET_SIG || pulumi.Output.isInstance(value);
}

/** A deep copy of inputs with every secret value replaced by "[secret]". */
export function redactSecrets(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(redactSecrets);
    if (value !== null && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (isSecretValue(value)) return "[secret]";
        return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, redactSecrets(v)]));
    }
    return value;
}
