import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRegistry, type TestRegistry } from "../../embedded/registry/test-registry.ts";
import { runOsBackendConformance } from "./backend-conformance.ts";
import { SimulatedOsBackend } from "./simulated.ts";

const signal = new AbortController().signal;
const NOW = new Date("2025-01-02T03:04:05.000Z");
let fixture: TestRegistry;
let layered: string;
let second: string;
let corrupt: string;
let scratch: string;

beforeAll(async () => {
  fixture = await startTestRegistry();
  scratch = await mkdtemp(join(tmpdir(), "mob-simulated-"));
  const url = fixture.registry.url;
  layered = `${url}/os/layered@${await fixture.buildLayered("os/layered", "v1", "echo layered > /etc/mob-layered && rm /etc/motd")}`;
  second = `${url}/os/second@${await fixture.buildLayered("os/second", "v1", "echo second > /etc/mob-second")}`;
  corrupt = `${url}/os/corrupt@${await fixture.buildLayered("os/corrupt", "v1", "echo corrupt > /etc/mob-corrupt")}`;
  await corruptConfigBlob(corrupt);
}, 120_000);

afterAll(async () => {
  await fixture?.close();
  if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
});

/** Flips one byte of the image's config blob in the registry's storage (same size, other digest). */
async function corruptConfigBlob(image: string) {
  const inspected = await fixture.client.inspect(image, { signal });
  const hex = inspected.manifest.config.digest.replace("sha256:", "");
  const path = join(
    fixture.dir,
    "registry/data/docker/registry/v2/blobs/sha256",
    hex.slice(0, 2),
    hex,
    "data",
  );
  const bytes = await readFile(path);
  bytes[0] = bytes[0] === 0x20 ? 0x21 : 0x20;
  await writeFile(path, bytes);
}

let nodes = 0;
async function newNode(): Promise<{ nodeDir: string; backend: SimulatedOsBackend }> {
  const nodeDir = join(scratch, `node-${nodes++}`);
  const credentials = { dockerConfigJson: fixture.registry.dockerConfigJson() };
  const backend = await SimulatedOsBackend.bootstrap(nodeDir, fixture.base.ref, credentials, signal, {
    now: () => NOW,
  });
  return { nodeDir, backend };
}

const credentials = () => ({ dockerConfigJson: fixture.registry.dockerConfigJson() });

runOsBackendConformance("simulated", async () => {
  const { backend } = await newNode();
  const repository = layered.slice(0, layered.indexOf("@"));
  return {
    backend,
    image: layered,
    credentials: credentials(),
    missingImage: `${repository}@sha256:${"0".repeat(64)}`,
    registryHost: fixture.registry.url,
  };
});

