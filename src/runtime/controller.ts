// A controller: watches (informer + mapping + predicates) feed request keys into a work queue that
// N workers drain through a `Reconciler`. Requests are level-based: the reconciler re-reads
// current state, so merged or dropped events lose nothing.

import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { KubeObject } from "../api/object.ts";
import { silentLogger } from "../logging.ts";
import { objectOf } from "./cache-store.ts";
import { type Clock, realClock } from "./clock.ts";
import { isConflict, TerminalError } from "./errors.ts";
import type { Cache, Informer } from "./informer.ts";
import type { ReconcileResult as ResultLabel, RuntimeMetrics } from "./metrics.ts";
import {
  type MapFunc,
  type ObjectEvent,
  type Predicate,
  parseRequestKey,
  type Request,
  requestForObject,
  requestKey,
} from "./predicates.ts";
import { WorkQueue } from "./work-queue.ts";

export interface ReconcileContext {
  signal: AbortSignal;
  /** Carries controller, request and reconcile id. */
  logger: Logger;
}

export interface ReconcileResult {
  /** Reconcile again after this long, even without a change (success; backoff resets). */
  requeueAfterMs?: number;
}

/** Throw to retry with backoff; throw a `TerminalError` to give up on this request. */
export interface Reconciler {
  reconcile(request: Request, context: ReconcileContext): Promise<ReconcileResult | undefined>;
}

export interface WatchOptions<T extends KubeObject> {
  /** Default: the object itself. */
  map?: MapFunc<T>;
  /** All must pass. */
  predicates?: Predicate<T>[];
}

export interface ControllerOptions {
  name: string;
  reconciler: Reconciler;
  /** Concurrent reconciles (default 1); one key never runs on two workers. */
  workers?: number;
  logger?: Logger;
  metrics?: RuntimeMetrics;
  clock?: Clock;
  /** Backoff of failed requests (defaults 5 ms, doubling up to 1000 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
}

type Outcome = { result: ReconcileResult | undefined; error?: never } | { error: unknown; result?: never };

export class Controller {
  readonly name: string;
  readonly queue: WorkQueue;
  readonly #options: ControllerOptions;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #informers: Cache[] = [];

  constructor(options: ControllerOptions) {
    this.name = options.name;
    this.#options = options;
    this.#clock = options.clock ?? realClock;
    this.#logger = (options.logger ?? silentLogger()).child({ controller: options.name });
    this.queue = new WorkQueue({
      name: options.name,
      clock: this.#clock,
      ...(options.metrics !== undefined ? { metrics: options.metrics } : {}),
      ...(options.baseDelayMs !== undefined ? { baseDelayMs: options.baseDelayMs } : {}),
      ...(options.maxDelayMs !== undefined ? { maxDelayMs: options.maxDelayMs } : {}),
    });
  }

  /** Informers this controller's watches read; the manager syncs them before starting it. */
  get informers(): readonly Cache[] {
    return this.#informers;
  }

  watch<T extends KubeObject>(informer: Informer<T>, options: WatchOptions<T> = {}): this {
    const map: MapFunc<T> = options.map ?? requestForObject;
    const predicates = options.predicates ?? [];
    const enqueue = (event: ObjectEvent<T>): void => {
      if (!predicates.every((passes) => passes(event))) return;
      for (const request of map(event.object)) this.queue.add(requestKey(request));
    };
    informer.addEventHandler({
      onAdd: (object) => enqueue({ type: "add", object }),
      onUpdate: (old, object) => enqueue({ type: "update", object, old }),
      onDelete: (obj) => enqueue({ type: "delete", object: objectOf(obj) }),
    });
    this.#informers.push(informer);
    return this;
  }

  /** Runs the workers until `signal` aborts; resolves once in-flight reconciles have finished. */
  async start(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    const onAbort = (): void => this.queue.shutDown();
    signal.addEventListener("abort", onAbort, { once: true });
    const workers = this.#options.workers ?? 1;
    this.#logger.info({ workers }, "starting workers");
    await Promise.all(Array.from({ length: workers }, () => this.#work(signal)));
    this.#logger.info("workers stopped");
  }

  async #work(signal: AbortSignal): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        await this.#reconcile(key, signal);
      } finally {
        this.queue.done(key);
      }
    }
  }

  async #reconcile(key: string, signal: AbortSignal): Promise<void> {
    const logger = this.#logger.child({ request: key, reconcileID: randomUUID() });
    const startedAt = this.#clock.now();
    let label: ResultLabel;
    try {
      const result = await this.#options.reconciler.reconcile(parseRequestKey(key), { signal, logger });
      label = this.#requeue(key, { result }, logger);
    } catch (error) {
      label = this.#requeue(key, { error }, logger);
    }
    this.#options.metrics?.reconciled(this.name, label, (this.#clock.now() - startedAt) / 1000);
  }

  /** Every requeue rule in one place. */
  #requeue(key: string, outcome: Outcome, logger: Logger): ResultLabel {
    switch (true) {
      case outcome.error instanceof TerminalError:
        this.queue.forget(key);
        logger.error({ err: outcome.error }, "reconcile failed terminally; not retrying");
        return "terminal_error";
      case "error" in outcome: {
        // A conflict only means the cache was behind a write; the retry reads the newer object.
        const level = isConflict(outcome.error) ? "debug" : "warn";
        logger[level](
          { err: outcome.error, requeues: this.queue.numRequeues(key) },
          "reconcile failed; retrying",
        );
        this.queue.addRateLimited(key);
        return "error";
      }
      case outcome.result?.requeueAfterMs !== undefined:
        this.queue.forget(key);
        this.queue.addAfter(key, outcome.result.requeueAfterMs);
        return "requeue_after";
      default:
        this.queue.forget(key);
        return "success";
    }
  }
}
