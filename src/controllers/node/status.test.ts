import { describe, expect, it } from "vitest";
import type { MachineConfigPool, MachineConfigPoolStatus } from "../../api/machineconfigpool-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import type { BuildState } from "../build/build-state.ts";
import { DIGEST_A, testMosb, testMosc, testNode, testPool } from "./fixtures.ts";
import type { PoolConflict } from "./membership.ts";
import { computePoolStatus } from "./status.ts";
import { type PoolTarget, poolTarget } from "./target.ts";

const OLD = "rendered-worker-old";
const NEW = "rendered-worker-new";
const NOW = new Date("2026-03-01T12:00:00Z");

function status(
  pool: MachineConfigPool,
  nodes: KubeObject[],
  target: PoolTarget = { kind: "plain", target: { config: NEW } },
  conflicts: PoolConflict[] = [],
): MachineConfigPoolStatus {
  return computePoolStatus({ pool, nodes, target, conflicts, now: NOW });
}
const condition = (s: MachineConfigPoolStatus, type: string) => s.conditions?.find((c) => c.type === type);

describe("computePoolStatus", () => {
  it("counts nodes and keeps status.configuration until every node is updated", () => {
    const pool = { ...testPool("worker", { config: NEW }), status: { configuration: { name: OLD } } };
    const s = status(pool, [
      testNode("a", { current: NEW }),
      testNode("b", { current: OLD, desired: NEW, state: "Working" }),
      testNode("c", { current: OLD, desired: NEW, state: "Degraded", reason: "disk on fire" }),
    ]);
    expect(s).toMatchObject({
      observedGeneration: 1,
      configuration: { name: OLD },
      machineCount: 3,
      updatedMachineCount: 1,
      readyMachineCount: 1,
      unavailableMachineCount: 1,
      degradedMachineCount: 1,
    });
    expect(condition(s, "Updated")).toMatchObject({ status: "False" });
    expect(condition(s, "Updating")).toMatchObject({
      status: "True",
      message: `All nodes are updating to MachineConfig ${NEW}`,
    });
    expect(condition(s, "NodeDegraded")).toMatchObject({
      status: "True",
      reason: "1 nodes are reporting degraded status on sync",
      message: 'Node c is reporting: "disk on fire"',
    });
    expect(condition(s, "Degraded")).toMatchObject({
      status: "True",
      message: 'Node c is reporting: "disk on fire"',
    });
  });

  it("sets Updated and status.configuration once all nodes run the target", () => {
    const pool = testPool("worker", { config: NEW });
    const s = status(pool, [testNode("a", { current: NEW }), testNode("b", { current: NEW })]);
    expect(s.configuration).toEqual({ name: NEW });
    expect(condition(s, "Updated")).toMatchObject({
      status: "True",
      message: `All nodes are updated with MachineConfig ${NEW}`,
      lastTransitionTime: "2026-03-01T12:00:00Z",
    });
    expect(condition(s, "Updating")).toMatchObject({ status: "False", message: "" });
    expect(condition(s, "Degraded")).toMatchObject({ status: "False" });
    expect(condition(s, "NodeDegraded")).toMatchObject({ status: "False" });
  });

  it("keeps lastTransitionTime when a status does not flip, and other condition types", () => {
    const before = [
      { type: "RenderDegraded", status: "False", reason: "RenderSucceeded", message: "" },
      {
        type: "Updated",
        status: "True",
        reason: "",
        message: "x",
        lastTransitionTime: "2020-01-01T00:00:00Z",
      },
    ];
    const pool = { ...testPool("worker", { config: NEW }), status: { conditions: before } };
    const s = status(pool, [testNode("a", { current: NEW })]);
    expect(s.conditions?.[0]).toEqual(before[0]);
    expect(condition(s, "Updated")?.lastTransitionTime).toBe("2020-01-01T00:00:00Z");
  });

  it("does not count an image left on a non-layered node as updated", () => {
    const s = status(testPool("worker", { config: NEW }), [
      testNode("a", { current: NEW, currentImage: DIGEST_A }),
    ]);
    expect(s.updatedMachineCount).toBe(0);
  });

  it("uses the paused message", () => {
    const s = status(testPool("worker", { config: NEW, paused: true }), [testNode("a", { current: OLD })]);
    expect(condition(s, "Updating")).toMatchObject({
      status: "False",
      message: `Pool is paused; will not update to MachineConfig ${NEW}`,
    });
  });

  it("reports pool conflicts in NodeDegraded", () => {
    const conflict = { node: "n", pools: ["a", "b"], message: "Node n belongs to 2 custom pools (a, b)" };
    const s = status(testPool("a", { config: NEW }), [], undefined, [conflict]);
    expect(condition(s, "NodeDegraded")).toMatchObject({
      status: "True",
      reason: "NodePoolConflict",
      message: conflict.message,
    });
    expect(condition(s, "Degraded")).toMatchObject({ status: "True" });
  });

  it("prefers the build-failure Degraded message (shared with the build controller)", () => {
    const conditions = [{ type: "ImageBuildDegraded", status: "True", reason: "BuildFailed", message: "x" }];
    const pool = { ...testPool("worker", { config: NEW }), status: { conditions } };
    const s = status(pool, [testNode("c", { current: OLD, desired: NEW, state: "Degraded" })]);
    expect(condition(s, "Degraded")).toMatchObject({
      status: "True",
      message: "Custom OS image build failed",
    });
  });
});

