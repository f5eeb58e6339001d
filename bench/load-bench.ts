// Load held (issue 8): 1,000 simulated Node heartbeats per 10 s while 20 layered nodes roll out at
// once, on the embedded stack. Each of 1,000 extra Nodes (no daemon) renews its Lease in
// kube-node-lease every 10 s, spread evenly over the period (100 writes/s), for as long as the
// rollout runs. Figures: p50/p99/max latency of the heartbeat writes and of reads sampled alongside,
// the rollout's time under load, and lost writes: after the run every Lease must hold the renewTime
// and resourceVersion of its last acknowledged write.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NodeAnnotations, NodeStates } from "../src/api/constants.ts";
import type { KubeObject } from "../src/api/object.ts";
import { NODES } from "../src/controllers/resources.ts";
import { NODE_LEASE_NAMESPACE } from "../src/embedded/node-registration.ts";
import { ensureNamespace } from "../src/embedded/nodes/node-object.ts";
import type { EmbeddedStack } from "../src/embedded/stack.ts";
import { Informer } from "../src/runtime/informer.ts";
import { LEASES } from "../src/runtime/kube-client.ts";
import { microTime } from "../src/runtime/leader-election.ts";
import { type Figure, ratio } from "./report.ts";
import { layeredImage, startBenchStack, timeRollout } from "./rollout-bench.ts";

const HEARTBEAT_NODES = 1000;
const PERIOD_MS = 10_000;
const ROLLOUT = Array.from({ length: 20 }, (_, i) => `worker-${i}`);
const BATCH = 50;
/** The goal for a heartbeat write's p99: Kubernetes' API call latency SLO for single-object mutating calls. */
const P99_GOAL_MS = 1000;
/** A request slower than this counts as failed. */
const REQUEST_TIMEOUT_MS = 30_000;

interface Acknowledged {
  renewTime: string;
  resourceVersion: string;
}

export async function benchLoad(): Promise<Figure[]> {
  const dir = await mkdtemp(join(tmpdir(), "mob-load-bench-"));
  const stop = new AbortController();
  const signal = stop.signal;
  let stack: EmbeddedStack | undefined;
  let informer: Informer<KubeObject> | undefined;
  try {
    stack = await startBenchStack(dir, ROLLOUT.length, signal);
    const watched = new Informer<KubeObject>({ clients: stack.clients, resource: NODES });
    informer = watched;
    void watched.start(signal);
    const image = await layeredImage(stack, signal, 5);
    await createHeartbeatNodes(stack, signal);

    const writes: number[] = [];
    const reads: number[] = [];
    const acknowledged = new Map<string, Acknowledged>();
    let failures = 0;
    const load = new AbortController();
    const loaded = runHeartbeats(stack, load.signal, writes, acknowledged, () => failures++);
    const sampled = sampleReads(stack, load.signal, reads, () => failures++);
    const done = (name: string): boolean => {
      const a = watched.get(name)?.metadata.annotations ?? {};
      return (
        a[NodeAnnotations.state] === NodeStates.Done &&
        a[NodeAnnotations.currentImage] === image &&
        a[NodeAnnotations.currentConfig] === a[NodeAnnotations.desiredConfig]
      );
    };
    // One full heartbeat period before the rollout starts, so every node is beating.
    await new Promise((resolve) => setTimeout(resolve, PERIOD_MS));
    const rolloutMs = await timeRollout(stack, ROLLOUT, done, signal);
    load.abort();
    await Promise.all([loaded, sampled]);
    const lost = await lostWrites(stack, acknowledged, signal);
    const seconds = (writes.length / 100).toFixed(0);
    return [
      {
        name: `${HEARTBEAT_NODES} Node heartbeats per ${PERIOD_MS / 1000} s (Lease renewals) during a ${ROLLOUT.length}-node layered rollout: write latency`,
        value: `p50 ${percentile(writes, 50).toFixed(1)} ms, p99 ${percentile(writes, 99).toFixed(1)} ms, max ${Math.max(...writes).toFixed(0)} ms over ${writes.length} writes (~${seconds} s)`,
        goal: `p99 ≤ ${P99_GOAL_MS} ms`,
        ratio: ratio(P99_GOAL_MS, percentile(writes, 99)),
      },
      {
        name: "reads during the same load (GET of a random heartbeat Node, 20/s)",
        value: `p50 ${percentile(reads, 50).toFixed(1)} ms, p99 ${percentile(reads, 99).toFixed(1)} ms over ${reads.length} reads`,
        goal: "-",
        ratio: undefined,
      },
      {
        name: `${ROLLOUT.length}-node rollout (maxUnavailable 5) under that load`,
        value: `${(rolloutMs / 1000).toFixed(1)} s`,
        goal: "-",
        ratio: undefined,
      },
      {
        name: "lost writes (a Lease not holding its last acknowledged renewTime and resourceVersion); failed requests",
        value: `${lost} lost of ${acknowledged.size} Leases; ${failures} failed requests`,
        goal: "0 lost, 0 failed",
        ratio: lost === 0 && failures === 0 ? 1 : 0,
      },
    ];
  } finally {
    stop.abort();
    await informer?.stopped();
    await stack?.stopped;
    await rm(dir, { recursive: true, force: true });
  }
}

