// The node controller at scale: 1,000 Ready Nodes (no daemons) in 10 custom pools with
// maxUnavailable 100%, on an in-process API server, with `bin/mob controller` as a child process so
// its memory is its own. The bench stands in for the daemons by copying desiredConfig to
// currentConfig once the first configs are set. Measures: time from a worker MachineConfig change
// (and from the pools' new rendered configs) to every node's desiredConfig on it; controller memory.

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { NodeAnnotations, NodeStates } from "../src/api/constants.ts";
import type { MachineConfig } from "../src/api/machineconfig-v1.ts";
import type { MachineConfigPool } from "../src/api/machineconfigpool-v1.ts";
import type { KubeObject } from "../src/api/object.ts";
import { startApiServer } from "../src/apiserver/apiserver.ts";
import { MACHINE_CONFIG_POOLS, MACHINE_CONFIGS, NODES } from "../src/controllers/resources.ts";
import { machineConfig } from "../src/controllers/testing/fixtures.ts";
import { Informer } from "../src/runtime/informer.ts";
import { type KubeClients, loadKubeClients } from "../src/runtime/kube-client.ts";
import type { Figure } from "./report.ts";
import { residentMiB } from "./server-process.ts";

const ROOT = resolve(import.meta.dirname, "..");
const POOLS = Array.from({ length: 10 }, (_, i) => `pool-${i}`);
const NODE_COUNT = 1000;
const BATCH = 50;

