// Upstream scenario 20 on the embedded stack: a MachineOSConfig whose current-machine-os-build
// annotation names a build that does not exist, or an earlier build of an older config, gets it
// repointed at the build for the pool's config, and the pool converges on that build's image.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MachineOSConfigAnnotations, NodeAnnotations } from "../../src/api/constants.ts";
import { eventually } from "../../src/testing/eventually.ts";
import {
  annotation,
  bootedFile,
  createMosc,
  createPool,
  fileConfig,
  type RolloutStack,
  setRole,
  startRollout,
  waitDone,
  waitForImage,
  waitPoolUpdated,
} from "./rollout-harness.ts";

const POOL = "stale";
const NODE = "worker-0";
const STALE = `${POOL}-00000000000000000000000000000000`;

async function currentBuild(r: RolloutStack): Promise<string | undefined> {
  const mosc = await r.moscs.get(POOL, { signal: r.signal });
  return mosc.metadata.annotations?.[MachineOSConfigAnnotations.currentMachineOSBuild];
}

describe("stale current-machine-os-build annotation (scenario 20)", () => {
  let r: RolloutStack;

  beforeAll(async () => {
    r = await startRollout({ workers: 2 });
    await createPool(r, POOL);
    await setRole(r, NODE, POOL, true);
    await waitDone(r, NODE, undefined);
  }, 120_000);
  afterAll(async () => {
    await r?.close();
  }, 60_000);

  it("replaces an annotation naming a missing build, builds the right one and converges", async () => {
    await eventually(
      async () =>
        expect((await r.pools.get(POOL, { signal: r.signal })).spec.configuration?.name).toBeDefined(),
      { timeoutMs: 30_000 },
    );
    await createMosc(r, POOL, { annotations: { [MachineOSConfigAnnotations.currentMachineOSBuild]: STALE } });
    const { mosb, image } = await waitForImage(r, POOL);
    expect(mosb).not.toBe(STALE);
    expect(await currentBuild(r)).toBe(mosb);
    const builds = (await r.mosbs.list({ signal: r.signal })).items.map((b) => b.metadata.name);
    expect(builds).toEqual([mosb]);
    await waitDone(r, NODE, image);
    await waitPoolUpdated(r, POOL);
  }, 100_000);

  it("repoints an annotation naming the build of an older config and keeps the nodes on the new one", async () => {
    const first = await waitForImage(r, POOL);
    await r.configs.create(fileConfig("60-stale-file", POOL, "/etc/mob-stale.conf", "second config\n"), {
      signal: r.signal,
    });
    const second = await eventually(
      async () => {
        const next = await waitForImage(r, POOL, 1_000);
        expect(next.config).not.toBe(first.config);
        return next;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    const done = await waitDone(r, NODE, second.image);
    expect(annotation(done, NodeAnnotations.currentConfig)).toBe(second.config);
    await waitPoolUpdated(r, POOL);
    const reboots = r.stack.nodes.get(NODE)?.reboots ?? 0;

    await r.moscs.patch(
      POOL,
      { metadata: { annotations: { [MachineOSConfigAnnotations.currentMachineOSBuild]: first.mosb } } },
      { type: "merge", signal: r.signal },
    );
    await eventually(async () => expect(await currentBuild(r)).toBe(second.mosb), {
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    await waitPoolUpdated(r, POOL);
    const node = await waitDone(r, NODE, second.image);
    expect(annotation(node, NodeAnnotations.desiredConfig)).toBe(second.config);
    expect(r.stack.nodes.get(NODE)?.reboots).toBe(reboots);
    expect(await bootedFile(r, NODE, "/etc/mob-stale.conf")).toBe("second config\n");
  }, 110_000);
});