describe("layered Updating messages", () => {
  const nodes = [testNode("a", { role: "layered", current: OLD })];
  const target = (paused: boolean, state?: BuildState) => {
    const pool = testPool("layered", { config: NEW, paused });
    const mosbs =
      state === undefined
        ? []
        : [testMosb("layered-1", { mosc: "layered", config: NEW, state, digest: DIGEST_A })];
    const mosc = testMosc("layered", state === "Succeeded" ? DIGEST_A : undefined, "layered-1");
    return { pool, target: poolTarget(pool, [mosc], mosbs) };
  };
  it.each([
    [false, undefined, "True", "Pool is waiting for a new OS image build to start (mosc: layered)"],
    [false, "Initial", "True", "Pool is waiting for OS image build to start (mosb: layered-1)"],
    [false, "Prepared", "True", "Pool is waiting for OS image build to start (mosb: layered-1)"],
    [false, "Building", "True", "Pool is waiting for OS image build to complete (mosb: layered-1)"],
    [false, "Failed", "False", "Pool update stopped due to OS image build failure (mosb: layered-1)"],
    [
      false,
      "Interrupted",
      "False",
      "Pool update stopped due to OS image build being interrupted (mosb: layered-1)",
    ],
    [false, "Succeeded", "True", "Pool is waiting for nodes to apply OS image (mosb: layered-1)"],
    [true, undefined, "True", "Pool is paused; waiting for a new OS image build to start (mosc: layered)"],
    [
      true,
      "Initial",
      "True",
      "Pool is paused; OS image build has been created but not yet started (mosb: layered-1)",
    ],
    [
      true,
      "Prepared",
      "True",
      "Pool is paused; OS image build has been prepared but will not rollout (mosb: layered-1)",
    ],
    [true, "Building", "True", "Pool is paused; OS image build in progress (mosb: layered-1)"],
    [true, "Failed", "False", "Pool is paused; OS image build failed (mosb: layered-1)"],
    [true, "Interrupted", "False", "Pool is paused; OS image build was interrupted (mosb: layered-1)"],
    [true, "Succeeded", "False", "Pool is paused; OS image build completed successfully (mosb: layered-1)"],
  ] as const)("paused=%s build=%s → %s %s", (paused, state, expected, message) => {
    const t = target(paused, state);
    const s = status(t.pool, nodes, t.target);
    expect(condition(s, "Updating")).toMatchObject({ status: expected, message });
    expect(condition(s, "Updated")).toMatchObject({ status: "False" });
  });

  it("pauses the message while the pool is degraded for another reason", () => {
    const t = target(false, "Building");
    const s = status(
      t.pool,
      [testNode("a", { role: "layered", current: OLD, desired: NEW, state: "Degraded" })],
      t.target,
    );
    expect(condition(s, "Updating")).toMatchObject({
      status: "False",
      message: "Pool update paused due to degraded condition",
    });
  });

  it("is Updated once every node runs the image", () => {
    const t = target(false, "Succeeded");
    const s = status(
      t.pool,
      [testNode("a", { role: "layered", current: NEW, currentImage: DIGEST_A })],
      t.target,
    );
    expect(condition(s, "Updated")).toMatchObject({
      status: "True",
      message: `All nodes are updated with MachineConfig ${NEW} / Image ${DIGEST_A}`,
    });
    expect(s.updatedMachineCount).toBe(1);
  });
});
