// Embedded mode's node lifecycle controller, kube-controller-manager's stand-in on the API server's
// store: watches Nodes and their Leases in kube-node-lease, and applies node-lifecycle-rules.ts to a
// node whenever either changes and when its grace period runs out. It marks and taints only: pods on
// a lost node are not evicted (nothing in mob's embedded platform acts on NoExecute taints).

import type { Logger } from "pino";
import type { KubeObject } from "../api/object.ts";
import { type ProcessResult, WorkQueue } from "../apiserver/controllers/work-queue.ts";
import { record } from "../apiserver/registry/builtin/object-fields.ts";
import type { Store } from "../apiserver/registry/store.ts";
import type { WatchHandle } from "../apiserver/storage/storage.ts";
import { type Clock, realClock, type TimerHandle } from "../runtime/clock.ts";
import {
  assessNode,
  DEFAULT_NODE_MONITOR_GRACE_PERIOD_MS,
  DEFAULT_NODE_STARTUP_GRACE_PERIOD_MS,
  type NodeLifecycleTimings,
  readyStatus,
  type Taint,
  taintsFor,
} from "./node-lifecycle-rules.ts";
import { NODE_LEASE_NAMESPACE } from "./node-registration.ts";
import { find, isNotFound, LEASES, NODES, scopeOf, writeStatus } from "./store-access.ts";

/** How often nodes renew their Lease and how long one may stay silent (tests shorten both). */
export interface NodeHeartbeat {
  /** Lease renewal period of the host kubelet and the simulated nodes (default 10 s, as the kubelet). */
  leaseRenewMs?: number;
  /** `--node-monitor-grace-period` (default 50 s, Kubernetes 1.32's). */
  gracePeriodMs?: number;
}

export interface NodeLifecycleOptions {
  store: Store;
  logger?: Logger;
  timings?: Partial<NodeLifecycleTimings>;
  /** The time rules are judged at and grace periods are timed with (default the real clock). */
  clock?: Clock;
}

export class NodeLifecycleController {
  readonly #store: Store;
  readonly #logger: Logger | undefined;
  readonly #timings: NodeLifecycleTimings;
  readonly #clock: Clock;
  readonly #queue: WorkQueue;
  readonly #rechecks = new Map<string, TimerHandle>();
  #watchingSinceMs = 0;

  constructor(options: NodeLifecycleOptions) {
    this.#store = options.store;
    this.#logger = options.logger;
    this.#clock = options.clock ?? realClock;
    this.#timings = {
      gracePeriodMs: options.timings?.gracePeriodMs ?? DEFAULT_NODE_MONITOR_GRACE_PERIOD_MS,
      startupGracePeriodMs: options.timings?.startupGracePeriodMs ?? DEFAULT_NODE_STARTUP_GRACE_PERIOD_MS,
    };
    const logger = this.#logger;
    this.#queue = new WorkQueue({
      onError: (key, error) => logger?.warn({ node: key, err: error }, "node health check failed; retrying"),
    });
  }

  /** Lists and watches Nodes and node Leases, then judges nodes until `signal` aborts. */
  start(signal: AbortSignal): void {
    if (signal.aborted) return;
    this.#watchingSinceMs = this.#clock.now();
    const { storage } = this.#store;
    const handles: WatchHandle[] = [];
    for (const resource of [NODES, LEASES]) {
      const namespace = resource === LEASES ? NODE_LEASE_NAMESPACE : undefined;
      const listed = storage.list(resource, namespace === undefined ? {} : { namespace });
      for (const object of listed.items) this.#queue.add(object.metadata.name ?? "");
      const watch = { sinceResourceVersion: listed.resourceVersion, ...(namespace ? { namespace } : {}) };
      handles.push(
        storage.watch(resource, watch, (event) => this.#queue.add(event.object.metadata.name ?? "")),
      );
    }
    this.#queue.start(signal, (name) => this.#check(name));
    signal.addEventListener(
      "abort",
      () => {
        for (const handle of handles) handle.stop();
        for (const timer of this.#rechecks.values()) this.#clock.clearTimeout(timer);
        this.#rechecks.clear();
      },
      { once: true },
    );
  }

  #check(name: string): ProcessResult | undefined {
    this.#cancelRecheck(name);
    const node = find(this.#store, NODES, "", name);
    if (node === undefined) return undefined;
    const lease = find(this.#store, LEASES, NODE_LEASE_NAMESPACE, name);
    const now = this.#clock.now();
    const verdict = assessNode(node, lease, now, this.#watchingSinceMs, this.#timings);
    if (verdict.conditions !== undefined) this.#writeConditions(node, verdict.conditions);
    if (verdict.taints !== undefined) this.#writeTaints(node, new Date(now));
    if (verdict.recheckInMs !== undefined) this.#recheckAfter(name, verdict.recheckInMs);
    return undefined;
  }

  /** `conditions` were computed from `node` in this same synchronous step: no other write came between. */
  #writeConditions(node: KubeObject, conditions: unknown[]): void {
    const written = writeStatus(this.#store, NODES, node, (current) => ({
      ...record(current.status),
      conditions,
    }));
    if (written)
      this.#logger?.info(
        { node: node.metadata.name },
        "node stopped posting status within the grace period; its conditions are Unknown",
      );
  }

  /** Brings the lifecycle taints in line with the stored Ready condition (it may have just changed). */
  #writeTaints(node: KubeObject, now: Date): void {
    const { name = "", uid } = node.metadata;
    let written: Taint[] | undefined;
    try {
      this.#store.write(scopeOf(this.#store, NODES), name, undefined, (current) => {
        written = current.metadata.uid === uid ? taintsFor(current, readyStatus(current), now) : undefined;
        return written === undefined
          ? current
          : { ...current, spec: { ...record(current.spec), taints: written } };
      });
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    if (written !== undefined)
      this.#logger?.info({ node: name, taints: written }, "updated the node's lifecycle taints");
  }

  #recheckAfter(name: string, delayMs: number): void {
    const timer = this.#clock.setTimeout(() => {
      this.#rechecks.delete(name);
      this.#queue.add(name);
    }, delayMs);
    this.#rechecks.set(name, timer);
  }

  #cancelRecheck(name: string): void {
    const timer = this.#rechecks.get(name);
    if (timer === undefined) return;
    this.#clock.clearTimeout(timer);
    this.#rechecks.delete(name);
  }
}
