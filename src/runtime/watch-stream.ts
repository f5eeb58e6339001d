// One watch connection through client-node's `Watch`, as a promise: it resolves when the stream
// ends (server close, client-node's 30 s inactivity timeout, or `signal`) and rejects on a failed
// request, e.g. an HTTP 410 (`statusCode` on the error).

import { type KubeConfig, Watch } from "@kubernetes/client-node";

export interface WatchEvent {
  type: string;
  object: unknown;
}

export interface WatchRequest {
  path: string;
  query: Record<string, string | number | boolean | undefined>;
  signal: AbortSignal;
}

export type OpenWatch = (request: WatchRequest, onEvent: (event: WatchEvent) => void) => Promise<void>;

/** The watch-level failure client-node reports with an HTTP status, if any. */
export function watchStatusCode(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || !("statusCode" in error)) return undefined;
  return typeof error.statusCode === "number" ? error.statusCode : undefined;
}

/** True when client-node ended a quiet watch after its inactivity timeout (not a failure). */
export function isWatchTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === "TimeoutError";
}

export function clientNodeWatch(kubeConfig: KubeConfig): OpenWatch {
  const watch = new Watch(kubeConfig);
  return ({ path, query, signal }, onEvent) =>
    new Promise<void>((resolve, reject) => {
      let connection: AbortController | undefined;
      const onAbort = (): void => connection?.abort();
      signal.addEventListener("abort", onAbort, { once: true });
      const done = (error: unknown): void => {
        signal.removeEventListener("abort", onAbort);
        if (error === null || error === undefined || signal.aborted) resolve();
        else reject(error);
      };
      const forward = (type: string, object: unknown): void => onEvent({ type, object });
      watch.watch(path, query, forward, done).then((controller) => {
        connection = controller;
        if (signal.aborted) controller.abort();
      }, done);
    });
}
