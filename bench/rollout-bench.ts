// Rollout figures (issue 6):
//   (a) the embedded stack with 22 simulated workers (real daemons, simulated backend, real build):
//       two single-node updates measure one node's update time, then 20 nodes are labelled at once
//       into the same layered pool with maxUnavailable 5; goal: within 1.15 × the ideal of 4 waves
//       × the single-node time. The ideal assumes a wave's nodes update in parallel at no cost;
//       simulated nodes share this process and the machine's cores for their pull + unpack, which
//       the concurrent-pull figure of (b) shows;
//   (b) pulling and unpacking the built image: the simulated backend's pullAndUnpack against
//       `skopeo copy` + `umoci unpack` (rollout-pull.ts);
//   (c) the node controller alone with 1,000 Nodes in 10 pools (rollout-scale.ts).

import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { NodeAnnotations, NodeStates } from "../src/api/constants.ts";
import type { MachineConfigPool } from "../src/api/machineconfigpool-v1.ts";
import type { MachineOSConfig } from "../src/api/machineosconfig-v1.ts";
import type { KubeObject } from "../src/api/object.ts";
import { MACHINE_OS_CONFIGS } from "../src/controllers/build/resources.ts";
import { MACHINE_CONFIG_POOLS, NODES } from "../src/controllers/resources.ts";
import { type EmbeddedStack, startEmbeddedStack } from "../src/embedded/stack.ts";
import { Informer } from "../src/runtime/informer.ts";
import { type Figure, ratio } from "./report.ts";
import { benchPull } from "./rollout-pull.ts";
import { benchNodeControllerScale } from "./rollout-scale.ts";

const EXAMPLES = resolve(import.meta.dirname, "../examples");
export const POOL = "layered";
const SINGLES = ["worker-0", "worker-1"];
const WAVE = Array.from({ length: 20 }, (_, i) => `worker-${i + SINGLES.length}`);
const MAX_UNAVAILABLE = 5;

export async function benchRollout(): Promise<Figure[]> {
  const dir = await mkdtemp(join(tmpdir(), "mob-rollout-bench-"));
  const stop = new AbortController();
  const signal = stop.signal;
  let stack: EmbeddedStack | undefined;
  let informer: Informer<KubeObject> | undefined;
  try {
    stack = await startBenchStack(dir, SINGLES.length + WAVE.length, signal);
    const watched = new Informer<KubeObject>({ clients: stack.clients, resource: NODES });
    informer = watched;
    void watched.start(signal);
    const image = await layeredImage(stack, signal);
    const done = (name: string): boolean => {
      const node = watched.get(name);
      const a = node?.metadata.annotations ?? {};
      return (
        a[NodeAnnotations.state] === NodeStates.Done &&
        a[NodeAnnotations.currentImage] === image &&
        a[NodeAnnotations.currentConfig] === a[NodeAnnotations.desiredConfig]
      );
    };
    const singles: number[] = [];
    for (const name of SINGLES) singles.push(await timeRollout(stack, [name], done, signal));
    const single = singles.reduce((a, b) => a + b, 0) / singles.length;
    const waves = Math.ceil(WAVE.length / MAX_UNAVAILABLE);
    const ideal = waves * single;
    const wave = await timeRollout(stack, WAVE, done, signal);
    const pull = await benchPull(stack.registry, image, signal);
    return [
      {
        name: `rollout of ${WAVE.length} layered nodes, maxUnavailable ${MAX_UNAVAILABLE} (drain, pull+unpack, 2 s reboot, Done)`,
        value: `${(wave / 1000).toFixed(1)} s; ideal ${waves} waves × ${(single / 1000).toFixed(1)} s single-node update (${singles.map((s) => (s / 1000).toFixed(1)).join(", ")} s) = ${(ideal / 1000).toFixed(1)} s; ${(wave / ideal).toFixed(2)}× ideal`,
        goal: "≤ 1.15 × ideal",
        ratio: ratio(1.15 * ideal, wave),
      },
      ...pull,
      ...(await benchNodeControllerScale()),
    ];
  } finally {
    stop.abort();
    await informer?.stopped();
    await stack?.stopped;
    await rm(dir, { recursive: true, force: true });
  }
}

/** The embedded stack with `workers` simulated workers, no masters, and drains retried quickly. */
export function startBenchStack(dir: string, workers: number, signal: AbortSignal): Promise<EmbeddedStack> {
  return startEmbeddedStack({
    dir,
    apiListen: { host: "127.0.0.1", port: 0 },
    registryListen: { host: "127.0.0.1", port: 0 },
    workers,
    masters: 0,
    drain: { retryIntervalMs: 500 },
    signal,
  });
}

/** Creates the example pool and MachineOSConfig; resolves with the built image. */
export async function layeredImage(
  stack: EmbeddedStack,
  signal: AbortSignal,
  maxUnavailable = MAX_UNAVAILABLE,
): Promise<string> {
  const pool = parse(await readFile(join(EXAMPLES, "layered-pool.yaml"), "utf8")) as MachineConfigPool;
  pool.spec.maxUnavailable = maxUnavailable;
  await stack.clients.resource<MachineConfigPool>(MACHINE_CONFIG_POOLS).create(pool, { signal });
  const text = await readFile(join(EXAMPLES, "machineosconfig.yaml"), "utf8");
  const mosc = parse(text.replaceAll("REGISTRY", stack.registry.url)) as MachineOSConfig;
  const moscs = stack.clients.resource<MachineOSConfig>(MACHINE_OS_CONFIGS);
  await moscs.create(mosc, { signal });
  let image = "";
  await until(
    async () => {
      image = (await moscs.get(POOL, { signal })).status?.currentImagePullSpec ?? "";
      return image !== "";
    },
    180_000,
    200,
  );
  return image;
}

/** Labels `names` into the pool at once; resolves with the ms until all of them are Done on the image. */
export async function timeRollout(
  stack: EmbeddedStack,
  names: readonly string[],
  done: (name: string) => boolean,
  signal: AbortSignal,
): Promise<number> {
  const client = stack.clients.resource<KubeObject>(NODES);
  const label = { metadata: { labels: { [`node-role.kubernetes.io/${POOL}`]: "" } } };
  const started = performance.now();
  await Promise.all(names.map((name) => client.patch(name, label, { type: "merge", signal })));
  await until(() => names.every(done), 600_000);
  return performance.now() - started;
}

async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  intervalMs = 10,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error("rollout bench: timed out");
    await new Promise((done) => setTimeout(done, intervalMs));
  }
}
