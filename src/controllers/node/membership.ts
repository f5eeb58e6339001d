// Which pool each node belongs to, from the pools' spec.nodeSelector, with the MCO's precedence:
//   - a pool with an absent, empty or invalid nodeSelector selects no node;
//   - master wins over worker; a custom pool wins over worker;
//   - a node matching two custom pools, or master and a custom pool, belongs to none of them.
// Upstream only logs that last case (getPrimaryPoolForNode fails and the node is skipped). mob
// leaves the node alone the same way but reports it on each pool involved, as NodeDegraded, so the
// mistake shows in `oc get mcp` — see status.ts.

import type { MachineConfigPool } from "../../api/machineconfigpool-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import {
  isEverything,
  labelSelectorFromObject,
  matchesLabels,
} from "../../apiserver/selectors/label-selector.ts";
import { MASTER_POOL, WORKER_POOL } from "./constants.ts";
import { nodeName } from "./node-state.ts";

/** A node left alone because it matches pools that exclude each other. */
export interface PoolConflict {
  node: string;
  /** Every pool involved, sorted. */
  pools: string[];
  message: string;
}

export interface Membership {
  /** Pool name → its nodes (every pool has an entry). */
  members: Map<string, KubeObject[]>;
  /** Pool name → conflicts naming it. */
  conflicts: Map<string, PoolConflict[]>;
}

/** Whether the pool's nodeSelector selects these labels (never for a missing, `{}` or invalid one). */
export function poolSelectsNode(
  pool: MachineConfigPool,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  const object = pool.spec.nodeSelector;
  if (object === undefined) return false;
  try {
    const selector = labelSelectorFromObject(object);
    return !isEverything(selector) && matchesLabels(selector, labels);
  } catch {
    return false;
  }
}

export type Placement = { pool: string } | { conflict: PoolConflict } | undefined;

/** The one pool `node` belongs to among `pools`, a conflict, or undefined when none selects it. */
export function placeNode(pools: readonly MachineConfigPool[], node: KubeObject): Placement {
  const matching = pools
    .filter((pool) => poolSelectsNode(pool, node.metadata.labels))
    .map((pool) => pool.metadata.name ?? "");
  const custom = matching.filter((name) => name !== MASTER_POOL && name !== WORKER_POOL).sort();
  const master = matching.includes(MASTER_POOL);
  if (custom.length > 1 || (custom.length === 1 && master)) {
    const involved = master ? [MASTER_POOL, ...custom] : custom;
    return { conflict: conflictOf(nodeName(node), involved.sort(), master) };
  }
  if (custom[0] !== undefined) return { pool: custom[0] };
  if (master) return { pool: MASTER_POOL };
  return matching.includes(WORKER_POOL) ? { pool: WORKER_POOL } : undefined;
}

function conflictOf(node: string, pools: string[], master: boolean): PoolConflict {
  const what = master ? "the master pool and a custom pool" : `${pools.length} custom pools`;
  return {
    node,
    pools,
    message: `Node ${node} belongs to ${what} (${pools.join(", ")}); it is left alone until it matches only one`,
  };
}

export function assignPools(pools: readonly MachineConfigPool[], nodes: readonly KubeObject[]): Membership {
  const members = new Map<string, KubeObject[]>(pools.map((pool) => [pool.metadata.name ?? "", []]));
  const conflicts = new Map<string, PoolConflict[]>();
  for (const node of nodes) {
    const placement = placeNode(pools, node);
    if (placement === undefined) continue;
    if ("pool" in placement) {
      members.get(placement.pool)?.push(node);
      continue;
    }
    for (const pool of placement.conflict.pools) {
      conflicts.set(pool, [...(conflicts.get(pool) ?? []), placement.conflict]);
    }
  }
  return { members, conflicts };
}
