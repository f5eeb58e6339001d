// Render controller figures (issue 4): 20 pools (master, worker and 18 custom pools that also select
// the worker configs, as OpenShift custom pools do), 200 MachineConfigs and 1,000 Nodes on an
// in-process embedded API server, with `bin/mob controller` as a child process so its memory is
// its own. Measures: time from one MachineConfig change to every affected pool pointing at its new
// rendered config (spec and status), the controller's resident memory, and reconcile latency from
// the controller's own histogram.

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { MachineConfig } from "../src/api/machineconfig-v1.ts";
import type { MachineConfigPool } from "../src/api/machineconfigpool-v1.ts";
import { startApiServer } from "../src/apiserver/apiserver.ts";
import { MACHINE_CONFIG_POOLS, MACHINE_CONFIGS, NODES } from "../src/controllers/resources.ts";
import { machineConfig } from "../src/controllers/testing/fixtures.ts";
import { Informer } from "../src/runtime/informer.ts";
import { type KubeClients, loadKubeClients } from "../src/runtime/kube-client.ts";
import { type Figure, ratio } from "./report.ts";
import { residentMiB } from "./server-process.ts";

const ROOT = resolve(import.meta.dirname, "..");
const CUSTOM_POOLS = 18;
const CONFIGS = 200;
const NODE_COUNT = 1000;
const ROUNDS = 5;
const ROLE = "machineconfiguration.openshift.io/role";

const roles = [
  "master",
  "worker",
  ...Array.from({ length: CUSTOM_POOLS }, (_, i) => `infra-${String(i).padStart(2, "0")}`),
];

