// A rate-limited work queue with client-go semantics, for controllers with async workers:
// - string keys; a key added while it waits is merged (the `dirty` set);
// - a key is handed to at most one worker at a time (the `processing` set); adds that arrive while
//   it is processed merge into one re-run, queued when the worker calls `done`;
// - `addAfter` delays an add (the earliest pending delay of a key wins); `addRateLimited` delays it
//   by a per-key exponential backoff that `forget` resets.
// Callers always pair `get` with `done`.

import { type Clock, realClock, type TimerHandle } from "./clock.ts";

/** Per-queue metric hooks; see `metrics.ts` for the Prometheus implementation. */
export interface WorkQueueMetrics {
  /** Keys waiting to be handed out. */
  setDepth(depth: number): void;
  added(): void;
  retried(): void;
  /** Seconds a key waited between `add` and `get`. */
  observeQueueLatency(seconds: number): void;
  /** Seconds between `get` and `done`. */
  observeWorkDuration(seconds: number): void;
}

export interface WorkQueueMetricsProvider {
  forQueue(name: string): WorkQueueMetrics;
}

export interface WorkQueueOptions {
  /** Names the queue in metrics and logs. */
  name: string;
  clock?: Clock;
  /** First `addRateLimited` delay (default 5 ms); doubles per consecutive requeue. */
  baseDelayMs?: number;
  /** Upper bound of the `addRateLimited` delay (default 1000 s, as client-go). */
  maxDelayMs?: number;
  metrics?: WorkQueueMetricsProvider;
}

interface Waiting {
  timer: TimerHandle;
  at: number;
}

export class WorkQueue {
  readonly name: string;
  readonly #clock: Clock;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #metrics: WorkQueueMetrics | undefined;
  readonly #queue: string[] = [];
  readonly #dirty = new Set<string>();
  readonly #processing = new Map<string, number>();
  readonly #addedAt = new Map<string, number>();
  readonly #delayed = new Map<string, Waiting>();
  readonly #requeues = new Map<string, number>();
  readonly #getters: ((key: string | undefined) => void)[] = [];
  readonly #drainWaiters: (() => void)[] = [];
  #shuttingDown = false;
  #draining = false;

  constructor(options: WorkQueueOptions) {
    this.name = options.name;
    this.#clock = options.clock ?? realClock;
    this.#baseDelayMs = options.baseDelayMs ?? 5;
    this.#maxDelayMs = options.maxDelayMs ?? 1_000_000;
    this.#metrics = options.metrics?.forQueue(options.name);
  }

  add(key: string): void {
    if (this.#shuttingDown || this.#dirty.has(key)) return;
    this.#metrics?.added();
    this.#dirty.add(key);
    this.#addedAt.set(key, this.#clock.now());
    if (this.#processing.has(key)) return;
    this.#push(key);
  }

  /** Adds `key` once `delayMs` has passed; an earlier pending delayed add of the key wins. */
  addAfter(key: string, delayMs: number): void {
    if (this.#shuttingDown) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const at = this.#clock.now() + delayMs;
    const pending = this.#delayed.get(key);
    if (pending !== undefined) {
      if (pending.at <= at) return;
      this.#clock.clearTimeout(pending.timer);
    }
    const timer = this.#clock.setTimeout(() => {
      this.#delayed.delete(key);
      this.add(key);
    }, delayMs);
    this.#delayed.set(key, { timer, at });
  }

  /** Adds `key` after its backoff: `baseDelayMs * 2^requeues`, capped at `maxDelayMs`. */
  addRateLimited(key: string): void {
    const requeues = this.#requeues.get(key) ?? 0;
    this.#requeues.set(key, requeues + 1);
    this.#metrics?.retried();
    this.addAfter(key, Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** requeues));
  }

  /** Resets the backoff of `key` (call after it was processed successfully). */
  forget(key: string): void {
    this.#requeues.delete(key);
  }

  numRequeues(key: string): number {
    return this.#requeues.get(key) ?? 0;
  }

  /** Keys waiting to be handed out (not counting delayed ones). */
  get length(): number {
    return this.#queue.length;
  }

  get shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  /**
   * The next key, once one is available; `undefined` once the queue shuts down (after a drain:
   * once nothing is left to hand out). The caller owns the key until it calls `done(key)`.
   */
  get(): Promise<string | undefined> {
    const key = this.#next();
    if (key !== undefined || this.#closed()) return Promise.resolve(key);
    return new Promise((resolve) => this.#getters.push(resolve));
  }

  /** Ends processing of `key`; a key added meanwhile is queued again. */
  done(key: string): void {
    const startedAt = this.#processing.get(key);
    if (startedAt === undefined) return;
    this.#processing.delete(key);
    this.#metrics?.observeWorkDuration((this.#clock.now() - startedAt) / 1000);
    if (this.#dirty.has(key)) this.#push(key);
    this.#settle();
  }

  /** Stops at once: later adds are ignored, waiting and future `get`s return `undefined`. */
  shutDown(): void {
    this.#shuttingDown = true;
    this.#draining = false;
    this.#queue.length = 0;
    this.#dirty.clear();
    this.#clearDelayed();
    this.#metrics?.setDepth(0);
    this.#settle();
  }

  /**
   * Ignores later adds but keeps handing out queued keys; resolves once every queued and
   * in-flight key is done, or at once when `signal` aborts (the queue then shuts down).
   */
  shutDownWithDrain(signal: AbortSignal): Promise<void> {
    this.#shuttingDown = true;
    this.#draining = true;
    this.#clearDelayed();
    const drained = new Promise<void>((resolve) => this.#drainWaiters.push(resolve));
    const onAbort = (): void => this.shutDown();
    signal.addEventListener("abort", onAbort, { once: true });
    if (signal.aborted) this.shutDown();
    this.#settle();
    return drained.finally(() => signal.removeEventListener("abort", onAbort));
  }

  #push(key: string): void {
    const getter = this.#getters.shift();
    if (getter !== undefined) {
      getter(this.#take(key));
      return;
    }
    this.#queue.push(key);
    this.#metrics?.setDepth(this.#queue.length);
  }

  #next(): string | undefined {
    const key = this.#queue.shift();
    if (key === undefined) return undefined;
    this.#metrics?.setDepth(this.#queue.length);
    return this.#take(key);
  }

  #take(key: string): string {
    this.#dirty.delete(key);
    const now = this.#clock.now();
    this.#processing.set(key, now);
    const addedAt = this.#addedAt.get(key);
    this.#addedAt.delete(key);
    if (addedAt !== undefined) this.#metrics?.observeQueueLatency((now - addedAt) / 1000);
    return key;
  }

  /** Shut down and, when draining, nothing queued or due to be queued again by `done`. */
  #closed(): boolean {
    if (!this.#shuttingDown) return false;
    if (!this.#draining || this.#queue.length > 0) return !this.#draining;
    for (const key of this.#processing.keys()) if (this.#dirty.has(key)) return false;
    return true;
  }

  /** Wakes waiting getters and drain waiters once the queue has nothing left for them. */
  #settle(): void {
    if (!this.#closed()) return;
    for (const getter of this.#getters.splice(0)) getter(undefined);
    if (this.#processing.size > 0) return;
    for (const resolve of this.#drainWaiters.splice(0)) resolve();
  }

  #clearDelayed(): void {
    for (const { timer } of this.#delayed.values()) this.#clock.clearTimeout(timer);
    this.#delayed.clear();
  }
}
