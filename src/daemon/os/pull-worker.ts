// A worker thread of the pull pool (pull-pool.ts): runs pullRootfs for each request it is sent, any
// number at a time, and reports each outcome once the pull has stopped touching its directory.
// Errors cross back as OsBackendError code and message, which never carry secrets.

import { parentPort } from "node:worker_threads";
import { OsBackendError } from "./backend.ts";
import type { FromPullWorker, PullOutcome, PullRequestMessage, ToPullWorker } from "./pull-messages.ts";
import { pullRootfs } from "./simulated-pull.ts";

interface RunningPull {
  controller: AbortController;
  /** Settles the wait for the caller's afterLayer hook, when one is pending. */
  hook: { done: () => void; failed: (error: Error) => void } | undefined;
}

const port = parentPort;
if (port === null) throw new Error("pull-worker.ts runs as a worker thread of the pull pool");
const running = new Map<number, RunningPull>();
const send = (message: FromPullWorker) => port.postMessage(message);

port.on("message", (message: ToPullWorker) => {
  const pull = running.get(message.id);
  switch (message.type) {
    case "pull":
      void run(message);
      return;
    case "hook-done":
      pull?.hook?.done();
      return;
    case "hook-failed":
      pull?.hook?.failed(new Error(message.message));
      return;
    case "abort":
      pull?.controller.abort();
      return;
  }
});

async function run(request: PullRequestMessage): Promise<void> {
  const pull: RunningPull = { controller: new AbortController(), hook: undefined };
  const { signal } = pull.controller;
  running.set(request.id, pull);
  const afterLayer = (layer: number, layers: number) =>
    new Promise<void>((done, failed) => {
      const abandon = () => failed(signal.reason);
      signal.addEventListener("abort", abandon, { once: true });
      const settle = () => {
        pull.hook = undefined;
        signal.removeEventListener("abort", abandon);
      };
      pull.hook = {
        done: () => {
          settle();
          done();
        },
        failed: (error) => {
          settle();
          failed(error);
        },
      };
      send({ type: "layer", id: request.id, layer, layers });
    });
  let outcome: PullOutcome;
  try {
    await pullRootfs(request.ref, request.rootfs, {
      credentials:
        request.dockerConfigJson === undefined ? undefined : { dockerConfigJson: request.dockerConfigJson },
      insecureHosts: request.insecureHosts,
      signal,
      ...(request.hooked ? { afterLayer } : {}),
    });
    outcome = { ok: true };
  } catch (error) {
    outcome = signal.aborted ? { ok: false, aborted: true } : failure(error);
  } finally {
    running.delete(request.id);
  }
  send({ type: "done", id: request.id, outcome });
}

function failure(error: unknown): PullOutcome {
  if (error instanceof OsBackendError)
    return { ok: false, aborted: false, code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { ok: false, aborted: false, code: "command-failed", message: `pull worker: ${message}` };
}
