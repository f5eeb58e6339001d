// Build controller figures (issue 5), in one run on the whole embedded mob (startEmbeddedStack, no
// simulated nodes):
//   (a) MachineOSConfig applied → MachineOSBuild Succeeded, against raw `buildah bud` + `buildah
//       push` of the same rendered Containerfile and context (build-raw.ts). Both start cold: mob's
//       first build uses a fresh `<dir>/buildah-cache`, buildah a fresh private storage root; both
//       pull the base image from the same local registry. mob's side includes everything a user
//       waits for: build and Job creation, the pod, `mob build prepare-context`, digest reporting.
//   (b) a rebuild after changing only the last Containerfile line, against the first build (the
//       persistent layer cache under `<dir>/buildah-cache` at work), with raw buildah's own
//       rebuild on its warm storage root as the reference for what a layer cache can give.
//   (c) MachineOSConfig applied → its build Job exists, over 20 applies (each MachineOSConfig is
//       deleted, and its build gone, before the next apply).

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BuildKeys, MCO_NAMESPACE, V1 } from "../src/api/constants.ts";
import type { MachineConfigPool } from "../src/api/machineconfigpool-v1.ts";
import type { MachineOSBuild } from "../src/api/machineosbuild-v1.ts";
import type { MachineOSConfig } from "../src/api/machineosconfig-v1.ts";
import type { KubeObject } from "../src/api/object.ts";
import { buildStateOf } from "../src/controllers/build/build-state.ts";
import { JOBS, MACHINE_OS_BUILDS, MACHINE_OS_CONFIGS } from "../src/controllers/build/resources.ts";
import { MACHINE_CONFIG_POOLS } from "../src/controllers/resources.ts";
import { EMBEDDED_PUSH_SECRET, type EmbeddedStack, startEmbeddedStack } from "../src/embedded/stack.ts";
import { Informer } from "../src/runtime/informer.ts";
import { CONFIG_MAPS } from "../src/runtime/kube-client.ts";
import { InputCapture, rawBuild } from "./build-raw.ts";
import { type Figure, ratio } from "./report.ts";

const APPLIES = 20;
const FIRST = "FROM configs AS final\nRUN echo bench > /etc/bench-release\nRUN echo v1 > /etc/bench-last\n";
const SECOND = "FROM configs AS final\nRUN echo bench > /etc/bench-release\nRUN echo v2 > /etc/bench-last\n";

interface Watches {
  pools: Informer<MachineConfigPool>;
  mosbs: Informer<MachineOSBuild>;
  jobs: Informer<KubeObject>;
  capture: InputCapture;
}

export async function benchBuild(): Promise<Figure[]> {
  const dir = await mkdtemp(join(tmpdir(), "mob-build-bench-"));
  const stop = new AbortController();
  const signal = stop.signal;
  let stack: EmbeddedStack | undefined;
  try {
    const listen = { host: "127.0.0.1", port: 0 };
    stack = await startEmbeddedStack({
      dir,
      apiListen: listen,
      registryListen: listen,
      masters: 0,
      workers: 0,
      signal,
    });
    const w = await startWatches(stack, signal);
    const push = (pool: string) => `${stack?.registry.url}/os/${pool}:latest`;

    await createPool(stack, w, "bench", signal);
    let started = performance.now();
    await stack.clients
      .resource<MachineOSConfig>(MACHINE_OS_CONFIGS)
      .create(mosc("bench", FIRST, push("bench")), { signal });
    const first = await until(() => succeededBuild(w, "bench", undefined));
    const firstMs = performance.now() - started;
    const storage = join(dir, "raw-storage");
    const raw = await rawBuild({
      dir: join(dir, "raw-1"),
      storage,
      inputs: w.capture.get(first),
      tag: `${stack.registry.url}/os/bench-raw:raw`,
      dockerConfigJson: stack.registry.dockerConfigJson(),
      signal,
    });
    const rawMs = raw.budMs + raw.pushMs;

    started = performance.now();
    const moscs = stack.clients.resource<MachineOSConfig>(MACHINE_OS_CONFIGS);
    const current = await moscs.get("bench", { signal });
    await moscs.update(
      {
        ...current,
        spec: { ...current.spec, containerFile: [{ containerfileArch: "NoArch", content: SECOND }] },
      },
      { signal },
    );
    const second = await until(() => succeededBuild(w, "bench", first));
    const rebuildMs = performance.now() - started;
    const rawRebuild = await rawBuild({
      dir: join(dir, "raw-2"),
      storage,
      inputs: w.capture.get(second),
      tag: `${stack.registry.url}/os/bench-raw:raw-2`,
      dockerConfigJson: stack.registry.dockerConfigJson(),
      signal,
    });
    const rawRebuildMs = rawRebuild.budMs + rawRebuild.pushMs;

    const applies = await jobLatencies(stack, w, push("bench-c"), signal);
    const sorted = [...applies].sort((a, b) => a - b);
    const pct = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
    const mobVsRaw = firstMs / rawMs;
    const rebuildVsFirst = rebuildMs / firstMs;
    return [
      {
        name: "(a) MachineOSConfig applied → MachineOSBuild Succeeded, cold, vs raw buildah bud + push of the same Containerfile and context (cold private storage)",
        value: `${(firstMs / 1000).toFixed(2)} s vs ${(rawMs / 1000).toFixed(2)} s (bud ${(raw.budMs / 1000).toFixed(2)} s + push ${(raw.pushMs / 1000).toFixed(2)} s) = ${mobVsRaw.toFixed(2)}×`,
        goal: "≤ 1.15×",
        ratio: ratio(1.15, mobVsRaw),
      },
      {
        name: "(b) rebuild after changing only the last Containerfile line vs the first build",
        value: `${(rebuildMs / 1000).toFixed(2)} s vs ${(firstMs / 1000).toFixed(2)} s = ${rebuildVsFirst.toFixed(2)}×`,
        goal: "≤ 0.5×",
        ratio: ratio(0.5, rebuildVsFirst),
      },
      {
        name: "(b′) for reference: raw buildah, the same rebuild on its own warm storage vs its cold build",
        value: `${(rawRebuildMs / 1000).toFixed(2)} s vs ${(rawMs / 1000).toFixed(2)} s = ${(rawRebuildMs / rawMs).toFixed(2)}×; mob's rebuild vs raw's = ${(rebuildMs / rawRebuildMs).toFixed(2)}×`,
        goal: "-",
        ratio: undefined,
      },
      {
        name: `(c) MachineOSConfig applied → build Job created, ${APPLIES} applies`,
        value: `p50 ${pct(0.5).toFixed(0)} ms, p99 ${pct(0.99).toFixed(0)} ms`,
        goal: "p99 < 1 s",
        ratio: ratio(1000, pct(0.99)),
      },
    ];
  } finally {
    stop.abort();
    await stack?.stopped;
    await rm(dir, { recursive: true, force: true });
  }
}

