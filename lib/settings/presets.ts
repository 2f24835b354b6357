/**
 * Sizing presets: one table of what each size sets. `reference` is what the library created
 * before presets existed, so a stack that names none keeps every size it had. Every value is a
 * default only: an argument the user gives wins (resolved in ./cluster.ts). The reasoning behind
 * each number (a measured per-node rate, the assumed peak-to-average factor, estimates marked as
 * such) is in README.md, "Sizing presets"; `test/presets.test.ts` checks the table against it.
 */
import type { Architecture, Preset } from "./args";

export type { Preset };
/** Every preset name, smallest first. */
export const PRESETS = ["small", "reference", "large"] as const satisfies readonly Preset[];
/** The preset a cluster that names none gets: the sizes the library had before presets. */
export const DEFAULT_PRESET: Preset = "reference";

/** An EC2 type per architecture: not every Graviton size has an x86_64 twin of the same name (c7i has no `medium`). */
export type TypeByArchitecture = Record<Architecture, string>;

/** What one preset sets; an argument given explicitly wins over each value. */
export interface PresetSizes {
    /** Hits per month the preset is sized for (the README's sizing table explains the arithmetic). */
    hitsPerMonth: number;
    /** The tracker group. */
    trackers: {
        /** EC2 type per architecture (`trackers.instanceType`). */
        instanceType: TypeByArchitecture;
        /** `trackers.minSize`. */
        minSize: number;
        /** `trackers.maxSize`. */
        maxSize: number;
    };
    /** The ui node(s). */
    ui: {
        /** EC2 type per architecture (`ui.instanceType`). */
        instanceType: TypeByArchitecture;
        /** `ui.count`. */
        count: 1 | 2;
    };
    /** A database the library creates. */
    database: {
        /** `database.instanceClass`. */
        instanceClass: string;
        /** `database.allocatedStorageGiB`. */
        allocatedStorageGiB: number;
        /** gp3 IOPS; undefined: RDS's baseline for the size (3,000 below 400 GiB, 12,000 from there). */
        iops?: number;
        /** gp3 throughput in MiB/s; undefined: RDS's baseline (125 below 400 GiB, 500 from there). */
        storageThroughput?: number;
        /** `database.multiAz`. */
        multiAz: boolean;
        /** `database.readReplica`. */
        readReplica: boolean;
    };
    /** QueuedTracking and its Redis node. */
    queuedTracking: {
        /** `queuedTracking.enabled`. */
        enabled: boolean;
        /** `queuedTracking.nodeType`: the ElastiCache node type. */
        nodeType: string;
        /** Peak tracking requests per second (the README's peak row): sizes the queues at 300/s each (./queueSizing.ts). */
        peakRequestsPerSecond: number;
    };
}

/** What each preset sets; README.md "Sizing presets" derives every number. */
export const PRESET_SIZES: Readonly<Record<Preset, PresetSizes>> = {
    small: {
        hitsPerMonth: 10_000_000,
        trackers: { instanceType: { arm64: "c7g.medium", x86_64: "c7a.medium" }, minSize: 2, maxSize: 3 },
        ui: { instanceType: { arm64: "m7g.large", x86_64: "m7i.large" }, count: 1 },
        database: { instanceClass: "db.m7g.large", allocatedStorageGiB: 50, multiAz: false, readReplica: false },
        queuedTracking: { enabled: false, nodeType: "cache.t4g.small", peakRequestsPerSecond: 15 },
    },
    reference: {
        hitsPerMonth: 100_000_000,
        trackers: { instanceType: { arm64: "c7g.large", x86_64: "c7i.large" }, minSize: 2, maxSize: 6 },
        ui: { instanceType: { arm64: "m7g.large", x86_64: "m7i.large" }, count: 1 },
        database: { instanceClass: "db.m7g.xlarge", allocatedStorageGiB: 100, multiAz: false, readReplica: false },
        queuedTracking: { enabled: false, nodeType: "cache.t4g.small", peakRequestsPerSecond: 154 },
    },
    large: {
        hitsPerMonth: 1_000_000_000,
        trackers: { instanceType: { arm64: "c7g.xlarge", x86_64: "c7i.xlarge" }, minSize: 4, maxSize: 16 },
        ui: { instanceType: { arm64: "m7g.2xlarge", x86_64: "m7i.2xlarge" }, count: 2 },
        database: { instanceClass: "db.r7g.2xlarge", allocatedStorageGiB: 2000, iops: 20000, storageThroughput: 1000, multiAz: true, readReplica: true },
        queuedTracking: { enabled: true, nodeType: "cache.r7g.large", peakRequestsPerSecond: 1543 },
    },
};

/** How the docs say a default comes from the preset. */
export function byPreset(pick: (p: PresetSizes) => unknown): string {
    return `by preset: ${PRESETS.map((name) => `${name} \`${JSON.stringify(pick(PRESET_SIZES[name]))}\``).join(", ")}`;
}

/**
 * Memory of an RDS class of the general-purpose (m) or memory-optimised (r) families, from its
 * name: AWS's m classes have 4 GiB per vCPU and r classes 8 GiB (db.m7g.large: 2 vCPU, 8 GiB;
 * db.r7g.2xlarge: 8 vCPU, 64 GiB), a `large` has 2 vCPUs, an `xlarge` 4 and an `Nxlarge` 4N.
 * Undefined for other families (burstable t, x, z), whose memory does not follow the name.
 */
export function rdsClassMemoryGiB(instanceClass: string): number | undefined {
    const m = /^db\.([mr])\d+[a-z-]*\.(large|(\d*)xlarge)$/.exec(instanceClass);
    if (!m) return undefined;
    const vcpus = m[2] === "large" ? 2 : 4 * (m[3] === "" ? 1 : Number(m[3]));
    return vcpus * (m[1] === "m" ? 4 : 8);
}

/** The 16 GiB class (`reference`'s db.m7g.xlarge) the fixed database alarm thresholds were written for. */
const REFERENCE_DB_MEMORY_GIB = 16;
/** Alarm thresholds for the reference's 16 GiB: ~80 % of RDS MySQL's default max_connections there ({DBInstanceClassMemory/12582880}, about 1,260), and 1/32 of its memory free. */
const REFERENCE_DB_ALARMS = { databaseConnections: 1000, databaseFreeableMemoryMiB: 512 } as const;

/**
 * The database alarms' defaults for a class: the reference's, scaled with the class's memory
 * (RDS MySQL's default max_connections and the InnoDB buffer pool both grow with it). A class
 * whose memory the name does not tell keeps the reference's values (docs/observability.md).
 */
export function databaseAlarmDefaults(instanceClass: string): { databaseConnections: number; databaseFreeableMemoryMiB: number } {
    const memory = rdsClassMemoryGiB(instanceClass);
    if (memory === undefined) return { ...REFERENCE_DB_ALARMS };
    const scale = memory / REFERENCE_DB_MEMORY_GIB;
    return {
        databaseConnections: Math.round(REFERENCE_DB_ALARMS.databaseConnections * scale),
        databaseFreeableMemoryMiB: Math.round(REFERENCE_DB_ALARMS.databaseFreeableMemoryMiB * scale),
    };
}
