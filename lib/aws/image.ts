/**
 * DebianImage: the official Debian 12 image for the nodes, resolved once and then kept.
 *
 * A `mostRecent` AMI lookup alone answers anew on every `pulumi up`, so each image Debian publishes
 * would change both launch templates and roll every node with no change by the user. Here the
 * lookup's answer is written into a Systems Manager parameter (data type `aws:ec2:image`, so SSM
 * checks it is an image id) whose value is then ignored on updates: the stack keeps the image it
 * first resolved. A new generation makes a new parameter (a new logical name, so no prior state),
 * which takes the newest image, and both groups roll once. (`pulumi up --replace` on the parameter
 * would not: a replacement keeps the state's value of an ignored property.)
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { resolveDebianImageComponentArgs } from "../settings";
import { childOpts } from "./options";

// Generated from the schema (lib/settings/components.ts) with every other argument type (npm run generate).
import type { DebianImageArgs } from "./componentArgs.generated";
export type { DebianImageArgs };

/** Debian's official AWS account (https://wiki.debian.org/Cloud/AmazonEC2Image). */
export const DEBIAN_AMI_OWNER = "136693071363";

/** The official Debian 12 AMI, looked up once and kept in a Systems Manager parameter until `generation` is raised. */
export class DebianImage extends pulumi.ComponentResource {
    /** The kept image id, e.g. `ami-0123456789abcdef0`. */
    readonly imageId: pulumi.Output<string>;
    /** The kept image's name as Debian published it, e.g. `debian-12-arm64-20261101-1234`. */
    readonly imageName: pulumi.Output<string>;
    /** The Systems Manager parameter that keeps the image id. */
    readonly parameter: aws.ssm.Parameter;

    constructor(name: string, args: DebianImageArgs, opts?: pulumi.ComponentResourceOptions) {
        const { architecture, generation } = resolveDebianImageComponentArgs(args);
        super("matomo:aws:DebianImage", name, {}, opts);

        const newest = aws.ec2.getAmiOutput(
            {
                owners: [DEBIAN_AMI_OWNER],
                mostRecent: true,
                filters: [
                    { name: "name", values: [`debian-12-${architecture === "arm64" ? "arm64" : "amd64"}-*`] },
                    { name: "architecture", values: [architecture] },
                    { name: "virtualization-type", values: ["hvm"] },
                    { name: "root-device-type", values: ["ebs"] },
                ],
            },
            { parent: this },
        );
        // Architecture and generation are in the logical name: either change makes a new parameter
        // (created with the newest image) instead of an update (which keeps the old value).
        this.parameter = new aws.ssm.Parameter(
            `${name}-${architecture}-gen${generation}`,
            {
                type: "String",
                dataType: "aws:ec2:image",
                // Not `value`, which the provider marks secret: an image id is no secret, and the plan shows it.
                insecureValue: newest.id,
                description: pulumi.interpolate`Matomo nodes' Debian 12 image (${newest.name}), kept until amiGeneration is raised`,
                tags: { ...(args.tags ?? {}), "matomo:ami-generation": String(generation) },
            },
            childOpts(this, undefined, { ignoreChanges: ["insecureValue", "description"] }),
        );
        this.imageId = this.parameter.insecureValue;
        this.imageName = this.parameter.description.apply((d) => /\((debian-[^)]+)\)/.exec(d ?? "")?.[1] ?? "");
        this.registerOutputs({ imageId: this.imageId, imageName: this.imageName });
    }
}
