/**
 * The cluster's secrets step, and which of them each role's nodes may read. The nodes read every
 * secret themselves at boot; the cluster reads one here only for its secret output
 * `configIniPhpRendered`, never into user data.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { databaseUserNames, secretValueFromString, type ConfigSecretReference } from "../config";
import { trackerUnreadSecretNames, type NodeRole } from "../provision";
import type { ResolvedSecretReference, ResolvedSettings } from "../settings";
import type { Cache } from "./cache";
import type { ClusterContext } from "./clusterContext";
import { Secrets, type DatabaseUserSecrets } from "./secrets";

/** The salt's secret: its ARN and JSON key for the nodes, its value for the rendered config (a Pulumi secret). */
export interface SaltSecret {
    arn: pulumi.Output<string>;
    jsonKey?: string;
    value: pulumi.Output<string>;
}

/** The admin credential's secret. `versionId`: its current version, carried in user data so a new password rolls both groups. */
export interface DatabaseSecret {
    arn: pulumi.Output<string>;
    jsonKey?: string;
    versionId: pulumi.Output<string>;
}

export interface ClusterSecrets {
    /** The salt, super user password and database users' secrets. */
    component: Secrets;
    databaseUsers: DatabaseUserSecrets;
    /** One key for every secret the cluster creates (the Secrets component's and the master credential's); absent: AWS's default key. */
    kmsKeyId?: pulumi.Input<string>;
    salt: SaltSecret;
}

/** The Secrets component, and the salt: the one it generated, or an adopted Matomo's kept in the user's secret. */
export function createClusterSecrets(step: ClusterContext): ClusterSecrets {
    const { name, settings, overrides: o } = step;
    const db = settings.database;
    // The users Matomo runs as (lib/config/databaseUsers.ts); the ui creates them with the admin credential.
    const component = new Secrets(
        `${name}-secrets`,
        {
            tags: step.tags,
            generateSalt: settings.salt.kind === "generated",
            databaseUsers: {
                // The schema's name may come from another resource (database.existing.name as an Output).
                names: databaseUserNamesOf(db.name, db.tablesPrefix),
                passwordVersion: db.kind === "new" ? db.passwordVersion : 1,
            },
            ...o.secrets,
        },
        step.childOptions,
    );
    const kmsKeyId = (o.secrets?.secret?.args?.kmsKeyId ?? o.secrets?.kmsKeyId) as pulumi.Input<string> | undefined;
    // An adopted salt is read here only for the rendered config, a secret output; nodes read it themselves at boot.
    const salt = settings.salt;
    const saltSecret: SaltSecret =
        salt.kind === "existing"
            ? {
                  arn: pulumi.output(salt.secretArn),
                  ...(salt.jsonKey !== undefined ? { jsonKey: salt.jsonKey } : {}),
                  value: pulumi.secret(
                      aws.secretsmanager
                          .getSecretVersionOutput({ secretId: salt.secretArn }, { parent: step.parent })
                          .secretString.apply((v) => secretValueFromString(v, salt.jsonKey)),
                  ),
              }
            : { arn: component.saltSecretArn!, value: component.salt! };
    return { component, databaseUsers: component.databaseUsers!, ...(kmsKeyId !== undefined ? { kmsKeyId } : {}), salt: saltSecret };
}

/** The MaxMind license key: every node downloads the location database itself (docs/runtime-files.md). */
export function geoIpLicenseKey(settings: ResolvedSettings): ResolvedSecretReference | undefined {
    return settings.geoIp.provider === "maxmind" ? settings.geoIp.licenseKey : undefined;
}

/**
 * The Marketplace license key: read by every node that downloads a premium plugin (each node
 * installs every plugin), and by none when no plugin downloads with it.
 */
export function marketplaceLicenseKey(settings: ResolvedSettings): ResolvedSecretReference | undefined {
    return settings.plugins.some((p) => p.licensed) ? settings.marketplace.licenseKey : undefined;
}

/** The secrets (and their customer-managed keys) one role's instance role may read. */
export interface NodeSecretAccess {
    secretArnsOf(role: NodeRole): pulumi.Input<string>[];
    /** Customer-managed keys of those secrets: the nodes need kms:Decrypt on them (the default aws/secretsmanager key needs no grant). */
    secretKmsKeyArnsOf(role: NodeRole): pulumi.Input<string>[];
}

