// Retries of a pull with the machine-config daemon's backoff: 10 s, doubling, capped at 60 s, at most
// 7 attempts (upstream wraps `rpm-ostree rebase` in wait.Backoff{Duration: 10s, Factor: 2, Steps: 7,
// Cap: 60s}). Unlike upstream, only transient failures are retried: retrying a missing image or
// rejected credentials for five minutes only delays the Degraded report.

import { setTimeout as delay } from "node:timers/promises";
import type { Logger } from "pino";
import { OsBackendError } from "./backend.ts";
import { isTransient } from "./cli-failure.ts";

export interface Backoff {
  initialMs: number;
  factor: number;
  /** Attempts in all, the first included. */
  steps: number;
  capMs: number;
}

export const REBASE_BACKOFF: Backoff = { initialMs: 10_000, factor: 2, steps: 7, capMs: 60_000 };

export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export const realSleep: Sleep = async (ms, signal) => {
  await delay(ms, undefined, { signal });
};

/** The waits between attempts: min(initial × factor^n, cap) for n = 0 … steps − 2. */
export function backoffDelays(backoff: Backoff): number[] {
  const delays: number[] = [];
  for (let n = 0; n < backoff.steps - 1; n++) {
    delays.push(Math.min(backoff.initialMs * backoff.factor ** n, backoff.capMs));
  }
  return delays;
}

export interface RetryOptions {
  backoff: Backoff;
  sleep: Sleep;
  signal: AbortSignal;
  logger: Logger | undefined;
  what: string;
}

/** Runs `attempt` until it succeeds, throws a non-transient error, or the attempts run out. */
export async function withBackoff(attempt: () => Promise<void>, options: RetryOptions): Promise<void> {
  const delays = backoffDelays(options.backoff);
  for (let n = 0; ; n++) {
    try {
      await attempt();
      return;
    } catch (error) {
      options.signal.throwIfAborted();
      const wait = delays[n];
      if (!(error instanceof OsBackendError) || !isTransient(error) || wait === undefined) throw error;
      options.logger?.warn(
        { attempt: n + 1, retryInMs: wait, err: error.message },
        `${options.what} failed, retrying`,
      );
      await options.sleep(wait, options.signal);
    }
  }
}
