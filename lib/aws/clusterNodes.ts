/**
 * The cluster's node steps: what each role's nodes are given (node inputs), where they fetch it
 * (the provisioning bundle and the user data naming it), the image they boot, and the two node
 * groups in the order a config change rolls them.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    renderProvisioningBundle,
    renderUserData,
    LOG_SOURCES,
    METRICS_NAMESPACE,
    TRACKER_HEALTH_CHECK_GRACE_SECONDS,
    type BundleInput,
    type LogSource,
    type NodeObservability,
    type NodeRole,
    type RenderedUserData,
    type SecretRef,
    type UserDataInput,
} from "../provision";
import type { Cache } from "./cache";
import type { ClusterConfig } from "./clusterConfig";
import type { ClusterContext } from "./clusterContext";
import { geoIpLicenseKey, marketplaceLicenseKey, type ClusterSecrets, type DatabaseSecret, type NodeSecretAccess } from "./clusterSecrets";
import { DebianImage } from "./image";
import type { LoadBalancer } from "./loadBalancer";
import type { Network } from "./network";
import { NodeGroup } from "./nodeGroup";
import { NodeImage } from "./nodeImage";
import { ProvisioningBucket } from "./provisioningBucket";

/** Everything one role's nodes are given, by role: the same settings and config, each role's own secrets. */
export type NodeInputs = Record<NodeRole, pulumi.Output<BundleInput>>;

/** Each role's node input, once every ARN and version it names is known. */
export function nodeInputs(
    step: ClusterContext,
    from: { config: ClusterConfig; secrets: ClusterSecrets; databaseSecret: DatabaseSecret; cache?: Cache; nodeObservability?: NodeObservability },
): NodeInputs {
    const { config, secrets, databaseSecret, cache, nodeObservability } = from;
    const { databaseUsers, salt: saltSecret } = secrets;
    const region = aws.getRegionOutput({}, { parent: step.parent }).region;
    const geoIpKey = geoIpLicenseKey(step.settings);
    const license = marketplaceLicenseKey(step.settings);
    const geoIpKeyRef = pulumi
        .output(geoIpKey?.secretArn)
        .apply((arn): SecretRef | undefined =>
            arn === undefined || geoIpKey === undefined
                ? undefined
                : { secretArn: arn, ...(geoIpKey.jsonKey !== undefined ? { jsonKey: geoIpKey.jsonKey } : {}) },
        );
    const referencedSecretRefs = pulumi.all(
        config.references.map((r) =>
            pulumi
                .output(r.reference.secretArn)
                .apply((arn) => [r.name, { secretArn: arn, ...(r.reference.jsonKey !== undefined ? { jsonKey: r.reference.jsonKey } : {}) }] as const),
        ),
    );
    const nodeInput = (role: NodeRole): pulumi.Output<BundleInput> =>
        pulumi
            .all([
                pulumi.all([config.knownSettings, config.config]),
                region,
                databaseSecret.arn,
                saltSecret.arn,
                secrets.component.superUserPasswordSecretArn,
                referencedSecretRefs,
                geoIpKeyRef,
                pulumi.all([
                    license?.secretArn,
                    databaseSecret.versionId,
                    databaseUsers.app.arn,
                    databaseUsers.app.versionId,
                    databaseUsers.tracker.arn,
                    databaseUsers.tracker.versionId,
                    cache?.authTokenSecretArn,
                ]),
            ])
            .apply(
                ([
                    [known, c],
                    r,
                    dbArn,
                    saltArn,
                    superArn,
                    refArns,
                    geoIpKeyArn,
                    [licenseArn, dbVersion, appArn, appVersion, trackerArn, trackerVersion, redisTokenArn],
                ]) => {
                    const own = role === "ui" ? appArn : trackerArn;
                    const nodeSecrets: UserDataInput["secrets"] = {
                        database_username: { secretArn: own, jsonKey: "username" },
                        database_password: { secretArn: own, jsonKey: "password" },
                        ...(role === "ui"
                            ? {
                                  databaseUsers: {
                                      adminUsername: known.database.username,
                                      adminPassword: { secretArn: dbArn, ...(databaseSecret.jsonKey ? { jsonKey: databaseSecret.jsonKey } : {}) },
                                      appSecretArn: appArn,
                                      trackerSecretArn: trackerArn,
                                  },
                              }
                            : {}),
                        salt: { secretArn: saltArn, ...(saltSecret.jsonKey !== undefined ? { jsonKey: saltSecret.jsonKey } : {}) },
                        superuser_password: { secretArn: superArn },
                        ...(redisTokenArn !== undefined ? { redis_password: { secretArn: redisTokenArn } } : {}),
                        references: Object.fromEntries(refArns) as Record<string, SecretRef>,
                        ...(geoIpKeyArn !== undefined ? { geoip_license_key: geoIpKeyArn } : {}),
                        ...(licenseArn !== undefined
                            ? { marketplaceLicenseKey: { secretArn: licenseArn, ...(license?.jsonKey !== undefined ? { jsonKey: license.jsonKey } : {}) } }
                            : {}),
                    };
                    return {
                        role,
                        settings: known,
                        config: c,
                        region: r,
                        secrets: nodeSecrets,
                        // A new password of any credential the role reads rolls it (the ui sets all three: admin, app, tracker).
                        databasePasswordVersion: role === "ui" ? [dbVersion, appVersion, trackerVersion].join(",") : trackerVersion,
                        ...(nodeObservability ? { observability: nodeObservability } : {}),
                    };
                },
            );
    return { tracker: nodeInput("tracker"), ui: nodeInput("ui") };
}

