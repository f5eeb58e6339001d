// A drain that can never finish: a pod on the node is covered by a PodDisruptionBudget whose
// minAvailable equals its pods, so every eviction is refused. With a short drain timeout the drain
// controller gives up and uncordons the node; the daemon reports Degraded with a reason naming the
// pod and the budget; the node never rebooted and the blocking pod is still there.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodeAnnotations, NodeStates, PoolConditionTypes } from "../../src/api/constants.ts";
import type { KubeObject } from "../../src/api/object.ts";
import { DrainFailureAnnotations } from "../../src/controllers/drain/constants.ts";
import { PODS } from "../../src/controllers/drain/drain-api.ts";
import { isUnschedulable } from "../../src/controllers/node/node-state.ts";
import type { ResourceRef } from "../../src/runtime/rest.ts";
import { eventually } from "../../src/testing/eventually.ts";
import {
  annotation,
  bootedExists,
  createMosc,
  createPool,
  type LayeredImage,
  poolCondition,
  type RolloutStack,
  setRole,
  startRollout,
  waitForImage,
} from "./rollout-harness.ts";

const POOL = "blocked";
const NODE = "worker-0";
const NAMESPACE = "default";
const PDBS: ResourceRef = {
  group: "policy",
  version: "v1",
  plural: "poddisruptionbudgets",
  kind: "PodDisruptionBudget",
  namespaced: true,
};

function blocker(name: string): KubeObject {
  return {
    metadata: { name, namespace: NAMESPACE, labels: { app: "blocker" } },
    spec: { nodeName: NODE, containers: [{ name: "app", image: "registry.k8s.io/pause:3.10" }] },
    status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }] },
  };
}

describe("a drain blocked by a PodDisruptionBudget", () => {
  let r: RolloutStack;
  let layered: LayeredImage;

  beforeAll(async () => {
    r = await startRollout({ workers: 2, drain: { timeoutMs: 4_000, retryIntervalMs: 300 } });
    const pods = r.stack.clients.resource<KubeObject>(PODS);
    await pods.create(blocker("blocker-0"), { signal: r.signal });
    await pods.create(blocker("blocker-1"), { signal: r.signal });
    const budget: KubeObject = {
      metadata: { name: "blocker", namespace: NAMESPACE },
      spec: { minAvailable: 2, selector: { matchLabels: { app: "blocker" } } },
    };
    await r.stack.clients.resource<KubeObject>(PDBS).create(budget, { signal: r.signal });
    await createPool(r, POOL);
    await createMosc(r, POOL);
    layered = await waitForImage(r, POOL);
  }, 120_000);
  afterAll(async () => {
    await r?.close();
  }, 60_000);

  it("times out with a clear reason and uncordons the node", async () => {
    await setRole(r, NODE, POOL, true);
    await eventually(
      async () => expect(isUnschedulable(await r.nodes.get(NODE, { signal: r.signal }))).toBe(true),
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    const failed = await eventually(
      async () => {
        const node = await r.nodes.get(NODE, { signal: r.signal });
        expect(annotation(node, NodeAnnotations.state)).toBe(NodeStates.Degraded);
        expect(isUnschedulable(node)).toBe(false);
        return node;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    const reason = annotation(failed, NodeAnnotations.reason) ?? "";
    expect(reason).toContain("DrainTimeout");
    expect(reason).toContain(`could not drain node ${NODE}`);
    expect(reason).toMatch(/pod default\/blocker-[01] blocked by PodDisruptionBudget blocker for \d+ s/);
    expect(reason).toContain("1 more pods remain");
    // The daemon's uncordon request after the failure completed (and cleared the drain failure).
    expect(annotation(failed, NodeAnnotations.lastAppliedDrain)).toBe(`uncordon-${layered.config}`);
    expect(annotation(failed, DrainFailureAnnotations.failedDrain)).toBeUndefined();
    expect(annotation(failed, NodeAnnotations.currentImage)).toBeUndefined();

    const remaining = await r.stack.clients
      .resource<KubeObject>(PODS)
      .list({ namespace: NAMESPACE, labelSelector: "app=blocker", signal: r.signal });
    expect(remaining.items.map((p) => p.metadata.name).sort()).toEqual(["blocker-0", "blocker-1"]);
    expect(r.stack.nodes.get(NODE)?.reboots).toBe(0);
    expect(await bootedExists(r, NODE, "/etc/layered-release")).toBe(false);
    await eventually(
      async () => {
        const condition = await poolCondition(r, POOL, PoolConditionTypes.NodeDegraded);
        expect(condition?.status).toBe("True");
        expect(condition?.message).toContain(`Node ${NODE} is reporting`);
        expect(condition?.message).toContain("DrainTimeout");
      },
      { timeoutMs: 20_000, intervalMs: 250 },
    );
  }, 100_000);
});
