// Runtime metrics on a private prom-client Registry (never the global one), named after
// controller-runtime's: reconcile counts, errors and durations per controller, work-queue depth,
// adds, retries and queue latency per queue.

import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { WorkQueueMetrics, WorkQueueMetricsProvider } from "./work-queue.ts";

export type ReconcileResult = "success" | "error" | "terminal_error" | "requeue_after";

export class RuntimeMetrics implements WorkQueueMetricsProvider {
  readonly registry: Registry;
  readonly #reconcileTotal: Counter<"controller" | "result">;
  readonly #reconcileErrors: Counter<"controller">;
  readonly #reconcileDuration: Histogram<"controller">;
  readonly #depth: Gauge<"name">;
  readonly #queueDuration: Histogram<"name">;
  readonly #workDuration: Histogram<"name">;
  readonly #adds: Counter<"name">;
  readonly #retries: Counter<"name">;

  constructor(registry: Registry = new Registry()) {
    this.registry = registry;
    const registers = [registry];
    const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
    this.#reconcileTotal = new Counter({
      name: "mob_reconcile_total",
      help: "Reconciles per controller and result.",
      labelNames: ["controller", "result"],
      registers,
    });
    this.#reconcileErrors = new Counter({
      name: "mob_reconcile_errors_total",
      help: "Reconciles that failed (retried or terminal).",
      labelNames: ["controller"],
      registers,
    });
    this.#reconcileDuration = new Histogram({
      name: "mob_reconcile_duration_seconds",
      help: "Time per reconcile.",
      labelNames: ["controller"],
      buckets,
      registers,
    });
    this.#depth = new Gauge({
      name: "mob_workqueue_depth",
      help: "Keys waiting in the queue.",
      labelNames: ["name"],
      registers,
    });
    this.#queueDuration = new Histogram({
      name: "mob_workqueue_queue_duration_seconds",
      help: "Time a key waits in the queue before a worker takes it.",
      labelNames: ["name"],
      buckets,
      registers,
    });
    this.#workDuration = new Histogram({
      name: "mob_workqueue_work_duration_seconds",
      help: "Time a worker holds a key.",
      labelNames: ["name"],
      buckets,
      registers,
    });
    this.#adds = new Counter({
      name: "mob_workqueue_adds_total",
      help: "Adds handled by the queue.",
      labelNames: ["name"],
      registers,
    });
    this.#retries = new Counter({
      name: "mob_workqueue_retries_total",
      help: "Rate-limited re-adds.",
      labelNames: ["name"],
      registers,
    });
  }

  reconciled(controller: string, result: ReconcileResult, seconds: number): void {
    this.#reconcileTotal.inc({ controller, result });
    this.#reconcileDuration.observe({ controller }, seconds);
    if (result === "error" || result === "terminal_error") this.#reconcileErrors.inc({ controller });
  }

  forQueue(name: string): WorkQueueMetrics {
    return {
      setDepth: (depth) => this.#depth.set({ name }, depth),
      added: () => this.#adds.inc({ name }),
      retried: () => this.#retries.inc({ name }),
      observeQueueLatency: (seconds) => this.#queueDuration.observe({ name }, seconds),
      observeWorkDuration: (seconds) => this.#workDuration.observe({ name }, seconds),
    };
  }
}
