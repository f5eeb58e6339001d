// The render controller's own counters, on the manager's registry (never prom-client's global one).

import { Counter, type Registry } from "prom-client";

export class RenderMetrics {
  readonly #created: Counter<"pool">;
  readonly #failures: Counter<"pool" | "reason">;
  readonly #collected: Counter<"pool">;
  readonly #configChanges: Counter<"pool">;

  constructor(registry: Registry) {
    const registers = [registry];
    this.#created = new Counter({
      name: "mob_render_rendered_configs_created_total",
      help: "Rendered MachineConfigs created, per pool.",
      labelNames: ["pool"],
      registers,
    });
    this.#configChanges = new Counter({
      name: "mob_render_pool_config_changes_total",
      help: "Times a pool's spec.configuration moved to another rendered config.",
      labelNames: ["pool"],
      registers,
    });
    this.#failures = new Counter({
      name: "mob_render_failures_total",
      help: "Reconciles that left a pool RenderDegraded, per pool and reason.",
      labelNames: ["pool", "reason"],
      registers,
    });
    this.#collected = new Counter({
      name: "mob_render_garbage_collected_total",
      help: "Rendered MachineConfigs deleted by garbage collection, per pool.",
      labelNames: ["pool"],
      registers,
    });
  }

  created(pool: string): void {
    this.#created.inc({ pool });
  }

  configChanged(pool: string): void {
    this.#configChanges.inc({ pool });
  }

  failed(pool: string, reason: string): void {
    this.#failures.inc({ pool, reason });
  }

  collected(pool: string, count: number): void {
    this.#collected.inc({ pool }, count);
  }
}
