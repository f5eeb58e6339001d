import { describe, expect, it } from "vitest";
import { eventually } from "../../testing/eventually.ts";
import { WorkQueue } from "./work-queue.ts";

describe("WorkQueue", () => {
  it("merges adds of a queued key and never processes inside add", async () => {
    const queue = new WorkQueue();
    const seen: string[] = [];
    const abort = new AbortController();
    queue.start(abort.signal, (key) => {
      seen.push(key);
      return undefined;
    });
    queue.add("a");
    queue.add("b");
    queue.add("a");
    expect(seen).toEqual([]);
    await eventually(() => expect(seen).toEqual(["a", "b"]));
    abort.abort();
  });

  it("processes a key again when it is added while being processed", async () => {
    const queue = new WorkQueue();
    let runs = 0;
    const abort = new AbortController();
    queue.start(abort.signal, (key) => {
      if (++runs === 1) queue.add(key);
      return undefined;
    });
    queue.add("a");
    await eventually(() => expect(runs).toBe(2));
    abort.abort();
  });

  it("retries a failing key with backoff and honours requeueAfterMs", async () => {
    const errors: unknown[] = [];
    const queue = new WorkQueue({ baseDelayMs: 1, onError: (_key, error) => errors.push(error) });
    let runs = 0;
    const abort = new AbortController();
    queue.start(abort.signal, () => {
      runs++;
      if (runs <= 2) throw new Error("boom");
      return runs === 3 ? { requeueAfterMs: 5 } : undefined;
    });
    queue.add("a");
    await eventually(() => expect(runs).toBe(4));
    expect(errors).toHaveLength(2);
    abort.abort();
  });

  it("drops delayed work when aborted", async () => {
    const queue = new WorkQueue();
    let runs = 0;
    const abort = new AbortController();
    queue.start(abort.signal, () => {
      runs++;
      return undefined;
    });
    queue.addAfter("a", 20);
    abort.abort();
    queue.add("b");
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(runs).toBe(0);
  });
});
