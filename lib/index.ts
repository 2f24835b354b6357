export * from "./settings";
export * from "./release";
export * as config from "./config";
export * from "./aws";
export * as importer from "./import/importConfig";
