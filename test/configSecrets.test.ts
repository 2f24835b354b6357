/**
 * Secrets by reference and mail in config.ini.php: what the text holds (placeholders, never a
 * secret or an ARN), and what Debian's PHP reads back from `[mail]` — the keys Matomo's
 * core/Mail/Transport.php reads (matomo-org/matomo, config/global.ini.php `[mail]`).
 */
import { strict as assert } from "assert";
import { configSecretReferences, fillSecretPlaceholders, placeholdersIn, renderConfig, secretValueFromString } from "../lib/config";
import { InvalidArgumentError, type MatomoClusterArgs } from "../lib/settings";
import { configSettings, parsedByPhp } from "./support/configFiles";

const DB_HOST = "matomo-db.cabc123.eu-west-1.rds.amazonaws.com";
const MAIL_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:matomo-smtp-AbCdEf";
const LICENSE_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:matomo-license-GhIjKl";

const settings = configSettings;

const MAIL = { host: "email-smtp.eu-west-1.amazonaws.com", username: "AKIAEXAMPLESMTPUSER", password: { secretArn: MAIL_ARN, jsonKey: "smtp_password" } };

describe("config.ini.php [mail]", () => {
    it("PHP reads Matomo's [mail] keys back: SMTP, STARTTLS on 587, LOGIN auth, the password as a placeholder", () => {
        const ini = parsedByPhp(renderConfig(settings({ mail: MAIL }), { databaseHost: DB_HOST }).text);
        assert.deepEqual(ini.mail, {
            transport: "smtp",
            host: "email-smtp.eu-west-1.amazonaws.com",
            port: "587",
            encryption: "tls",
            type: "LOGIN",
            username: "AKIAEXAMPLESMTPUSER",
            password: "{{secret:ref_mail_password}}",
        });
        assert.equal(ini.General.noreply_email_address, "noreply@analytics.example.com");
        assert.equal(ini.General.noreply_email_name, "Matomo");
    });

    it("implicit TLS defaults to port 465; no login means no type, username or password", () => {
        const ini = parsedByPhp(
            renderConfig(settings({ mail: { host: "smtp.example.com", encryption: "ssl", fromAddress: "matomo@example.com", fromName: `Matomo "EU" $x` } }), {
                databaseHost: DB_HOST,
            }).text,
        );
        assert.deepEqual(ini.mail, { transport: "smtp", host: "smtp.example.com", port: "465", encryption: "ssl" });
        assert.equal(ini.General.noreply_email_address, "matomo@example.com");
        assert.equal(ini.General.noreply_email_name, `Matomo "EU" $x`);
    });

    it("filled at boot, PHP reads back the exact SMTP password", () => {
        const text = renderConfig(settings({ mail: MAIL }), { databaseHost: DB_HOST }).text;
        const password = `sm"tp\\pa$$;{x}=&\${HOME}`;
        const ini = parsedByPhp(fillSecretPlaceholders(text, { database_username: "u", database_password: "d", salt: "s", ref_mail_password: password }));
        assert.equal(ini.mail.password, password);
    });

    it("refuses a plain-text, missing or unasked-for password, [mail] keys in extraConfig beside `mail`, and malformed references", () => {
        const bad: [Partial<MatomoClusterArgs>, string][] = [
            [{ mail: { host: "smtp.example.com", username: "u", password: "hunter2" as never } }, "mail.password"],
            [{ mail: { host: "smtp.example.com", username: "u" } }, "mail.password"],
            [{ mail: { host: "smtp.example.com", password: { secretArn: MAIL_ARN } } }, "mail.username"],
            [{ mail: { host: "smtp.example.com", username: "u", password: { secretArn: "not-an-arn" } } }, "mail.password.secretArn"],
            [{ mail: { host: "smtp.example.com" }, extraConfig: { mail: { host: "other.example.com" } } }, "extraConfig.mail.host"],
            [{ mail: { host: "smtp.example.com" }, extraConfig: { General: { noreply_email_name: "x" } } }, "extraConfig.General.noreply_email_name"],
            [{ mail: { host: "smtp example" } }, "mail.host"],
            [{ mail: { host: "smtp.example.com", encryption: "starttls" as never } }, "mail.encryption"],
            [{ mail: { host: "smtp.example.com", port: 0 } }, "mail.port"],
            [{ extraConfig: { General: { "bad key": { secretArn: MAIL_ARN } } } }, "extraConfig.General.bad key"],
            [{ extraConfig: { General: { a: { secretArn: MAIL_ARN, region: "eu-west-1" } as never } } }, "extraConfig.General.a.region"],
            [{ extraConfig: { General: { a: { secretArn: MAIL_ARN, jsonKey: "a b" } } } }, "extraConfig.General.a.jsonKey"],
            [{ extraConfig: { General: { a: { secretArn: MAIL_ARN, kmsKeyArn: "alias/x" } } } }, "extraConfig.General.a.kmsKeyArn"],
            [{ extraConfig: { database: { password: { secretArn: MAIL_ARN } } } }, "extraConfig.database.password"],
        ];
        for (const [args, path] of bad) {
            assert.throws(
                () => settings(args),
                (e: unknown) => e instanceof InvalidArgumentError && e.argument === path,
                path,
            );
        }
    });

    it("never shows a plain-text secret in the error", () => {
        try {
            settings({ mail: { host: "smtp.example.com", username: "u", password: "hunter2" as never } });
            assert.fail("accepted");
        } catch (e) {
            assert.ok(!String((e as Error).message).includes("hunter2"));
        }
    });
});

