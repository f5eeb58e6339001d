// A simulated node that loses power in the middle of a rebase. The node runs in a process of its own
// (simulated-node-process.ts); during a real rollout of a layered image, once its daemon has unpacked
// the first layer of the image into the deployment being staged, the process is SIGKILLed. Then:
// the half-written tree is still on disk (nothing cleaned up), power-on boots the previous deployment
// and discards it, the daemon retries, and the node reaches Done on the image. While the power is
// off the node stops renewing its Lease, and the node lifecycle controller marks it Unknown.

import { type ChildProcess, spawn } from "node:child_process";
import { access, readdir, readFile, readlink } from "node:fs/promises";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodeAnnotations, NodeStates } from "../../src/api/constants.ts";
import type { KubeObject } from "../../src/api/object.ts";
import type { StagingProgress } from "../../src/daemon/os/simulated.ts";
import { EVENTS } from "../../src/runtime/kube-client.ts";
import { eventually } from "../../src/testing/eventually.ts";
import {
  annotation,
  bootedFile,
  createMosc,
  createPool,
  type RolloutStack,
  setRole,
  startRollout,
  waitDone,
  waitForImage,
  waitPoolUpdated,
} from "./rollout-harness.ts";

const POOL = "crash";
const NODE = "worker-crash";
const FIXTURE = resolve(import.meta.dirname, "simulated-node-process.ts");
const HEARTBEAT = { leaseRenewMs: 1_000, gracePeriodMs: 5_000 };

interface NodeProcess {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

function startNode(r: RolloutStack, extra: string[]): NodeProcess {
  const args = [
    FIXTURE,
    ...["--kubeconfig", r.stack.api.kubeconfigPath, "--dir", r.dir, "--name", NODE],
    ...["--base-image", r.stack.baseImage, "--lease-renew-ms", String(HEARTBEAT.leaseRenewMs), ...extra],
  ];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once("exit", (code, signal) => done({ code, signal })),
  );
  return { child, exited, output: () => out };
}

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

function nodeDir(r: RolloutStack, ...path: string[]): string {
  return join(r.dir, "nodes", NODE, ...path);
}

