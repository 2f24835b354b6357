/**
 * Database: the one RDS MySQL (or MariaDB) master every node writes to, optionally a read
 * replica, a parameter group with what Matomo's system check asks for, a generated password in
 * Secrets Manager, and a security group that admits port 3306 only from the groups it is given.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { resolveDatabaseComponentArgs } from "../settings";
import { DATABASE_COLLATION } from "../config";
import { physicalName, physicalPrefix, NAME_LIMITS } from "./naming";
import { serviceAssumeRolePolicy } from "./iam";
import { childOpts, primaryChildOpts, withOverride, type Tags } from "./options";

// Generated from the schema (lib/settings/components.ts) with every other argument type (npm run generate).
import type { DatabaseArgs, DatabaseParameter } from "./componentArgs.generated";
export type { DatabaseArgs, DatabaseParameter };

/** RDS MySQL/MariaDB master password rules: printable ASCII except `/`, `"`, `@` and space; 8 to 41 characters. We also leave out `$`, `` ` ``, `'`, `\` and `&` so no shell or INI layer ever needs to quote them. */
export const DATABASE_PASSWORD_SPECIALS = "!#%*()-_=+[]{}<>:?";
export const DATABASE_PASSWORD_LENGTH = 32;

/**
 * The arguments of every database password the cluster generates (the master's and its users'):
 * length, specials, one of each class; keepers only from the first rotation on, since adding them
 * to a stack made before would replace the password.
 */
export function databasePasswordArgs(passwordVersion: number): random.RandomPasswordArgs {
    return {
        length: DATABASE_PASSWORD_LENGTH,
        special: true,
        overrideSpecial: DATABASE_PASSWORD_SPECIALS,
        minLower: 1,
        minUpper: 1,
        minNumeric: 1,
        minSpecial: 1,
        ...(passwordVersion > 1 ? { keepers: { passwordVersion: String(passwordVersion) } } : {}),
    };
}

/** The parameters Matomo needs, by name (values as RDS takes them); with the slow query log exported, the ones that write it to a file. */
export function matomoParameters(
    requireTls: boolean,
    logExports: readonly string[] = [],
): { name: string; value: string; applyMethod: "immediate" | "pending-reboot" }[] {
    return [
        // Matomo's system check wants at least 64 MB; archiving and bulk tracking send large packets.
        { name: "max_allowed_packet", value: String(128 * 1024 * 1024), applyMethod: "immediate" },
        { name: "character_set_server", value: "utf8mb4", applyMethod: "immediate" },
        { name: "collation_server", value: DATABASE_COLLATION, applyMethod: "immediate" },
        // Lets Matomo use LOAD DATA LOCAL INFILE for bulk archive inserts (its system check reports it).
        { name: "local_infile", value: "1", applyMethod: "immediate" },
        ...(requireTls ? [{ name: "require_secure_transport", value: "1", applyMethod: "immediate" as const }] : []),
        // RDS publishes the slow query log to CloudWatch Logs only when it is on and written to a file
        // (RDS for MySQL's default log_output is TABLE).
        ...(logExports.includes("slowquery")
            ? [
                  { name: "slow_query_log", value: "1", applyMethod: "immediate" as const },
                  { name: "log_output", value: "FILE", applyMethod: "immediate" as const },
              ]
            : []),
    ];
}

/** The RDS master (and optional read replica) Matomo writes to, with its parameter group, password secret and security group. */
export class Database extends pulumi.ComponentResource {
    /** The master instance. */
    readonly instance: aws.rds.Instance;
    /** The read replica, with `readReplica: true`. */
    readonly replica?: aws.rds.Instance;
    /** The database's security group: admits 3306 from `allowedSecurityGroupIds` and from groups linked with `allowTcp`. */
    readonly securityGroupId: pulumi.Output<string>;
    /** Host name of the master. */
    readonly address: pulumi.Output<string>;
    /** Host name of the read replica, when there is one. */
    readonly readerAddress?: pulumi.Output<string>;
    /** The port the master listens on. */
    readonly port: pulumi.Output<number>;
    /** `host:port` of the master. */
    readonly endpoint: pulumi.Output<string>;
    /** Secrets Manager secret, JSON in RDS's format: `{"username", "password", "engine", "host", "port", "dbname"}`. */
    readonly passwordSecretArn: pulumi.Output<string>;
    /** The secret's current version: a new one with every password (or endpoint) change. */
    readonly passwordSecretVersionId: pulumi.Output<string>;
    /** The master password (a Pulumi secret). */
    readonly password: pulumi.Output<string>;
    /** The master user name. */
    readonly username: string;
    /** The schema Matomo uses. */
    readonly databaseName: string;

    constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        const d = resolveDatabaseComponentArgs(args);
        super("matomo:aws:Database", name, {}, opts);
        const tags = d.tags ?? {};
        this.username = d.username;
        this.databaseName = d.name;

        const sg = createDatabaseSecurityGroup(name, args, tags, this);

        const subnets = new aws.rds.SubnetGroup(
            `${name}-subnets`,
            { subnetIds: args.subnetIds, description: "Matomo database: private subnets", tags },
            childOpts(this),
        );
        const parameterGroup = createParameterGroup(name, args, d, tags, this);

        const password = new random.RandomPassword(`${name}-password`, databasePasswordArgs(d.passwordVersion), childOpts(this));
        const restore = d.restoreFromSnapshot;

        // Enhanced monitoring: RDS's agent publishes OS metrics through this role (AWS's managed policy for it),
        // attached by its own resource: the provider deprecates the role's exclusive `managedPolicyArns`.
        const monitoringRoleArn = d.monitoringIntervalSeconds > 0 ? createMonitoringRole(name, tags, this) : undefined;
        const observability: InstanceObservability = {
            enabledCloudwatchLogsExports: d.logExports,
            monitoringInterval: d.monitoringIntervalSeconds,
            monitoringRoleArn,
        };

        const identifier = physicalName(name, "db", NAME_LIMITS.dbInstanceIdentifier);
        // Snapshot names are unique per account and region and outlive the instance: a fixed name makes the
        // second destroy of a stack fail (DBSnapshotAlreadyExists). The suffix is made once, kept in state,
        // and made anew after a destroy. 8 hex digits keep the name within RDS's rules (letters, digits,
        // single hyphens, 255 at most).
        const snapshotSuffix = d.finalSnapshot ? new random.RandomId(`${name}-final-snapshot`, { byteLength: 4 }, childOpts(this)) : undefined;
        this.instance = new aws.rds.Instance(
            `${name}-db`,
            withOverride<aws.rds.InstanceArgs>(
                {
                    identifier,
                    engine: d.engine,
                    engineVersion: d.engineVersion,
                    autoMinorVersionUpgrade: true,
                    // RDS refuses a new major engineVersion without it. The upgrade (and the new parameter
                    // group) applies in the next maintenance window unless `applyImmediately` is overridden.
                    allowMajorVersionUpgrade: true,
                    instanceClass: d.instanceClass,
                    storageType: "gp3",
                    allocatedStorage: d.allocatedStorageGiB,
                    maxAllocatedStorage: d.maxAllocatedStorageGiB,
                    ...(d.iops !== undefined ? { iops: d.iops } : {}),
                    ...(d.storageThroughput !== undefined ? { storageThroughput: d.storageThroughput } : {}),
                    storageEncrypted: true,
                    // A restore takes the schema, the master user and the encryption key from the snapshot:
                    // RDS's restore has no DBName for MySQL/MariaDB and no master user name, and the provider
                    // refuses a name or username beside `snapshotIdentifier` (terraform-provider-aws#17156). The
                    // password is ours: the provider sets it with a modification right after the restore.
                    ...(restore !== undefined ? { snapshotIdentifier: restore } : { kmsKeyId: args.kmsKeyId, dbName: d.name, username: d.username }),
                    password: password.result,
                    port: 3306,
                    dbSubnetGroupName: subnets.name,
                    vpcSecurityGroupIds: [sg.id],
                    parameterGroupName: parameterGroup.name,
                    publiclyAccessible: false,
                    multiAz: d.multiAz,
                    backupRetentionPeriod: d.backupRetentionDays,
                    copyTagsToSnapshot: true,
                    deletionProtection: d.deletionProtection,
                    ...observability,
                    skipFinalSnapshot: !d.finalSnapshot,
                    finalSnapshotIdentifier: snapshotSuffix ? pulumi.interpolate`${identifier}-final-${snapshotSuffix.hex}` : undefined,
                    tags,
                },
                args.instance,
            ),
            primaryChildOpts(this, opts, args.instance),
        );

