import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/object.ts";
import { MCP_FILE, messages, upstreamDefinition, validateUpdate } from "./upstream.fixture.ts";

const mcp = upstreamDefinition(MCP_FILE);

function synchronizer(counts: Partial<Record<string, number>>): Record<string, unknown> {
  return {
    poolSynchronizerType: "PinnedImageSets",
    machineCount: 3,
    updatedMachineCount: 3,
    readyMachineCount: 3,
    availableMachineCount: 3,
    unavailableMachineCount: 0,
    ...counts,
  };
}

function pool(...synchronizers: Record<string, unknown>[]): KubeObject {
  return {
    apiVersion: "machineconfiguration.openshift.io/v1",
    kind: "MachineConfigPool",
    metadata: { name: "worker", resourceVersion: "1", generation: 1 },
    spec: {},
    status: { poolSynchronizersStatus: synchronizers },
  };
}

const ITEM = "status.poolSynchronizersStatus[0]";

describe("MachineConfigPool poolSynchronizersStatus", () => {
  it("accepts consistent counts", () => {
    expect(validateUpdate(mcp, pool(synchronizer({})), pool())).toEqual([]);
  });

  it("reports every count rule that fails", () => {
    const counts = {
      machineCount: 1,
      updatedMachineCount: 2,
      availableMachineCount: 2,
      readyMachineCount: 3,
    };
    expect(messages(validateUpdate(mcp, pool(synchronizer(counts)), pool()))).toEqual([
      `${ITEM}: Invalid value: "object": machineCount must be greater than or equal to updatedMachineCount`,
      `${ITEM}: Invalid value: "object": machineCount must be greater than or equal to availableMachineCount`,
      `${ITEM}: Invalid value: "object": machineCount must be greater than or equal to readyMachineCount`,
      `${ITEM}: Invalid value: "object": availableMachineCount must be greater than or equal to readyMachineCount`,
    ]);
  });

  it("keeps observedGeneration from moving backwards except to zero (items correlated by key)", () => {
    const old = pool(synchronizer({ observedGeneration: 5 }));
    expect(validateUpdate(mcp, pool(synchronizer({ observedGeneration: 6 })), old)).toEqual([]);
    expect(validateUpdate(mcp, pool(synchronizer({ observedGeneration: 0 })), old)).toEqual([]);
    expect(messages(validateUpdate(mcp, pool(synchronizer({ observedGeneration: 4 })), old))).toEqual([
      `${ITEM}.observedGeneration: Invalid value: "integer": observedGeneration must not move backwards except to zero`,
    ]);
  });

  it("ratchets unchanged items: a stored inconsistent item does not block other updates", () => {
    const bad = synchronizer({ machineCount: 1 });
    const old = pool(bad);
    const updated = pool(bad);
    updated.spec = { paused: true };
    expect(validateUpdate(mcp, updated, old)).toEqual([]);
  });
});
