import type { RenderedConfig } from "../config";
import type { BundleLocation, ProvisioningBundle } from "./bundle";
import type { ResolvedSettings } from "../settings";
import type { NodeObservability } from "./observability";

/** A node group's role: `tracker` serves the tracking endpoints; `ui` serves the rest and runs archiving. */
export type NodeRole = "tracker" | "ui";

/** Where a node reads one secret at boot: a Secrets Manager secret, optionally one key of its JSON. */
export interface SecretRef {
    secretArn: string;
    /**
     * When set and the secret string is a JSON object (RDS's format), the value is this key; a
     * secret string that is not a JSON object is the value itself. Unset: the whole string.
     */
    jsonKey?: string;
}

export interface UserDataInput {
    role: NodeRole;
    settings: ResolvedSettings;
    /** The placeholder config every node writes (same text, same sha256 for both roles). */
    config: RenderedConfig;
    /** AWS region the nodes run in (for the Secrets Manager endpoint). */
    region: string;
    /**
     * Where each secret is read. `references`: one per secret reference in the config (see
     * `configSecretReferences`), by placeholder name, its ARN resolved. Default none.
     */
    secrets: {
        /** This role's own database user's password (the tracker's or the app user's; lib/config/databaseUsers.ts). */
        database_password: SecretRef;
        /** This role's database user name. Default: `database_password`'s secret, JSON key `username`. */
        database_username?: SecretRef;
        /**
         * ui only, required there: what matomo-db-users.php creates the two users with, under the
         * provisioning lock. `admin`: the credential that installs, upgrades and manages users (the
         * RDS master, or an existing database's); `app` and `tracker`: the two users' secrets,
         * JSON `{"username", "password"}`.
         */
        databaseUsers?: { adminUsername: string; adminPassword: SecretRef; appSecretArn: string; trackerSecretArn: string };
        salt: SecretRef;
        superuser_password: SecretRef;
        /** The QueuedTracking Redis AUTH token: required when the config holds its placeholder (QueuedTracking on). */
        redis_password?: SecretRef;
        references?: Readonly<Record<string, SecretRef>>;
        /** `marketplace.licenseKey`, its ARN resolved: required when a plugin downloads with it (`ResolvedPlugin.licensed`). */
        marketplaceLicenseKey?: SecretRef;
        /** The MaxMind license key's reference, its ARN resolved; required with `geoIp.provider` "maxmind", refused otherwise. */
        geoip_license_key?: SecretRef;
    };
    /**
     * Networks the load balancer connects from: only they may set the client address through
     * X-Forwarded-For. Default: the VPC's range for a new network; for an existing network
     * (whose range is not known here) the private ranges 10/8, 172.16/12 and 192.168/16.
     */
    loadBalancerCidrs?: string[];
    /** Log groups and metric dimensions: the CloudWatch agent and node metrics. Default none (neither). */
    observability?: NodeObservability;
    /** Port nginx listens on. Default `NODE_HTTP_PORT` (80). */
    httpPort?: number;
    /**
     * The database password secret's current version id. Nodes read the secret's current value
     * either way; the id is in user data so that a new password (a new version) rolls both groups.
     * Default none.
     */
    databasePasswordVersion?: string;
    /** The S3 object version holding this role's provisioning bundle (`renderProvisioningBundle`'s bytes). */
    bundle: BundleLocation;
}

/** What the provisioning bundle is rendered from: everything but where it is stored. */
export type BundleInput = Omit<UserDataInput, "bundle">;

export interface RenderedUserData {
    role: NodeRole;
    /** Exactly what EC2 receives, before base64 (may be gzip bytes: see `base64`). */
    content: Buffer;
    /** `content` base64-encoded: the launch template's `userData`. */
    base64: string;
    /** Human-readable text of the user data (decompressed), for the plan output. */
    text: string;
    /** The config sha256 this user data writes; identical for every role. */
    configSha256: string;
    /** sha256 of `text`: changes exactly when what the node does changes (gzip bytes may also vary with zlib). */
    textSha256: string;
    /** The provisioning bundle this user data pins by sha256 (bundle.env): what `location` must hold. */
    bundle: ProvisioningBundle;
}
