// The node lifecycle controller with a real simulated node (Lease heartbeat, status posts, daemon) in
// the embedded platform: a heartbeating node is never marked, and a node whose Ready condition was
// overwritten (as after a missed grace period) posts Ready=True again on its next heartbeat, which
// takes the unreachable taints off.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeObject } from "../api/object.ts";
import { NODES } from "../controllers/resources.ts";
import { type KubeClients, loadKubeClients } from "../runtime/kube-client.ts";
import { startTestApiServer, type TestApiServer } from "../testing/api-server.ts";
import { eventually } from "../testing/eventually.ts";
import { UNREACHABLE_TAINT_KEY } from "./node-lifecycle-rules.ts";
import { type SimulatedNodes, startSimulatedNodes } from "./nodes/index.ts";
import { startTestRegistry, type TestRegistry } from "./registry/test-registry.ts";

const HEARTBEAT = { leaseRenewMs: 300, gracePeriodMs: 3_000 };
const NODE = "worker-0";

interface NodeView extends KubeObject {
  spec?: { taints?: { key: string; effect: string }[] };
  status?: { conditions?: Record<string, string>[] };
}

const readyOf = (node: NodeView) => node.status?.conditions?.find((c) => c.type === "Ready");
const unreachableTaints = (node: NodeView) =>
  (node.spec?.taints ?? []).filter((t) => t.key === UNREACHABLE_TAINT_KEY).map((t) => t.effect);

describe("node lifecycle with a simulated node", () => {
  let registry: TestRegistry | undefined;
  let api: TestApiServer | undefined;
  let clients: KubeClients;
  let dir: string | undefined;
  let nodes: SimulatedNodes | undefined;
  const stop = new AbortController();
  const signal = AbortSignal.timeout(120_000);

  beforeAll(async () => {
    registry = await startTestRegistry();
    api = await startTestApiServer({
      installCrds: true,
      defaults: true,
      embeddedPlatform: true,
      nodeHeartbeat: HEARTBEAT,
    });
    clients = loadKubeClients(api.server.kubeconfigPath);
    dir = await mkdtemp(join(tmpdir(), "mob-node-lifecycle-"));
    nodes = await startSimulatedNodes({
      clients,
      dir,
      nodes: [{ name: NODE, roles: ["worker"] }],
      registryCredentials: { dockerConfigJson: registry.registry.dockerConfigJson() },
      baseImage: registry.base.ref,
      signal: stop.signal,
      leaseRenewMs: HEARTBEAT.leaseRenewMs,
    });
  }, 120_000);
  afterAll(async () => {
    stop.abort();
    await nodes?.stopped();
    await api?.close();
    await registry?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  }, 60_000);

  const getNode = (): Promise<NodeView> => clients.resource<NodeView>(NODES).get(NODE, { signal });

  it("leaves a heartbeating simulated node alone", async () => {
    // The node's daemon writes its annotations: what must not change are the conditions and taints.
    const before = await getNode();
    await new Promise((resolve) => setTimeout(resolve, 2 * HEARTBEAT.gracePeriodMs));
    const after = await getNode();
    expect(readyOf(after)).toMatchObject({ status: "True", reason: "KubeletReady" });
    expect(after.status?.conditions).toEqual(before.status?.conditions);
    expect(after.spec?.taints ?? []).toEqual([]);
  }, 30_000);

  it("posts Ready=True again when its Ready condition was marked Unknown, and no unreachable taint stays", async () => {
    const unknown = {
      type: "Ready",
      status: "Unknown",
      reason: "NodeStatusUnknown",
      message: "Kubelet stopped posting node status.",
      lastHeartbeatTime: readyOf(await getNode())?.lastHeartbeatTime,
      lastTransitionTime: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    };
    const marked = await clients
      .resource<NodeView>(NODES)
      .patch(NODE, { status: { conditions: [unknown] } }, { type: "merge", subresource: "status", signal });
    expect(readyOf(marked)).toMatchObject({ status: "Unknown" });
    // Seen Unknown, the lifecycle controller taints the node; the node's next heartbeat repairs it.
    const recovered = await eventually(
      async () => {
        const node = await getNode();
        expect(readyOf(node)).toMatchObject({ status: "True", reason: "KubeletReady" });
        expect(unreachableTaints(node)).toEqual([]);
        return node;
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    expect(recovered.status?.conditions?.map((c) => c.type)).toEqual(["Ready"]);
  }, 30_000);
});
