// The messages between the simulated backend's pull pool (pull-pool.ts, on the caller's thread) and
// its worker threads (pull-worker.ts). Credentials travel in the pull request only, never back.

import type { ImageReference } from "../../registry/index.ts";
import type { OsBackendErrorCode } from "./backend.ts";

export interface PullRequestMessage {
  type: "pull";
  id: number;
  ref: ImageReference & { digest: string };
  rootfs: string;
  dockerConfigJson: string | undefined;
  insecureHosts: readonly string[];
  /** Whether the caller has an afterLayer hook: the worker then waits for it after each layer. */
  hooked: boolean;
}

/** The caller's hook returned: the worker may start the next layer. */
export interface HookDoneMessage {
  type: "hook-done";
  id: number;
}

/** The caller's hook threw: the pull fails with this message. */
export interface HookFailedMessage {
  type: "hook-failed";
  id: number;
  message: string;
}

/** The caller's signal aborted. */
export interface AbortMessage {
  type: "abort";
  id: number;
}

export type ToPullWorker = PullRequestMessage | HookDoneMessage | HookFailedMessage | AbortMessage;

/** Layer `layer` of `layers` is unpacked; the worker waits for hook-done or hook-failed. */
export interface LayerMessage {
  type: "layer";
  id: number;
  layer: number;
  layers: number;
}

export type PullOutcome =
  | { ok: true }
  | { ok: false; aborted: true }
  | { ok: false; aborted: false; code: OsBackendErrorCode; message: string };

/** The pull is over and the worker no longer touches its directory. */
export interface PullDoneMessage {
  type: "done";
  id: number;
  outcome: PullOutcome;
}

export type FromPullWorker = LayerMessage | PullDoneMessage;
