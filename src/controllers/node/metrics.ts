// Rollout gauges per pool, on the manager's registry (never prom-client's global one):
//   ocl_rollout_updated_nodes{pool}   upstream's name: nodes running the pool's target.
//   mob_rollout_remaining_nodes{pool} nodes not running it yet.
//   mob_rollout_degraded_nodes{pool}  nodes whose daemon reports Degraded/Unreconcilable.
//   mob_rollout_stuck_nodes{pool}     nodes Working for longer than `stuckAfterMs` (mob only).
// How long a node has been Working is not on the Node, so `StuckTracker` remembers when this
// process first saw each node Working; a restart starts the clocks again (a stuck node shows up
// `stuckAfterMs` late, never early).

import { Gauge, type Registry } from "prom-client";
import { NodeStates } from "../../api/constants.ts";
import type { KubeObject } from "../../api/object.ts";
import { nodeName, nodeState } from "./node-state.ts";
import type { NodeCounts } from "./status.ts";

export class RolloutMetrics {
  readonly #updated: Gauge<"pool">;
  readonly #remaining: Gauge<"pool">;
  readonly #degraded: Gauge<"pool">;
  readonly #stuck: Gauge<"pool">;

  constructor(registry: Registry) {
    const gauge = (name: string, help: string): Gauge<"pool"> =>
      new Gauge({ name, help, labelNames: ["pool"], registers: [registry] });
    this.#updated = gauge(
      "ocl_rollout_updated_nodes",
      "Nodes of the pool running its target config and image.",
    );
    this.#remaining = gauge("mob_rollout_remaining_nodes", "Nodes of the pool not running its target yet.");
    this.#degraded = gauge(
      "mob_rollout_degraded_nodes",
      "Nodes of the pool whose daemon reports Degraded or Unreconcilable.",
    );
    this.#stuck = gauge(
      "mob_rollout_stuck_nodes",
      "Nodes of the pool Working for longer than the stuck threshold.",
    );
  }

  observe(pool: string, counts: NodeCounts, stuck: number): void {
    this.#updated.set({ pool }, counts.updatedMachineCount);
    this.#remaining.set({ pool }, counts.machineCount - counts.updatedMachineCount);
    this.#degraded.set({ pool }, counts.degradedMachineCount);
    this.#stuck.set({ pool }, stuck);
  }

  /** Drops the series of a deleted pool. */
  forget(pool: string): void {
    for (const gauge of [this.#updated, this.#remaining, this.#degraded, this.#stuck]) gauge.remove({ pool });
  }
}

export interface StuckReport {
  stuck: number;
  /** When the next Working node becomes stuck (ms from now), if one may. */
  nextInMs?: number;
}

export class StuckTracker {
  readonly #stuckAfterMs: number;
  /** Node name → when this process first saw it Working. */
  readonly #workingSince = new Map<string, number>();

  constructor(stuckAfterMs: number) {
    this.#stuckAfterMs = stuckAfterMs;
  }

  /** Updates the clocks of `nodes` (one pool's) and reports how many are stuck at `now`. */
  observe(nodes: readonly KubeObject[], now: number): StuckReport {
    let stuck = 0;
    let nextInMs: number | undefined;
    for (const node of nodes) {
      const name = nodeName(node);
      if (nodeState(node) !== NodeStates.Working) {
        this.#workingSince.delete(name);
        continue;
      }
      const since = this.#workingSince.get(name) ?? now;
      this.#workingSince.set(name, since);
      const left = since + this.#stuckAfterMs - now;
      if (left <= 0) stuck++;
      else nextInMs = Math.min(nextInMs ?? left, left);
    }
    return nextInMs === undefined ? { stuck } : { stuck, nextInMs };
  }

  /** Forgets nodes that no longer exist (or left every pool). */
  retain(names: ReadonlySet<string>): void {
    for (const name of this.#workingSince.keys()) if (!names.has(name)) this.#workingSince.delete(name);
  }
}
