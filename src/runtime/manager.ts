// The manager runs the runtime's parts in order: probe server → caches (informers) → wait for
// every cache to sync → controllers (behind leader election when configured). On abort it stops
// in reverse: controllers finish in-flight reconciles, caches stop, the lease is released, the
// probe server closes.
//
// Readiness (/readyz): every cache has synced and, with leader election, the replica has finished
// its first campaign round: it leads or it is a standby. Standbys report ready because readiness
// gates traffic to the process (metrics, probes), not leadership; a standby is healthy.

import type { Logger } from "pino";
import { silentLogger } from "../logging.ts";
import type { Controller } from "./controller.ts";
import type { Cache } from "./informer.ts";
import type { KubeClients } from "./kube-client.ts";
import { type LeaderElectionConfig, LeaderElector } from "./leader-election.ts";
import { RuntimeMetrics } from "./metrics.ts";
import { type ListenAddress, listenProbes, type ProbeServer } from "./probe-server.ts";

export interface ManagerOptions {
  logger?: Logger;
  metrics?: RuntimeMetrics;
  /** `--metrics-listen`: serves /healthz, /readyz and /metrics; no server when unset. */
  metricsListen?: ListenAddress;
  /** Run controllers only while holding this lease. */
  leaderElection?: LeaderElectionConfig & { clients: KubeClients };
}

export class LeaderElectionLostError extends Error {
  override readonly name = "LeaderElectionLostError";
}

export class Manager {
  readonly metrics: RuntimeMetrics;
  readonly #options: ManagerOptions;
  readonly #logger: Logger;
  readonly #controllers: Controller[] = [];
  readonly #caches = new Set<Cache>();
  readonly #elector: LeaderElector | undefined;
  readonly #listening = Promise.withResolvers<ProbeServer | undefined>();
  #synced = false;

  constructor(options: ManagerOptions = {}) {
    this.#options = options;
    this.metrics = options.metrics ?? new RuntimeMetrics();
    this.#logger = (options.logger ?? silentLogger()).child({ component: "manager" });
    const election = options.leaderElection;
    this.#elector = election && new LeaderElector({ ...election, logger: this.#logger });
    this.#listening.promise.catch(() => undefined);
  }

  /** Adds a controller; its watched informers join the manager's caches. */
  add(controller: Controller): this {
    this.#controllers.push(controller);
    for (const cache of controller.informers) this.#caches.add(cache);
    return this;
  }

  /** Adds a cache no controller watches (e.g. one only read through `get`). */
  addCache(cache: Cache): this {
    this.#caches.add(cache);
    return this;
  }

  ready(): boolean {
    return this.#synced && (this.#elector === undefined || this.#elector.hasAttempted());
  }

  isLeader(): boolean {
    return this.#elector === undefined ? this.#synced : this.#elector.isLeader();
  }

  /** The probe server's address once it listens (`undefined` without `metricsListen`). */
  listening(): Promise<ProbeServer | undefined> {
    return this.#listening.promise;
  }

  /**
   * Runs until `signal` aborts and everything has stopped. Rejects with
   * `LeaderElectionLostError` when the lease is lost (the process should exit).
   */
  async start(signal: AbortSignal): Promise<void> {
    const probes = await this.#listen();
    const caches = new AbortController();
    try {
      await this.#startCaches(signal, caches.signal);
      if (!signal.aborted) await this.#runControllers(signal);
    } finally {
      caches.abort();
      await Promise.all([...this.#caches].map((cache) => cache.stopped()));
      await probes?.close();
      this.#logger.info("stopped");
    }
  }

  async #listen(): Promise<ProbeServer | undefined> {
    const listen = this.#options.metricsListen;
    try {
      const probes =
        listen === undefined
          ? undefined
          : await listenProbes(listen, { ready: () => this.ready(), registry: this.metrics.registry });
      this.#listening.resolve(probes);
      return probes;
    } catch (error) {
      this.#listening.reject(error);
      throw error;
    }
  }

  async #startCaches(signal: AbortSignal, cacheSignal: AbortSignal): Promise<void> {
    const started = [...this.#caches].map((cache) => cache.start(cacheSignal));
    const aborted = new Promise<void>((resolve) =>
      signal.addEventListener("abort", () => resolve(), { once: true }),
    );
    await Promise.race([Promise.all(started), aborted]);
    if (signal.aborted) return;
    this.#synced = true;
    this.#logger.info({ caches: this.#caches.size }, "caches synced");
  }

  async #runControllers(signal: AbortSignal): Promise<void> {
    const elector = this.#elector;
    if (elector === undefined) {
      await this.#startControllers(signal);
      return;
    }
    let running: Promise<void> = Promise.resolve();
    const outcome = await elector.run(signal, {
      onStartedLeading: (leading) => {
        running = this.#startControllers(leading);
      },
      onStoppedLeading: () => running,
    });
    if (outcome === "lost") throw new LeaderElectionLostError("leader election lost");
  }

  async #startControllers(signal: AbortSignal): Promise<void> {
    this.#logger.info({ controllers: this.#controllers.length }, "starting controllers");
    await Promise.all(this.#controllers.map((controller) => controller.start(signal)));
  }
}
