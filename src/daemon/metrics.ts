// The daemon's metrics, named as upstream's MCD exports them, on the runtime registry.
//   mcd_update_state{config,image}  one series, for the config/image the daemon works on; the value
//                                   is the state: 0 Done, 1 Working, 2 Degraded, 3 Unreconcilable,
//                                   4 Rebooting.
//   mcd_reboots_failed_total        reboots that failed to happen.

import { Counter, Gauge, type Registry } from "prom-client";
import { type NodeState, NodeStates } from "../api/constants.ts";

const STATE_VALUES: Record<NodeState, number> = {
  [NodeStates.Done]: 0,
  [NodeStates.Working]: 1,
  [NodeStates.Degraded]: 2,
  [NodeStates.Unreconcilable]: 3,
  [NodeStates.Rebooting]: 4,
};

export class DaemonMetrics {
  readonly #updateState: Gauge<"config" | "image">;
  readonly #rebootsFailed: Counter;

  constructor(registry: Registry) {
    const registers = [registry];
    this.#updateState = new Gauge({
      name: "mcd_update_state",
      help: "The node's update state (0 Done, 1 Working, 2 Degraded, 3 Unreconcilable, 4 Rebooting) for a config and image.",
      labelNames: ["config", "image"],
      registers,
    });
    this.#rebootsFailed = new Counter({
      name: "mcd_reboots_failed_total",
      help: "Reboots the daemon asked for that failed.",
      registers,
    });
  }

  state(state: NodeState, config: string, image: string): void {
    this.#updateState.reset();
    this.#updateState.set({ config, image }, STATE_VALUES[state]);
  }

  rebootFailed(): void {
    this.#rebootsFailed.inc();
  }
}
