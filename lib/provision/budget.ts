/**
 * User data's size, known before any resource exists.
 *
 * The cluster renders each role's user data inside an apply, once the database host and the
 * secrets' ARNs are known: an oversized one would fail halfway through `pulumi up`, after the
 * network and database were created. So the cluster renders it once up front with the longest
 * values AWS plausibly hands back, and refuses the arguments if either role would not fit.
 */
import { Output, type Input } from "@pulumi/pulumi/output";
import { renderConfig, configSecretReferences } from "../config";
import type { ResolvedSettings } from "../settings";
import { fromDomain } from "../settings/domain";
import { createHash } from "crypto";
import { bundleKey } from "./bundle";
import { composeUserData } from "./index";
import type { NodeRole, SecretRef } from "./types";
import { LOG_SOURCES, type LogSource } from "./observability";

/** An RDS or ElastiCache endpoint: the identifier (up to 63) plus the region's DNS suffix, generously. */
const LONGEST_HOST = `${"d".repeat(63)}.c0a1b2c3d4e5.ap-southeast-3.rds.amazonaws.com`;
/** A Secrets Manager ARN for a generated or user-given name of 128 characters, with AWS's 6-character suffix. */
const longestArn = (i: number): string => `arn:aws-us-gov:secretsmanager:ap-southeast-3:123456789012:secret:${String(i).padStart(128, "s")}-AbCdEf`;

/** The longest bucket name S3 allows (63 characters). */
const LONGEST_BUCKET = `${"b".repeat(36)}-${"1".repeat(26)}`;
/**
 * An S3 version id as long as AWS documents one can be ("Version IDs are Unicode, UTF-8 encoded,
 * URL-ready, opaque strings that are no more than 1,024 bytes long"), of characters that do not
 * compress, as real ones (e.g. `3sL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY+MTRCxf3vjVBH40Nr8X8gdRQBpUMLUo`).
 */
const LONGEST_VERSION_ID = Array.from({ length: 32 }, (_, i) => createHash("sha256").update(`version ${i}`).digest("base64").slice(0, 32)).join("");

/**
 * gzip's output does not grow strictly with its input: shorter values can compress a few bytes
 * worse (measured: 1 byte on the largest configuration). The budget carries this much slack.
 */
const GZIP_SLACK_BYTES = 64;

/** The longest DNS name of one letter (253 characters; RFC 1035 allows 255 octets on the wire), distinct per argument so gzip cannot share them. */
const longestHostname = (letter: string): string => `${letter.repeat(63)}.${letter.repeat(63)}.${letter.repeat(63)}.${letter.repeat(61)}`;

/**
 * Arguments given as Outputs, at the longest value their checks allow: a 5-digit port, MySQL's
 * 64-character schema and 32-character user names, a 253-character host name; an Output domain
 * at its longest in everything named after it (the first site's name too: an upper bound, since a
 * domain over 90 characters must be given a site name).
 */
function withLongestUnknowns(settings: ResolvedSettings): ResolvedSettings {
    const isUnknown = (value: unknown): boolean => Output.isInstance(value) || value instanceof Promise;
    const longest = <T>(value: Input<T>, at: T): T => (isUnknown(value) ? at : (value as T));
    const db = settings.database;
    const mail = settings.mail;
    const domain = longest(settings.domain, longestHostname("h"));
    const site = settings.firstSite;
    return {
        ...settings,
        domain,
        trustedHosts: fromDomain.trustedHosts(
            domain,
            settings.trustedHosts.filter((h): h is string => !isUnknown(h)),
        ),
        firstSite: { ...site, name: longest(site.name, fromDomain.siteName(domain)), url: longest(site.url, fromDomain.siteUrl(domain)) },
        database: {
            ...db,
            port: longest(db.port, 65535),
            name: longest(db.name, "n".repeat(64)),
            username: longest(db.username, "u".repeat(32)),
        } as ResolvedSettings["database"],
        ...(mail !== undefined
            ? { mail: { ...mail, host: longest(mail.host, longestHostname("m")), fromAddress: longest(mail.fromAddress, fromDomain.fromAddress(domain)) } }
            : {}),
    };
}

/** Bytes of each role's user data, as sent, with the longest plausible runtime values (plus slack). */
export function largestUserDataBytes(given: ResolvedSettings, observability = false): Record<NodeRole, number> {
    const settings = withLongestUnknowns(given);
    const config = renderConfig(settings, {
        databaseHost: LONGEST_HOST,
        ...(settings.database.kind === "new" && settings.database.readReplica ? { databaseReaderHost: LONGEST_HOST } : {}),
        ...(settings.queuedTracking.enabled ? { redis: { host: LONGEST_HOST, port: 6379 } } : {}),
    });
    const references: Record<string, SecretRef> = Object.fromEntries(
        configSecretReferences(settings).map((r, i) => [
            r.name,
            { secretArn: longestArn(10 + i), ...(r.reference.jsonKey !== undefined ? { jsonKey: r.reference.jsonKey } : {}) },
        ]),
    );
    // Secrets Manager version ids: "Length Constraints: Minimum length of 32. Maximum length of 64." (API_GetSecretValue).
    // The ui carries three (admin, app and tracker user; lib/aws/clusterNodes.ts), comma-separated.
    const databasePasswordVersion = Array(3).fill("v".repeat(64)).join(",");
    const geoIp = settings.geoIp;
    const license = settings.marketplace.licenseKey;
    const secrets = {
        database_password: { secretArn: longestArn(1), jsonKey: "password" },
        salt: { secretArn: longestArn(2) },
        databaseUsers: {
            adminUsername: "u".repeat(32),
            adminPassword: { secretArn: longestArn(5), jsonKey: "password" },
            appSecretArn: longestArn(6),
            trackerSecretArn: longestArn(7),
        },
        superuser_password: { secretArn: longestArn(3) },
        ...(settings.queuedTracking.enabled ? { redis_password: { secretArn: longestArn(5) } } : {}),
        references,
        ...(geoIp.provider === "maxmind"
            ? { geoip_license_key: { secretArn: longestArn(4), ...(geoIp.licenseKey.jsonKey !== undefined ? { jsonKey: geoIp.licenseKey.jsonKey } : {}) } }
            : {}),
        ...(license !== undefined
            ? { marketplaceLicenseKey: { secretArn: longestArn(4), ...(license.jsonKey !== undefined ? { jsonKey: license.jsonKey } : {}) } }
            : {}),
    };
    // With observability, provision.env (user data) carries the agent's download and key; the log
    // group names (`/matomo/<name of at most 200>/<source>`, lib/aws/logs.ts) and the cluster's
    // metric dimension (up to 255) travel in the bundle, but are given at their longest all the same.
    const nodeObservability = observability
        ? {
              logGroups: Object.fromEntries((Object.keys(LOG_SOURCES) as LogSource[]).map((s) => [s, `/matomo/${"l".repeat(200)}/${s}`])) as Record<
                  LogSource,
                  string
              >,
              cluster: "c".repeat(255),
          }
        : undefined;
    const bytes = (role: NodeRole) =>
        composeUserData({
            role,
            settings,
            config,
            region: "ap-southeast-3",
            secrets,
            databasePasswordVersion,
            bundle: { bucket: LONGEST_BUCKET, key: bundleKey(role), versionId: LONGEST_VERSION_ID },
            ...(nodeObservability ? { observability: nodeObservability } : {}),
        }).content.length + GZIP_SLACK_BYTES;
    return { tracker: bytes("tracker"), ui: bytes("ui") };
}
