// The node reconciler, level-based per pool: for the pool named in the request it re-reads every
// pool, Node, MachineOSConfig and MachineOSBuild from the informer caches and converges:
//   1. membership: which nodes are the pool's (membership.ts);
//   2. target: what they should run, or that a layered pool must wait for its image (target.ts);
//   3. rollout: taints, then desiredConfig/desiredImage on as many nodes as capacity allows
//      (plan.ts) — nothing at all while the pool is paused or waiting;
//   4. status: counts, status.configuration and the Updated/Updating/Degraded/NodeDegraded
//      conditions (status.ts), written only when they change; rollout gauges.
// The writes to nodes come back as Node events, which reconcile the pool again: one pass never
// needs to see its own writes.

import type { MachineConfigPool } from "../../api/machineconfigpool-v1.ts";
import type { MachineOSBuild } from "../../api/machineosbuild-v1.ts";
import type { MachineOSConfig } from "../../api/machineosconfig-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import { type Clock, realClock } from "../../runtime/clock.ts";
import type { ReconcileContext, ReconcileResult, Reconciler } from "../../runtime/controller.ts";
import { isConflict, isNotFound } from "../../runtime/errors.ts";
import type { Request } from "../../runtime/predicates.ts";
import type { Lister } from "../render/reconcile.ts";
import { DEFAULT_STUCK_AFTER_MS, NodeEvents } from "./constants.ts";
import { assignPools, type PoolConflict } from "./membership.ts";
import { type RolloutMetrics, StuckTracker } from "./metrics.ts";
import { nodeName } from "./node-state.ts";
import { type NodeUpdate, planRollout, type RolloutPlan } from "./plan.ts";
import { computePoolStatus, countNodes } from "./status.ts";
import { type PoolTarget, poolTarget } from "./target.ts";
import { poolUpdateLine } from "./updating.ts";
import type { NodeWrites } from "./writes.ts";

/** How soon a pool is looked at again after its status write lost a race (409). */
const STATUS_CONFLICT_REQUEUE_MS = 50;

export interface NodeCaches {
  pools: Lister<MachineConfigPool>;
  nodes: Lister<KubeObject>;
  moscs: Lister<MachineOSConfig>;
  mosbs: Lister<MachineOSBuild>;
}

export interface NodeReconcilerOptions {
  caches: NodeCaches;
  writes: NodeWrites;
  metrics?: RolloutMetrics;
  /** A node Working for longer than this counts as stuck (default 30 minutes). */
  stuckAfterMs?: number;
  clock?: Clock;
}

export class NodeReconciler implements Reconciler {
  readonly #caches: NodeCaches;
  readonly #writes: NodeWrites;
  readonly #metrics: RolloutMetrics | undefined;
  readonly #stuck: StuckTracker;
  readonly #clock: Clock;

  constructor(options: NodeReconcilerOptions) {
    this.#caches = options.caches;
    this.#writes = options.writes;
    this.#metrics = options.metrics;
    this.#stuck = new StuckTracker(options.stuckAfterMs ?? DEFAULT_STUCK_AFTER_MS);
    this.#clock = options.clock ?? realClock;
  }

  async reconcile(request: Request, context: ReconcileContext): Promise<ReconcileResult | undefined> {
    const pool = this.#caches.pools.get(request.name);
    if (pool === undefined) {
      this.#metrics?.forget(request.name);
      return undefined;
    }
    const allNodes = this.#caches.nodes.list();
    const membership = assignPools(this.#caches.pools.list(), allNodes);
    const nodes = membership.members.get(request.name) ?? [];
    const conflicts = membership.conflicts.get(request.name) ?? [];
    const target = poolTarget(pool, this.#caches.moscs.list(), this.#caches.mosbs.list());
    const plan = planRollout({ pool, nodes, target });
    if (conflicts.length > 0) this.#reportConflicts(pool, conflicts, context);
    await this.#roll(pool, target, plan, context);
    const wrote = await this.#writeStatus(pool, nodes, target, conflicts, context);
    if (wrote === "conflict") return { requeueAfterMs: STATUS_CONFLICT_REQUEUE_MS };
    this.#stuck.retain(new Set(allNodes.map(nodeName)));
    const stuck = this.#stuck.observe(nodes, this.#clock.now());
    this.#metrics?.observe(request.name, countNodes(nodes, target), stuck.stuck);
    return stuck.nextInMs === undefined ? undefined : { requeueAfterMs: stuck.nextInMs + 1 };
  }

  async #roll(
    pool: MachineConfigPool,
    target: PoolTarget,
    plan: RolloutPlan,
    context: ReconcileContext,
  ): Promise<void> {
    const { signal, logger } = context;
    for (const change of plan.taints) {
      await ignoreNotFound(this.#writes.setTaint(change.node, change.taint, signal));
    }
    if (plan.updates.length > 0) {
      const { maxUnavailable, unavailable, failing, capacity } = plan;
      logger.info(
        { maxUnavailable, unavailable, failing, capacity, nodes: plan.updates.map((u) => u.node) },
        "updating nodes",
      );
    }
    for (const update of plan.updates) {
      if (!(await ignoreNotFound(this.#writes.setDesired(update, signal)))) continue;
      this.#writes.event(pool, targetedEvent(pool, target, update), signal);
    }
  }

  /** Writes the status; "conflict" when the cached pool was stale (another writer got there first). */
  async #writeStatus(
    pool: MachineConfigPool,
    nodes: readonly KubeObject[],
    target: PoolTarget,
    conflicts: readonly PoolConflict[],
    context: ReconcileContext,
  ): Promise<boolean | "conflict"> {
    const status = computePoolStatus({ pool, nodes, target, conflicts, now: this.#writes.now() });
    try {
      if (!(await this.#writes.writeStatus(pool, status, context.signal))) return false;
    } catch (error) {
      if (isConflict(error)) return "conflict";
      throw error;
    }
    const before = pool.status?.configuration?.name;
    const after = status.configuration?.name;
    if (after !== undefined && after !== before) {
      const poolName = pool.metadata.name ?? "";
      const message = `Pool ${poolName} has completed update to ${poolUpdateLine(pool, target)}`;
      this.#writes.event(pool, { type: "Normal", reason: NodeEvents.Completed, message }, context.signal);
    }
    return true;
  }

  #reportConflicts(
    pool: MachineConfigPool,
    conflicts: readonly PoolConflict[],
    context: ReconcileContext,
  ): void {
    for (const conflict of conflicts) {
      context.logger.warn({ node: conflict.node, pools: conflict.pools }, conflict.message);
      const event = {
        type: "Warning",
        reason: NodeEvents.NodePoolConflict,
        message: conflict.message,
      } as const;
      this.#writes.event(pool, event, context.signal);
    }
  }
}

function targetedEvent(pool: MachineConfigPool, target: PoolTarget, update: NodeUpdate) {
  const layered = update.desiredImage !== undefined;
  return {
    type: "Normal",
    reason: layered ? NodeEvents.SetDesiredConfigAndOSImage : NodeEvents.SetDesiredConfig,
    message: `Targeted node ${update.node} to ${poolUpdateLine(pool, target)}`,
  } as const;
}

/** Resolves true when the write happened, false when the node is gone. */
async function ignoreNotFound(write: Promise<void>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}
