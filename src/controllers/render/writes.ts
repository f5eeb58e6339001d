// Every write the render controller makes, each idempotent and conditional where it matters:
// base configs (create or update), rendered configs (create; AlreadyExists is success), the pool's
// spec.configuration (PUT at the cached resourceVersion, so a stale view fails with 409 and is
// retried) and its status (status subresource, written only when it changes), and GC deletes.

import { MachineConfigKeys } from "../../api/constants.ts";
import type { MachineConfig } from "../../api/machineconfig-v1.ts";
import type { MachineConfigPool, MachineConfigPoolStatus } from "../../api/machineconfigpool-v1.ts";
import { canonicalJson } from "../../ignition/index.ts";
import type { ReconcileContext } from "../../runtime/controller.ts";
import { isAlreadyExists, isNotFound } from "../../runtime/errors.ts";
import type { EventRecord, EventRecorder } from "../../runtime/events.ts";
import type { ResourceClient } from "../../runtime/resource-client.ts";
import { baseConfigUpToDate, updatedBaseConfig } from "./base-configs.ts";
import { type ConditionUpdate, setPoolCondition } from "./conditions.ts";
import { RenderEvents } from "./constants.ts";
import type { RenderMetrics } from "./metrics.ts";
import type { PoolConfiguration } from "./render.ts";

export interface RenderClients {
  pools: ResourceClient<MachineConfigPool>;
  configs: ResourceClient<MachineConfig>;
}

/** Where events go; the runtime's EventRecorder in production. */
export type EventSink = Pick<EventRecorder, "record">;

export interface RenderWritesOptions {
  clients: RenderClients;
  events?: EventSink;
  metrics?: RenderMetrics;
  now?: () => Date;
}

export interface StatusUpdate {
  condition: ConditionUpdate;
  /** Set status.configuration too (omitted: left as it is). */
  configuration?: PoolConfiguration;
}

export class RenderWrites {
  readonly #clients: RenderClients;
  readonly #events: EventSink | undefined;
  readonly #metrics: RenderMetrics | undefined;
  readonly #now: () => Date;
  /** Pool name → resourceVersions this process's own writes have superseded, not yet seen past. */
  readonly #superseded = new Map<string, Set<string>>();

  constructor(options: RenderWritesOptions) {
    this.#clients = options.clients;
    this.#events = options.events;
    this.#metrics = options.metrics;
    this.#now = options.now ?? (() => new Date());
  }

  /**
   * Whether the cached `pool` predates a write this process made (the informer has not delivered
   * it yet). Reconciling such a view would only fail with a 409; the caller waits a little instead.
   */
  cacheIsBehind(pool: MachineConfigPool): boolean {
    const name = pool.metadata.name ?? "";
    const superseded = this.#superseded.get(name);
    if (superseded === undefined) return false;
    if (superseded.has(pool.metadata.resourceVersion ?? "")) return true;
    this.#superseded.delete(name);
    return false;
  }

  /** Makes the stored base config equal `desired`; returns what is stored now. */
  async ensureBaseConfig(
    desired: MachineConfig,
    cached: MachineConfig | undefined,
    signal: AbortSignal,
  ): Promise<MachineConfig> {
    let current = cached;
    if (current === undefined) {
      try {
        return await this.#clients.configs.create(desired, { signal });
      } catch (error) {
        if (!isAlreadyExists(error)) throw error;
        current = await this.#clients.configs.get(desired.metadata.name ?? "", { signal });
      }
    }
    if (baseConfigUpToDate(current, desired)) return current;
    return this.#clients.configs.update(updatedBaseConfig(current, desired), { signal });
  }

  /** Creates the rendered config unless it exists; records RenderedConfigGenerated when created. */
  async ensureRendered(
    pool: MachineConfigPool,
    rendered: MachineConfig,
    exists: boolean,
    signal: AbortSignal,
  ): Promise<void> {
    if (exists) return;
    try {
      await this.#clients.configs.create(rendered, { signal });
    } catch (error) {
      if (isAlreadyExists(error)) return;
      throw error;
    }
    const poolName = pool.metadata.name ?? "";
    this.#metrics?.created(poolName);
    const annotations = rendered.metadata.annotations ?? {};
    const release = annotations[MachineConfigKeys.releaseImageVersion] ?? "";
    const version = annotations[MachineConfigKeys.generatedByControllerVersion] ?? "";
    this.event(
      pool,
      {
        type: "Normal",
        reason: RenderEvents.RenderedConfigGenerated,
        message: `${rendered.metadata.name ?? ""} successfully generated (release version: ${release}, controller version: ${version})`,
      },
      signal,
    );
  }

  /** Points spec.configuration at `configuration`; returns the pool as stored afterwards. */
  async pointSpec(
    pool: MachineConfigPool,
    configuration: PoolConfiguration,
    signal: AbortSignal,
  ): Promise<MachineConfigPool> {
    const previous = pool.spec.configuration;
    if (canonicalJson(previous ?? {}) === canonicalJson(configuration)) return pool;
    const next = structuredClone(pool);
    next.spec.configuration = structuredClone(configuration);
    const updated = this.#wrote(pool, await this.#clients.pools.update(next, { signal }));
    if (previous?.name !== configuration.name) {
      const poolName = pool.metadata.name ?? "";
      this.#metrics?.configChanged(poolName);
      this.event(
        updated,
        {
          type: "Normal",
          reason: RenderEvents.PoolConfigChanged,
          message: `Pool ${poolName} configuration changed from ${previous?.name || "<none>"} to ${configuration.name}`,
        },
        signal,
      );
    }
    return updated;
  }

  /** Applies `update` to the pool's status; writes only when something changed. */
  async writeStatus(
    pool: MachineConfigPool,
    update: StatusUpdate,
    signal: AbortSignal,
  ): Promise<MachineConfigPool> {
    const current: MachineConfigPoolStatus = pool.status ?? {};
    const status = structuredClone(current);
    if (pool.metadata.generation !== undefined) status.observedGeneration = pool.metadata.generation;
    if (update.configuration !== undefined) status.configuration = structuredClone(update.configuration);
    status.conditions = setPoolCondition(status.conditions, update.condition, this.#now());
    if (canonicalJson(status) === canonicalJson(current)) return pool;
    return this.#wrote(
      pool,
      await this.#clients.pools.updateStatus({ ...structuredClone(pool), status }, { signal }),
    );
  }

  /** Deletes rendered configs; ones already gone are fine. Returns how many this call deleted. */
  async deleteConfigs(names: readonly string[], pool: string, context: ReconcileContext): Promise<number> {
    let deleted = 0;
    for (const name of names) {
      try {
        await this.#clients.configs.delete(name, { signal: context.signal });
        deleted++;
        context.logger.info({ machineConfig: name }, "garbage-collected rendered MachineConfig");
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
    this.#metrics?.collected(pool, deleted);
    return deleted;
  }

  #wrote(before: MachineConfigPool, after: MachineConfigPool): MachineConfigPool {
    const name = before.metadata.name ?? "";
    const superseded = this.#superseded.get(name) ?? new Set<string>();
    superseded.add(before.metadata.resourceVersion ?? "");
    this.#superseded.set(name, superseded);
    return after;
  }

  /**
   * Records an event without waiting for it: events are informational, and a reconcile should not
   * spend a round trip on one. The recorder never rejects and stops with `signal`.
   */
  event(pool: MachineConfigPool, event: EventRecord, signal: AbortSignal): void {
    void this.#events?.record(pool, event, signal);
  }
}
