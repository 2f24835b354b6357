/**
 * What the offline plan writes for user data: each role's decoded text under
 * `userdata/<role>.cloud-config.yaml`, and a line with its size against EC2's limit.
 */
import { USER_DATA_LIMIT_BYTES } from "./limits";
import type { RenderedUserData } from "./types";

export interface PlanFile {
    /** Relative to the plan's output directory (e.g. out/plan). */
    path: string;
    content: string;
}

export function userDataPlanFiles(rendered: readonly RenderedUserData[]): PlanFile[] {
    return rendered.map((u) => ({ path: `userdata/${u.role}.cloud-config.yaml`, content: u.text }));
}

export function userDataSizeLine(u: RenderedUserData): string {
    const percent = Math.round((100 * u.content.length) / USER_DATA_LIMIT_BYTES);
    return `${u.role}: user data ${u.content.length} bytes gzip (${percent}% of EC2's ${USER_DATA_LIMIT_BYTES}), ${u.text.length} bytes as text, config sha256 ${u.configSha256}`;
}
