// Upstream scenarios 3 and 5 on the embedded stack with a real build and the real daemon: nodes
// labelled into a layered pool boot the MachineOSConfig's image (with the pool's MachineConfig files
// and the Containerfile's content, and nothing of it on other nodes); unlabelling a node, or deleting
// the MachineOSConfig, brings the base image back with the pool's MachineConfig files kept.

import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { NodeAnnotations } from "../../src/api/constants.ts";
import type { KubeObject } from "../../src/api/object.ts";
import { eventually } from "../../src/testing/eventually.ts";
import {
  annotation,
  bootedExists,
  bootedFile,
  createMosc,
  createPool,
  fileConfig,
  type LayeredImage,
  type RolloutStack,
  setRole,
  startRollout,
  waitDone,
  waitForImage,
  waitPoolUpdated,
} from "./rollout-harness.ts";

const run = promisify(execFile);
const POOL = "layered";
const MEMBERS = ["worker-0", "worker-1"];
const OTHERS = ["worker-2", "master-0"];
const POOL_FILE = "/etc/mob-layered.conf";

async function deploymentDigest(r: RolloutStack, node: string): Promise<string> {
  const record = await readFile(join(r.dir, "nodes", node, "booted", "deployment.json"), "utf8");
  return (JSON.parse(record) as { imageDigest: string }).imageDigest;
}

describe("layered rollout (scenarios 3 and 5)", () => {
  let r: RolloutStack;
  let layered: LayeredImage;

  beforeAll(async () => {
    r = await startRollout({ workers: 3 });
    const motd = parse(
      await readFile(join(import.meta.dirname, "../../examples/machineconfig-motd.yaml"), "utf8"),
    );
    await r.configs.create(motd as KubeObject, { signal: r.signal });
    await r.configs.create(fileConfig("50-layered-file", POOL, POOL_FILE, "layered pool file\n"), {
      signal: r.signal,
    });
    await createPool(r, POOL);
    await createMosc(r, POOL);
    layered = await waitForImage(r, POOL);
  }, 150_000);
  afterAll(async () => {
    await r?.close();
  }, 60_000);

  it("rolls the image out to the labelled nodes: Done on it, its content works, no other node has it", async () => {
    for (const node of MEMBERS) await setRole(r, node, POOL, true);
    for (const node of MEMBERS) {
      const done = await waitDone(r, node, layered.image);
      expect(annotation(done, NodeAnnotations.currentConfig)).toBe(layered.config);
      expect(await deploymentDigest(r, node)).toBe(layered.image.split("@")[1]);
      expect(await bootedFile(r, node, "/etc/layered-release")).toContain("custom OS image built by mob");
      expect(await bootedFile(r, node, POOL_FILE)).toBe("layered pool file\n");
      expect(await bootedFile(r, node, "/etc/motd")).toBe("Managed by mob\n");
      const { stdout } = await run("chroot", [
        join(r.dir, "nodes", node, "booted", "rootfs"),
        "/usr/local/bin/mob-hello",
      ]);
      expect(stdout).toBe("hello from mob base OS, layered by mob\n");
      expect(r.stack.nodes.get(node)?.reboots).toBe(1);
    }
    await waitPoolUpdated(r, POOL);
    for (const node of OTHERS) {
      expect(await bootedExists(r, node, "/etc/layered-release")).toBe(false);
      expect(await bootedExists(r, node, "/usr/local/bin/mob-hello")).toBe(false);
      expect(await bootedExists(r, node, POOL_FILE)).toBe(false);
      const other = await r.nodes.get(node, { signal: r.signal });
      expect(annotation(other, NodeAnnotations.currentImage)).toBeUndefined();
      expect(await deploymentDigest(r, node)).toBe(r.stack.baseImage.split("@")[1]);
      expect(r.stack.nodes.get(node)?.reboots).toBe(0);
    }
    expect(await bootedFile(r, "worker-2", "/etc/motd")).toBe("Managed by mob\n");
  }, 120_000);

  it("unlabelling a node removes its image annotations and boots the base image, pool files kept", async () => {
    await setRole(r, "worker-1", POOL, false);
    const reverted = await waitDone(r, "worker-1", undefined);
    expect(annotation(reverted, NodeAnnotations.currentConfig)).toMatch(/^rendered-worker-/);
    expect(await deploymentDigest(r, "worker-1")).toBe(r.stack.baseImage.split("@")[1]);
    expect(await bootedExists(r, "worker-1", "/etc/layered-release")).toBe(false);
    expect(await bootedFile(r, "worker-1", "/etc/motd")).toBe("Managed by mob\n");
    expect(await bootedExists(r, "worker-1", POOL_FILE)).toBe(false);
    expect(r.stack.nodes.get("worker-1")?.reboots).toBe(2);
    // The other member is untouched.
    const still = await r.nodes.get("worker-0", { signal: r.signal });
    expect(annotation(still, NodeAnnotations.currentImage)).toBe(layered.image);
  }, 90_000);

  it("deleting the MachineOSConfig reverts the pool's nodes to the MachineConfig's base image", async () => {
    await r.moscs.delete(POOL, { signal: r.signal });
    const reverted = await waitDone(r, "worker-0", undefined);
    expect(annotation(reverted, NodeAnnotations.currentConfig)).toBe(layered.config);
    expect(await deploymentDigest(r, "worker-0")).toBe(r.stack.baseImage.split("@")[1]);
    expect(await bootedExists(r, "worker-0", "/etc/layered-release")).toBe(false);
    expect(await bootedFile(r, "worker-0", POOL_FILE)).toBe("layered pool file\n");
    expect(await bootedFile(r, "worker-0", "/etc/motd")).toBe("Managed by mob\n");
    await waitPoolUpdated(r, POOL);
    await eventually(async () => expect((await r.mosbs.list({ signal: r.signal })).items).toEqual([]), {
      timeoutMs: 30_000,
      intervalMs: 250,
    });
  }, 90_000);
});
