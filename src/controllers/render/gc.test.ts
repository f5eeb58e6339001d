import { describe, expect, it } from "vitest";
import type { MachineConfig } from "../../api/machineconfig-v1.ts";
import type { MachineConfigPool } from "../../api/machineconfigpool-v1.ts";
import { setPoolCondition } from "./conditions.ts";
import { isRenderedFor, referencedConfigs, renderedConfigsToDelete } from "./gc.ts";

function rendered(name: string, second: number, pool = "worker"): MachineConfig {
  return {
    metadata: {
      name,
      creationTimestamp: `2025-01-01T00:00:${String(second).padStart(2, "0")}Z`,
      ownerReferences: [
        { apiVersion: "v1", kind: "MachineConfigPool", name: pool, uid: "u", controller: true },
      ],
    },
  };
}

describe("rendered config garbage collection", () => {
  const owned = Array.from({ length: 8 }, (_, i) => rendered(`rendered-worker-${i}`, i));

  it("keeps the newest five and whatever is referenced, deleting the rest oldest first", () => {
    expect(renderedConfigsToDelete(owned, new Set(["rendered-worker-1"]), 5)).toEqual([
      "rendered-worker-0",
      "rendered-worker-2",
    ]);
    expect(renderedConfigsToDelete(owned.slice(0, 5), new Set(), 5)).toEqual([]);
  });

  it("ranks the pool's current configs as the newest, whatever their timestamps", () => {
    const sameSecond = Array.from({ length: 7 }, (_, i) => rendered(`rendered-worker-${i}`, 0));
    const current = new Set(["rendered-worker-0"]);
    const doomed = renderedConfigsToDelete(sameSecond, current, 5, current);
    expect(doomed).toHaveLength(2);
    expect(doomed).not.toContain("rendered-worker-0");
  });

  it("collects references from pool spec and status and from node annotations", () => {
    const pool = {
      metadata: { name: "worker" },
      spec: { configuration: { name: "a" } },
      status: { configuration: { name: "b" } },
    } satisfies MachineConfigPool;
    const node = {
      metadata: {
        name: "n",
        annotations: {
          "machineconfiguration.openshift.io/currentConfig": "c",
          "machineconfiguration.openshift.io/desiredConfig": "d",
        },
      },
    };
    expect([...referencedConfigs([pool], [node])].sort()).toEqual(["a", "b", "c", "d"]);
  });

  it("knows which pool controls a rendered config", () => {
    expect(isRenderedFor(rendered("x", 0, "master"), "master")).toBe(true);
    expect(isRenderedFor(rendered("x", 0, "master"), "worker")).toBe(false);
    expect(isRenderedFor({ metadata: { name: "00-worker" } }, "worker")).toBe(false);
  });
});

describe("setPoolCondition", () => {
  const t0 = new Date("2025-01-01T00:00:00.123Z");
  const t1 = new Date("2025-01-01T01:00:00Z");
  const degraded = {
    type: "RenderDegraded",
    status: "True",
    reason: "InvalidMachineConfig",
    message: "m1",
  } as const;

  it("moves lastTransitionTime only when the status changes", () => {
    const first = setPoolCondition(undefined, degraded, t0);
    expect(first).toEqual([{ ...degraded, lastTransitionTime: "2025-01-01T00:00:00Z" }]);
    const sameStatus = setPoolCondition(first, { ...degraded, message: "m2" }, t1);
    expect(sameStatus[0]).toMatchObject({ message: "m2", lastTransitionTime: "2025-01-01T00:00:00Z" });
    const cleared = setPoolCondition(
      sameStatus,
      { ...degraded, status: "False", reason: "RenderSucceeded", message: "" },
      t1,
    );
    expect(cleared[0]).toMatchObject({ status: "False", lastTransitionTime: "2025-01-01T01:00:00Z" });
  });

  it("keeps other conditions and their order", () => {
    const others = [
      { type: "Updated", status: "True" },
      { type: "Degraded", status: "False" },
    ];
    expect(setPoolCondition(others, degraded, t0).map((c) => c.type)).toEqual([
      "Updated",
      "Degraded",
      "RenderDegraded",
    ]);
  });
});
