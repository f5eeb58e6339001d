// Time as a dependency: everything in the runtime that waits or stamps reads it from a `Clock`, so
// tests drive it with `testing/fake-clock.ts` instead of sleeping.

/** Opaque handle returned by `Clock.setTimeout`. */
export type TimerHandle = object;

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Resolves after `delayMs` on `clock`, or early (without rejecting) when `signal` aborts. */
export function sleep(clock: Clock, delayMs: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clock.clearTimeout(timer);
      resolve();
    };
    const timer = clock.setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, delayMs);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** `baseMs` scaled by a random factor in [1, 1 + factor) (client-go `wait.Jitter`). */
export function jitter(baseMs: number, factor: number): number {
  return baseMs * (1 + Math.random() * factor);
}
