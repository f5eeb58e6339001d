// Streaming GET pods/<name>/log?follow=true: tail the file until the container has terminated (or
// the pod is gone) and everything it wrote has been sent, or until the client leaves.

import { once } from "node:events";
import type { ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { KubeObject } from "../../api/object.ts";
import type { Store } from "../registry/store.ts";
import type { WatchHandle } from "../storage/storage.ts";
import type { LogFileReader } from "./log-file.ts";
import { isRecent, LogRenderer, parseLogLine, tail } from "./log-lines.ts";
import type { LogOptions } from "./log-options.ts";
import { containerState } from "./pod-fields.ts";

/** Watches one pod for its container's termination or the pod's deletion. */
export class ContainerTermination {
  #done: boolean;
  readonly #handle: WatchHandle;

  /**
   * Must be constructed synchronously after `pod` was read: storage delivers events synchronously
   * with writes, so no change can slip in between.
   */
  constructor(store: Store, resource: string, pod: KubeObject, container: string) {
    const { namespace = "", uid } = pod.metadata;
    this.#done = containerState(pod, container).kind === "terminated";
    this.#handle = store.storage.watch(resource, { namespace }, (event) => {
      if (event.object.metadata.uid !== uid) return;
      if (event.type === "DELETED" || containerState(event.object, container).kind === "terminated") {
        this.#done = true;
      }
    });
  }

  get done(): boolean {
    return this.#done;
  }

  stop(): void {
    this.#handle.stop();
  }
}

export interface FollowOptions {
  res: ServerResponse;
  signal: AbortSignal;
  reader: LogFileReader;
  options: LogOptions;
  termination: ContainerTermination;
  pollMs: number;
}

export async function streamFollow({
  res,
  signal,
  reader,
  options,
  termination,
  pollMs,
}: FollowOptions): Promise<void> {
  const stop = new AbortController();
  const abort = (): void => stop.abort();
  signal.addEventListener("abort", abort, { once: true });
  res.once("close", abort);
  res.writeHead(200, { "Content-Type": "text/plain", "Cache-Control": "no-cache, private" });
  res.flushHeaders();
  const renderer = new LogRenderer(options, (chunk) => res.write(chunk));
  try {
    const initial = (await reader.read()).map(parseLogLine).filter((line) => isRecent(line, options.sinceMs));
    for (const line of tail(initial, options.tailLines)) renderer.line(line);
    while (!stop.signal.aborted && !renderer.full) {
      const finished = termination.done;
      for (const raw of await reader.read()) renderer.line(parseLogLine(raw));
      if (finished) {
        const rest = reader.rest();
        if (rest !== undefined) renderer.line(parseLogLine(rest));
        break;
      }
      if (res.writableNeedDrain) await once(res, "drain", { signal: stop.signal });
      await sleep(pollMs, undefined, { signal: stop.signal });
    }
  } catch (error) {
    if (!stop.signal.aborted) throw error;
  } finally {
    signal.removeEventListener("abort", abort);
    res.off("close", abort);
  }
  if (!res.writableEnded && !res.destroyed) res.end();
}
