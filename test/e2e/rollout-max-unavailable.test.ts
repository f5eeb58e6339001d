// maxUnavailable on the embedded stack: five workers labelled at once into a layered pool with
// maxUnavailable 2. A watch on the Node objects counts, at every event, the pool's nodes that are
// NotReady, unschedulable or not Done; the count never exceeds 2 (and reaches it: the rollout does run
// two at a time), and every node converges on the image.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodeAnnotations, NodeStates } from "../../src/api/constants.ts";
import type { KubeObject } from "../../src/api/object.ts";
import { isReady, isUnschedulable } from "../../src/controllers/node/node-state.ts";
import { NODES } from "../../src/controllers/resources.ts";
import { Informer } from "../../src/runtime/informer.ts";
import {
  bootedExists,
  createMosc,
  createPool,
  type RolloutStack,
  setRole,
  startRollout,
  waitDone,
  waitForImage,
  waitPoolUpdated,
} from "./rollout-harness.ts";

const POOL = "wide";
const WORKERS = ["worker-0", "worker-1", "worker-2", "worker-3", "worker-4"];
const ROLE_LABEL = `node-role.kubernetes.io/${POOL}`;

function unavailable(node: KubeObject): boolean {
  return (
    !isReady(node) ||
    isUnschedulable(node) ||
    node.metadata.annotations?.[NodeAnnotations.state] !== NodeStates.Done
  );
}

describe("maxUnavailable 2 over 5 layered workers", () => {
  let r: RolloutStack;
  const stopWatch = new AbortController();
  const latest = new Map<string, KubeObject>();
  let worst = 0;
  const samples: string[] = [];

  beforeAll(async () => {
    r = await startRollout({ workers: WORKERS.length, drain: { retryIntervalMs: 500 } });
    const nodes = new Informer<KubeObject>({ clients: r.stack.clients, resource: NODES });
    const observe = (node: KubeObject): void => {
      latest.set(node.metadata.name ?? "", node);
      const down = [...latest.values()]
        .filter((n) => n.metadata.labels?.[ROLE_LABEL] !== undefined && unavailable(n))
        .map((n) => n.metadata.name ?? "");
      if (down.length > worst) samples.push(down.join(","));
      worst = Math.max(worst, down.length);
    };
    nodes.addEventHandler({ onAdd: observe, onUpdate: (_old, node) => observe(node) });
    void nodes.start(stopWatch.signal);
    await createPool(r, POOL, { maxUnavailable: 2 });
    await createMosc(r, POOL);
  }, 120_000);
  afterAll(async () => {
    stopWatch.abort();
    await r?.close();
  }, 60_000);

  it("never has more than 2 nodes unavailable and converges", async () => {
    const { image } = await waitForImage(r, POOL);
    await Promise.all(WORKERS.map((node) => setRole(r, node, POOL, true)));
    for (const node of WORKERS) await waitDone(r, node, image, 100_000);
    await waitPoolUpdated(r, POOL);
    expect(worst, `unavailable sets seen: ${samples.join(" | ")}`).toBe(2);
    for (const node of WORKERS) {
      expect(r.stack.nodes.get(node)?.reboots).toBe(1);
      expect(await bootedExists(r, node, "/etc/layered-release")).toBe(true);
    }
    const pool = await r.pools.get(POOL, { signal: r.signal });
    expect(pool.status).toMatchObject({ machineCount: 5, updatedMachineCount: 5, readyMachineCount: 5 });
  }, 110_000);
});
