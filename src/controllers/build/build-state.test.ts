// §9.26: the Job → MachineOSBuild state mapping and the transition rules, as a table.

import { describe, expect, it } from "vitest";
import type { MachineOSBuild } from "../../api/machineosbuild-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import {
  type BuildState,
  buildStateFromJob,
  buildStateOf,
  conditionsFor,
  transitionAllowed,
} from "./build-state.ts";
import { nextBuildStatus } from "./mosb-writes.ts";

function job(status: Record<string, unknown>, deleting = false): KubeObject {
  return {
    metadata: { name: "build-x", ...(deleting ? { deletionTimestamp: "2026-01-01T00:00:00Z" } : {}) },
    spec: { backoffLimit: 3 },
    status,
  };
}

const complete = { type: "Complete", status: "True" };
const failedCondition = { type: "Failed", status: "True" };

describe("buildStateFromJob", () => {
  const cases: [string, KubeObject, BuildState][] = [
    ["nothing yet (0,0,0)", job({}), "Prepared"],
    ["active pod", job({ active: 1 }), "Building"],
    ["two failures, retrying", job({ active: 1, failed: 2 }), "Building"],
    ["uncounted pods only", job({ uncountedTerminatedPods: { failed: ["a"] } }), "Building"],
    ["succeeded without conditions", job({ succeeded: 1 }), "Succeeded"],
    ["succeeded and Complete", job({ succeeded: 1, conditions: [complete] }), "Succeeded"],
    ["succeeded but Failed", job({ succeeded: 1, conditions: [failedCondition] }), "Failed"],
    [
      "succeeded, other condition",
      job({ succeeded: 1, conditions: [{ type: "SuccessCriteriaMet", status: "True" }] }),
      "Building",
    ],
    ["four failures", job({ failed: 4, conditions: [failedCondition] }), "Failed"],
    ["deleted early", job({ active: 1 }, true), "Interrupted"],
    ["deleted after it failed", job({ failed: 4 }, true), "Failed"],
    ["deleted after it succeeded", job({ succeeded: 1 }, true), "Succeeded"],
  ];
  it.each(cases)("%s", (_name, input, expected) => {
    expect(buildStateFromJob(input)).toBe(expected);
  });
});

describe("transitions", () => {
  const allowed: [BuildState, BuildState, boolean][] = [
    ["Initial", "Prepared", true],
    ["Initial", "Building", true],
    ["Initial", "Succeeded", true],
    ["Initial", "Failed", true],
    ["Prepared", "Building", true],
    ["Prepared", "Interrupted", true],
    ["Building", "Succeeded", true],
    ["Building", "Failed", true],
    ["Building", "Prepared", false],
    ["Building", "Initial", false],
    ["Prepared", "Initial", false],
    ["Succeeded", "Building", false],
    ["Failed", "Succeeded", false],
    ["Interrupted", "Prepared", false],
    ["Building", "Building", false],
  ];
  it.each(allowed)("%s → %s: %s", (from, to, expected) => {
    expect(transitionAllowed(from, to)).toBe(expected);
  });
});

describe("conditions and status writes", () => {
  const now = new Date("2026-01-01T00:00:10Z");
  const mosb: MachineOSBuild = {
    metadata: { name: "pool-abc" },
    spec: {
      machineConfig: { name: "rendered-pool-1" },
      machineOSConfig: { name: "pool" },
      renderedImagePushSpec: "r.io/x:pool-abc",
    },
  };

  it("sets all five types with at most one True", () => {
    const conditions = conditionsFor("Building", undefined, "2026-01-01T00:00:00Z");
    expect(conditions.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ["Prepared", "False", "Prepared", "Build Prepared and Pending"],
      ["Building", "True", "Building", "Image Build In Progress"],
      ["Failed", "False", "Failed", "Build Failed"],
      ["Interrupted", "False", "Interrupted", "Build Interrupted"],
      ["Succeeded", "False", "Ready", "Build Ready"],
    ]);
    expect(buildStateOf({ status: { conditions } })).toBe("Building");
    expect(buildStateOf({ status: { conditions: conditionsFor("Initial", undefined, "t") } })).toBe(
      "Initial",
    );
  });

  it("keeps lastTransitionTime of unchanged conditions", () => {
    const before = conditionsFor("Prepared", undefined, "2026-01-01T00:00:00Z");
    const after = conditionsFor("Building", before, "2026-01-01T00:00:05Z");
    expect(after.find((c) => c.type === "Failed")?.lastTransitionTime).toBe("2026-01-01T00:00:00Z");
    expect(after.find((c) => c.type === "Building")?.lastTransitionTime).toBe("2026-01-01T00:00:05Z");
  });

  it("sets buildStart once, buildEnd at terminal after it, and ignores writes after terminal", () => {
    const prepared = nextBuildStatus(mosb, { state: "Prepared", now, withJob: true });
    expect(prepared?.buildStart).toBe("2026-01-01T00:00:10Z");
    expect(prepared?.buildEnd).toBeUndefined();
    expect(prepared?.builder).toEqual({
      imageBuilderType: "Job",
      job: {
        group: "batch",
        resource: "jobs",
        namespace: "openshift-machine-config-operator",
        name: "build-pool-abc",
      },
    });
    const done = nextBuildStatus(
      { ...mosb, ...(prepared ? { status: prepared } : {}) },
      { state: "Succeeded", now, digestedImagePushSpec: "r.io/x@sha256:1" },
    );
    expect(done?.buildStart).toBe("2026-01-01T00:00:10Z");
    expect(done?.buildEnd).toBe("2026-01-01T00:00:11Z");
    expect(done?.digestedImagePushSpec).toBe("r.io/x@sha256:1");
    expect(
      nextBuildStatus({ ...mosb, ...(done ? { status: done } : {}) }, { state: "Failed", now }),
    ).toBeUndefined();
  });

  it("uses the Job's creation time as buildStart when the first write is terminal", () => {
    const status = nextBuildStatus(mosb, {
      state: "Failed",
      now,
      startedAt: "2026-01-01T00:00:01Z",
      failedMessage: "Build Failed: step push",
    });
    expect(status?.buildStart).toBe("2026-01-01T00:00:01Z");
    expect(status?.conditions?.find((c) => c.type === "Failed")?.message).toBe("Build Failed: step push");
  });
});
