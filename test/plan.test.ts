import { strict as assert } from "assert";
import { createHash } from "crypto";
import { execFileSync } from "child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { mockPassword } from "../lib/plan/mockRuntime";
import { phpParseIni } from "./support/tools";

interface PlannedResource {
    type: string;
    name: string;
    parent: string | null;
    inputs: Record<string, unknown>;
}

function filesUnder(dir: string): string[] {
    return readdirSync(dir).flatMap((entry) => {
        const path = join(dir, entry);
        return statSync(path).isDirectory() ? filesUnder(path) : [path];
    });
}

describe("offline plan of examples/reference (npm run plan)", function () {
    const out = mkdtempSync(join(tmpdir(), "matomo-plan-"));
    let summary = "";
    let resources: PlannedResource[] = [];

    before(() => {
        summary = execFileSync("npm", ["run", "--silent", "plan", "--", "--out", out], { encoding: "utf8" });
        resources = JSON.parse(readFileSync(join(out, "resources.json"), "utf8")) as PlannedResource[];
    });

    it("records every resource with type token, name, parent and inputs", () => {
        assert.ok(resources.length > 20, `a whole cluster, not ${resources.length} resources`);
        for (const r of resources) {
            assert.match(r.type, /^[a-z0-9-]+:[A-Za-z0-9/]*:[A-Za-z0-9]+$/, `type token ${r.type}`);
            assert.equal(typeof r.name, "string");
            assert.ok(r.parent === null || typeof r.parent === "string");
            assert.equal(typeof r.inputs, "object");
        }
        const names = new Set(resources.map((r) => r.name));
        for (const r of resources) if (r.parent !== null) assert.ok(names.has(r.parent), `parent ${r.parent} of ${r.name} is in the plan`);
    });

    it("plans the FAQ layout: one load balancer, two node groups, one database", () => {
        const count = (type: string) => resources.filter((r) => r.type === type).length;
        assert.equal(count("aws:lb/loadBalancer:LoadBalancer"), 1);
        assert.equal(count("aws:autoscaling/group:Group"), 2);
        assert.equal(count("aws:ec2/launchTemplate:LaunchTemplate"), 2);
        assert.equal(count("aws:rds/instance:Instance"), 1);
    });

    it("writes the config every node gets, readable by PHP, with the load-balanced [General] settings", () => {
        const ini = phpParseIni(join(out, "config.ini.php"));
        assert.equal(ini.General.multi_server_environment, "1");
        assert.equal(ini.General.session_save_handler, "dbtable");
        assert.equal(ini.General.force_ssl, "1");
        assert.equal(ini.General.proxy_ip_read_last_in_list, "1");
        assert.deepEqual(ini.General.proxy_client_headers, ["HTTP_X_FORWARDED_FOR"]);
        assert.equal(ini.database.password, "{{secret:database_password}}");
        assert.match(String(ini.database.host), /\.rds\.amazonaws\.com$/, "the database endpoint reached the config, not undefined");
    });

    it("writes each role's decoded user data and prints sizes and the config hash", () => {
        assert.deepEqual(readdirSync(join(out, "userdata")).sort(), ["tracker.cloud-config.yaml", "ui.cloud-config.yaml"]);
        assert.match(summary, /config\.ini\.php sha256: [0-9a-f]{64}/);
        assert.match(summary, /user data tracker: \d+ bytes/);
        assert.match(summary, /user data ui: \d+ bytes/);
    });

    it("writes each role's provisioning bundle listing and prints user data and bundle sizes per role", () => {
        assert.deepEqual(readdirSync(join(out, "bundle")).sort(), ["tracker.txt", "ui.txt"]);
        for (const role of ["tracker", "ui"]) {
            const listing = readFileSync(join(out, "bundle", `${role}.txt`), "utf8");
            assert.match(listing, new RegExp(`^# ${role} provisioning bundle: s3://<bucket>/provisioning/${role}\\.tar\\.gz, sha256 [0-9a-f]{64}$`, "m"));
            assert.match(listing, /^0755 +\d+ [0-9a-f]{12} \/usr\/local\/sbin\/matomo-provision$/m);
            assert.match(listing, /^0644 +\d+ [0-9a-f]{12} \/etc\/matomo-provision\/amazon-ssm-agent\.asc$/m);
            assert.equal(/matomo-ui-setup\.sh$/m.test(listing), role === "ui");
            const files = Number(/, (\d+) files,/.exec(listing)![1]);
            assert.equal(listing.trim().split("\n").length, files + 2, "one line per file under the two header lines");
            const sent = Number(new RegExp(`user data ${role}: (\\d+) bytes as sent`).exec(summary)![1]);
            assert.ok(sent > 0 && sent <= 4096, `${role}: ${sent} bytes of user data`);
            assert.match(summary, new RegExp(`provisioning bundle ${role}: \\d+ bytes gzip, ${files} files, \\d+ bytes unpacked, sha256 [0-9a-f]{64}`));
        }
    });

    it("says what rolls the groups: each role's user data sha256 (the Matomo release is in it, not in the config hash)", () => {
        for (const role of ["tracker", "ui"]) {
            const text = readFileSync(join(out, "userdata", `${role}.cloud-config.yaml`), "utf8");
            const sha = createHash("sha256").update(text, "utf8").digest("hex");
            assert.match(summary, new RegExp(`^rolls ${role}: user data sha256 ${sha}`, "m"));
            assert.match(text, /MATOMO_VERSION='5\.10\.0'/, "the release is named in the user data's provision.env");
        }
        assert.match(summary, /a new Matomo release changes the user data, not the config sha256/);
    });

    it("checks AWS's limits over the whole graph and says so", () => {
        assert.match(summary, /AWS limits: \d+ rules checked over \d+ resources, none broken/);
    });

    it("refuses a graph AWS would refuse, exiting non-zero and quoting the rule", () => {
        const refusedOut = mkdtempSync(join(tmpdir(), "matomo-plan-refused-"));
        let failure: { status: number | null; stderr: string } | undefined;
        try {
            execFileSync("npm", ["run", "--silent", "plan", "--", "--example", "test/fixtures/over-limit", "--out", refusedOut], {
                encoding: "utf8",
                stdio: "pipe",
            });
        } catch (error) {
            failure = error as { status: number | null; stderr: string };
        }
        assert.ok(failure, "the plan refused the graph");
        assert.notEqual(failure.status, 0);
        assert.match(failure.stderr, /namePrefix = a{96}-lt-: must be 3 to 99/);
        assert.match(failure.stderr, /cannot be longer than 99 characters/);
        assert.match(failure.stderr, /\[ec2\.launchTemplate\.namePrefix\]/);
    });

    it("prints which Debian image each group boots, the same kept image for both", () => {
        const templates = resources.filter((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate");
        for (const role of ["tracker", "ui"]) {
            const match = new RegExp(`image ${role}: (ami-[0-9a-f]{17}) \\(debian-12-arm64-\\d{8}-\\d+`).exec(summary);
            assert.ok(match, `${role} image line in:\n${summary}`);
            const template = templates.find((t) => (t.inputs.tags as Record<string, string>)["matomo:role"] === role)!;
            assert.equal(template.inputs.imageId, match[1]);
        }
    });

    it("holds no secret value anywhere: every generated password is absent from every file", () => {
        const passwords = resources.filter((r) => r.type === "random:index/randomPassword:RandomPassword").map((r) => mockPassword(r.name, r.inputs));
        assert.ok(passwords.length >= 3, "database password, salt and super user password are generated");
        for (const file of filesUnder(out)) {
            const text = readFileSync(file, "utf8");
            for (const password of passwords) assert.ok(!text.includes(password), `${file} contains a generated secret`);
        }
        assert.ok(readFileSync(join(out, "resources.json"), "utf8").includes('"[secret]"'), "secret inputs are shown redacted");
    });
});
