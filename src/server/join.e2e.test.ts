// End to end, upstream-ocl.md §9 scenario 22 (scale-up of a layered pool) on the embedded stack:
// a real buildah build, the registry, the machine-config-server over HTTPS, `mob node add`'s first
// boot (joinNode) and `mob up`'s adoption running the new nodes' daemons.
//   - while no node of the pool has updated (updatedMachineCount == 0) a new node boots the base
//     image and gets the layered image through a normal rollout (one reboot);
//   - once one has, a new node boots the layered image directly: no reboot, no base deployment.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createMosc,
  createPool,
  type LayeredImage,
  type RolloutStack,
  startRollout,
  waitDone,
  waitForImage,
} from "../../test/e2e/rollout-harness.ts";
import { NodeAnnotations } from "../api/constants.ts";
import { JOINED_NODE_LABEL, joinNode } from "../embedded/nodes/index.ts";
import { eventually } from "../testing/eventually.ts";
import { fetchPoolConfig, ServerFetchError } from "./client.ts";

const POOL = "layered";

describe("new nodes from the machine-config-server (scenarios 22 and 19)", () => {
  let r: RolloutStack;
  let layered: LayeredImage;

  beforeAll(async () => {
    r = await startRollout({ workers: 0, masters: 0 });
    await createPool(r, POOL);
    await createMosc(r, POOL);
  }, 120_000);
  afterAll(async () => {
    await r?.close();
  }, 60_000);

  const join_ = (name: string) =>
    joinNode({
      clients: r.stack.clients,
      serverUrl: r.stack.server.url,
      caPem: r.stack.api.caCertPem,
      pool: POOL,
      name,
      dir: r.dir,
      credentials: { dockerConfigJson: r.stack.registry.dockerConfigJson() },
      signal: r.signal,
    });
  const deployment = async (node: string, pointer: "booted" | "rollback") =>
    JSON.parse(await readFile(join(r.dir, "nodes", node, pointer, "deployment.json"), "utf8")) as {
      imageDigest: string;
    };
  const digestOf = (image: string) => image.slice(image.indexOf("@") + 1);

  it("serves pools over HTTPS and answers 404 for unknown ones", async () => {
    const served = await fetchPoolConfig({
      serverUrl: r.stack.server.url,
      pool: "worker",
      caPem: r.stack.api.caCertPem,
      signal: r.signal,
    });
    expect(served).toMatchObject({ ignition: { version: "3.4.0" } });
    const missing = await fetchPoolConfig({
      serverUrl: r.stack.server.url,
      pool: "no-such-pool",
      caPem: r.stack.api.caCertPem,
      signal: r.signal,
    }).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(ServerFetchError);
    expect((missing as ServerFetchError).status).toBe(404);
  });

  it("boots the base image while no node has updated, then rolls the layered image out", async () => {
    layered = await waitForImage(r, POOL, 80_000);
    expect((await r.pools.get(POOL, { signal: r.signal })).status?.updatedMachineCount ?? 0).toBe(0);
    const joined = await join_("layered-a");
    expect(joined).toMatchObject({ config: layered.config, layered: false });
    const node = await r.nodes.get("layered-a", { signal: r.signal });
    expect(node.metadata.labels).toMatchObject({
      "node-role.kubernetes.io/layered": "",
      [JOINED_NODE_LABEL]: "",
    });
    await waitDone(r, "layered-a", layered.image, 60_000);
    expect(r.stack.nodes.get("layered-a")?.reboots).toBe(1);
    expect((await deployment("layered-a", "booted")).imageDigest).toBe(digestOf(layered.image));
    expect((await deployment("layered-a", "rollback")).imageDigest).toBe(digestOf(r.stack.baseImage));
  }, 150_000);

  it("boots the layered image directly once a node has updated: one boot, no base deployment", async () => {
    await eventually(
      async () =>
        expect(
          (await r.pools.get(POOL, { signal: r.signal })).status?.updatedMachineCount ?? 0,
        ).toBeGreaterThan(0),
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    const joined = await join_("layered-b");
    expect(joined).toMatchObject({ config: layered.config, image: layered.image, layered: true });
    const node = await r.nodes.get("layered-b", { signal: r.signal });
    expect(node.metadata.annotations?.[NodeAnnotations.desiredImage]).toBe(layered.image);
    await waitDone(r, "layered-b", layered.image, 60_000);
    expect(r.stack.nodes.get("layered-b")?.reboots).toBe(0);
    expect((await deployment("layered-b", "booted")).imageDigest).toBe(digestOf(layered.image));
    await expect(deployment("layered-b", "rollback")).rejects.toThrow(/ENOENT/);
    const rootfs = join(r.dir, "nodes", "layered-b", "booted", "rootfs");
    expect(await readFile(join(rootfs, "etc/layered-release"), "utf8")).toContain(
      "custom OS image built by mob",
    );
    const annotations = JSON.parse(
      await readFile(join(rootfs, "etc/machine-config-daemon/node-annotations.json"), "utf8"),
    );
    expect(annotations[NodeAnnotations.currentImage]).toBe(layered.image);
  }, 120_000);
  it("gives a new node the image of the build the MachineOSConfig names when two builds share a config (scenario 19)", async () => {
    const first = layered;
    const containerfile = "FROM configs AS final\nRUN echo second > /etc/layered-release\n";
    await r.moscs.patch(
      POOL,
      { spec: { containerFile: [{ containerfileArch: "NoArch", content: containerfile }] } },
      { type: "merge", signal: r.signal },
    );
    const second = await eventually(
      async () => {
        const image = await waitForImage(r, POOL, 80_000);
        expect(image.image).not.toBe(first.image);
        return image;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    // Two Succeeded builds of the same rendered config; the MachineOSConfig names the second.
    const builds = (await r.mosbs.list({ signal: r.signal })).items.filter(
      (b) =>
        b.spec.machineConfig.name === first.config &&
        b.status?.conditions?.some((c) => c.type === "Succeeded" && c.status === "True"),
    );
    expect(builds.map((b) => b.metadata.name).sort()).toEqual([first.mosb, second.mosb].sort());
    expect(second.config).toBe(first.config);
    // The pool's nodes move to the second image first; only then does the server hand it out.
    await waitDone(r, "layered-a", second.image, 90_000);
    await waitDone(r, "layered-b", second.image, 90_000);
    await eventually(
      async () =>
        expect((await r.pools.get(POOL, { signal: r.signal })).status?.updatedMachineCount ?? 0).toBe(2),
      { timeoutMs: 90_000, intervalMs: 250 },
    );
    const joined = await join_("layered-c");
    expect(joined).toMatchObject({ config: first.config, image: second.image, layered: true });
    await waitDone(r, "layered-c", second.image, 60_000);
    const rootfs = join(r.dir, "nodes", "layered-c", "booted", "rootfs");
    expect(await readFile(join(rootfs, "etc/layered-release"), "utf8")).toBe("second\n");
  }, 240_000);
});
