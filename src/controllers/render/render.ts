// The pure heart of the render controller: a pool, the MachineConfigs its selector selects and the
// ControllerConfig → the rendered MachineConfig `rendered-<pool>-<md5>` (or why there is none).
// Nothing here reads the clock, the network or the caches, so the same inputs give the same object
// on any machine; golden-tested in render.test.ts.

import { MachineConfigKeys, V1 } from "../../api/constants.ts";
import type { ControllerConfig } from "../../api/controllerconfig-v1.ts";
import type { MachineConfig, MachineConfigSpec } from "../../api/machineconfig-v1.ts";
import type { MachineConfigPool } from "../../api/machineconfigpool-v1.ts";
import type { OwnerReference } from "../../api/object.ts";
import { isPlainObject } from "../../api/object.ts";
import {
  formatIssue,
  IgnitionError,
  type IgnitionIssue,
  type MergedMachineConfigSpec,
  mergeMachineConfigSpecs,
  parseIgnition,
  renderedConfigName,
  validateIgnition,
} from "../../ignition/index.ts";
import { RenderDegradedReasons } from "./constants.ts";
import { compareNames } from "./selection.ts";

/** A `spec.configuration.source` entry. */
export interface ConfigReference {
  apiVersion: string;
  kind: string;
  name: string;
}

/** What a pool's spec.configuration and status.configuration are set to. */
export interface PoolConfiguration {
  name: string;
  source: ConfigReference[];
}

export interface RenderInput {
  pool: MachineConfigPool;
  /** The selected MachineConfigs, in any order: they are merged sorted by name. */
  configs: readonly MachineConfig[];
  controllerConfig: ControllerConfig;
  controllerVersion: string;
}

export type RenderResult =
  | { ok: true; rendered: MachineConfig; configuration: PoolConfiguration }
  | { ok: false; reason: typeof RenderDegradedReasons.InvalidMachineConfig; message: string };

/** Issues shown per MachineConfig in a message; the rest are counted. */
const MAX_ISSUES = 3;

export function renderPool(input: RenderInput): RenderResult {
  const configs = [...input.configs].sort((a, b) =>
    compareNames(a.metadata.name ?? "", b.metadata.name ?? ""),
  );
  for (const config of configs) {
    const problem = machineConfigProblem(config);
    if (problem !== undefined) return invalid(problem);
  }
  const cc = input.controllerConfig;
  const baseImage = baseImageOf(cc);
  let merged: MergedMachineConfigSpec;
  try {
    merged = mergeMachineConfigSpecs(
      configs.map((config) => config.spec ?? {}),
      withoutEmpty({
        osImageURL: baseImage,
        baseOSExtensionsContainerImage: cc.spec.baseOSExtensionsContainerImage,
      }),
    );
  } catch (error) {
    if (!(error instanceof IgnitionError)) throw error;
    return invalid(`cannot merge MachineConfigs: ${describeIssues(error.issues)}`);
  }
  const poolName = input.pool.metadata.name ?? "";
  const name = renderedConfigName(poolName, merged);
  const rendered: MachineConfig = {
    apiVersion: V1,
    kind: "MachineConfig",
    metadata: {
      name,
      ownerReferences: [poolOwnerReference(input.pool)],
      annotations: renderedAnnotations(input, merged, baseImage),
    },
    spec: machineConfigSpecOf(merged),
  };
  const source = configs.map((config) => ({
    apiVersion: V1,
    kind: "MachineConfig",
    name: config.metadata.name ?? "",
  }));
  return { ok: true, rendered, configuration: { name, source } };
}

/** The base OS image the ControllerConfig names: baseOSContainerImage, else the legacy osImageURL. */
export function baseImageOf(cc: ControllerConfig): string {
  return cc.spec.baseOSContainerImage || cc.spec.osImageURL || "";
}

/** Why a MachineConfig cannot be rendered (`MachineConfig <name>: <path>: <message>`), if it cannot. */
export function machineConfigProblem(config: MachineConfig): string | undefined {
  const raw = config.spec?.config;
  if (raw === undefined || raw === null || (isPlainObject(raw) && Object.keys(raw).length === 0))
    return undefined;
  const parsed = parseIgnition(raw);
  const issues = "config" in parsed ? validateIgnition(parsed.config) : parsed.issues;
  if (issues.length === 0) return undefined;
  return `MachineConfig ${config.metadata.name ?? ""}: ${describeIssues(issues)}`;
}

function describeIssues(issues: readonly IgnitionIssue[]): string {
  const shown = issues.slice(0, MAX_ISSUES).map(formatIssue).join("; ");
  const more = issues.length - MAX_ISSUES;
  return more > 0 ? `${shown} (and ${more} more)` : shown;
}

function invalid(message: string): RenderResult {
  return { ok: false, reason: RenderDegradedReasons.InvalidMachineConfig, message };
}

function poolOwnerReference(pool: MachineConfigPool): OwnerReference {
  return {
    apiVersion: V1,
    kind: "MachineConfigPool",
    name: pool.metadata.name ?? "",
    uid: pool.metadata.uid ?? "",
    controller: true,
    blockOwnerDeletion: true,
  };
}

function renderedAnnotations(
  input: RenderInput,
  merged: MergedMachineConfigSpec,
  baseImage: string,
): Record<string, string> {
  const annotations: Record<string, string> = {
    [MachineConfigKeys.generatedByControllerVersion]: input.controllerVersion,
  };
  const release = input.controllerConfig.metadata.annotations?.[MachineConfigKeys.releaseImageVersion];
  if (release !== undefined) annotations[MachineConfigKeys.releaseImageVersion] = release;
  // Upstream marks configs whose OS image is not the ControllerConfig's, so upgrades skip the check.
  if ((merged.osImageURL ?? "") !== baseImage) annotations[MachineConfigKeys.osImageURLOverridden] = "true";
  return annotations;
}

function machineConfigSpecOf(merged: MergedMachineConfigSpec): MachineConfigSpec {
  return { ...merged, config: { ...merged.config } };
}

function withoutEmpty(values: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== "",
    ),
  );
}