describe("config.ini.php secret references", () => {
    it("an extraConfig value given by reference renders as a placeholder named after its place, never the ARN", () => {
        const s = settings({
            extraConfig: { LicenseKey: { license_key: { secretArn: LICENSE_ARN } }, General: { login_password_recovery_email_address: "help@example.com" } },
        });
        const text = renderConfig(s, { databaseHost: DB_HOST }).text;
        assert.ok(!text.includes(LICENSE_ARN) && !text.includes("secretsmanager"));
        assert.equal(parsedByPhp(text).LicenseKey.license_key, "{{secret:ref_LicenseKey_license_key}}");
        assert.deepEqual(placeholdersIn(text), ["database_username", "database_password", "salt", "ref_LicenseKey_license_key"]);
        assert.deepEqual(
            configSecretReferences(s).map((r) => [r.name, r.section, r.key, r.reference.secretArn]),
            [["ref_LicenseKey_license_key", "LicenseKey", "license_key", LICENSE_ARN]],
        );
    });

    it("the config hash does not depend on the ARN (an ARN known only at deploy time cannot roll nodes)", () => {
        const a = renderConfig(settings({ mail: MAIL }), { databaseHost: DB_HOST });
        const b = renderConfig(settings({ mail: { ...MAIL, password: { secretArn: LICENSE_ARN } } }), { databaseHost: DB_HOST });
        assert.equal(a.sha256, b.sha256);
    });

    it("a literal {{secret:…}} in an extraConfig value is refused, never filled with the database password", () => {
        assert.throws(
            () => settings({ extraConfig: { General: { login_password_recovery_email_address: "{{secret:database_password}}" } } }),
            (e: unknown) => e instanceof InvalidArgumentError && e.argument === "extraConfig.General.login_password_recovery_email_address",
        );
    });

    it("the renderer refuses such a value even when validation let it through", () => {
        const s = settings();
        const sneaked = { ...s, extraConfig: { Custom: { note: "{{secret:database_password}}" } } };
        assert.throws(() => renderConfig(sneaked, { databaseHost: DB_HOST }), /literal \{\{secret:/);
    });

    it("a secret-like key given in plain text is refused, and its value is not shown", () => {
        try {
            settings({ extraConfig: { mail: { password: "hunter2" } } });
            assert.fail("accepted");
        } catch (e) {
            assert.ok(e instanceof InvalidArgumentError);
            assert.equal(e.argument, "extraConfig.mail.password");
            assert.ok(!e.message.includes("hunter2"));
        }
    });

    it("two references whose places would share a placeholder name are refused, as arguments (issue 18.5)", () => {
        assert.throws(
            () => settings({ extraConfig: { a_b: { c: { secretArn: MAIL_ARN } }, a: { b_c: { secretArn: LICENSE_ARN } } } }),
            (e: unknown) => e instanceof InvalidArgumentError && e.argument === "extraConfig.a.b_c" && /ref_a_b_c/.test(e.allowed),
        );
    });

    it("takes a value from a secret string as the node does: a JSON object's key, or the whole string", () => {
        assert.equal(secretValueFromString(`{"smtp_password":"p\\"w"}`, "smtp_password"), `p"w`);
        assert.equal(secretValueFromString("plain", "smtp_password"), "plain");
        assert.equal(secretValueFromString(`{"a":"b"}`), `{"a":"b"}`);
        assert.throws(() => secretValueFromString(`{"a":"b"}`, "smtp_password"), /no string value under key smtp_password/);
    });
});
