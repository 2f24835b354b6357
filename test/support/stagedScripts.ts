/**
 * The node scripts as LIB_DIR holds them on a node, for tests that run them on this machine: a
 * copy of lib/provision/files with the rendered files the bundle puts beside them (the constants
 * common.sh sources). Made once per test process; the sources stay untouched.
 */
import { cpSync, mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { NODE_CONSTANTS_FILE, PROVISION_FILES_DIR, renderNodeConstants } from "../../lib/provision";

let staged: string | undefined;

export function stagedScriptsDir(): string {
    if (staged === undefined) {
        const dir = mkdtempSync(join(tmpdir(), "provision-lib-"));
        cpSync(PROVISION_FILES_DIR, dir, { recursive: true });
        writeFileSync(join(dir, NODE_CONSTANTS_FILE), renderNodeConstants());
        staged = dir;
    }
    return staged;
}

/** A script's path in the staged copy. */
export function stagedScript(name: string): string {
    return join(stagedScriptsDir(), name);
}
