// A deduplicating work queue with client-go semantics for in-process controllers: string keys; a
// key added while queued is merged; a key added while it is being processed runs again afterwards;
// a key whose processing throws is retried with per-key exponential backoff.
//
// Processing is synchronous (the store is) and always runs in a macrotask, never inside `add`:
// storage delivers watch events synchronously after a commit, and writing from inside that
// callback would nest writes in the middle of another caller's write.

export interface ProcessResult {
  /** Process the key again after this many milliseconds (a level-based "check later"). */
  requeueAfterMs?: number;
}

export type ProcessKey = (key: string) => ProcessResult | undefined;

/** Called with every error a key's processing throws, before the retry is scheduled. */
export type ErrorSink = (key: string, error: unknown) => void;

export interface WorkQueueOptions {
  /** First retry delay after a failure (default 5 ms); doubles per consecutive failure. */
  baseDelayMs?: number;
  /** Upper bound of the retry delay (default 30 s). */
  maxDelayMs?: number;
  /** Keys processed per macrotask before yielding to the event loop (default 100). */
  batchSize?: number;
  onError?: ErrorSink;
}

interface Delayed {
  timer: NodeJS.Timeout;
  at: number;
}

export class WorkQueue {
  readonly #dirty = new Set<string>();
  readonly #failures = new Map<string, number>();
  readonly #delayed = new Map<string, Delayed>();
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #batchSize: number;
  readonly #onError: ErrorSink | undefined;
  #process: ProcessKey | undefined;
  #immediate: NodeJS.Immediate | undefined;
  #stopped = false;

  constructor(options: WorkQueueOptions = {}) {
    this.#baseDelayMs = options.baseDelayMs ?? 5;
    this.#maxDelayMs = options.maxDelayMs ?? 30_000;
    this.#batchSize = options.batchSize ?? 100;
    this.#onError = options.onError;
  }

  /** Starts processing keys added before and after; stops for good when `signal` aborts. */
  start(signal: AbortSignal, process: ProcessKey): void {
    if (signal.aborted) {
      this.#stop();
      return;
    }
    this.#process = process;
    signal.addEventListener("abort", () => this.#stop(), { once: true });
    this.#schedule();
  }

  add(key: string): void {
    if (this.#stopped) return;
    this.#dirty.add(key);
    this.#schedule();
  }

  /** Adds `key` after `delayMs`; an earlier pending delayed add of the same key wins. */
  addAfter(key: string, delayMs: number): void {
    if (this.#stopped) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const at = Date.now() + delayMs;
    const pending = this.#delayed.get(key);
    if (pending !== undefined) {
      if (pending.at <= at) return;
      clearTimeout(pending.timer);
    }
    const timer = setTimeout(() => {
      this.#delayed.delete(key);
      this.add(key);
    }, delayMs);
    this.#delayed.set(key, { timer, at });
  }

  /** Keys waiting to be processed now (not counting delayed ones). */
  get length(): number {
    return this.#dirty.size;
  }

  #schedule(): void {
    if (this.#process === undefined || this.#immediate !== undefined || this.#dirty.size === 0) return;
    this.#immediate = setImmediate(() => {
      this.#immediate = undefined;
      this.#drain();
    });
  }

  #drain(): void {
    const process = this.#process;
    if (process === undefined || this.#stopped) return;
    let done = 0;
    for (const key of this.#dirty) {
      if (done++ >= this.#batchSize || this.#stopped) break;
      this.#dirty.delete(key);
      this.#run(process, key);
    }
    this.#schedule();
  }

  #run(process: ProcessKey, key: string): void {
    try {
      const result = process(key);
      this.#failures.delete(key);
      if (result?.requeueAfterMs !== undefined) this.addAfter(key, result.requeueAfterMs);
    } catch (error) {
      const failures = (this.#failures.get(key) ?? 0) + 1;
      this.#failures.set(key, failures);
      this.#onError?.(key, error);
      this.addAfter(key, Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** (failures - 1)));
    }
  }

  #stop(): void {
    this.#stopped = true;
    if (this.#immediate !== undefined) clearImmediate(this.#immediate);
    this.#immediate = undefined;
    for (const { timer } of this.#delayed.values()) clearTimeout(timer);
    this.#delayed.clear();
    this.#dirty.clear();
    this.#failures.clear();
  }
}
