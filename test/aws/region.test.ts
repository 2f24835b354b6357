/**
 * ARNs from another region or partition than the stack's (issue 19 item 4): AWS refuses them only
 * at `pulumi up` (an ALB takes only a certificate of its own region; the nodes read secrets in
 * their region), so construction refuses them, naming the argument.
 */
import { strict as assert } from "assert";
import { MatomoCluster, type MatomoClusterComponentArgs } from "../../lib/aws/cluster";
import { installMockRuntime, MOCK_REGION } from "../../lib/plan/mockRuntime";
import { InvalidArgumentError } from "../../lib/settings/errors";

const CERT = (region: string, partition = "aws") => `arn:${partition}:acm:${region}:123456789012:certificate/0b5c1a2e-3f4d-4e5f-8a9b-0c1d2e3f4a5b`;
const ARGS: MatomoClusterComponentArgs = { domain: "analytics.example.com", certificateArn: CERT(MOCK_REGION), superUser: { email: "ops@example.com" } };

function refusal(args: MatomoClusterComponentArgs): InvalidArgumentError {
    installMockRuntime();
    try {
        new MatomoCluster("matomo", args);
    } catch (error) {
        assert.ok(error instanceof InvalidArgumentError, String(error));
        return error;
    }
    assert.fail("the cluster was constructed");
}

describe("ARNs must be in the stack's region and partition", function () {
    it("a us-east-1 certificate for a load balancer in the stack's eu-west-1 is refused at construction, naming certificateArn", () => {
        const error = refusal({ ...ARGS, certificateArn: CERT("us-east-1") });
        assert.equal(error.argument, "certificateArn");
        assert.match(error.message, /in eu-west-1, the stack's region \(aws:region\)/);
        assert.match(error.message, /us-east-1/);
    });

    it("a mail password secret in another region is refused, naming mail.password.secretArn", () => {
        const error = refusal({
            ...ARGS,
            mail: {
                host: "smtp.example.com",
                username: "matomo",
                password: { secretArn: "arn:aws:secretsmanager:eu-central-1:123456789012:secret:smtp-AbCdEf" },
            },
        });
        assert.equal(error.argument, "mail.password.secretArn");
    });

    it("extraConfig is Matomo's text, not an AWS reference: an ARN of another region there is left alone", () => {
        installMockRuntime();
        new MatomoCluster("matomo", { ...ARGS, extraConfig: { General: { notes_topic: "arn:aws:sns:us-east-1:123456789012:elsewhere" } } });
    });

    it("an ARN of another partition than the region's is refused", () => {
        const error = refusal({ ...ARGS, certificateArn: CERT(MOCK_REGION, "aws-cn") });
        assert.equal(error.argument, "certificateArn");
        assert.match(error.message, /partition aws\b/);
    });
});
