// The daemon's half of the drain handshake: write desiredDrain and wait until the drain controller
// reports it done in lastAppliedDrain. A drain the controller gave up on (it has uncordoned the node
// and says why, see controllers/drain/constants.ts) fails the wait with the controller's message.

import { NodeAnnotations } from "../api/constants.ts";
import { DrainFailureAnnotations } from "../controllers/drain/constants.ts";
import { type Clock, realClock, sleep } from "../runtime/clock.ts";
import { annotation, type NodeStatus } from "./node-status.ts";

export class DrainError extends Error {
  override readonly name = "DrainError";
}

export interface HandshakeOptions {
  pollIntervalMs: number;
  /** Give up waiting after this long (undefined: wait until the controller answers or fails). */
  timeoutMs: number | undefined;
  clock?: Clock;
}

export class DrainHandshake {
  readonly #node: NodeStatus;
  readonly #options: HandshakeOptions;
  readonly #clock: Clock;

  constructor(node: NodeStatus, options: HandshakeOptions) {
    this.#node = node;
    this.#options = options;
    this.#clock = options.clock ?? realClock;
  }

  /** Requests `drain-<mc>` or `uncordon-<mc>` and waits for it; throws DrainError when it fails. */
  async request(value: string, signal: AbortSignal, timeoutMs = this.#options.timeoutMs): Promise<void> {
    const node = this.#node.latest() ?? (await this.#node.get(signal));
    if (annotation(node, NodeAnnotations.lastAppliedDrain) === value) {
      if (annotation(node, NodeAnnotations.desiredDrain) !== value) {
        await this.#node.annotate(node, { [NodeAnnotations.desiredDrain]: value }, signal);
      }
      return;
    }
    await this.#node.annotate(node, { [NodeAnnotations.desiredDrain]: value }, signal);
    const deadline = timeoutMs === undefined ? Number.POSITIVE_INFINITY : this.#clock.now() + timeoutMs;
    for (;;) {
      signal.throwIfAborted();
      const seen = this.#node.latest();
      if (annotation(seen, NodeAnnotations.lastAppliedDrain) === value) return;
      if (annotation(seen, DrainFailureAnnotations.failedDrain) === value) {
        throw new DrainError(annotation(seen, DrainFailureAnnotations.drainFailure) ?? `${value} failed`);
      }
      if (this.#clock.now() >= deadline) {
        throw new DrainError(`timed out after ${Math.round((timeoutMs ?? 0) / 1000)} s waiting for ${value}`);
      }
      await sleep(this.#clock, this.#options.pollIntervalMs, signal);
    }
  }
}