describe("SimulatedOsBackend", () => {
  it("boots the layered tree: new file present, deleted file gone, os-release from the base", async () => {
    const { nodeDir, backend } = await newNode();
    await backend.rebase(layered, { credentials: credentials(), signal });
    await backend.reboot(signal);
    const rootfs = join(nodeDir, "booted", "rootfs");
    expect(await readFile(join(rootfs, "etc/mob-layered"), "utf8")).toBe("layered\n");
    await expect(readFile(join(rootfs, "etc/motd"))).rejects.toMatchObject({ code: "ENOENT" });
    expect(await readFile(join(rootfs, "usr/lib/os-release"), "utf8")).toContain('NAME="mob base OS"');
    const status = await backend.status(signal);
    expect(status.booted.osRelease).toEqual({ ID: "mob", VERSION_ID: "1.0" });
    const record = JSON.parse(
      await readFile(join(nodeDir, "deployments", status.booted.id, "deployment.json"), "utf8"),
    );
    expect(record).toEqual({
      id: status.booted.id,
      image: layered,
      imageDigest: status.booted.imageDigest,
      createdAt: NOW.toISOString(),
    });
    await writeFile(join(backend.rootDir, "etc/written-by-daemon"), "x");
    expect(
      await readFile(join(nodeDir, "deployments", status.booted.id, "rootfs/etc/written-by-daemon"), "utf8"),
    ).toBe("x");
  });

  it("reads its state from disk: a new instance reports the same status", async () => {
    const { nodeDir, backend } = await newNode();
    await backend.rebase(layered, { credentials: credentials(), signal });
    const before = await backend.status(signal);
    const restarted = new SimulatedOsBackend({ nodeDir });
    expect(await restarted.status(signal)).toEqual(before);
    const again = await SimulatedOsBackend.bootstrap(nodeDir, second, credentials(), signal);
    expect(await again.status(signal)).toEqual(before);
  });

  it("sweeps what a process killed mid-rebase or mid-reboot left behind", async () => {
    const { nodeDir, backend } = await newNode();
    const booted = (await backend.status(signal)).booted;
    const deployments = join(nodeDir, "deployments");
    await mkdir(join(deployments, ".incoming-killed/rootfs/etc"), { recursive: true });
    await writeFile(join(deployments, ".incoming-killed/rootfs/etc/partial"), "half");
    await mkdir(join(deployments, ".trash-old/rootfs"), { recursive: true });
    await mkdir(join(deployments, "no-record/rootfs"), { recursive: true });
    await symlink(join("deployments", booted.id), join(nodeDir, ".staged.tmp-killed"));
    await symlink(join("deployments", booted.id), join(nodeDir, "staged"));
    const restarted = new SimulatedOsBackend({ nodeDir });
    expect(await restarted.status(signal)).toEqual({ booted, staged: undefined, rollback: undefined });
    expect(await readdir(deployments)).toEqual([booted.id]);
    expect((await readdir(nodeDir)).sort()).toEqual(["booted", "deployments"]);
  });

  it("surfaces a blob that does not hash to its digest as digest-mismatch, leaving nothing behind", async () => {
    const { nodeDir, backend } = await newNode();
    const error = await backend
      .rebase(corrupt, { credentials: credentials(), signal })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "digest-mismatch", message: expect.stringContaining("os/corrupt") });
    expect((await backend.status(signal)).staged).toBeUndefined();
    expect(await readdir(join(nodeDir, "deployments"))).toHaveLength(1);
  });

  it("keeps only booted and rollback (and staged) deployments", async () => {
    const { nodeDir, backend } = await newNode();
    const base = (await backend.status(signal)).booted;
    await backend.rebase(layered, { credentials: credentials(), signal });
    await backend.reboot(signal);
    await backend.rebase(second, { credentials: credentials(), signal });
    expect(await readdir(join(nodeDir, "deployments"))).toHaveLength(3);
    await backend.reboot(signal);
    const status = await backend.status(signal);
    expect(status.booted.image).toBe(second);
    expect(status.rollback?.image).toBe(layered);
    expect((await readdir(join(nodeDir, "deployments"))).sort()).toEqual(
      [status.booted.id, status.rollback?.id].sort(),
    );
    expect(await readdir(join(nodeDir, "deployments"))).not.toContain(base.id);
  });

  it("treats a rebase to the staged image as done and one to the booted image as dropping staged", async () => {
    const { backend } = await newNode();
    const booted = (await backend.status(signal)).booted;
    await backend.rebase(layered, { credentials: credentials(), signal });
    const staged = (await backend.status(signal)).staged;
    await backend.rebase(layered, { credentials: credentials(), signal });
    expect((await backend.status(signal)).staged).toEqual(staged);
    await backend.rebase(fixture.base.ref, { signal });
    expect(await backend.status(signal)).toEqual({ booted, staged: undefined, rollback: undefined });
  });

  it("calls afterStagedLayer after each layer a rebase unpacks, before anything is staged", async () => {
    const nodeDir = join(scratch, `node-${nodes++}`);
    const seen: { layer: number; layers: number; inDeployments: boolean; staged: boolean }[] = [];
    const backend = await SimulatedOsBackend.bootstrap(nodeDir, fixture.base.ref, credentials(), signal, {
      afterStagedLayer: async (progress) => {
        expect(progress.image).toBe(layered);
        const staged = (await backend.status(signal)).staged !== undefined;
        const inDeployments = progress.dir.startsWith(join(nodeDir, "deployments", ".incoming-"));
        seen.push({ layer: progress.layer, layers: progress.layers, inDeployments, staged });
      },
    });
    expect(seen).toEqual([]);
    await backend.rebase(layered, { credentials: credentials(), signal });
    const layers = seen[0]?.layers ?? 0;
    expect(layers).toBeGreaterThan(1);
    expect(seen).toEqual(
      Array.from({ length: layers }, (_, i) => ({
        layer: i + 1,
        layers,
        inDeployments: true,
        staged: false,
      })),
    );
    expect((await backend.status(signal)).staged?.image).toBe(layered);
  });
});