export async function benchRender(): Promise<Figure[]> {
  const dir = await mkdtemp(join(tmpdir(), "mob-render-bench-"));
  const server = await startApiServer({ dir, port: 0, installCrds: true, defaults: true });
  const clients = loadKubeClients(server.kubeconfigPath);
  const stop = new AbortController();
  const signal = stop.signal;
  const pools = new Informer<MachineConfigPool>({ clients, resource: MACHINE_CONFIG_POOLS });
  let controller: ChildProcess | undefined;
  try {
    await pools.start(signal);
    const child = startController(server.kubeconfigPath);
    controller = child.process;
    await until(() => pools.list().every((p) => p.spec.configuration?.name));
    const rssIdle = await residentMiB(child.process.pid ?? 0);
    const started = performance.now();
    await populate(clients, signal);
    await until(() => pools.list().length === roles.length && pools.list().every(renderedAll));
    const initialMs = performance.now() - started;
    await createNodes(clients, pools, signal);
    const rssAfterSync = await residentMiB(child.process.pid ?? 0);
    const rounds: number[] = [];
    for (let round = 0; round < ROUNDS; round++)
      rounds.push(await changeAndWait(clients, pools, round, signal));
    const rss = await residentMiB(child.process.pid ?? 0);
    const metrics = await (await fetch(`${await child.probes}/metrics`)).text();
    const sorted = [...rounds].sort((a, b) => a - b);
    const worst = sorted.at(-1) ?? 0;
    return [
      {
        name: `one worker MachineConfig change → all ${CUSTOM_POOLS + 1} affected pools on the new rendered config`,
        value: `median ${(sorted[Math.floor(sorted.length / 2)] ?? 0).toFixed(0)} ms, worst ${worst.toFixed(0)} ms over ${ROUNDS} changes (incl. 100 ms debounce)`,
        goal: "< 1 s",
        ratio: ratio(1000, worst),
      },
      {
        name: `bulk load (${CUSTOM_POOLS} pools, ${CONFIGS} MachineConfigs created) → all ${roles.length} pools rendered`,
        value: `${initialMs.toFixed(0)} ms (creates included)`,
        goal: "-",
        ratio: undefined,
      },
      {
        name: `controller resident memory (${roles.length} pools, ${CONFIGS} MCs, ${NODE_COUNT} Nodes cached)`,
        value: `${rss.toFixed(0)} MiB after ${ROUNDS} changes; ${rssAfterSync.toFixed(0)} MiB after the bulk load; ${rssIdle.toFixed(0)} MiB idle (2 pools)`,
        goal: "< 200 MB",
        ratio: ratio(200, rss),
      },
      { name: "render reconcile latency", value: reconcileQuantiles(metrics), goal: "-", ratio: undefined },
    ];
  } finally {
    stop.abort();
    await pools.stopped();
    if (controller !== undefined) await stopProcess(controller);
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Every MachineConfig the pool selects (10 of its role, 10 of worker's, the base config) is in the
 * configuration the render controller points the pool at (spec; status follows once nodes update).
 */
function renderedAll(pool: MachineConfigPool): boolean {
  const expected = pool.metadata.name === "master" || pool.metadata.name === "worker" ? 11 : 21;
  return (pool.spec.configuration?.source?.length ?? 0) === expected;
}

async function populate(clients: KubeClients, signal: AbortSignal): Promise<void> {
  const poolClient = clients.resource<MachineConfigPool>(MACHINE_CONFIG_POOLS);
  await inBatches(roles.slice(2), 20, (role) =>
    poolClient.create(
      {
        metadata: { name: role },
        spec: {
          machineConfigSelector: {
            matchExpressions: [{ key: ROLE, operator: "In", values: ["worker", role] }],
          },
          nodeSelector: { matchLabels: { [`node-role.kubernetes.io/${role}`]: "" } },
        },
      },
      { signal },
    ),
  );
  const configs = clients.resource<MachineConfig>(MACHINE_CONFIGS);
  await inBatches(
    Array.from({ length: CONFIGS }, (_, i) => i),
    20,
    (i) => configs.create(benchConfig(i, "v0"), { signal }),
  );
}

function benchConfig(i: number, version: string): MachineConfig {
  const role = roles[i % roles.length] ?? "worker";
  const name = `50-${role}-${String(i).padStart(3, "0")}`;
  const text = `# ${name} ${version}\n${"x".repeat(1024)}\n`;
  return machineConfig(name, role, {
    files: { [`/etc/bench/${name}.conf`]: text, [`/etc/bench/${name}.extra`]: text },
  });
}

async function createNodes(
  clients: KubeClients,
  pools: Informer<MachineConfigPool>,
  signal: AbortSignal,
): Promise<void> {
  const nodes = clients.resource(NODES);
  await inBatches(
    Array.from({ length: NODE_COUNT }, (_, i) => i),
    50,
    (i) => {
      const role = roles[i % roles.length] ?? "worker";
      const config = pools.get(role)?.spec.configuration?.name ?? "";
      const annotations = {
        "machineconfiguration.openshift.io/currentConfig": config,
        "machineconfiguration.openshift.io/desiredConfig": config,
      };
      return nodes.create(
        { metadata: { name: `node-${i}`, labels: { [`node-role.kubernetes.io/${role}`]: "" }, annotations } },
        { signal },
      );
    },
  );
}

/** Changes one worker MachineConfig; resolves with the ms until every affected pool points at a new config. */
async function changeAndWait(
  clients: KubeClients,
  pools: Informer<MachineConfigPool>,
  round: number,
  signal: AbortSignal,
): Promise<number> {
  const affected = roles.filter((role) => role !== "master");
  const before = new Map(affected.map((role) => [role, pools.get(role)?.spec.configuration?.name]));
  const configs = clients.resource<MachineConfig>(MACHINE_CONFIGS);
  const desired = benchConfig(1, `round ${round}`);
  const current = await configs.get(desired.metadata.name ?? "", { signal });
  const started = performance.now();
  await configs.update({ ...current, spec: desired.spec ?? {} }, { signal });
  await until(() =>
    affected.every((role) => {
      const pool = pools.get(role);
      const name = pool?.spec.configuration?.name;
      return name !== undefined && name !== before.get(role);
    }),
  );
  return performance.now() - started;
}

function startController(kubeconfig: string): { process: ChildProcess; probes: Promise<string> } {
  const args = [
    "controller",
    "--kubeconfig",
    kubeconfig,
    "--metrics-listen",
    "127.0.0.1:0",
    "--log-level",
    "warn",
  ];
  const child = spawn(join(ROOT, "bin/mob"), args, { stdio: ["ignore", "pipe", "inherit"] });
  const probes = new Promise<string>((resolveUrl, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /metrics at (http:\/\/\S+)\)/.exec(out);
      if (match?.[1]) resolveUrl(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`mob controller exited with ${code}: ${out}`)));
  });
  probes.catch(() => undefined);
  return { process: child, probes };
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((done) => child.once("exit", done));
  child.kill("SIGTERM");
  await exited;
}

/** p50/p99 of `mob_reconcile_duration_seconds{controller="render"}`, interpolated within buckets. */
function reconcileQuantiles(metrics: string): string {
  const buckets: [number, number][] = [];
  for (const line of metrics.split("\n")) {
    const match = /^mob_reconcile_duration_seconds_bucket\{(.*)\} (\d+)/.exec(line);
    if (!match?.[1]?.includes('controller="render"')) continue;
    const le = /le="([^"]+)"/.exec(match[1])?.[1] ?? "+Inf";
    buckets.push([le === "+Inf" ? Number.POSITIVE_INFINITY : Number(le), Number(match[2])]);
  }
  const total = buckets.at(-1)?.[1] ?? 0;
  const quantile = (q: number): string => {
    let lower = 0;
    let below = 0;
    for (const [le, count] of buckets) {
      if (count >= q * total) {
        const upper = Number.isFinite(le) ? le : lower;
        const share = count === below ? 0 : (q * total - below) / (count - below);
        return `${((lower + (upper - lower) * share) * 1000).toFixed(1)} ms`;
      }
      lower = le;
      below = count;
    }
    return "n/a";
  };
  return `p50 ${quantile(0.5)}, p99 ${quantile(0.99)} over ${total} reconciles (histogram buckets, interpolated)`;
}

async function inBatches<T>(
  items: readonly T[],
  size: number,
  run: (item: T) => Promise<unknown>,
): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

async function until(check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error("render bench: timed out waiting for the pools");
    await new Promise((done) => setTimeout(done, 10));
  }
}
