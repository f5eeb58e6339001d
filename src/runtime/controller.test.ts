import { describe, expect, it } from "vitest";
import { eventually } from "../testing/eventually.ts";
import { FakeClock } from "../testing/fake-clock.ts";
import { Controller, type Reconciler } from "./controller.ts";
import { TerminalError } from "./errors.ts";
import type { Request } from "./predicates.ts";

interface Running {
  controller: Controller;
  clock: FakeClock;
  stop(): Promise<void>;
}

function run(reconciler: Reconciler, clock = new FakeClock(), workers = 1): Running {
  const controller = new Controller({ name: "test", reconciler, clock, workers });
  const abort = new AbortController();
  const running = controller.start(abort.signal);
  const stop = (): Promise<void> => {
    abort.abort();
    return running;
  };
  return { controller, clock, stop };
}

describe("Controller requeue rules", () => {
  it("retries failures with backoff, then forgets the key", async () => {
    const calls: Request[] = [];
    const { controller, clock, stop } = run({
      async reconcile(request) {
        calls.push(request);
        if (calls.length <= 2) throw new Error("transient");
        return undefined;
      },
    });
    controller.queue.add("ns/a");
    await eventually(() => expect(calls).toHaveLength(1));
    expect(controller.queue.numRequeues("ns/a")).toBe(1);
    clock.advance(5);
    await eventually(() => expect(calls).toHaveLength(2));
    clock.advance(9);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(calls).toHaveLength(2);
    clock.advance(1);
    await eventually(() => expect(calls).toHaveLength(3));
    await eventually(() => expect(controller.queue.numRequeues("ns/a")).toBe(0));
    expect(calls[0]).toEqual({ namespace: "ns", name: "a" });
    await stop();
  });

  it("does not retry a TerminalError and honours requeueAfterMs", async () => {
    const calls: string[] = [];
    const { controller, clock, stop } = run({
      async reconcile({ name }) {
        calls.push(name);
        if (name === "terminal") throw new TerminalError("no");
        return { requeueAfterMs: 1000 };
      },
    });
    controller.queue.add("terminal");
    controller.queue.add("periodic");
    await eventually(() => expect(calls).toEqual(["terminal", "periodic"]));
    clock.advance(1000);
    await eventually(() => expect(calls).toEqual(["terminal", "periodic", "periodic"]));
    expect(controller.queue.numRequeues("terminal")).toBe(0);
    await stop();
  });

  it("never reconciles one key on two workers and stops after in-flight work", async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const { controller, stop } = run(
      {
        async reconcile() {
          active++;
          maxActive = Math.max(maxActive, active);
          runs++;
          await new Promise((resolve) => setTimeout(resolve, 5));
          active--;
          return undefined;
        },
      },
      new FakeClock(),
      4,
    );
    for (let i = 0; i < 10; i++) {
      controller.queue.add("same");
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await eventually(() => expect(controller.queue.length).toBe(0));
    await stop();
    expect(maxActive).toBe(1);
    expect(active).toBe(0);
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(runs).toBeLessThanOrEqual(10);
  });
});
