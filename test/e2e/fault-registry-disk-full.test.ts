// The registry's storage fills up during a push: its storage directory is a small tmpfs (8 MiB:
// the seeded base image takes about 1.2 MiB) and the Containerfile adds 24 MiB of incompressible
// data. The build fails with a message naming the registry and the cause; the registry keeps
// serving the base image intact (every blob verified by digest), nothing stored before changed, the
// API server and controllers keep reconciling; after the storage is enlarged `mob rebuild` succeeds.
//
// The tmpfs is mounted in this machine's mount namespace (the registry is a child process of the
// test) outside the stack's directory and unmounted in afterAll; a failing mount fails the file.

import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PoolConditionTypes } from "../../src/api/constants.ts";
import type { MachineOSBuild } from "../../src/api/machineosbuild-v1.ts";
import { RegistryClient } from "../../src/registry/client.ts";
import { isRegistryError } from "../../src/registry/errors.ts";
import { eventually } from "../../src/testing/eventually.ts";
import {
  archivedBuildLog,
  buildCondition,
  currentBuild,
  pullVerified,
  rebuildSucceeds,
  waitForBuildState,
} from "./registry-fault-observations.ts";
import { createMosc, createPool, poolCondition, type RolloutStack, startRollout } from "./rollout-harness.ts";

const run = promisify(execFile);
const POOL = "full";
const SMALL = "8m";
const ENLARGED = "96m";
const CONTAINERFILE = "FROM configs AS final\nRUN head -c 25165824 /dev/urandom > /usr/lib/filler\n";

/** Every file under `root` with the sha256 of its content. */
async function snapshot(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(
      relative(root, path),
      createHash("sha256")
        .update(await readFile(path))
        .digest("hex"),
    );
  }
  return files;
}

describe("the registry's storage is full", () => {
  let storage = "";
  let mounted = false;
  let r: RolloutStack;
  let before: Map<string, string>;
  let failed: MachineOSBuild;

  beforeAll(async () => {
    storage = await mkdtemp(join(tmpdir(), "mob-registry-tmpfs-"));
    await run("mount", ["-t", "tmpfs", "-o", `size=${SMALL},mode=0700`, "mob-registry-full", storage]);
    mounted = true;
    r = await startRollout({ workers: 0, masters: 0, registryStorageDir: storage });
    before = await snapshot(storage);
  }, 120_000);
  afterAll(async () => {
    await r?.close();
    if (mounted) await run("umount", [storage]).catch(() => run("umount", ["-l", storage]));
    if (storage !== "") await rm(storage, { recursive: true, force: true });
  }, 60_000);

  it("fails the build clearly, naming the registry and the cause", async () => {
    const { url } = r.stack.registry;
    expect([...before.keys()].some((path) => path.includes("repositories/os/base/_manifests"))).toBe(true);
    await createPool(r, POOL);
    await createMosc(r, POOL, { containerfile: CONTAINERFILE });
    const name = (await currentBuild(r, POOL)).metadata.name ?? "";
    failed = await waitForBuildState(r, name, "Failed", 240_000);
    const message = buildCondition(failed, "Failed")?.message ?? "";
    const summary = message.split("\n")[0] ?? "";
    expect(summary).toContain(
      `step push: pushing the image to ${url} failed: HTTP 500 Internal Server Error from the registry ` +
        "(a fault on the registry's side, such as full storage; see its log) (container image-push",
    );
    const registryLog = await readFile(join(r.dir, "registry", "registry.log"), "utf8");
    expect(registryLog).toContain("no space left on device");
    const archived = await archivedBuildLog(r, name);
    expect(archived).toContain("container image-push (exit code 125)");
    expect(archived).toContain(`in ${url}: received unexpected HTTP status: 500 Internal Server Error`);
    await eventually(
      async () =>
        expect(await poolCondition(r, POOL, PoolConditionTypes.ImageBuildDegraded)).toMatchObject({
          status: "True",
          reason: "BuildFailed",
        }),
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(JSON.stringify(failed.status)).not.toContain(r.stack.registry.credentials.password);
    expect(archived).not.toContain(r.stack.registry.credentials.password);
  }, 300_000);

  it("keeps serving what it stored, unchanged, and the control plane keeps reconciling", async () => {
    const client = new RegistryClient({ credentials: r.stack.registry.credentials });
    const base = await pullVerified(r, r.stack.baseImage);
    expect(base.layers).toBe(1);
    const after = await snapshot(storage);
    for (const [path, digest] of before) expect(after.get(path), path).toBe(digest);
    const tag = `${r.stack.registry.url}/os/${POOL}:${failed.metadata.name ?? ""}`;
    const missing = await client.resolve(tag, { signal: r.signal }).catch((error: unknown) => error);
    expect(isRegistryError(missing, "not-found"), String(missing)).toBe(true);

    await createPool(r, "probe");
    await eventually(
      async () =>
        expect((await r.pools.get("probe", { signal: r.signal })).spec.configuration?.name).toMatch(
          /^rendered-probe-[0-9a-f]+$/,
        ),
      { timeoutMs: 30_000, intervalMs: 250 },
    );
  }, 60_000);

  it("builds after the storage is enlarged and `mob rebuild` runs", async () => {
    await run("mount", ["-o", `remount,size=${ENLARGED}`, storage]);
    const rebuilt = await rebuildSucceeds(r, POOL, failed);
    const pulled = await pullVerified(r, rebuilt.status?.digestedImagePushSpec ?? "");
    expect(pulled.bytes).toBeGreaterThan(24 * 1024 * 1024);
  }, 200_000);
});