async function pointer(r: RolloutStack, name: "booted" | "staged" | "rollback"): Promise<string | undefined> {
  return readlink(nodeDir(r, name)).then(
    (target) => target.replace(/^deployments\//, ""),
    () => undefined,
  );
}

async function recordedDigest(r: RolloutStack, id: string | undefined): Promise<string> {
  const text = await readFile(nodeDir(r, "deployments", id ?? "", "deployment.json"), "utf8");
  return (JSON.parse(text) as { imageDigest: string }).imageDigest;
}

function nodeInfo(node: KubeObject): { osImage?: string; bootID?: string } {
  return (node.status as { nodeInfo?: { osImage?: string; bootID?: string } } | undefined)?.nodeInfo ?? {};
}

const UNREACHABLE_TAINTS = [
  "node.kubernetes.io/unreachable:NoSchedule",
  "node.kubernetes.io/unreachable:NoExecute",
];

function readyCondition(node: KubeObject): { status?: string; reason?: string } | undefined {
  const conditions =
    (node.status as { conditions?: { type: string; status?: string; reason?: string }[] } | undefined)
      ?.conditions ?? [];
  return conditions.find((condition) => condition.type === "Ready");
}

function taintKeys(node: KubeObject): string[] {
  const taints = (node.spec as { taints?: { key: string; effect: string }[] } | undefined)?.taints ?? [];
  return taints.map((taint) => `${taint.key}:${taint.effect}`);
}

function registryPassword(r: RolloutStack): string {
  const config = JSON.parse(r.stack.registry.dockerConfigJson()) as {
    auths: Record<string, { auth: string }>;
  };
  const auth = Object.values(config.auths)[0]?.auth ?? "";
  return Buffer.from(auth, "base64").toString("utf8").split(":").slice(1).join(":");
}

describe("a simulated node losing power mid-rebase", () => {
  let r: RolloutStack;
  const processes: NodeProcess[] = [];
  const run = (extra: string[]): NodeProcess => {
    const started = startNode(r, extra);
    processes.push(started);
    return started;
  };

  beforeAll(async () => {
    r = await startRollout({ workers: 0, masters: 0, nodeHeartbeat: HEARTBEAT });
    await createPool(r, POOL);
    await createMosc(r, POOL);
  }, 120_000);
  afterAll(async () => {
    for (const { child } of processes)
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await Promise.all(processes.map((p) => p.exited));
    await r?.close();
  }, 60_000);

  it("boots its previous deployment, discards the half-written one, retries and reaches the image", async () => {
    const marker = join(r.dir, "mid-rebase.json");
    const first = run(["--hold-after-layer", "1", "--marker", marker]);
    const { image } = await waitForImage(r, POOL, 120_000);
    const before = await eventually(
      async () => {
        const node = await r.nodes.get(NODE, { signal: r.signal });
        expect(annotation(node, NodeAnnotations.state)).toBe(NodeStates.Done);
        expect(annotation(node, NodeAnnotations.currentConfig)).toMatch(/^rendered-worker-/);
        return node;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const bootedBefore = await pointer(r, "booted");
    expect(await recordedDigest(r, bootedBefore)).toBe(/@(sha256:.*)$/.exec(r.stack.baseImage)?.[1]);

    await setRole(r, NODE, POOL, true);
    const progress = await eventually(
      async () => JSON.parse(await readFile(marker, "utf8")) as StagingProgress,
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    // The instant of the power cut: the daemon is Working, one layer of several is on disk.
    expect(progress).toMatchObject({ image, layer: 1 });
    expect(progress.layers).toBeGreaterThan(1);
    const working = await r.nodes.get(NODE, { signal: r.signal });
    expect(annotation(working, NodeAnnotations.state)).toBe(NodeStates.Working);
    expect(await exists(join(progress.dir, "usr/lib/os-release"))).toBe(true);
    expect(await exists(join(progress.dir, "etc/layered-release"))).toBe(false);

    first.child.kill("SIGKILL");
    expect(await first.exited).toEqual({ code: null, signal: "SIGKILL" });
    // Nothing ran after the kill: the half-written tree is still there, nothing is staged.
    expect(await exists(progress.dir)).toBe(true);
    expect(await pointer(r, "staged")).toBeUndefined();
    // The node's Lease is no longer renewed: once the grace period is over it is Unknown and unreachable.
    const lost = await eventually(
      async () => {
        const node = await r.nodes.get(NODE, { signal: r.signal });
        expect(readyCondition(node)).toMatchObject({ status: "Unknown", reason: "NodeStatusUnknown" });
        return node;
      },
      { timeoutMs: HEARTBEAT.gracePeriodMs + 15_000, intervalMs: 250 },
    );
    expect(taintKeys(lost)).toEqual(expect.arrayContaining(UNREACHABLE_TAINTS));

    // Power on, up to the moment before the daemon starts.
    const boot = run(["--boot-only"]);
    expect(await boot.exited, boot.output()).toEqual({ code: 0, signal: null });
    expect(await exists(progress.dir)).toBe(false);
    expect((await readdir(nodeDir(r, "deployments"))).filter((name) => name.startsWith("."))).toEqual([]);
    expect(await pointer(r, "booted")).toBe(bootedBefore);
    expect(await pointer(r, "staged")).toBeUndefined();
    expect(await bootedFile(r, NODE, "etc/layered-release")).toBeUndefined();
    const powered = await eventually(
      async () => {
        const node = await r.nodes.get(NODE, { signal: r.signal });
        expect(readyCondition(node)).toMatchObject({ status: "True" });
        expect(taintKeys(node).filter((key) => UNREACHABLE_TAINTS.includes(key))).toEqual([]);
        return node;
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );
    expect(nodeInfo(powered).osImage).toBe(nodeInfo(before).osImage);
    expect(nodeInfo(powered).bootID).not.toBe(nodeInfo(working).bootID);
    for (const key of [NodeAnnotations.currentConfig, NodeAnnotations.currentImage]) {
      expect(annotation(powered, key), key).toBe(annotation(before, key));
    }

    // The daemon starts and retries the update from the beginning.
    const second = run([]);
    await waitDone(r, NODE, image, 90_000);
    await waitPoolUpdated(r, POOL);
    expect(await bootedFile(r, NODE, "etc/layered-release")).toBe(
      "This node runs a custom OS image built by mob.\n",
    );
    expect(await recordedDigest(r, await pointer(r, "booted"))).toBe(/@(sha256:.*)$/.exec(image)?.[1]);
    expect(await pointer(r, "rollback")).toBe(bootedBefore);
    const pool = await r.pools.get(POOL, { signal: r.signal });
    expect(pool.status).toMatchObject({ machineCount: 1, updatedMachineCount: 1, degradedMachineCount: 0 });
    const started = (
      await r.stack.clients.resource<KubeObject>(EVENTS).list({ namespace: "default", signal: r.signal })
    ).items.filter(
      (event) =>
        (event as { involvedObject?: { name?: string } }).involvedObject?.name === NODE &&
        (event as { reason?: string }).reason === "OSUpdateStarted",
    );
    expect(started.reduce((sum, event) => sum + ((event as { count?: number }).count ?? 1), 0)).toBe(2);

    second.child.kill("SIGTERM");
    expect(await second.exited).toEqual({ code: 0, signal: null });
    const password = registryPassword(r);
    expect(password).not.toBe("");
    for (const p of processes) expect(p.output()).not.toContain(password);
  }, 200_000);
});