        if (d.readReplica) {
            this.replica = createReplica(
                name,
                args,
                d,
                { source: this.instance, securityGroup: sg, parameterGroup, observability },
                primaryChildOpts(this, opts, args.replica),
            );
            this.readerAddress = this.replica.address;
        }

        const { secret, version } = createPasswordSecret(name, args, d, password, this.instance, this);

        this.securityGroupId = sg.id;
        this.address = this.instance.address;
        this.port = this.instance.port;
        this.endpoint = this.instance.endpoint;
        this.passwordSecretArn = secret.arn;
        this.passwordSecretVersionId = version.versionId;
        this.password = pulumi.secret(password.result);
        this.registerOutputs({
            address: this.address,
            readerAddress: this.readerAddress,
            endpoint: this.endpoint,
            securityGroupId: this.securityGroupId,
            passwordSecretArn: this.passwordSecretArn,
        });
    }
}

/** The arguments with the component's defaults filled in. */
type ResolvedDatabaseArgs = ReturnType<typeof resolveDatabaseComponentArgs>;

/** What the primary and its replica both publish: log exports and enhanced monitoring. */
interface InstanceObservability {
    enabledCloudwatchLogsExports: string[];
    monitoringInterval: number;
    monitoringRoleArn: pulumi.Output<string> | undefined;
}

