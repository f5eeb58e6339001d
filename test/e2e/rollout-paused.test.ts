// Upstream scenario 18 on the embedded stack: a paused layered pool still builds its image, its
// Updating condition goes "Pool is paused; OS image build in progress" → "… completed successfully",
// and its nodes are not touched until the pool is unpaused; then the image rolls out.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodeAnnotations, PoolConditionTypes } from "../../src/api/constants.ts";
import type { MachineConfigPool } from "../../src/api/machineconfigpool-v1.ts";
import { PausedLayeredUpdatingMessages } from "../../src/controllers/node/constants.ts";
import { MACHINE_CONFIG_POOLS } from "../../src/controllers/resources.ts";
import { Informer } from "../../src/runtime/informer.ts";
import { eventually } from "../../src/testing/eventually.ts";
import {
  annotation,
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

const POOL = "paused";
const NODE = "worker-0";

describe("paused layered pool (scenario 18)", () => {
  let r: RolloutStack;
  const stopWatch = new AbortController();
  /** Every distinct Updating message the pool had, in order, from a watch. */
  const messages: string[] = [];

  beforeAll(async () => {
    r = await startRollout({ workers: 2 });
    const pools = new Informer<MachineConfigPool>({
      clients: r.stack.clients,
      resource: MACHINE_CONFIG_POOLS,
    });
    const record = (pool: MachineConfigPool): void => {
      if (pool.metadata.name !== POOL) return;
      const updating = pool.status?.conditions?.find((c) => c.type === PoolConditionTypes.Updating);
      const message = updating?.message ?? "";
      if (message !== "" && messages.at(-1) !== message) messages.push(message);
    };
    pools.addEventHandler({ onAdd: record, onUpdate: (_old, pool) => record(pool) });
    void pools.start(stopWatch.signal);
    await createPool(r, POOL);
    await setRole(r, NODE, POOL, true);
    await waitDone(r, NODE, undefined);
    await waitPoolUpdated(r, POOL);
  }, 120_000);
  afterAll(async () => {
    stopWatch.abort();
    await r?.close();
  }, 60_000);

  it("builds while paused, reports the build in Updating, and leaves the nodes alone", async () => {
    const before = await r.nodes.get(NODE, { signal: r.signal });
    await r.pools.patch(POOL, { spec: { paused: true } }, { type: "merge", signal: r.signal });
    await createMosc(r, POOL);
    const { mosb, image } = await waitForImage(r, POOL);
    await eventually(() => expect(messages.at(-1)).toBe(PausedLayeredUpdatingMessages.succeeded(mosb)), {
      timeoutMs: 10_000,
    });
    expect(messages).toContain(PausedLayeredUpdatingMessages.building(mosb));
    expect(messages.indexOf(PausedLayeredUpdatingMessages.building(mosb))).toBeLessThan(
      messages.indexOf(PausedLayeredUpdatingMessages.succeeded(mosb)),
    );
    const updating = (await r.pools.get(POOL, { signal: r.signal })).status?.conditions?.find(
      (c) => c.type === PoolConditionTypes.Updating,
    );
    expect(updating?.status).toBe("False");

    // Give the controllers time to (wrongly) act on the finished build.
    await new Promise((done) => setTimeout(done, 3_000));
    const after = await r.nodes.get(NODE, { signal: r.signal });
    expect(annotation(after, NodeAnnotations.desiredImage)).toBeUndefined();
    expect(annotation(after, NodeAnnotations.desiredConfig)).toBe(
      annotation(before, NodeAnnotations.desiredConfig),
    );
    expect(r.stack.nodes.get(NODE)?.reboots).toBe(0);
    expect(await bootedExists(r, NODE, "/etc/layered-release")).toBe(false);

    await r.pools.patch(POOL, { spec: { paused: false } }, { type: "merge", signal: r.signal });
    await waitDone(r, NODE, image);
    await waitPoolUpdated(r, POOL);
    expect(await bootedExists(r, NODE, "/etc/layered-release")).toBe(true);
    expect(r.stack.nodes.get(NODE)?.reboots).toBe(1);
  }, 110_000);
});
