// The drain side of the daemon's drain handshake, level-based per Node (upstream does this in its
// node drain controller, not on the node). When desiredDrain differs from lastAppliedDrain:
//   drain-<mc>    → cordon, then evict every pod bound to the node except DaemonSet and mirror pods,
//                   retrying budget refusals (429) every retry interval, until none is left
//                   → lastAppliedDrain = desiredDrain. Past the timeout: uncordon (never strand a
//                   node cordoned), record the failure on the node (see constants.ts) and stop.
//   uncordon-<mc> → uncordon → lastAppliedDrain = desiredDrain.
// How long a drain has run is kept in memory: a restarted controller starts the clock again.

import { NodeAnnotations } from "../../api/constants.ts";
import type { KubeObject } from "../../api/object.ts";
import { type Clock, realClock } from "../../runtime/clock.ts";
import type { ReconcileContext, ReconcileResult, Reconciler } from "../../runtime/controller.ts";
import { isNotFound } from "../../runtime/errors.ts";
import type { EventRecord } from "../../runtime/events.ts";
import type { Request } from "../../runtime/predicates.ts";
import {
  DEFAULT_DRAIN_TIMEOUT_MS,
  DEFAULT_EVICTION_RETRY_MS,
  DRAIN_TIMEOUT_REASON,
  DrainFailureAnnotations,
  parseDrainRequest,
} from "./constants.ts";
import { type DrainApi, isUnschedulable } from "./drain-api.ts";
import { blockingBudget, isEvictable, isTooManyRequests, podKey } from "./pods.ts";

export interface DrainEvents {
  record(object: KubeObject, event: EventRecord, signal: AbortSignal): Promise<void>;
}

export interface DrainReconcilerOptions {
  api: DrainApi;
  events: DrainEvents;
  /** Give up on a drain after this long (default 10 minutes). */
  timeoutMs?: number;
  /** Wait between eviction rounds while pods remain (default 5 s). */
  retryIntervalMs?: number;
  clock?: Clock;
}

interface Blocked {
  since: number;
  why: string;
}

interface DrainProgress {
  request: string;
  startedAt: number;
  /** Pods an eviction was refused for, by namespace/name. */
  blocked: Map<string, Blocked>;
}

const CLEAR_FAILURE = {
  [DrainFailureAnnotations.failedDrain]: null,
  [DrainFailureAnnotations.drainFailure]: null,
};

export class DrainReconciler implements Reconciler {
  readonly #api: DrainApi;
  readonly #events: DrainEvents;
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  readonly #retryMs: number;
  readonly #progress = new Map<string, DrainProgress>();

  constructor(options: DrainReconcilerOptions) {
    this.#api = options.api;
    this.#events = options.events;
    this.#clock = options.clock ?? realClock;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
    this.#retryMs = options.retryIntervalMs ?? DEFAULT_EVICTION_RETRY_MS;
  }

  async reconcile(request: Request, context: ReconcileContext): Promise<ReconcileResult | undefined> {
    const { signal } = context;
    let node: KubeObject;
    try {
      node = await this.#api.getNode(request.name, signal);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      this.#progress.delete(request.name);
      return undefined;
    }
    const annotations = node.metadata.annotations ?? {};
    const desired = annotations[NodeAnnotations.desiredDrain];
    const parsed = parseDrainRequest(desired);
    if (
      desired === undefined ||
      parsed === undefined ||
      desired === annotations[NodeAnnotations.lastAppliedDrain]
    ) {
      this.#progress.delete(request.name);
      return undefined;
    }
    // Given up on this very request: wait for the daemon to ask for something else.
    if (annotations[DrainFailureAnnotations.failedDrain] === desired) return undefined;
    if (parsed.verb === "uncordon") return this.#uncordon(node, desired, context);
    return this.#drain(node, desired, context);
  }

