// Which MachineConfigs a pool's spec.machineConfigSelector selects, with upstream's two special
// cases: an absent selector selects nothing, and `{}` (which would select everything) is refused.

import type { MachineConfig } from "../../api/machineconfig-v1.ts";
import type { MachineConfigPool } from "../../api/machineconfigpool-v1.ts";
import {
  isEverything,
  type LabelSelector,
  labelSelectorFromObject,
  matchesLabels,
} from "../../apiserver/selectors/label-selector.ts";

export type PoolSelector =
  | { kind: "selector"; selector: LabelSelector }
  | { kind: "all" }
  | { kind: "invalid"; message: string };

export function poolSelector(pool: MachineConfigPool): PoolSelector {
  const object = pool.spec.machineConfigSelector;
  try {
    const selector = labelSelectorFromObject(object);
    if (object !== undefined && isEverything(selector)) return { kind: "all" };
    return { kind: "selector", selector };
  } catch (error) {
    return { kind: "invalid", message: error instanceof Error ? error.message : String(error) };
  }
}

/** Whether the pool's selector selects an object with these labels (never for `{}` or invalid). */
export function poolSelects(
  pool: MachineConfigPool,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  const selection = poolSelector(pool);
  return selection.kind === "selector" && matchesLabels(selection.selector, labels);
}

/** The selected MachineConfigs sorted by name (the merge order). */
export function selectConfigs(selector: LabelSelector, configs: readonly MachineConfig[]): MachineConfig[] {
  return configs
    .filter((config) => matchesLabels(selector, config.metadata.labels))
    .sort((a, b) => compareNames(a.metadata.name ?? "", b.metadata.name ?? ""));
}

/** Byte-wise order, as Go's sort of strings (not locale order). */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
