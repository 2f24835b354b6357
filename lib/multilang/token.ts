/**
 * What every multi-language component shares: the package name in its type token, and the options
 * its one child (the TypeScript component) gets.
 */
import type * as pulumi from "@pulumi/pulumi";

/**
 * The provider name Pulumi derives from package.json's `name` (the Node.js plugin host strips an
 * npm scope and replaces anything but letters, digits, `-` and `_`); type tokens are
 * `pulumi-matomo-aws:index:<Component>`. `test/multilang.test.ts` checks it against package.json.
 */
export const PROVIDER_NAME = "pulumi-matomo-aws";

/**
 * The child's options: `parent` hands it providers, `protect` and transforms; `ignoreChanges` and
 * `customTimeouts` are not inherited by Pulumi, so they are passed on, and the TypeScript
 * component hands them to its own children as it documents.
 */
export function childOptions(parent: pulumi.Resource, opts: pulumi.ComponentResourceOptions | undefined): pulumi.ComponentResourceOptions {
    return {
        parent,
        ...(opts?.ignoreChanges ? { ignoreChanges: opts.ignoreChanges } : {}),
        ...(opts?.customTimeouts ? { customTimeouts: opts.customTimeouts } : {}),
    };
}
