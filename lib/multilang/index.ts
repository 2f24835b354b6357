/**
 * The package's entry for other Pulumi languages (package.json `main`, which the Node.js plugin
 * host loads for `pulumi package add`): it exports only the multi-language components, each under
 * the name of the TypeScript component it builds. Pulumi's analyzer reads these classes' `args`
 * types to write the schema the SDKs are generated from (`schema.json`, `npm run schema`).
 * TypeScript programs import the package by name instead (package.json `exports`), which is the
 * full TypeScript surface: lib/index.ts.
 */
export { MatomoCluster } from "./cluster";
export { Network, Database, Cache, LoadBalancer, NodeGroup, Secrets, DebianImage, ProvisioningBucket } from "./components";
