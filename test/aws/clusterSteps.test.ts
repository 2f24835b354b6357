/**
 * The cluster's steps read and tested alone (issue 18, item 3): each step is a function of the
 * cluster's context and the children made before it, so it can be called with stand-ins for those
 * children, without building a whole cluster. Here the step that decides which secrets each role's
 * instance role may read (lib/aws/clusterSecrets.ts, `nodeSecretAccess`).
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { configSecretReferences } from "../../lib/config";
import { resolveClusterArgs, type MatomoClusterComponentArgs } from "../../lib/aws/cluster";
import type { ClusterContext } from "../../lib/aws/clusterContext";
import { nodeSecretAccess, type ClusterSecrets, type DatabaseSecret } from "../../lib/aws/clusterSecrets";
import type { Secrets } from "../../lib/aws/secrets";
import { valueOf } from "../../lib/plan/mockRuntime";
import { BASE_ARGS, build } from "./harness";

const SECRET = (name: string) => `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${name}`;
const ADMIN = SECRET("db-admin-AbCdEf");
const APP_USER = SECRET("db-app-AbCdEf");
const TRACKER_USER = SECRET("db-tracker-AbCdEf");
const SALT = SECRET("salt-AbCdEf");
const SUPER_USER = SECRET("superuser-AbCdEf");
const SMTP = SECRET("smtp-AbCdEf");
const SMTP_KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const ARGS: MatomoClusterComponentArgs = {
    ...BASE_ARGS,
    mail: { host: "email-smtp.eu-west-1.amazonaws.com", username: "AKIAEXAMPLESMTPUSER", password: { secretArn: SMTP, kmsKeyArn: SMTP_KEY } },
};

/** Stand-ins for what the secrets and database steps make: only the ARNs this step reads. */
function madeEarlier(): { secrets: ClusterSecrets; databaseSecret: DatabaseSecret } {
    const user = (arn: string, username: string) => ({
        arn: pulumi.output(arn),
        versionId: pulumi.output("v1"),
        username: pulumi.output(username),
        password: pulumi.output("x"),
    });
    return {
        secrets: {
            component: { superUserPasswordSecretArn: pulumi.output(SUPER_USER) } as Secrets,
            databaseUsers: { app: user(APP_USER, "matomo_app"), tracker: user(TRACKER_USER, "matomo_tracker") },
            salt: { arn: pulumi.output(SALT), value: pulumi.output("salt") },
        },
        databaseSecret: { arn: pulumi.output(ADMIN), jsonKey: "password", versionId: pulumi.output("v1") },
    };
}

describe("the cluster's node secret access step, alone", () => {
    it("gives trackers their own database user and the salt only; the ui also the admin, app user, super user and SMTP secrets and the SMTP key", async () => {
        const { settings, aws } = resolveClusterArgs(ARGS);
        const { value: access } = await build(() => {
            const parent = new pulumi.ComponentResource("test:index:Parent", "parent");
            const step: ClusterContext = { name: "matomo", settings, aws, overrides: {}, tags: {}, childOptions: { parent }, parent };
            return nodeSecretAccess(step, { ...madeEarlier(), references: configSecretReferences(settings) });
        });
        const resolved = async (inputs: pulumi.Input<string>[]) => (await Promise.all(inputs.map((i) => valueOf(i)))).sort();

        assert.deepEqual(await resolved(access.secretArnsOf("tracker")), [TRACKER_USER, SALT].sort());
        assert.deepEqual(await resolved(access.secretArnsOf("ui")), [ADMIN, APP_USER, TRACKER_USER, SALT, SUPER_USER, SMTP].sort());
        // Trackers send no mail, so they need no grant on the key of the SMTP password they never read.
        assert.deepEqual(await resolved(access.secretKmsKeyArnsOf("tracker")), []);
        assert.deepEqual(await resolved(access.secretKmsKeyArnsOf("ui")), [SMTP_KEY]);
    });
});