/** The database's security group: MySQL from the node groups (linked by the cluster) and from `allowedSecurityGroupIds`. */
function createDatabaseSecurityGroup(name: string, args: DatabaseArgs, tags: Tags, parent: pulumi.Resource): aws.ec2.SecurityGroup {
    const sg = new aws.ec2.SecurityGroup(
        `${name}-sg`,
        { vpcId: args.vpcId, description: "Matomo database: MySQL from the node groups only", tags: { ...tags, Name: `${name}-db` } },
        childOpts(parent),
    );
    (args.allowedSecurityGroupIds ?? []).forEach((source, i) => {
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-allow-${i + 1}`,
            {
                securityGroupId: sg.id,
                referencedSecurityGroupId: source,
                ipProtocol: "tcp",
                fromPort: 3306,
                toPort: 3306,
                description: "MySQL from a client group",
                tags,
            },
            childOpts(parent),
        );
    });
    return sg;
}

/** Matomo's server parameters (matomoParameters), with the user's extra ones replacing ours by name. */
function createParameterGroup(name: string, args: DatabaseArgs, d: ResolvedDatabaseArgs, tags: Tags, parent: pulumi.Resource): aws.rds.ParameterGroup {
    const parameters = [
        ...matomoParameters(d.requireTls, d.logExports).filter((p) => !(args.extraParameters ?? []).some((e) => e.name === p.name)),
        ...(args.extraParameters ?? []),
    ];
    // A major version change changes the family, which replaces the group. It has a name prefix (no
    // `name`) and is replaced create-before-delete (no `deleteBeforeReplace`): the instance still uses
    // the old group until it moves to the new one, so the old can only go afterwards. The prefix, not
    // Pulumi's autoname: RDS takes only letters, digits and single hyphens, which a component name need not be.
    return new aws.rds.ParameterGroup(
        `${name}-params`,
        {
            namePrefix: physicalPrefix(name, "params", NAME_LIMITS.rdsParameterGroupNamePrefix),
            family: `${d.engine}${d.engineVersion}`,
            description: "Matomo: utf8mb4, large packets, LOAD DATA LOCAL, TLS",
            parameters,
            tags,
        },
        childOpts(parent),
    );
}

/** The role RDS's enhanced monitoring agent publishes OS metrics through; its ARN once the policy is attached. */
function createMonitoringRole(name: string, tags: Tags, parent: pulumi.Resource): pulumi.Output<string> {
    const monitoringRole = new aws.iam.Role(
        `${name}-monitoring`,
        {
            namePrefix: physicalPrefix(name, "rds-monitoring", NAME_LIMITS.iamRoleNamePrefix),
            description: "RDS enhanced monitoring of the Matomo database",
            assumeRolePolicy: serviceAssumeRolePolicy("monitoring.rds.amazonaws.com"),
            tags,
        },
        childOpts(parent),
    );
    const attachment = new aws.iam.RolePolicyAttachment(
        `${name}-monitoring`,
        {
            role: monitoringRole.name,
            policyArn: aws.getPartitionOutput({}, { parent }).partition.apply((p) => `arn:${p}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`),
        },
        childOpts(parent),
    );
    // The instance names the role only once its policy is attached: RDS's agent must be able to publish from the start.
    return pulumi.all([monitoringRole.arn, attachment.id]).apply(([arn]) => arn);
}

/** The read replica: the primary's class, I/O, key and groups; no backups of its own. */
function createReplica(
    name: string,
    args: DatabaseArgs,
    d: ResolvedDatabaseArgs,
    from: { source: aws.rds.Instance; securityGroup: aws.ec2.SecurityGroup; parameterGroup: aws.rds.ParameterGroup; observability: InstanceObservability },
    opts: pulumi.CustomResourceOptions,
): aws.rds.Instance {
    return new aws.rds.Instance(
        `${name}-replica`,
        withOverride<aws.rds.InstanceArgs>(
            {
                identifier: physicalName(name, "db-reader", NAME_LIMITS.dbInstanceIdentifier),
                replicateSourceDb: from.source.identifier,
                instanceClass: d.instanceClass,
                storageType: "gp3",
                // The primary's I/O: Matomo warns that a reader which lags corrupts reports, and a
                // replica replays every write the primary makes (docs/aws.md, "Read replica").
                ...(d.iops !== undefined ? { iops: d.iops } : {}),
                ...(d.storageThroughput !== undefined ? { storageThroughput: d.storageThroughput } : {}),
                storageEncrypted: true,
                kmsKeyId: args.kmsKeyId,
                maxAllocatedStorage: d.maxAllocatedStorageGiB,
                vpcSecurityGroupIds: [from.securityGroup.id],
                parameterGroupName: from.parameterGroup.name,
                publiclyAccessible: false,
                autoMinorVersionUpgrade: true,
                deletionProtection: d.deletionProtection,
                ...from.observability,
                // A replica's data is the primary's, which has the backups and point-in-time recovery;
                // single-AZ: losing it stops archiving, never tracking (docs/observability.md, RDS.5/RDS.11).
                skipFinalSnapshot: true,
                backupRetentionPeriod: 0,
                multiAz: false,
                copyTagsToSnapshot: true,
                tags: d.tags ?? {},
            },
            args.replica,
        ),
        opts,
    );
}

/** The master credential in RDS's JSON format, for the ui nodes that create Matomo's users with it. */
function createPasswordSecret(
    name: string,
    args: DatabaseArgs,
    d: ResolvedDatabaseArgs,
    password: random.RandomPassword,
    instance: aws.rds.Instance,
    parent: pulumi.Resource,
): { secret: aws.secretsmanager.Secret; version: aws.secretsmanager.SecretVersion } {
    const secret = new aws.secretsmanager.Secret(
        `${name}-password`,
        {
            namePrefix: physicalPrefix(name, "db-password", NAME_LIMITS.secretNamePrefix),
            description: "Matomo database master credentials (RDS JSON format)",
            kmsKeyId: args.secretKmsKeyId,
            recoveryWindowInDays: 7,
            tags: d.tags ?? {},
        },
        childOpts(parent),
    );
    const version = new aws.secretsmanager.SecretVersion(
        `${name}-password`,
        {
            secretId: secret.id,
            secretString: pulumi
                .all([password.result, instance.address, instance.port])
                .apply(([pw, host, port]) => JSON.stringify({ username: d.username, password: pw, engine: d.engine, host, port, dbname: d.name })),
        },
        childOpts(parent),
    );
    return { secret, version };
}
