// The embedded scheduler: binds every pod that asks for the default scheduler and has no node to the
// one node of embedded mode, with the same effect as POST pods/<name>/binding (spec.nodeName and
// PodScheduled=True, written past the Pod strategy, which keeps spec.nodeName immutable). A pod whose
// nodeSelector the node does not match stays Pending with PodScheduled=False/Unschedulable.

import type { Logger } from "pino";
import type { KubeObject } from "../api/object.ts";
import { type ProcessResult, WorkQueue } from "../apiserver/controllers/work-queue.ts";
import { at, list, record, stringMap, text } from "../apiserver/registry/builtin/object-fields.ts";
import { timestamp } from "../apiserver/registry/names.ts";
import type { Store } from "../apiserver/registry/store.ts";
import { StorageError } from "../apiserver/storage/storage.ts";
import { find, keyOf, NODES, PODS, splitKey } from "./store-access.ts";

export const DEFAULT_NODE_NAME = "mob-host";
const DEFAULT_SCHEDULER = "default-scheduler";

export interface SchedulerOptions {
  store: Store;
  logger?: Logger;
  /** The node every pod is bound to (default `mob-host`). */
  nodeName?: string;
  /** How soon a pod that does not fit (or waits for the Node object) is tried again (default 1 s). */
  retryMs?: number;
}

/** Whether the scheduler should look at this pod at all (a named predicate on any pod version). */
export function needsScheduling(pod: KubeObject): boolean {
  const scheduler = text(at(pod, "spec", "schedulerName")) ?? DEFAULT_SCHEDULER;
  return (
    (text(at(pod, "spec", "nodeName")) ?? "") === "" &&
    scheduler === DEFAULT_SCHEDULER &&
    pod.metadata.deletionTimestamp === undefined
  );
}

export class Scheduler {
  readonly #store: Store;
  readonly #logger: Logger | undefined;
  readonly #nodeName: string;
  readonly #retryMs: number;
  readonly #queue: WorkQueue;

  constructor(options: SchedulerOptions) {
    this.#store = options.store;
    this.#logger = options.logger;
    this.#nodeName = options.nodeName ?? DEFAULT_NODE_NAME;
    this.#retryMs = options.retryMs ?? 1000;
    const logger = this.#logger;
    this.#queue = new WorkQueue({
      onError: (key, error) => logger?.warn({ pod: key, err: error }, "scheduling failed; retrying"),
    });
  }

  start(signal: AbortSignal): void {
    if (signal.aborted) return;
    const { storage } = this.#store;
    const pods = storage.list(PODS);
    for (const pod of pods.items) if (needsScheduling(pod)) this.#queue.add(keyOf(pod));
    const handle = storage.watch(PODS, { sinceResourceVersion: pods.resourceVersion }, (event) => {
      if (event.type !== "DELETED" && needsScheduling(event.object)) this.#queue.add(keyOf(event.object));
    });
    this.#queue.start(signal, (key) => this.#schedule(key));
    signal.addEventListener("abort", () => handle.stop(), { once: true });
  }

  #schedule(key: string): ProcessResult | undefined {
    const { namespace, name } = splitKey(key);
    const pod = find(this.#store, PODS, namespace, name);
    if (pod === undefined || !needsScheduling(pod)) return undefined;
    const node = find(this.#store, NODES, "", this.#nodeName);
    if (node === undefined) return { requeueAfterMs: this.#retryMs };
    const fits = selectorMatches(stringMap(at(pod, "spec", "nodeSelector")), node.metadata.labels ?? {});
    try {
      this.#store.storage.guaranteedUpdate({ resource: PODS, namespace, name }, (current) => {
        if (current.metadata.uid !== pod.metadata.uid || !needsScheduling(current)) return current;
        return fits
          ? bound(current, this.#nodeName, this.#store.now())
          : unschedulable(current, this.#store.now());
      });
    } catch (error) {
      if (error instanceof StorageError && error.code === "NotFound") return undefined;
      throw error;
    }
    if (!fits) return { requeueAfterMs: this.#retryMs };
    this.#logger?.info({ pod: key, node: this.#nodeName }, "bound pod to node");
    return undefined;
  }
}

function selectorMatches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

function withPodScheduled(pod: KubeObject, scheduled: Record<string, unknown>): KubeObject {
  const next = structuredClone(pod);
  const status = record(next.status) ?? {};
  const others = list(status.conditions).filter((c) => record(c)?.type !== "PodScheduled");
  const previous = list(status.conditions)
    .map(record)
    .find((c) => c?.type === "PodScheduled");
  const unchanged = previous?.status === scheduled.status && previous?.reason === scheduled.reason;
  const condition = unchanged ? previous : scheduled;
  next.status = { ...status, conditions: [...others, condition] };
  return next;
}

/** The pod bound to `node`, as pods/binding leaves it. */
export function bound(pod: KubeObject, node: string, now: Date): KubeObject {
  const next = withPodScheduled(pod, {
    type: "PodScheduled",
    status: "True",
    lastProbeTime: null,
    lastTransitionTime: timestamp(now),
  });
  next.spec = { ...(record(next.spec) ?? {}), nodeName: node };
  return next;
}

function unschedulable(pod: KubeObject, now: Date): KubeObject {
  const next = withPodScheduled(pod, {
    type: "PodScheduled",
    status: "False",
    lastProbeTime: null,
    lastTransitionTime: timestamp(now),
    reason: "Unschedulable",
    message: "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.",
  });
  return JSON.stringify(next) === JSON.stringify(pod) ? pod : next;
}
