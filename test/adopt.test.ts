/**
 * Issue 9, "Adopting an existing Matomo": an existing database keeps its Matomo's salt (Matomo
 * hashes every API token_auth with it: plugins/UsersManager/Model.php hashTokenAuth, sha512 of
 * token . salt), and its plugin sections come from the old config.ini.php.
 */
import { strict as assert } from "assert";
import { InvalidArgumentError, resolveSettings, type MatomoClusterArgs } from "../lib/settings";

const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666";
const DB_SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:matomo-db-AbCdEf";
const SALT_SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:matomo-old-salt-AbCdEf";
const BASE: MatomoClusterArgs = { domain: "analytics.example.com", certificateArn: CERT, superUser: { email: "ops@example.com" } };
const EXISTING = { existing: { host: "db.internal.example.com", username: "matomo", passwordSecretArn: DB_SECRET } };

function problemsOf(args: Record<string, unknown>): Record<string, string> {
    try {
        resolveSettings({ ...BASE, ...args } as MatomoClusterArgs);
    } catch (e) {
        assert.ok(e instanceof InvalidArgumentError, String(e));
        return Object.fromEntries(e.problems.map((p) => [p.path.join("."), p.allowed]));
    }
    return assert.fail("expected the arguments to be refused");
}

describe("adopting an existing Matomo: the salt", () => {
    it("refuses an existing database without the old salt, naming both arguments and the opt-in to a new one", () => {
        const p = problemsOf({ database: EXISTING });
        assert.deepEqual(Object.keys(p), ["salt.existingSecretArn"]);
        assert.match(p["salt.existingSecretArn"], /database\.existing/);
        assert.match(p["salt.existingSecretArn"], /token_auth/);
        assert.match(p["salt.existingSecretArn"], /salt\.generateNew: true/);
    });

    it("keeps the old salt by reference (its JSON key and KMS key too)", () => {
        const s = resolveSettings({ ...BASE, database: EXISTING, salt: { existingSecretArn: SALT_SECRET, jsonKey: "salt" } });
        assert.deepEqual(s.salt, { kind: "existing", secretArn: SALT_SECRET, jsonKey: "salt" });
    });

    it("generates a salt for a new database, and for an existing one only when asked to", () => {
        assert.deepEqual(resolveSettings(BASE).salt, { kind: "generated" });
        assert.deepEqual(resolveSettings({ ...BASE, database: EXISTING, salt: { generateNew: true } }).salt, { kind: "generated" });
    });

    it("refuses both a kept and a new salt, a new salt without an existing database, and a salt given in plain text", () => {
        assert.match(problemsOf({ database: EXISTING, salt: { existingSecretArn: SALT_SECRET, generateNew: true } })["salt.generateNew"], /not with 'existingSecretArn'/);
        assert.match(problemsOf({ salt: { generateNew: true } })["salt.generateNew"], /only with 'database\.existing'/);
        assert.match(problemsOf({ database: EXISTING, salt: { existingSecretArn: "0123456789abcdef0123456789abcdef" } })["salt.existingSecretArn"], /Secrets Manager ARN/);
        assert.match(problemsOf({ database: EXISTING, salt: "0123456789abcdef0123456789abcdef" })["salt"], /never the salt itself/);
    });
});