/**
 * Each role reads exactly the secrets its boot reads. Trackers (the internet-facing nodes): their
 * own database user's, the salt, and the user's referenced secrets but the SMTP password (the
 * config is the same on every node; trackers send no mail). Never the admin credential, the app
 * user's, or the super user's password.
 */
export function nodeSecretAccess(
    step: ClusterContext,
    from: { secrets: ClusterSecrets; databaseSecret: DatabaseSecret; cache?: Cache; references: ConfigSecretReference[] },
): NodeSecretAccess {
    const { settings, parent } = step;
    const { secrets, databaseSecret, cache, references } = from;
    const { databaseUsers } = secrets;
    const trackerUnread = trackerUnreadSecretNames(settings);
    const referencedSecretArns = references.filter((r) => !trackerUnread.includes(r.name)).map((r) => pulumi.output(r.reference.secretArn));
    const uiOnlySecretArns = references.filter((r) => trackerUnread.includes(r.name)).map((r) => pulumi.output(r.reference.secretArn));
    const geoIpKey = geoIpLicenseKey(settings);
    if (geoIpKey !== undefined) referencedSecretArns.push(pulumi.output(geoIpKey.secretArn));
    const license = marketplaceLicenseKey(settings);
    const secretArnsOf = (role: NodeRole): pulumi.Input<string>[] => [
        secrets.salt.arn,
        ...(role === "ui"
            ? [databaseSecret.arn, databaseUsers.app.arn, databaseUsers.tracker.arn, secrets.component.superUserPasswordSecretArn, ...uiOnlySecretArns]
            : [databaseUsers.tracker.arn]),
        // The Redis AUTH token: trackers enqueue, the ui processes the queue and publishes its backlog.
        ...(cache ? [cache.authTokenSecretArn] : []),
        ...referencedSecretArns,
        ...(license !== undefined ? [license.secretArn] : []),
    ];
    // As with the secrets, per role: the ui alone for the admin credential's and the SMTP password's keys.
    const db = settings.database;
    const salt = settings.salt;
    const secretKmsKeyArns: pulumi.Input<string>[] = [];
    const uiOnlyKmsKeyArns: pulumi.Input<string>[] = [];
    if (secrets.kmsKeyId !== undefined) secretKmsKeyArns.push(kmsKeyArn(secrets.kmsKeyId, parent));
    if (db.kind === "existing" && db.passwordSecretKmsKeyArn !== undefined) uiOnlyKmsKeyArns.push(db.passwordSecretKmsKeyArn);
    if (salt.kind === "existing" && salt.kmsKeyArn !== undefined) secretKmsKeyArns.push(salt.kmsKeyArn);
    for (const r of references)
        if (r.reference.kmsKeyArn !== undefined) (trackerUnread.includes(r.name) ? uiOnlyKmsKeyArns : secretKmsKeyArns).push(r.reference.kmsKeyArn);
    if (geoIpKey?.kmsKeyArn !== undefined) secretKmsKeyArns.push(geoIpKey.kmsKeyArn);
    if (license?.kmsKeyArn !== undefined) secretKmsKeyArns.push(license.kmsKeyArn);
    const secretKmsKeyArnsOf = (role: NodeRole) => (role === "ui" ? [...secretKmsKeyArns, ...uiOnlyKmsKeyArns] : secretKmsKeyArns);
    return { secretArnsOf, secretKmsKeyArnsOf };
}

/**
 * The ARN of a KMS key given as Secrets Manager takes it (key id, key ARN, alias name or alias ARN):
 * IAM grants on the key's ARN, never on an alias, so anything but a key ARN is looked up.
 */
function kmsKeyArn(keyId: pulumi.Input<string>, parent: pulumi.Resource): pulumi.Output<string> {
    return pulumi
        .output(keyId)
        .apply((id): pulumi.Output<string> =>
            /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\//.test(id) ? pulumi.output(id) : aws.kms.getKeyOutput({ keyId: id }, { parent }).arn,
        );
}

/** The two database users' names (lib/config/databaseUsers.ts), from a schema name that may be an Output. */
function databaseUserNamesOf(schema: pulumi.Input<string>, tablesPrefix: string): { app: pulumi.Output<string>; tracker: pulumi.Output<string> } {
    const names = pulumi.output(schema).apply((s) => databaseUserNames(s, tablesPrefix));
    return { app: names.apply((n) => n.app), tracker: names.apply((n) => n.tracker) };
}
