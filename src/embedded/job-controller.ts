// The in-process Job controller: watches Jobs and pods and queues `namespace/name` of the Job each
// change concerns; job-reconcile.ts holds the rules.

import type { Logger } from "pino";
import type { KubeObject } from "../api/object.ts";
import { WorkQueue } from "../apiserver/controllers/work-queue.ts";
import type { Store } from "../apiserver/registry/store.ts";
import type { WatchHandle } from "../apiserver/storage/storage.ts";
import { controllingJob } from "./job-pods.ts";
import { type JobBackoff, type JobContext, reconcileJob } from "./job-reconcile.ts";
import { JOBS, keyOf, PODS } from "./store-access.ts";

export type { JobBackoff } from "./job-reconcile.ts";

/** Embedded mode's default: quick retries (Kubernetes uses 10 s doubling up to 6 min). */
export const EMBEDDED_JOB_BACKOFF: JobBackoff = { baseMs: 1000, maxMs: 10_000 };

export interface JobControllerOptions {
  store: Store;
  logger?: Logger;
  backoff?: Partial<JobBackoff>;
  /** How long past its grace period a deleted pod may stay non-terminal before it counts as failed (default 15 s). */
  terminatingGiveUpMs?: number;
}

export class JobController {
  readonly #context: JobContext;
  readonly #queue: WorkQueue;

  constructor(options: JobControllerOptions) {
    const logger = options.logger;
    this.#context = {
      store: options.store,
      logger,
      backoff: { ...EMBEDDED_JOB_BACKOFF, ...options.backoff },
      failures: new Map(),
      terminatingGiveUpMs: options.terminatingGiveUpMs ?? 15_000,
    };
    this.#queue = new WorkQueue({
      onError: (key, error) => logger?.warn({ job: key, err: error }, "job sync failed; retrying"),
    });
  }

  /** Lists and watches Jobs and pods, then syncs Jobs until `signal` aborts. */
  start(signal: AbortSignal): void {
    if (signal.aborted) return;
    const { storage } = this.#context.store;
    const handles: WatchHandle[] = [];
    for (const [resource, keys] of [
      [JOBS, (job: KubeObject) => [keyOf(job)]],
      [PODS, jobKeysOfPod],
    ] as const) {
      const list = storage.list(resource);
      for (const object of list.items) for (const key of keys(object)) this.#queue.add(key);
      handles.push(
        storage.watch(resource, { sinceResourceVersion: list.resourceVersion }, (event) => {
          for (const key of keys(event.object)) this.#queue.add(key);
          if (event.type === "DELETED" && resource === JOBS)
            this.#context.failures.delete(event.object.metadata.uid ?? "");
        }),
      );
    }
    this.#queue.start(signal, (key) => reconcileJob(this.#context, key));
    signal.addEventListener(
      "abort",
      () => {
        for (const handle of handles) handle.stop();
      },
      { once: true },
    );
  }
}

function jobKeysOfPod(pod: KubeObject): string[] {
  const job = controllingJob(pod);
  return job === undefined ? [] : [`${pod.metadata.namespace ?? ""}/${job.name}`];
}
