import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { nodeChanged } from "./controller.ts";
import { testNode } from "./fixtures.ts";
import { RolloutMetrics, StuckTracker } from "./metrics.ts";
import { withUpdateTaint } from "./writes.ts";

describe("StuckTracker", () => {
  it("counts nodes Working for longer than the threshold and says when the next one will be", () => {
    const tracker = new StuckTracker(1000);
    const working = testNode("w", { current: "a", desired: "b", state: "Working" });
    expect(tracker.observe([working], 0)).toEqual({ stuck: 0, nextInMs: 1000 });
    expect(tracker.observe([working], 999)).toEqual({ stuck: 0, nextInMs: 1 });
    expect(tracker.observe([working], 1000)).toEqual({ stuck: 1 });
    expect(tracker.observe([testNode("w", { current: "b" })], 1001)).toEqual({ stuck: 0 });
    expect(tracker.observe([working], 2000)).toEqual({ stuck: 0, nextInMs: 1000 });
  });
});

describe("RolloutMetrics", () => {
  it("exports per-pool gauges", async () => {
    const registry = new Registry();
    const metrics = new RolloutMetrics(registry);
    const counts = {
      machineCount: 5,
      updatedMachineCount: 3,
      readyMachineCount: 3,
      unavailableMachineCount: 1,
      degradedMachineCount: 1,
    };
    metrics.observe("worker", counts, 2);
    const text = await registry.metrics();
    expect(text).toContain('ocl_rollout_updated_nodes{pool="worker"} 3');
    expect(text).toContain('mob_rollout_remaining_nodes{pool="worker"} 2');
    expect(text).toContain('mob_rollout_degraded_nodes{pool="worker"} 1');
    expect(text).toContain('mob_rollout_stuck_nodes{pool="worker"} 2');
    metrics.forget("worker");
    expect(await registry.metrics()).not.toContain('pool="worker"');
  });
});

describe("withUpdateTaint", () => {
  const other = { key: "dedicated", effect: "NoSchedule", value: "gpu" };
  const update = { key: "UpdateInProgress", effect: "PreferNoSchedule" };
  it("adds or removes only the update taint, keeping the others", () => {
    expect(withUpdateTaint([other], true)).toEqual([other, update]);
    expect(withUpdateTaint([other, update], false)).toEqual([other]);
    expect(withUpdateTaint([other, update], true)).toBeUndefined();
    expect(withUpdateTaint([], false)).toBeUndefined();
  });
});

describe("nodeChanged", () => {
  it("ignores heartbeats and sees what the controller reads", () => {
    const node = testNode("n", { current: "a" });
    const heartbeat = {
      ...node,
      status: { conditions: [{ type: "Ready", status: "True", lastHeartbeatTime: "x" }] },
    };
    expect(nodeChanged(node, heartbeat)).toBe(false);
    expect(nodeChanged(node, testNode("n", { current: "a", ready: false }))).toBe(true);
    expect(nodeChanged(node, testNode("n", { current: "b" }))).toBe(true);
    expect(nodeChanged(node, testNode("n", { current: "a", labels: { x: "y" } }))).toBe(true);
  });
});
