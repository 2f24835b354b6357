import { strict as assert } from "assert";
import { installMockRuntime } from "../../lib/plan/mockRuntime";
import { physicalName, physicalPrefix, s3BucketPrefix, safeLabel } from "../../lib/aws/naming";

// Rules as the AWS API references state them, written out here rather than imported.
/** CreateLoadBalancer / CreateTargetGroup Name: up to 32 alphanumerics or hyphens, not starting or ending with a hyphen; a load balancer's not starting with "internal-". */
const ELB_NAME = (n: string) => n.length >= 1 && n.length <= 32 && /^[A-Za-z0-9-]+$/.test(n) && !n.startsWith("-") && !n.endsWith("-");
/** CreateDBInstance DBInstanceIdentifier: 1 to 63 letters, digits or hyphens; first a letter; no two consecutive hyphens; not ending with a hyphen. */
const RDS_IDENTIFIER = (n: string) => n.length >= 1 && n.length <= 63 && /^[A-Za-z][A-Za-z0-9-]*$/.test(n) && !n.includes("--") && !n.endsWith("-");
/** CreateReplicationGroup ReplicationGroupId: 1 to 40 letters, digits or hyphens; first a letter; no two consecutive hyphens; not ending with a hyphen. */
const REPLICATION_GROUP_ID = (n: string) => n.length >= 1 && n.length <= 40 && /^[A-Za-z][A-Za-z0-9-]*$/.test(n) && !n.includes("--") && !n.endsWith("-");
/** IAM role names: 64 characters of [\w+=,.@-]; Pulumi/Terraform name_prefix leaves room for 26 characters, so at most 38. */
const IAM_ROLE_PREFIX = (n: string) => n.length >= 1 && n.length <= 38 && /^[\w+=,.@-]+$/.test(n);

/** S3 bucket names (bucketnamingrules.html): lowercase letters, digits, hyphens; not starting with xn--, sthree- or amzn-s3-demo-; a prefix leaves 26 characters of 63. */
const S3_BUCKET_PREFIX = (n: string) =>
    n.length >= 1 && n.length <= 37 && /^[a-z0-9][a-z0-9-]*$/.test(n) && !["xn--", "sthree-", "amzn-s3-demo-"].some((p) => n.startsWith(p));

const AWKWARD_NAMES = [
    "sthree",
    "amzn-s3-demo",
    "matomo",
    "Analytics_Production.EU-West",
    "internal",
    "internal-tools",
    "9lives",
    "--",
    "a".repeat(120),
    "ümlaut-Ä-name",
    "x",
];

describe("physical names", () => {
    before(() => installMockRuntime());

    for (const component of AWKWARD_NAMES) {
        it(`satisfy AWS naming rules for component name ${JSON.stringify(component.slice(0, 30))}`, () => {
            const lb = physicalName(component, "alb", 32);
            assert.ok(ELB_NAME(lb), lb);
            assert.ok(!lb.startsWith("internal-"), lb);
            assert.ok(RDS_IDENTIFIER(physicalName(component, "db", 63)), physicalName(component, "db", 63));
            assert.ok(RDS_IDENTIFIER(physicalName(component, "db-reader", 63)));
            assert.ok(REPLICATION_GROUP_ID(physicalName(component, "redis", 40)), physicalName(component, "redis", 40));
            assert.ok(IAM_ROLE_PREFIX(physicalPrefix(component, "role", 38)), physicalPrefix(component, "role", 38));
            assert.ok(S3_BUCKET_PREFIX(s3BucketPrefix(`${component}-provisioning`, "bundles", 37)), s3BucketPrefix(`${component}-provisioning`, "bundles", 37));
        });
    }

    it("differ between stacks and between components whose names only differ after the cut", () => {
        installMockRuntime();
        const a = physicalName("a".repeat(40) + "-one", "alb", 32);
        const b = physicalName("a".repeat(40) + "-two", "alb", 32);
        assert.notEqual(a, b);
        const inPlan = physicalName("matomo", "alb", 32);
        const settings = require("@pulumi/pulumi/runtime/settings"); // eslint-disable-line @typescript-eslint/no-require-imports
        const previous = settings.getStack();
        settings.setMockOptions(settings.getMonitor(), "matomo", "prod");
        try {
            assert.notEqual(physicalName("matomo", "alb", 32), inPlan);
        } finally {
            settings.setMockOptions(settings.getMonitor(), "matomo", previous);
        }
    });

    it("make labels that start with a letter", () => {
        assert.equal(safeLabel("9lives"), "m-9lives");
        assert.equal(safeLabel("My_App"), "my-app");
    });
});