  async #uncordon(
    node: KubeObject,
    desired: string,
    { signal, logger }: ReconcileContext,
  ): Promise<undefined> {
    const name = node.metadata.name ?? "";
    this.#progress.delete(name);
    const updated = await this.#api.patchNode(
      name,
      {
        annotations: { [NodeAnnotations.lastAppliedDrain]: desired, ...CLEAR_FAILURE },
        ...(isUnschedulable(node) ? { unschedulable: false } : {}),
      },
      signal,
    );
    logger.info({ node: name, request: desired }, "node uncordoned");
    await this.#events.record(
      updated,
      { type: "Normal", reason: "Uncordon", message: `Uncordoned node ${name}` },
      signal,
    );
    return undefined;
  }

  async #drain(
    node: KubeObject,
    desired: string,
    context: ReconcileContext,
  ): Promise<ReconcileResult | undefined> {
    const { signal, logger } = context;
    const name = node.metadata.name ?? "";
    const progress = this.#start(name, desired);
    if (!isUnschedulable(node)) {
      const cordoned = await this.#api.patchNode(name, { unschedulable: true }, signal);
      logger.info({ node: name, request: desired }, "node cordoned");
      await this.#events.record(
        cordoned,
        { type: "Normal", reason: "Cordon", message: `Cordoned node ${name}` },
        signal,
      );
    }
    const remaining = await this.#evictRound(name, progress, context);
    if (remaining.length === 0) {
      this.#progress.delete(name);
      const drained = await this.#api.patchNode(
        name,
        { annotations: { [NodeAnnotations.lastAppliedDrain]: desired, ...CLEAR_FAILURE } },
        signal,
      );
      logger.info({ node: name, request: desired }, "node drained");
      await this.#events.record(
        drained,
        { type: "Normal", reason: "Drain", message: `Drained node ${name}` },
        signal,
      );
      return undefined;
    }
    const elapsed = this.#clock.now() - progress.startedAt;
    if (elapsed < this.#timeoutMs)
      return { requeueAfterMs: Math.min(this.#retryMs, this.#timeoutMs - elapsed) };
    await this.#giveUp(name, desired, this.#failureMessage(name, progress, remaining), context);
    return undefined;
  }

  #start(name: string, desired: string): DrainProgress {
    const existing = this.#progress.get(name);
    if (existing !== undefined && existing.request === desired) return existing;
    const progress: DrainProgress = { request: desired, startedAt: this.#clock.now(), blocked: new Map() };
    this.#progress.set(name, progress);
    return progress;
  }

  /** Evicts what can go now; returns the pods still on the node. */
  async #evictRound(
    name: string,
    progress: DrainProgress,
    { signal, logger }: ReconcileContext,
  ): Promise<string[]> {
    const remaining: string[] = [];
    for (const pod of (await this.#api.podsOn(name, signal)).filter(isEvictable)) {
      const key = podKey(pod);
      remaining.push(key);
      if (pod.metadata.deletionTimestamp !== undefined) continue;
      try {
        await this.#api.evict(pod, signal);
        progress.blocked.delete(key);
        remaining.pop();
        logger.info({ node: name, pod: key }, "pod evicted");
      } catch (error) {
        if (isNotFound(error)) {
          remaining.pop();
          continue;
        }
        const budget = isTooManyRequests(error) ? blockingBudget(error) : undefined;
        const why =
          budget !== undefined
            ? `blocked by PodDisruptionBudget ${budget}`
            : `not evicted: ${error instanceof Error ? error.message : String(error)}`;
        const since = progress.blocked.get(key)?.since ?? this.#clock.now();
        progress.blocked.set(key, { since, why });
        logger.info({ node: name, pod: key, why }, "eviction refused; retrying");
      }
    }
    return remaining;
  }

  #failureMessage(name: string, progress: DrainProgress, remaining: string[]): string {
    const key = remaining.find((pod) => progress.blocked.has(pod)) ?? remaining[0] ?? "";
    const blocked = progress.blocked.get(key);
    const seconds = Math.round((this.#clock.now() - (blocked?.since ?? progress.startedAt)) / 1000);
    const why = blocked?.why ?? "still terminating";
    const more = remaining.length > 1 ? ` (${remaining.length - 1} more pods remain)` : "";
    return `could not drain node ${name}: pod ${key} ${why} for ${seconds} s${more}`;
  }

  async #giveUp(
    name: string,
    desired: string,
    message: string,
    { signal, logger }: ReconcileContext,
  ): Promise<void> {
    this.#progress.delete(name);
    const updated = await this.#api.patchNode(
      name,
      {
        unschedulable: false,
        annotations: {
          [DrainFailureAnnotations.failedDrain]: desired,
          [DrainFailureAnnotations.drainFailure]: `${DRAIN_TIMEOUT_REASON}: ${message}`,
        },
      },
      signal,
    );
    logger.warn({ node: name, request: desired }, message);
    await this.#events.record(updated, { type: "Warning", reason: DRAIN_TIMEOUT_REASON, message }, signal);
  }
}