async function startWatches(stack: EmbeddedStack, signal: AbortSignal): Promise<Watches> {
  const clients = stack.clients;
  const capture = new InputCapture();
  const configMaps = new Informer<KubeObject>({ clients, resource: CONFIG_MAPS, namespace: MCO_NAMESPACE });
  configMaps.addEventHandler({
    onAdd: (cm) => capture.observe(cm),
    onUpdate: (_, cm) => capture.observe(cm),
  });
  const w: Watches = {
    pools: new Informer<MachineConfigPool>({ clients, resource: MACHINE_CONFIG_POOLS }),
    mosbs: new Informer<MachineOSBuild>({ clients, resource: MACHINE_OS_BUILDS }),
    jobs: new Informer<KubeObject>({ clients, resource: JOBS, namespace: MCO_NAMESPACE }),
    capture,
  };
  await Promise.all([
    configMaps.start(signal),
    w.pools.start(signal),
    w.mosbs.start(signal),
    w.jobs.start(signal),
  ]);
  return w;
}

async function createPool(
  stack: EmbeddedStack,
  w: Watches,
  name: string,
  signal: AbortSignal,
): Promise<void> {
  const pool: MachineConfigPool = {
    apiVersion: V1,
    kind: "MachineConfigPool",
    metadata: { name },
    spec: {
      machineConfigSelector: {
        matchExpressions: [
          { key: "machineconfiguration.openshift.io/role", operator: "In", values: ["worker", name] },
        ],
      },
      nodeSelector: { matchLabels: { [`node-role.kubernetes.io/${name}`]: "" } },
      paused: false,
    },
  };
  await stack.clients.resource<MachineConfigPool>(MACHINE_CONFIG_POOLS).create(pool, { signal });
  await until(() => (w.pools.get(name)?.spec.configuration?.name ? true : undefined));
}

function mosc(pool: string, containerfile: string, pushSpec: string): MachineOSConfig {
  return {
    apiVersion: V1,
    kind: "MachineOSConfig",
    metadata: { name: pool },
    spec: {
      machineConfigPool: { name: pool },
      imageBuilder: { imageBuilderType: "Job" },
      renderedImagePushSecret: { name: EMBEDDED_PUSH_SECRET },
      renderedImagePushSpec: pushSpec,
      containerFile: [{ containerfileArch: "NoArch", content: containerfile }],
    },
  };
}

/** The name of a Succeeded build of `config` other than `not`; throws if one Failed. */
function succeededBuild(w: Watches, config: string, not: string | undefined): string | undefined {
  for (const mosb of w.mosbs.list()) {
    const name = mosb.metadata.name ?? "";
    if (mosb.spec.machineOSConfig.name !== config || name === not) continue;
    const state = buildStateOf(mosb);
    if (state === "Failed")
      throw new Error(`build bench: ${name} failed: ${JSON.stringify(mosb.status?.conditions)}`);
    if (state === "Succeeded") return name;
  }
  return undefined;
}

/** ms from each MachineOSConfig create to its build Job in the cache; cleans up between applies. */
async function jobLatencies(
  stack: EmbeddedStack,
  w: Watches,
  pushSpec: string,
  signal: AbortSignal,
): Promise<number[]> {
  const pool = "bench-c";
  await createPool(stack, w, pool, signal);
  const moscs = stack.clients.resource<MachineOSConfig>(MACHINE_OS_CONFIGS);
  const latencies: number[] = [];
  const jobOf = () => w.jobs.list().find((job) => job.metadata.labels?.[BuildKeys.machineOSConfig] === pool);
  for (let i = 0; i < APPLIES; i++) {
    // A different Containerfile each time, so no earlier build or image can be reused.
    const text = `FROM configs AS final\nRUN echo ${i} > /etc/bench-apply\n`;
    const started = performance.now();
    await moscs.create(mosc(pool, text, pushSpec), { signal });
    await until(() => (jobOf() !== undefined ? true : undefined), 5);
    latencies.push(performance.now() - started);
    await moscs.delete(pool, { signal });
    await until(() => {
      const left = w.mosbs.list().some((b) => b.spec.machineOSConfig.name === pool);
      return left || jobOf() !== undefined ? undefined : true;
    });
  }
  return latencies;
}

async function until<T>(check: () => T | undefined, intervalMs = 20, timeoutMs = 300_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error("build bench: timed out");
    await new Promise((done) => setTimeout(done, intervalMs));
  }
}
