// A rebase that cannot pull: the built image's manifest is deleted from the registry before the
// rollout. The first targeted node ends Degraded with a reason naming the image, uncordoned and
// still on the base image; the pool halts (the other labelled node never gets the new desiredConfig)
// and its NodeDegraded/Degraded conditions name the failing node.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodeAnnotations, NodeStates, PoolConditionTypes } from "../../src/api/constants.ts";
import type { KubeObject } from "../../src/api/object.ts";
import { isUnschedulable } from "../../src/controllers/node/node-state.ts";
import { NODES } from "../../src/controllers/resources.ts";
import { RegistryClient } from "../../src/registry/client.ts";
import { Informer } from "../../src/runtime/informer.ts";
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

const POOL = "gone";
const LABELLED = ["worker-0", "worker-1"];

describe("rebase onto an image deleted from the registry", () => {
  let r: RolloutStack;
  let layered: LayeredImage;
  const stopWatch = new AbortController();
  /** Every desiredConfig each node had, from a watch. */
  const desired = new Map<string, Set<string>>();

  beforeAll(async () => {
    r = await startRollout({ workers: 3, drain: { retryIntervalMs: 500 } });
    const nodes = new Informer<KubeObject>({ clients: r.stack.clients, resource: NODES });
    const observe = (node: KubeObject): void => {
      const name = node.metadata.name ?? "";
      const set = desired.get(name) ?? new Set<string>();
      set.add(annotation(node, NodeAnnotations.desiredConfig) ?? "");
      desired.set(name, set);
    };
    nodes.addEventHandler({ onAdd: observe, onUpdate: (_old, node) => observe(node) });
    void nodes.start(stopWatch.signal);
    await createPool(r, POOL);
    await createMosc(r, POOL);
    layered = await waitForImage(r, POOL);
  }, 120_000);
  afterAll(async () => {
    stopWatch.abort();
    await r?.close();
  }, 60_000);

  it("leaves the node Degraded naming the image, and the pool halts", async () => {
    const registry = new RegistryClient({ credentials: r.stack.registry.credentials });
    const deleted = await registry.deleteManifest(layered.image, { signal: r.signal });
    expect(deleted.deleted).toBe(true);
    for (const node of LABELLED) await setRole(r, node, POOL, true);

    const failed = await eventually(
      async () => {
        const nodes = await Promise.all(LABELLED.map((name) => r.nodes.get(name, { signal: r.signal })));
        const degraded = nodes.find((n) => annotation(n, NodeAnnotations.state) === NodeStates.Degraded);
        expect(degraded).toBeDefined();
        return degraded as KubeObject;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const name = failed.metadata.name ?? "";
    const other = LABELLED.find((n) => n !== name) ?? "";
    expect(annotation(failed, NodeAnnotations.reason)).toContain(layered.image);
    expect(annotation(failed, NodeAnnotations.desiredImage)).toBe(layered.image);
    expect(annotation(failed, NodeAnnotations.currentImage)).toBeUndefined();

    const pool = await eventually(
      async () => {
        const condition = await poolCondition(r, POOL, PoolConditionTypes.NodeDegraded);
        expect(condition?.status).toBe("True");
        expect(condition?.message).toContain(`Node ${name} is reporting`);
        expect(condition?.message).toContain(layered.image);
        const degraded = await poolCondition(r, POOL, PoolConditionTypes.Degraded);
        expect(degraded?.status).toBe("True");
        expect(degraded?.message).toContain(name);
        return r.pools.get(POOL, { signal: r.signal });
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(pool.status?.degradedMachineCount).toBe(1);

    // Uncordoned, never rebooted, still on the base image; and nothing moves for a while.
    await eventually(
      async () => expect(isUnschedulable(await r.nodes.get(name, { signal: r.signal }))).toBe(false),
      { timeoutMs: 15_000, intervalMs: 250 },
    );
    await new Promise((done) => setTimeout(done, 4_000));
    expect(r.stack.nodes.get(name)?.reboots).toBe(0);
    expect(await bootedExists(r, name, "/etc/layered-release")).toBe(false);
    const halted = await r.nodes.get(other, { signal: r.signal });
    expect(annotation(halted, NodeAnnotations.desiredImage)).toBeUndefined();
    expect([...(desired.get(other) ?? [])]).not.toContain(layered.config);
    expect(annotation(await r.nodes.get(name, { signal: r.signal }), NodeAnnotations.state)).toBe(
      NodeStates.Degraded,
    );
  }, 110_000);
});
