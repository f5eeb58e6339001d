// Simulated nodes pull and unpack their images on worker threads: the download, decompression,
// hashing and the synchronous filesystem calls of the unpack (registry/unpack.ts) then never hold
// the thread that serves the API server and runs the controllers of `mob up`. One pool per process,
// sized to the cores; a worker runs several pulls at once, each new pull goes to the least busy
// worker. Idle workers do not keep the process alive.
//
// A pull settles only once its worker reports that it stopped touching the directory, so a caller
// may remove the directory right after a failure or an abort. The afterLayer hook runs on the
// caller's thread; the worker waits for it before the next layer.

import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { formatImageReference, type ImageReference } from "../../registry/index.ts";
import { OsBackendError } from "./backend.ts";
import type { FromPullWorker, PullOutcome, ToPullWorker } from "./pull-messages.ts";
import type { SimulatedPullOptions } from "./simulated-pull.ts";

interface PendingPull {
  options: SimulatedPullOptions;
  settle: (outcome: PullOutcome | { ok: false; stopped: string }) => void;
}

interface PullWorker {
  worker: Worker;
  pulls: Map<number, PendingPull>;
}

const WORKER = new URL("./pull-worker.ts", import.meta.url);

export class PullWorkerPool {
  readonly #size: number;
  readonly #workers = new Set<PullWorker>();
  #ids = 0;

  constructor(size = availableParallelism()) {
    this.#size = Math.max(1, size);
  }

  /** The number of worker threads running now. */
  get workers(): number {
    return this.#workers.size;
  }

  /** pullRootfs on a worker thread: same contract, same errors (OsBackendError, or the abort reason). */
  async pull(
    ref: ImageReference & { digest: string },
    rootfs: string,
    options: SimulatedPullOptions,
  ): Promise<void> {
    // Up to the request being posted, everything runs within this call (no await before it).
    options.signal.throwIfAborted();
    const target = this.#leastBusy();
    const id = ++this.#ids;
    const image = formatImageReference(ref);
    const post = (message: ToPullWorker) => target.worker.postMessage(message);
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => post({ type: "abort", id });
      options.signal.addEventListener("abort", onAbort, { once: true });
      target.pulls.set(id, {
        options,
        settle: (outcome) => {
          options.signal.removeEventListener("abort", onAbort);
          target.pulls.delete(id);
          if (target.pulls.size === 0) target.worker.unref();
          if (outcome.ok) resolve();
          else reject(asError(outcome, image, options.signal));
        },
      });
      target.worker.ref();
      post({
        type: "pull",
        id,
        ref,
        rootfs,
        dockerConfigJson: options.credentials?.dockerConfigJson,
        insecureHosts: [...options.insecureHosts],
        hooked: options.afterLayer !== undefined,
      });
    });
  }

  /** Stops every worker; pulls still running fail. */
  async close(): Promise<void> {
    await Promise.all([...this.#workers].map((entry) => entry.worker.terminate()));
  }

  #leastBusy(): PullWorker {
    let least: PullWorker | undefined;
    for (const entry of this.#workers)
      if (least === undefined || entry.pulls.size < least.pulls.size) least = entry;
    if (least !== undefined && (least.pulls.size === 0 || this.#workers.size >= this.#size)) return least;
    return this.#start();
  }

  #start(): PullWorker {
    // No inherited execArgv: the worker needs none of the parent's flags (test runners add loaders).
    const entry: PullWorker = {
      worker: new Worker(WORKER, { name: "mob-pull", execArgv: [] }),
      pulls: new Map(),
    };
    this.#workers.add(entry);
    entry.worker.on("message", (message: FromPullWorker) => this.#receive(entry, message));
    let stopped = "it exited";
    entry.worker.on("error", (error) => {
      stopped = error.message;
    });
    entry.worker.on("exit", () => {
      this.#workers.delete(entry);
      for (const pull of [...entry.pulls.values()]) pull.settle({ ok: false, stopped });
    });
    return entry;
  }

  #receive(entry: PullWorker, message: FromPullWorker): void {
    const pull = entry.pulls.get(message.id);
    if (pull === undefined) return;
    if (message.type === "done") {
      pull.settle(message.outcome);
      return;
    }
    const hook = pull.options.afterLayer;
    const post = (reply: ToPullWorker) => entry.worker.postMessage(reply);
    void Promise.resolve()
      .then(() => hook?.(message.layer, message.layers))
      .then(
        () => post({ type: "hook-done", id: message.id }),
        (error: unknown) =>
          post({
            type: "hook-failed",
            id: message.id,
            message: error instanceof Error ? error.message : String(error),
          }),
      );
  }
}

function asError(
  outcome: Exclude<PullOutcome, { ok: true }> | { ok: false; stopped: string },
  image: string,
  signal: AbortSignal,
): unknown {
  if (signal.aborted) return signal.reason;
  if ("stopped" in outcome) {
    return new OsBackendError(
      "command-failed",
      `cannot pull image ${image}: the pull worker stopped: ${outcome.stopped}`,
    );
  }
  if (outcome.aborted) return new OsBackendError("command-failed", `cannot pull image ${image}: cancelled`);
  return new OsBackendError(outcome.code, outcome.message);
}

let shared: PullWorkerPool | undefined;

/** The process's pool, started on first use. */
export function sharedPullPool(): PullWorkerPool {
  shared ??= new PullWorkerPool();
  return shared;
}