export async function benchNodeControllerScale(): Promise<Figure[]> {
  const dir = await mkdtemp(join(tmpdir(), "mob-node-scale-bench-"));
  const server = await startApiServer({ dir, port: 0, installCrds: true, defaults: true });
  const clients = loadKubeClients(server.kubeconfigPath);
  const stop = new AbortController();
  const signal = stop.signal;
  const pools = new Informer<MachineConfigPool>({ clients, resource: MACHINE_CONFIG_POOLS });
  const nodes = new Informer<KubeObject>({ clients, resource: NODES });
  let controller: ChildProcess | undefined;
  try {
    await createPools(clients, signal);
    await createNodes(clients, signal);
    await Promise.all([pools.start(signal), nodes.start(signal)]);
    const started = performance.now();
    controller = startController(server.kubeconfigPath);
    await until(() => allTargeted(pools, nodes));
    const initialMs = performance.now() - started;
    await completeAll(clients, nodes, signal);
    await until(() => POOLS.every((name) => pools.get(name)?.status?.updatedMachineCount === 100));
    const pid = controller.pid ?? 0;
    const rssBefore = await residentMiB(pid);
    const before = new Map(POOLS.map((name) => [name, pools.get(name)?.spec.configuration?.name]));
    const changed = performance.now();
    await clients
      .resource<MachineConfig>(MACHINE_CONFIGS)
      .create(machineConfig("50-worker-bench", "worker", { files: { "/etc/bench.conf": "v1\n" } }), {
        signal,
      });
    let renderedAt = 0;
    await until(() => {
      if (
        renderedAt === 0 &&
        POOLS.every((name) => pools.get(name)?.spec.configuration?.name !== before.get(name))
      )
        renderedAt = performance.now();
      return renderedAt !== 0 && allTargeted(pools, nodes);
    });
    const doneAt = performance.now();
    const rss = await residentMiB(pid);
    return [
      {
        name: `node controller, ${NODE_COUNT} Nodes in ${POOLS.length} pools, maxUnavailable 100%: new rendered config → every desiredConfig set`,
        value: `${(doneAt - renderedAt).toFixed(0)} ms from the last pool's new rendered config; ${(doneAt - changed).toFixed(0)} ms from the MachineConfig change (incl. render)`,
        goal: "-",
        ratio: undefined,
      },
      {
        name: "node controller, first rollout from a fresh start (render + target 1,000 nodes)",
        value: `${initialMs.toFixed(0)} ms`,
        goal: "-",
        ratio: undefined,
      },
      {
        name: `controller resident memory (${NODE_COUNT} Nodes, ${POOLS.length} pools cached)`,
        value: `${rss.toFixed(0)} MiB after the change; ${rssBefore.toFixed(0)} MiB before it`,
        goal: "-",
        ratio: undefined,
      },
    ];
  } finally {
    stop.abort();
    await Promise.all([pools.stopped(), nodes.stopped()]);
    if (controller !== undefined) await stopProcess(controller);
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Every node's desiredConfig is its pool's spec.configuration. */
function allTargeted(pools: Informer<MachineConfigPool>, nodes: Informer<KubeObject>): boolean {
  const list = nodes.list();
  if (list.length < NODE_COUNT) return false;
  return list.every((node) => {
    const pool = Object.keys(node.metadata.labels ?? {})
      .find((key) => key.startsWith("node-role.kubernetes.io/pool-"))
      ?.slice("node-role.kubernetes.io/".length);
    const config = pools.get(pool ?? "")?.spec.configuration?.name;
    return config !== undefined && node.metadata.annotations?.[NodeAnnotations.desiredConfig] === config;
  });
}

async function createPools(clients: KubeClients, signal: AbortSignal): Promise<void> {
  const client = clients.resource<MachineConfigPool>(MACHINE_CONFIG_POOLS);
  for (const name of POOLS) {
    await client.create(
      {
        metadata: { name },
        spec: {
          machineConfigSelector: {
            matchExpressions: [
              { key: "machineconfiguration.openshift.io/role", operator: "In", values: ["worker", name] },
            ],
          },
          nodeSelector: { matchLabels: { [`node-role.kubernetes.io/${name}`]: "" } },
          maxUnavailable: "100%",
        },
      },
      { signal },
    );
  }
}

async function createNodes(clients: KubeClients, signal: AbortSignal): Promise<void> {
  const client = clients.resource<KubeObject>(NODES);
  const status = { conditions: [{ type: "Ready", status: "True", reason: "KubeletReady" }] };
  await inBatches(
    Array.from({ length: NODE_COUNT }, (_, i) => i),
    async (i) => {
      const name = `node-${String(i).padStart(4, "0")}`;
      const labels = { [`node-role.kubernetes.io/${POOLS[i % POOLS.length] ?? ""}`]: "" };
      const annotations = { [NodeAnnotations.state]: NodeStates.Done };
      await client.create({ metadata: { name, labels, annotations }, spec: {} }, { signal });
      await client.patch(name, { status }, { type: "merge", subresource: "status", signal });
    },
  );
}

/** What each daemon would do at the end of an update: currentConfig = desiredConfig, Done. */
async function completeAll(
  clients: KubeClients,
  nodes: Informer<KubeObject>,
  signal: AbortSignal,
): Promise<void> {
  const client = clients.resource<KubeObject>(NODES);
  await inBatches(nodes.list(), (node) => {
    const desired = node.metadata.annotations?.[NodeAnnotations.desiredConfig] ?? "";
    const annotations = {
      [NodeAnnotations.currentConfig]: desired,
      [NodeAnnotations.state]: NodeStates.Done,
    };
    return client.patch(node.metadata.name ?? "", { metadata: { annotations } }, { type: "merge", signal });
  });
}

function startController(kubeconfig: string): ChildProcess {
  const args = ["controller", "--kubeconfig", kubeconfig, "--log-level", "warn"];
  return spawn(join(ROOT, "bin/mob"), args, { stdio: ["ignore", "ignore", "inherit"] });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((done) => child.once("exit", done));
  child.kill("SIGTERM");
  await exited;
}

async function inBatches<T>(items: readonly T[], run: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += BATCH) await Promise.all(items.slice(i, i + BATCH).map(run));
}

async function until(check: () => boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error("node controller bench: timed out");
    await new Promise((done) => setTimeout(done, 10));
  }
}
