// Which rendered configs of a pool may go: everything beyond the newest KEEP_RENDERED_PER_POOL (by
// creationTimestamp, then name) that no pool (spec or status) and no Node (currentConfig or
// desiredConfig) references. Pure; reconcile.ts gathers the references and deletes.

import { NodeAnnotations } from "../../api/constants.ts";
import type { MachineConfig } from "../../api/machineconfig-v1.ts";
import type { MachineConfigPool } from "../../api/machineconfigpool-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import { compareNames } from "./selection.ts";

/** Whether `config` is a rendered config the pool `pool` controls. */
export function isRenderedFor(config: MachineConfig, pool: string): boolean {
  return poolOwner(config) === pool;
}

/** Whether a pool controls `config` (rendered configs do; nothing else should). */
export function isRendered(config: MachineConfig): boolean {
  return poolOwner(config) !== undefined;
}

function poolOwner(config: MachineConfig): string | undefined {
  const owner = config.metadata.ownerReferences?.find((ref) => ref.controller === true);
  return owner?.kind === "MachineConfigPool" ? owner.name : undefined;
}

/** Rendered config names any pool or node refers to. */
export function referencedConfigs(
  pools: readonly MachineConfigPool[],
  nodes: readonly KubeObject[],
): Set<string> {
  const names = new Set<string>();
  const add = (name: string | undefined): void => {
    if (name) names.add(name);
  };
  for (const pool of pools) {
    add(pool.spec.configuration?.name);
    add(pool.status?.configuration?.name);
  }
  for (const node of nodes) {
    add(node.metadata.annotations?.[NodeAnnotations.currentConfig]);
    add(node.metadata.annotations?.[NodeAnnotations.desiredConfig]);
  }
  return names;
}

/**
 * Names among `owned` to delete, oldest first. `current` (the pool's own spec/status configs) rank
 * as the newest: creationTimestamp has whole seconds, so configs rendered in one second would
 * otherwise be ordered only by their hash.
 */
export function renderedConfigsToDelete(
  owned: readonly MachineConfig[],
  referenced: ReadonlySet<string>,
  keep: number,
  current: ReadonlySet<string> = new Set(),
): string[] {
  const rank = (config: MachineConfig): number => (current.has(config.metadata.name ?? "") ? 1 : 0);
  const newestFirst = [...owned].sort(
    (a, b) =>
      rank(b) - rank(a) ||
      compareNames(b.metadata.creationTimestamp ?? "", a.metadata.creationTimestamp ?? "") ||
      compareNames(b.metadata.name ?? "", a.metadata.name ?? ""),
  );
  return newestFirst
    .slice(keep)
    .map((config) => config.metadata.name ?? "")
    .filter((name) => name !== "" && !referenced.has(name))
    .reverse();
}
