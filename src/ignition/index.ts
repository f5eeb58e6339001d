// The ignition module's public surface: parse, validate, merge, hash and materialise Ignition configs.

export { canonicalJson, renderedConfigHash, renderedConfigName } from "./canonical.ts";
export { decodeFileContents, decodeResource } from "./contents.ts";
export { parseDataUrl } from "./data-url.ts";
export { type MaterialiseManifest, type MaterialiseOptions, materialiseToTree } from "./materialise.ts";
export { mergeIgnitionConfigs } from "./merge.ts";
export {
  type MachineConfigSpecLike,
  type MergeDefaults,
  type MergedMachineConfigSpec,
  mergeMachineConfigSpecs,
} from "./merge-specs.ts";
export { MaterialiseError } from "./nodes.ts";
export { type ParseResult, parseIgnition, parseIgnitionOrThrow } from "./parse.ts";
export { UnsafePathError } from "./root-path.ts";
export { type PasswordEntry, type ShadowUpdate, updateShadow } from "./shadow.ts";
export { parseInstallSection } from "./systemd-units.ts";
export * from "./types.ts";
export { validateIgnition } from "./validate.ts";
