import { describe, expect, it } from "vitest";
import { FakeClock } from "../testing/fake-clock.ts";
import { WorkQueue, type WorkQueueMetrics } from "./work-queue.ts";

function newQueue(clock = new FakeClock()): { queue: WorkQueue; clock: FakeClock } {
  return { queue: new WorkQueue({ name: "test", clock }), clock };
}

describe("WorkQueue", () => {
  it("merges adds of a waiting key", async () => {
    const { queue } = newQueue();
    queue.add("a");
    queue.add("b");
    queue.add("a");
    expect(queue.length).toBe(2);
    expect(await queue.get()).toBe("a");
    expect(await queue.get()).toBe("b");
  });

  it("never hands one key to two workers and merges adds while processing into one re-run", async () => {
    const { queue } = newQueue();
    queue.add("a");
    const first = await queue.get();
    queue.add("a");
    queue.add("a");
    expect(queue.length).toBe(0);
    const second = queue.get();
    let handedOut = false;
    void second.then(() => {
      handedOut = true;
    });
    await Promise.resolve();
    expect(handedOut).toBe(false);
    queue.done(first ?? "");
    expect(await second).toBe("a");
    queue.done("a");
    expect(queue.length).toBe(0);
  });

  it("runs concurrent workers on distinct keys only", async () => {
    const { queue } = newQueue();
    const active = new Set<string>();
    let overlaps = 0;
    let runs = 0;
    const worker = async (): Promise<void> => {
      for (;;) {
        const key = await queue.get();
        if (key === undefined) return;
        if (active.has(key)) overlaps++;
        active.add(key);
        runs++;
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (runs < 20) queue.add(key === "a" ? "b" : "a");
        active.delete(key);
        queue.done(key);
      }
    };
    queue.add("a");
    queue.add("b");
    const workers = [worker(), worker(), worker()];
    await new Promise((resolve) => setTimeout(resolve, 100));
    await queue.shutDownWithDrain(new AbortController().signal);
    await Promise.all(workers);
    expect(overlaps).toBe(0);
    expect(runs).toBeGreaterThanOrEqual(20);
  });

  it("backs off exponentially per key until forgotten", async () => {
    const clock = new FakeClock();
    const queue = new WorkQueue({ name: "q", clock, baseDelayMs: 5, maxDelayMs: 40 });
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      const start = clock.now();
      queue.addRateLimited("a");
      while (queue.length === 0) clock.advance(1);
      delays.push(clock.now() - start);
      queue.done((await queue.get()) ?? "");
    }
    expect(delays).toEqual([5, 10, 20, 40, 40]);
    expect(queue.numRequeues("a")).toBe(5);
    queue.forget("a");
    expect(queue.numRequeues("a")).toBe(0);
    queue.addRateLimited("a");
    clock.advance(4);
    expect(queue.length).toBe(0);
    clock.advance(1);
    expect(queue.length).toBe(1);
  });

  it("keeps the earliest of several delayed adds", () => {
    const { queue, clock } = newQueue();
    queue.addAfter("a", 100);
    queue.addAfter("a", 10);
    queue.addAfter("a", 50);
    clock.advance(10);
    expect(queue.length).toBe(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it("drains on shutdown: queued keys are still handed out, in-flight ones awaited", async () => {
    const { queue } = newQueue();
    queue.add("a");
    queue.add("b");
    const a = await queue.get();
    let drained = false;
    const drain = queue.shutDownWithDrain(new AbortController().signal).then(() => {
      drained = true;
    });
    queue.add("c");
    expect(await queue.get()).toBe("b");
    queue.done("b");
    expect(await queue.get()).toBeUndefined();
    await Promise.resolve();
    expect(drained).toBe(false);
    queue.done(a ?? "");
    await drain;
    expect(drained).toBe(true);
  });

  it("shutDown wakes idle workers and drops delayed keys", async () => {
    const { queue, clock } = newQueue();
    const idle = queue.get();
    queue.addAfter("a", 10);
    queue.shutDown();
    expect(await idle).toBeUndefined();
    clock.advance(20);
    expect(queue.length).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it("reports depth, adds, retries and latencies to its metrics provider", async () => {
    const clock = new FakeClock();
    const seen = {
      depth: [] as number[],
      adds: 0,
      retries: 0,
      latency: [] as number[],
      work: [] as number[],
    };
    const metrics: WorkQueueMetrics = {
      setDepth: (depth) => seen.depth.push(depth),
      added: () => seen.adds++,
      retried: () => seen.retries++,
      observeQueueLatency: (s) => seen.latency.push(s),
      observeWorkDuration: (s) => seen.work.push(s),
    };
    const queue = new WorkQueue({ name: "m", clock, metrics: { forQueue: () => metrics } });
    queue.add("a");
    clock.advance(2000);
    const key = (await queue.get()) ?? "";
    clock.advance(500);
    queue.done(key);
    queue.addRateLimited("a");
    expect(seen).toEqual({ depth: [1, 0], adds: 1, retries: 1, latency: [2], work: [0.5] });
  });
});
