/**
 * Secrets: Matomo's salt and the super user's password, generated once by `@pulumi/random` and
 * kept in AWS Secrets Manager. Nodes read them at boot through their instance role; user data
 * and config text only ever carry the secrets' ARNs.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { resolveSecretsComponentArgs } from "../settings";
import { childOpts, type ChildOverride, type Tags } from "./options";
import { physicalPrefix, NAME_LIMITS } from "./naming";

/** The arguments of `Secrets`; every one is optional. */
export interface SecretsArgs {
    /** KMS key for the secrets. Default the account's `aws/secretsmanager` key. */
    kmsKeyId?: pulumi.Input<string>;
    /** Days a deleted secret can be restored. Default 7; allowed 0 (delete at once) or 7 to 30. */
    recoveryWindowInDays?: number;
    /** Tags for every resource. Default none. */
    tags?: Tags;
    /** Generate and keep a salt. Default true; false when the salt is an existing secret (an adopted Matomo's). */
    generateSalt?: boolean;
    /** Extra arguments merged over both secrets'. Default none. */
    secret?: ChildOverride<aws.secretsmanager.SecretArgs>;
}

/** Characters the generated super user password may use besides letters and digits (shell- and INI-safe). */
export const SUPERUSER_PASSWORD_SPECIALS = "!#%*()-_=+[]{}<>:?";

/** Matomo's salt and the super user's initial password, generated once and kept in Secrets Manager. */
export class Secrets extends pulumi.ComponentResource {
    /** Undefined with `generateSalt: false`. */
    readonly saltSecretArn?: pulumi.Output<string>;
    /** ARN of the secret holding the super user's initial password. */
    readonly superUserPasswordSecretArn: pulumi.Output<string>;
    /** The salt (a Pulumi secret). Undefined with `generateSalt: false`. */
    readonly salt?: pulumi.Output<string>;
    /** The super user's initial password (a Pulumi secret). */
    readonly superUserPassword: pulumi.Output<string>;

    constructor(name: string, args: SecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        const { recoveryWindowInDays, generateSalt } = resolveSecretsComponentArgs(args);
        super("matomo:aws:Secrets", name, {}, opts);

        const password = new random.RandomPassword(
            `${name}-superuser-password`,
            { length: 32, special: true, overrideSpecial: SUPERUSER_PASSWORD_SPECIALS, minLower: 1, minUpper: 1, minNumeric: 1, minSpecial: 1 },
            childOpts(this),
        );

        const store = (role: string, value: pulumi.Output<string>, description: string) => {
            const secret = new aws.secretsmanager.Secret(
                `${name}-${role}`,
                {
                    namePrefix: physicalPrefix(name, role, NAME_LIMITS.secretNamePrefix),
                    description,
                    kmsKeyId: args.kmsKeyId,
                    recoveryWindowInDays,
                    tags: args.tags,
                    ...(args.secret?.args ?? {}),
                },
                childOpts(this, args.secret),
            );
            new aws.secretsmanager.SecretVersion(`${name}-${role}`, { secretId: secret.id, secretString: value }, childOpts(this));
            return secret;
        };
        if (generateSalt) {
            // Matomo's own installer makes a 32-character hex salt; 64 letters and digits is at least as strong.
            const salt = new random.RandomPassword(`${name}-salt`, { length: 64, special: false }, childOpts(this));
            this.saltSecretArn = store("salt", salt.result, "Matomo config.ini.php [General] salt").arn;
            this.salt = pulumi.secret(salt.result);
        }
        const passwordSecret = store("superuser-password", password.result, "Matomo super user's initial password");

        this.superUserPasswordSecretArn = passwordSecret.arn;
        this.superUserPassword = pulumi.secret(password.result);
        this.registerOutputs({ saltSecretArn: this.saltSecretArn, superUserPasswordSecretArn: this.superUserPasswordSecretArn });
    }
}