const heartbeatNode = (i: number): string => `load-${String(i).padStart(4, "0")}`;

async function createHeartbeatNodes(stack: EmbeddedStack, signal: AbortSignal): Promise<void> {
  const nodes = stack.clients.resource<KubeObject>(NODES);
  const leases = stack.clients.resource<KubeObject>(LEASES);
  await ensureNamespace(stack.clients, NODE_LEASE_NAMESPACE, signal);
  const status = { conditions: [{ type: "Ready", status: "True", reason: "KubeletReady" }] };
  for (let start = 0; start < HEARTBEAT_NODES; start += BATCH) {
    await Promise.all(
      Array.from({ length: Math.min(BATCH, HEARTBEAT_NODES - start) }, async (_, offset) => {
        const name = heartbeatNode(start + offset);
        await nodes.create({ metadata: { name }, spec: {} }, { signal });
        await nodes.patch(name, { status }, { type: "merge", subresource: "status", signal });
        await leases.create(
          {
            metadata: { name, namespace: NODE_LEASE_NAMESPACE },
            spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: microTime(Date.now()) },
          },
          { signal },
        );
      }),
    );
  }
}

/** Every node renews its Lease once per period, node i at offset i × period / N. */
async function runHeartbeats(
  stack: EmbeddedStack,
  signal: AbortSignal,
  latencies: number[],
  acknowledged: Map<string, Acknowledged>,
  failed: () => void,
): Promise<void> {
  const leases = stack.clients.resource<KubeObject>(LEASES);
  const inFlight = new Set<Promise<void>>();
  const interval = PERIOD_MS / HEARTBEAT_NODES;
  const started = performance.now();
  for (let beat = 0; !signal.aborted; beat++) {
    const due = started + beat * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const name = heartbeatNode(beat % HEARTBEAT_NODES);
    const renewTime = microTime(Date.now());
    const sent = performance.now();
    const request = leases
      .patch(
        name,
        { spec: { renewTime } },
        { type: "merge", namespace: NODE_LEASE_NAMESPACE, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) },
      )
      .then(
        (lease) => {
          latencies.push(performance.now() - sent);
          const previous = acknowledged.get(name);
          const resourceVersion = lease.metadata.resourceVersion ?? "";
          // Two writes of one node can't overlap at 10 s apart; keep the newer anyway.
          if (previous === undefined || BigInt(resourceVersion) > BigInt(previous.resourceVersion))
            acknowledged.set(name, { renewTime, resourceVersion });
        },
        () => failed(),
      );
    const tracked = request.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  }
  await Promise.all(inFlight);
}

async function sampleReads(
  stack: EmbeddedStack,
  signal: AbortSignal,
  latencies: number[],
  failed: () => void,
): Promise<void> {
  const nodes = stack.clients.resource<KubeObject>(NODES);
  while (!signal.aborted) {
    const sent = performance.now();
    try {
      await nodes.get(heartbeatNode(Math.floor(Math.random() * HEARTBEAT_NODES)), {
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      latencies.push(performance.now() - sent);
    } catch {
      failed();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function lostWrites(
  stack: EmbeddedStack,
  acknowledged: ReadonlyMap<string, Acknowledged>,
  signal: AbortSignal,
): Promise<number> {
  const list = await stack.clients
    .resource<KubeObject>(LEASES)
    .list({ namespace: NODE_LEASE_NAMESPACE, signal });
  const stored = new Map(list.items.map((lease) => [lease.metadata.name ?? "", lease]));
  let lost = 0;
  for (const [name, ack] of acknowledged) {
    const lease = stored.get(name);
    const spec = (lease?.spec ?? {}) as { renewTime?: string };
    if (spec.renewTime !== ack.renewTime || lease?.metadata.resourceVersion !== ack.resourceVersion) lost++;
  }
  return lost;
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
