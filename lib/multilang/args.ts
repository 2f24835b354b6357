/**
 * The argument types of the multi-language surface: what Pulumi's component analyzer
 * (`@pulumi/pulumi/provider/experimental`) turns into `schema.json`, and so what Python, Go, C#,
 * Java and YAML programs write. The analyzer takes interfaces, string enums declared as
 * `as const` objects, `Input<>`, lists and string-keyed maps; it refuses unions (other than with
 * `undefined`), intersections and inline object types. So each type is the TypeScript one
 * re-shaped only where it has to be:
 *
 * - string unions become enums of the same values;
 * - `network` and `database`, a union of "new" or `{ existing }` for TypeScript, are one object
 *   with an optional `existing` (the shared schema already refuses both at once);
 * - `extraConfig` is a map of strings, with lists and secret references in two maps beside it.
 *
 * Every component's arguments and their parts are generated, with the TypeScript ones, from the
 * settings schema (`./args.generated.ts`, `npm run generate`): each field's type, documentation
 * and default come from its one definition there, and its multi-language shape too (the enum
 * names, `TypeInfo.mlText` where a value is plain here, `Field.multiLanguage` for `extraConfig`).
 * Only `ProvisioningBucket`'s arguments, which have no schema (the cluster renders them), are
 * written out below. Values reach the same validation (`lib/settings`) as TypeScript's.
 * `test/multilang.test.ts` fails when a TypeScript argument has no counterpart here and is not
 * listed as TypeScript-only (`./typescriptOnly.ts`).
 */
import type { Input } from "@pulumi/pulumi";

export * from "./args.generated";

/** Each role's provisioning bundle, base64 of the tar.gz bytes. */
export interface ProvisioningBundles {
    /** The tracker role's bundle. Required. */
    tracker: Input<string>;
    /** The ui role's bundle. Required. */
    ui: Input<string>;
}

/** `ProvisioningBucket`'s arguments. */
export interface ProvisioningBucketArgs {
    /** Each role's bundle, base64 of the tar.gz bytes (`renderProvisioningBundle(...).content`). */
    bundles: ProvisioningBundles;
    /** Tags for every resource. Default none. */
    tags?: Record<string, string>;
}
