/**
 * The cluster's config step: one config.ini.php for every node, rendered once from the settings
 * and the hosts the cluster made, and the same text with its secrets filled in (a secret output).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    renderConfig,
    fillSecretPlaceholders,
    configSecretReferences,
    secretValueFromString,
    type ConfigSecretReference,
    type RenderedConfig,
} from "../config";
import { withKnownValues, type ResolvedSettings } from "../settings";
import { REDIS_PORT, type Cache } from "./cache";
import type { ClusterContext } from "./clusterContext";
import type { ClusterSecrets } from "./clusterSecrets";
import type { ClusterDatabase } from "./clusterInfrastructure";

export interface ClusterConfig {
    /** The settings as the renderers read them: every argument given as an Output resolved (and checked). */
    knownSettings: pulumi.Output<ResolvedSettings>;
    config: pulumi.Output<RenderedConfig>;
    /** The text with `{{secret:…}}` placeholders: what user data carries. */
    text: pulumi.Output<string>;
    sha256: pulumi.Output<string>;
    /** The text exactly as nodes write it, secrets filled in. A Pulumi secret. */
    rendered: pulumi.Output<string>;
    /** Secrets the user gave by reference (mail.password, extraConfig values): every node reads them, since every node has the same config. */
    references: ConfigSecretReference[];
}

export function renderClusterConfig(step: ClusterContext, from: { database: ClusterDatabase; cache?: Cache; secrets: ClusterSecrets }): ClusterConfig {
    const { settings } = step;
    const { database, cache, secrets } = from;
    const knownSettings = withKnownValues(settings);
    // Rendered from the database host(s) once they are known.
    const config: pulumi.Output<RenderedConfig> = pulumi
        .all([knownSettings, database.host, database.readerHost ?? pulumi.output(undefined), cache?.host ?? pulumi.output(undefined)])
        .apply(([known, host, reader, redisHost]) =>
            renderConfig(known, {
                databaseHost: host,
                ...(reader !== undefined ? { databaseReaderHost: reader } : {}),
                ...(redisHost !== undefined ? { redis: { host: redisHost, port: REDIS_PORT } } : {}),
            }),
        );
    const text = config.apply((c) => c.text);
    const sha256 = config.apply((c) => c.sha256);
    // The referenced secrets are read here only for the secret output below.
    const references = configSecretReferences(settings);
    const referenceValues = pulumi.all(
        references.map((r) =>
            aws.secretsmanager
                .getSecretVersionOutput({ secretId: r.reference.secretArn }, { parent: step.parent })
                .secretString.apply((v) => [r.name, secretValueFromString(v, r.reference.jsonKey)] as const),
        ),
    );
    const app = secrets.databaseUsers.app;
    const rendered = pulumi.secret(
        pulumi
            .all([text, app.username, app.password, secrets.salt.value, referenceValues, cache?.authToken ?? pulumi.output(undefined)])
            .apply(([configText, appUser, password, saltValue, refs, redisPassword]) =>
                fillSecretPlaceholders(configText, {
                    ...Object.fromEntries(refs),
                    database_username: appUser,
                    database_password: password,
                    salt: saltValue,
                    ...(redisPassword !== undefined ? { redis_password: redisPassword } : {}),
                }),
            ),
    );
    return { knownSettings, config, text, sha256, rendered, references };
}
