// An EventRecorder writing core/v1 Events, aggregated like client-go's event correlator: the same
// (object, type, reason, message) seen again within `aggregationWindowMs` bumps `count` and
// `lastTimestamp` on the existing Event (merge PATCH) instead of creating another. What it
// remembers is bounded (LRU). Recording never throws: failures are logged and dropped.

import type { Logger } from "pino";
import type { KubeObject } from "../api/object.ts";
import { silentLogger } from "../logging.ts";
import { type Clock, realClock } from "./clock.ts";
import { isNotFound } from "./errors.ts";
import { EVENTS, type KubeClients } from "./kube-client.ts";
import type { ResourceClient } from "./resource-client.ts";

export type EventType = "Normal" | "Warning";

export interface EventRecord {
  type: EventType;
  /** UpperCamelCase, machine-readable, e.g. `BuildStarted`. */
  reason: string;
  message: string;
}

export interface EventRecorderOptions {
  clients: KubeClients;
  /** `source.component` and `reportingComponent`, e.g. `machine-os-builder`. */
  component: string;
  /** `reportingInstance`, e.g. the pod name. */
  instance: string;
  /** Default 10 minutes (client-go's correlator window). */
  aggregationWindowMs?: number;
  /** Distinct events remembered for aggregation (default 4096). */
  maxEntries?: number;
  logger?: Logger;
  clock?: Clock;
}

interface Seen {
  namespace: string;
  eventName: string;
  count: number;
  lastSeenMs: number;
}

export class EventRecorder {
  readonly #options: EventRecorderOptions;
  readonly #events: ResourceClient<KubeObject>;
  readonly #clock: Clock;
  readonly #logger: Logger;
  /** Insertion order is recency order: a hit is deleted and re-set. */
  readonly #seen = new Map<string, Seen>();
  /** Serialises writes per aggregation key so concurrent repeats count correctly. */
  readonly #pending = new Map<string, Promise<void>>();

  constructor(options: EventRecorderOptions) {
    this.#options = options;
    this.#events = options.clients.resource(EVENTS);
    this.#clock = options.clock ?? realClock;
    this.#logger = (options.logger ?? silentLogger()).child({ component: "event-recorder" });
  }

  /** Records an event about `object`; resolves when written (or given up on), never rejects. */
  record(object: KubeObject, event: EventRecord, signal: AbortSignal): Promise<void> {
    const key = aggregationKey(object, event);
    const previous = this.#pending.get(key) ?? Promise.resolve();
    const next = previous.then(() => this.#write(key, object, event, signal));
    this.#pending.set(key, next);
    return next.finally(() => {
      if (this.#pending.get(key) === next) this.#pending.delete(key);
    });
  }

  async #write(key: string, object: KubeObject, event: EventRecord, signal: AbortSignal): Promise<void> {
    try {
      const now = this.#clock.now();
      const seen = this.#seen.get(key);
      const windowMs = this.#options.aggregationWindowMs ?? 600_000;
      if (seen !== undefined && now - seen.lastSeenMs < windowMs && (await this.#bump(seen, now, signal))) {
        this.#remember(key, seen);
        return;
      }
      this.#remember(key, await this.#create(object, event, now, signal));
    } catch (error) {
      this.#logger.warn(
        { err: error, reason: event.reason, object: object.metadata.name },
        "event not recorded",
      );
    }
  }

  /** PATCHes the existing Event; false when it is gone (expired by the server). */
  async #bump(seen: Seen, now: number, signal: AbortSignal): Promise<boolean> {
    const patch = { count: seen.count + 1, lastTimestamp: timestamp(now) };
    try {
      await this.#events.patch(seen.eventName, patch, { type: "merge", namespace: seen.namespace, signal });
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
    seen.count++;
    seen.lastSeenMs = now;
    return true;
  }

  async #create(object: KubeObject, event: EventRecord, now: number, signal: AbortSignal): Promise<Seen> {
    const { name = "", namespace, uid, resourceVersion } = object.metadata;
    const eventNamespace = namespace || "default";
    const eventName = `${name}.${(BigInt(now) * 1_000_000n).toString(16)}${Math.floor(Math.random() * 0xfff).toString(16)}`;
    const { component, instance } = this.#options;
    const body: KubeObject = {
      metadata: { name: eventName, namespace: eventNamespace },
      involvedObject: {
        apiVersion: object.apiVersion,
        kind: object.kind,
        name,
        ...(namespace ? { namespace } : {}),
        ...(uid !== undefined ? { uid } : {}),
        ...(resourceVersion !== undefined ? { resourceVersion } : {}),
      },
      type: event.type,
      reason: event.reason,
      message: event.message,
      source: { component },
      reportingComponent: component,
      reportingInstance: instance,
      firstTimestamp: timestamp(now),
      lastTimestamp: timestamp(now),
      count: 1,
    };
    await this.#events.create(body, { namespace: eventNamespace, signal });
    return { namespace: eventNamespace, eventName, count: 1, lastSeenMs: now };
  }

  #remember(key: string, seen: Seen): void {
    this.#seen.delete(key);
    this.#seen.set(key, seen);
    const max = this.#options.maxEntries ?? 4096;
    for (const oldest of this.#seen.keys()) {
      if (this.#seen.size <= max) break;
      this.#seen.delete(oldest);
    }
  }
}

function aggregationKey(object: KubeObject, event: EventRecord): string {
  const { uid, namespace, name } = object.metadata;
  return JSON.stringify([object.kind, namespace, name, uid, event.type, event.reason, event.message]);
}

/** Event timestamps are RFC 3339 with whole seconds. */
function timestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}
