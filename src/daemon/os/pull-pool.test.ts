// The pull pool against a real registry: pulls run on a worker thread (they finish while the calling
// thread is blocked), the afterLayer hook runs on the caller's thread and holds the next layer, and
// failures, aborts and a stopped worker settle a pull only once nothing touches its directory.

import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isMainThread } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRegistry, type TestRegistry } from "../../embedded/registry/test-registry.ts";
import { treeSnapshot } from "../../registry/tree-snapshot.ts";
import { eventually } from "../../testing/eventually.ts";
import { requirePinnedImage } from "./image-refs.ts";
import { PullWorkerPool } from "./pull-pool.ts";
import { pullRootfs, type SimulatedPullOptions } from "./simulated-pull.ts";

const signal = new AbortController().signal;
/** The file the image's upper layer adds. */
const MARKER = "etc/pool-marker";
let fixture: TestRegistry;
let scratch: string;
let ref: ReturnType<typeof requirePinnedImage>;
let pool: PullWorkerPool;

beforeAll(async () => {
  fixture = await startTestRegistry();
  scratch = await mkdtemp(join(tmpdir(), "mob-pull-pool-"));
  const digest = await fixture.buildLayered("os/pool", "v1", `echo pool > /${MARKER}`);
  ref = requirePinnedImage(`${fixture.registry.url}/os/pool@${digest}`);
  pool = new PullWorkerPool(1);
}, 120_000);

afterAll(async () => {
  await pool?.close();
  await fixture?.close();
  if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
});

function options(extra: Partial<SimulatedPullOptions> = {}): SimulatedPullOptions {
  return {
    credentials: { dockerConfigJson: fixture.registry.dockerConfigJson() },
    insecureHosts: [],
    signal,
    ...extra,
  };
}

/** Blocks this thread (no event loop turn) until `path` exists or `timeoutMs` passed. */
function blockUntilExists(path: string, timeoutMs: number): boolean {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path) && Date.now() < deadline) Atomics.wait(sleeper, 0, 0, 20);
  return existsSync(path);
}

function holdAtFirstLayer() {
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const calls: { layer: number; layers: number; mainThread: boolean }[] = [];
  const afterLayer = async (layer: number, layers: number) => {
    calls.push({ layer, layers, mainThread: isMainThread });
    if (layer === 1) await held;
  };
  return { calls, afterLayer, release };
}

describe("PullWorkerPool", () => {
  it("unpacks on a worker thread, while this thread is blocked, the same tree as an in-thread pull", async () => {
    const dir = join(scratch, "worker");
    const pulled = pool.pull(ref, dir, options());
    const appeared = blockUntilExists(join(dir, MARKER), 60_000);
    await pulled;
    expect(appeared).toBe(true);
    expect(pool.workers).toBe(1);
    const inThread = join(scratch, "in-thread");
    await pullRootfs(ref, inThread, options());
    expect(await treeSnapshot(dir)).toEqual(await treeSnapshot(inThread));
  }, 90_000);

  it("runs afterLayer on the calling thread and starts no layer before it returns", async () => {
    const dir = join(scratch, "hooked");
    const hook = holdAtFirstLayer();
    const pulled = pool.pull(ref, dir, options({ afterLayer: hook.afterLayer }));
    await eventually(() => expect(hook.calls).toHaveLength(1), { timeoutMs: 60_000 });
    // A whole pull on the same (only) worker runs meanwhile: the held one waits, not the worker.
    await pool.pull(ref, join(scratch, "meanwhile"), options());
    expect(existsSync(join(dir, "etc/passwd"))).toBe(true);
    expect(existsSync(join(dir, MARKER))).toBe(false);
    hook.release();
    await pulled;
    expect(hook.calls).toEqual([
      { layer: 1, layers: 2, mainThread: true },
      { layer: 2, layers: 2, mainThread: true },
    ]);
    expect(existsSync(join(dir, MARKER))).toBe(true);
  }, 90_000);

  it("fails the pull with the hook's error as command-failed naming the image", async () => {
    const error = await pool
      .pull(
        ref,
        join(scratch, "hook-failed"),
        options({ afterLayer: () => Promise.reject(new Error("power lost")) }),
      )
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "command-failed", message: expect.stringContaining("power lost") });
    expect((error as Error).message).toContain(`os/pool@${ref.digest}`);
  }, 60_000);

  it("rejects an aborted pull with the abort reason once the worker let go of the directory", async () => {
    const dir = join(scratch, "aborted");
    const controller = new AbortController();
    const pulled = pool.pull(ref, dir, {
      ...options(),
      signal: controller.signal,
      afterLayer: async () => controller.abort(new Error("node stopping")),
    });
    await expect(pulled).rejects.toThrow("node stopping");
    await rm(dir, { recursive: true, force: true });
    // The worker handles messages in order: this pull finishing means the aborted one wrote its last.
    await pool.pull(ref, join(scratch, "after-abort"), options());
    expect(existsSync(dir)).toBe(false);
  }, 60_000);

  it("fails the pulls of a worker that stops, and starts a new worker for the next pull", async () => {
    const hook = holdAtFirstLayer();
    const pulled = pool.pull(ref, join(scratch, "stopped"), options({ afterLayer: hook.afterLayer }));
    await eventually(() => expect(hook.calls).toHaveLength(1), { timeoutMs: 60_000 });
    await pool.close();
    hook.release();
    const error = await pulled.catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "command-failed",
      message: expect.stringContaining("the pull worker stopped"),
    });
    expect(pool.workers).toBe(0);
    const dir = join(scratch, "restarted");
    await pool.pull(ref, dir, options());
    expect(existsSync(join(dir, MARKER))).toBe(true);
  }, 90_000);
});