/**
 * Each role's scripts and rendered files, stored as one versioned S3 object; user data names that
 * exact version and its sha256 (docs/provisioning.md, "The provisioning bundle").
 */
export function createProvisioningBucket(step: ClusterContext, inputs: NodeInputs): ProvisioningBucket {
    return new ProvisioningBucket(
        `${step.name}-provisioning`,
        {
            bundles: {
                tracker: inputs.tracker.apply((i) => renderProvisioningBundle(i).content.toString("base64")),
                ui: inputs.ui.apply((i) => renderProvisioningBundle(i).content.toString("base64")),
            },
            tags: step.tags,
        },
        step.childOptions,
    );
}

/** One role's user data, naming the stored bundle's exact version. */
function nodeUserData(bucket: ProvisioningBucket, inputs: NodeInputs, role: NodeRole): pulumi.Output<RenderedUserData> {
    const stored = bucket.bundles[role];
    return pulumi
        .all([inputs[role], bucket.bucketName, stored.versionId])
        .apply(([input, bucketName, versionId]) => renderUserData({ ...input, bundle: { bucket: bucketName, key: stored.key, versionId } }));
}

export interface ClusterImages {
    /** The kept Debian image; undefined when `amiId` was given. */
    image?: DebianImage;
    /** The pre-built image; only with `nodeImage.prebuilt`. */
    nodeImage?: NodeImage;
    /** The AMI both groups boot (the pre-built one, the given one, or Debian's). */
    amiId?: pulumi.Input<string>;
}

/** One image for both groups: a given one as is, or Debian's, resolved once and kept until `amiGeneration` is raised. */
export function createNodeImages(step: ClusterContext, network: Network, bucket: ProvisioningBucket): ClusterImages {
    const { settings, tags } = step;
    const image =
        settings.amiId === undefined
            ? new DebianImage(`${step.name}-image`, { architecture: settings.architecture, generation: settings.amiGeneration, tags }, step.childOptions)
            : undefined;
    // nodeImage.prebuilt: both groups boot an image baked from that one (lib/aws/nodeImage.ts).
    const nodeImage = settings.nodeImage.prebuilt
        ? new NodeImage(
              `${step.name}-node-image`,
              {
                  settings,
                  parentImageId: (settings.amiId ?? image?.imageId)!,
                  vpcId: network.vpcId,
                  subnetId: network.privateSubnetIds.apply((ids) => ids[0]),
                  bucketName: bucket.bucketName,
                  bucketArn: bucket.bucket.arn,
                  tags,
              },
              step.childOptions,
          )
        : undefined;
    return { image, nodeImage, amiId: nodeImage?.imageId ?? settings.amiId ?? image?.imageId };
}

/** What both node groups are built from. */
export interface NodeGroupSources {
    network: Network;
    loadBalancer: LoadBalancer;
    bucket: ProvisioningBucket;
    inputs: NodeInputs;
    access: NodeSecretAccess;
    amiId?: pulumi.Input<string>;
    logGroups?: Record<LogSource, aws.cloudwatch.LogGroup>;
}

interface GroupSizes {
    instanceType: string;
    minSize: number;
    maxSize: number;
    desiredCapacity: number;
    targetCpuUtilization?: number;
}

