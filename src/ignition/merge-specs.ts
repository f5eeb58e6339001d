// Merges MachineConfig specs into the spec of a rendered MachineConfig, following the MCO's rules.
// The function respects input order; the render controller sorts MachineConfigs by name first.

import { mergeIgnitionConfigs } from "./merge.ts";
import { parseIgnition } from "./parse.ts";
import { isPlainObject } from "./schema-walk.ts";
import { type IgnitionConfig, IgnitionError, type IgnitionIssue } from "./types.ts";

export interface MachineConfigSpecLike {
  /** An Ignition config (2.2.0 or 3.0.0-3.4.0); absent, null or `{}` means none. */
  config?: unknown;
  osImageURL?: string;
  baseOSExtensionsContainerImage?: string;
  kernelArguments?: readonly string[] | null;
  extensions?: readonly string[];
  fips?: boolean;
  kernelType?: string;
}

export interface MergedMachineConfigSpec {
  config: IgnitionConfig;
  osImageURL?: string;
  baseOSExtensionsContainerImage?: string;
  kernelArguments: string[];
  extensions: string[];
  fips: boolean;
  kernelType: string;
}

/** Images the ControllerConfig supplies; a MachineConfig that sets one overrides it. */
export interface MergeDefaults {
  osImageURL?: string;
  baseOSExtensionsContainerImage?: string;
}

export const KERNEL_TYPE_DEFAULT = "default";

/**
 * Merges `specs` in the order given:
 * - Ignition configs merged as in merge.ts; files that leave `overwrite` out get `overwrite: true`,
 *   because the MCO always overwrites and Ignition (spec 3) would not.
 * - kernelArguments concatenated, duplicates dropped (first occurrence kept), as the MCO does.
 * - extensions unioned in order of first appearance (the MCO keeps duplicates; they change nothing).
 * - osImageURL and baseOSExtensionsContainerImage: the last non-empty value, else the default.
 * - kernelType: as in the MCO, a non-default type anywhere wins over "default" (a later MachineConfig
 *   saying "default" does not undo an earlier "realtime"); among non-default types the last wins;
 *   "default" when nothing sets one.
 * - fips: true if any spec sets it.
 * Throws IgnitionError for an unparsable config (paths prefixed `specs[i].config`) and for the
 * kernel-devel extension with a non-default kernel, which the MCO also refuses.
 */
export function mergeMachineConfigSpecs(
  specs: readonly MachineConfigSpecLike[],
  defaults: MergeDefaults = {},
): MergedMachineConfigSpec {
  const configs: IgnitionConfig[] = [];
  const issues: IgnitionIssue[] = [];
  specs.forEach((spec, i) => {
    const raw = spec.config;
    if (raw === undefined || raw === null || (isPlainObject(raw) && Object.keys(raw).length === 0)) return;
    const parsed = parseIgnition(raw);
    if ("config" in parsed) configs.push(parsed.config);
    else for (const issue of parsed.issues) issues.push(prefixed(issue, `specs[${i}].config`));
  });
  if (issues.length > 0) throw new IgnitionError("cannot merge MachineConfigs", issues);

  const config = mergeIgnitionConfigs(configs);
  for (const file of config.storage?.files ?? []) file.overwrite ??= true;

  const kernelType = mergedKernelType(specs);
  const extensions = union(specs.map((spec) => spec.extensions ?? []));
  if (kernelType !== KERNEL_TYPE_DEFAULT && extensions.includes("kernel-devel")) {
    throw new IgnitionError("cannot merge MachineConfigs", [
      {
        path: "extensions",
        code: "Invalid",
        message: `the kernel-devel extension is not supported with kernelType "${kernelType}"`,
      },
    ]);
  }
  const out: MergedMachineConfigSpec = {
    config,
    kernelArguments: union(specs.map((spec) => spec.kernelArguments ?? [])),
    extensions,
    fips: specs.some((spec) => spec.fips === true),
    kernelType,
  };
  const osImageURL = lastNonEmpty(
    specs.map((spec) => spec.osImageURL),
    defaults.osImageURL,
  );
  if (osImageURL !== undefined) out.osImageURL = osImageURL;
  const extensionsImage = lastNonEmpty(
    specs.map((spec) => spec.baseOSExtensionsContainerImage),
    defaults.baseOSExtensionsContainerImage,
  );
  if (extensionsImage !== undefined) out.baseOSExtensionsContainerImage = extensionsImage;
  return out;
}

function mergedKernelType(specs: readonly MachineConfigSpecLike[]): string {
  let kernelType = KERNEL_TYPE_DEFAULT;
  for (const spec of specs) {
    if (spec.kernelType !== undefined && spec.kernelType !== "" && spec.kernelType !== KERNEL_TYPE_DEFAULT) {
      kernelType = spec.kernelType;
    }
  }
  return kernelType;
}

function union(lists: readonly (readonly string[])[]): string[] {
  return [...new Set(lists.flat())];
}

function lastNonEmpty(
  values: readonly (string | undefined)[],
  fallback: string | undefined,
): string | undefined {
  let result = fallback === "" ? undefined : fallback;
  for (const value of values) if (value !== undefined && value !== "") result = value;
  return result;
}

function prefixed(issue: IgnitionIssue, prefix: string): IgnitionIssue {
  return { ...issue, path: issue.path === "" ? prefix : `${prefix}.${issue.path}` };
}