/**
 * The ui and tracker groups, in upgrade order. A tracker never checks the database's version
 * (Matomo's check is in FrontController, which tracking requests do not pass through), so an old
 * tracker keeps recording against an updated schema, while new code against an old schema could
 * write columns that do not exist yet. So the schema is updated first, by the new ui node's
 * core:update under the provisioning lock, and a new tracker serves only once the database
 * reports its release (it waits, unhealthy, up to INSTALL_WAIT_SECONDS; its group's grace period
 * covers that wait, so the group does not replace it meanwhile, and the refresh's minimum healthy
 * percentage keeps every old tracker serving). The provider starts an instance refresh and does
 * not wait for it, so `dependsOn` only makes the ui's refresh start first; the order itself is the
 * trackers' wait.
 */
export function createNodeGroups(step: ClusterContext, from: NodeGroupSources): { ui: NodeGroup; trackers: NodeGroup } {
    const { settings } = step;
    const { loadBalancer } = from;
    const ui = createNodeGroup(step, from, "ui", { instanceType: settings.ui.instanceType, ...uiSizes(settings.ui.count) }, loadBalancer.uiTargetGroup.arn);
    const trackers = createNodeGroup(step, from, "tracker", settings.trackers, loadBalancer.trackerTargetGroup.arn, ui);
    return { ui, trackers };
}

/** One role's group; with `rollAfter`, Pulumi updates it only after that group's update. */
function createNodeGroup(
    step: ClusterContext,
    from: NodeGroupSources,
    role: NodeRole,
    sizes: GroupSizes,
    targetGroupArn: pulumi.Output<string>,
    rollAfter?: NodeGroup,
): NodeGroup {
    const { settings, aws: extra } = step;
    const { network, logGroups } = from;
    const rendered = nodeUserData(from.bucket, from.inputs, role);
    const own = role === "tracker" ? step.overrides.trackers : step.overrides.ui;
    return new NodeGroup(
        `${step.name}-${role}`,
        {
            role,
            vpcId: network.vpcId,
            subnetIds: network.privateSubnetIds,
            ...sizes,
            architecture: settings.architecture,
            amiId: from.amiId,
            userData: rendered.apply((u) => u.base64),
            configSha256: rendered.apply((u) => u.configSha256),
            targetGroupArns: [targetGroupArn],
            secretArns: from.access.secretArnsOf(role),
            secretKmsKeyArns: from.access.secretKmsKeyArnsOf(role),
            ...(logGroups
                ? {
                      logGroupArns: (Object.keys(LOG_SOURCES) as LogSource[])
                          .filter((source) => (LOG_SOURCES[source].roles as readonly NodeRole[]).includes(role))
                          .map((source) => logGroups[source].arn),
                      // Only the ui nodes publish metrics (archiving, deep check, queues).
                      ...(role === "ui" ? { metricNamespace: METRICS_NAMESPACE } : {}),
                  }
                : {}),
            bundleObjectArn: from.bucket.bundles[role].objectArn,
            healthCheckGracePeriodSeconds: extra.healthCheckGracePeriodSeconds ?? (role === "tracker" ? TRACKER_HEALTH_CHECK_GRACE_SECONDS : undefined),
            instanceRefresh: extra.instanceRefresh,
            tags: step.tags,
            ...own,
            ...(rollAfter !== undefined
                ? { autoScalingGroup: { ...own?.autoScalingGroup, opts: { dependsOn: [rollAfter.autoScalingGroup], ...own?.autoScalingGroup?.opts } } }
                : {}),
        },
        step.childOptions,
    );
}

/**
 * The ui group: `count` nodes, and one spare place above. AWS documents a group going above its
 * maximum size only while it rebalances Availability Zones ("the system can temporarily exceed the
 * specified maximum capacity of a group by a 10% margin during a rebalancing activity"), not for an
 * instance refresh, whose maximum healthy percentage is "a percentage of the desired capacity". With
 * `maxSize = count` and 100 % to stay healthy, the refresh could not launch the replacement before
 * stopping the old node. Nothing else raises the group above `count`: the ui group has no scaling
 * policy, and its desired capacity stays `count`.
 */
export function uiSizes(count: number): { minSize: number; maxSize: number; desiredCapacity: number } {
    return { minSize: count, maxSize: count + 1, desiredCapacity: count };
}
