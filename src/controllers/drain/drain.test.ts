// The drain controller against a real API server: eviction through pods/eviction with budgets.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodeAnnotations } from "../../api/constants.ts";
import { isPlainObject, type KubeObject } from "../../api/object.ts";
import { silentLogger } from "../../logging.ts";
import { EventRecorder } from "../../runtime/events.ts";
import { Informer } from "../../runtime/informer.ts";
import { EVENTS, type KubeClients, loadKubeClients } from "../../runtime/kube-client.ts";
import { Manager } from "../../runtime/manager.ts";
import type { ResourceClient } from "../../runtime/resource-client.ts";
import { startTestApiServer, type TestApiServer } from "../../testing/api-server.ts";
import { eventually } from "../../testing/eventually.ts";
import { NODES } from "../resources.ts";
import { DrainFailureAnnotations } from "./constants.ts";
import { registerDrainController } from "./controller.ts";
import { PODS } from "./drain-api.ts";

const signal = AbortSignal.timeout(120_000);
const PDBS = {
  group: "policy",
  version: "v1",
  plural: "poddisruptionbudgets",
  kind: "PodDisruptionBudget",
  namespaced: true,
};

describe("drain controller", () => {
  let api: TestApiServer;
  let clients: KubeClients;
  let nodes: ResourceClient<KubeObject>;
  let pods: ResourceClient<KubeObject>;
  const stop = new AbortController();
  let running: Promise<void>;

  beforeAll(async () => {
    api = await startTestApiServer();
    clients = loadKubeClients(api.server.kubeconfigPath);
    nodes = clients.resource(NODES);
    pods = clients.resource(PODS);
    const manager = new Manager({ logger: silentLogger() });
    const informer = new Informer<KubeObject>({ clients, resource: NODES });
    const events = new EventRecorder({ clients, component: "test", instance: "test" });
    registerDrainController(manager, {
      clients,
      nodes: informer,
      events,
      timeoutMs: 1_500,
      retryIntervalMs: 100,
    });
    running = manager.start(stop.signal);
  });
  afterAll(async () => {
    stop.abort();
    await running;
    await api.close();
  });

  async function node(name: string): Promise<void> {
    await nodes.create({ metadata: { name } }, { signal });
  }
  async function pod(
    name: string,
    nodeName: string,
    extra: Partial<KubeObject["metadata"]> = {},
  ): Promise<void> {
    await pods.create(
      {
        metadata: { name, namespace: "default", ...extra },
        spec: { nodeName, containers: [{ name: "c", image: "busybox" }] },
        status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }] },
      },
      { signal },
    );
  }
  async function budget(name: string, app: string): Promise<void> {
    await clients.resource<KubeObject>(PDBS).create(
      {
        metadata: { name, namespace: "default" },
        spec: { minAvailable: 1, selector: { matchLabels: { app } } },
      },
      { signal },
    );
  }
  const request = (name: string, value: string) =>
    nodes.patch(
      name,
      { metadata: { annotations: { [NodeAnnotations.desiredDrain]: value } } },
      { type: "merge", signal },
    );
  const get = (name: string) => nodes.get(name, { signal });
  const ann = (n: KubeObject, key: string) => n.metadata.annotations?.[key];
  const cordoned = (n: KubeObject) => isPlainObject(n.spec) && n.spec.unschedulable === true;
  const podsOn = async (name: string) =>
    (await pods.list({ namespace: "default", fieldSelector: `spec.nodeName=${name}`, signal })).items.map(
      (p) => p.metadata.name,
    );

  it("cordons, evicts all but DaemonSet and mirror pods, then uncordons on request", async () => {
    await node("n1");
    await pod("plain", "n1");
    await pod("ds", "n1", {
      ownerReferences: [
        { apiVersion: "apps/v1", kind: "DaemonSet", name: "agent", uid: "u1", controller: true },
      ],
    });
    await pod("mirror", "n1", { annotations: { "kubernetes.io/config.mirror": "abc" } });
    await pod("elsewhere", "other");
    await request("n1", "drain-rendered-worker-1");
    await eventually(async () => {
      const n = await get("n1");
      expect(ann(n, NodeAnnotations.lastAppliedDrain)).toBe("drain-rendered-worker-1");
      expect(cordoned(n)).toBe(true);
    });
    expect((await podsOn("n1")).sort()).toEqual(["ds", "mirror"]);
    expect(await podsOn("other")).toEqual(["elsewhere"]);
    await request("n1", "uncordon-rendered-worker-1");
    await eventually(async () => {
      const n = await get("n1");
      expect(ann(n, NodeAnnotations.lastAppliedDrain)).toBe("uncordon-rendered-worker-1");
      expect(cordoned(n)).toBe(false);
    });
  });

  it("retries evictions a PodDisruptionBudget refuses until the budget allows them", async () => {
    await node("n2");
    await budget("guarded", "guarded");
    await pod("g1", "n2", { labels: { app: "guarded" } });
    await pod("g2", "n2", { labels: { app: "guarded" } });
    await request("n2", "drain-rendered-worker-2");
    // One goes at once; the other waits for a replacement elsewhere (a ReplicaSet would make one).
    await eventually(async () => expect(await podsOn("n2")).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ann(await get("n2"), NodeAnnotations.lastAppliedDrain)).toBeUndefined();
    await pod("g3", "n3", { labels: { app: "guarded" } });
    await eventually(async () =>
      expect(ann(await get("n2"), NodeAnnotations.lastAppliedDrain)).toBe("drain-rendered-worker-2"),
    );
    expect(await podsOn("n2")).toEqual([]);
  });

  it("gives up after the timeout with a clear reason and uncordons the node", async () => {
    await node("n4");
    await budget("stuck", "stuck");
    await pod("s1", "n4", { labels: { app: "stuck" } });
    await request("n4", "drain-rendered-worker-4");
    const n = await eventually(
      async () => {
        const current = await get("n4");
        expect(ann(current, DrainFailureAnnotations.failedDrain)).toBe("drain-rendered-worker-4");
        return current;
      },
      { timeoutMs: 10_000 },
    );
    expect(cordoned(n)).toBe(false);
    expect(ann(n, NodeAnnotations.lastAppliedDrain)).toBeUndefined();
    expect(ann(n, DrainFailureAnnotations.drainFailure)).toMatch(
      /^DrainTimeout: could not drain node n4: pod default\/s1 blocked by PodDisruptionBudget stuck for \d+ s$/,
    );
    const events = await clients.resource<KubeObject>(EVENTS).list({ namespace: "default", signal });
    expect(events.items.some((e) => e.reason === "DrainTimeout" && String(e.message).includes("n4"))).toBe(
      true,
    );
    // The daemon answers with uncordon-<mc>: acknowledged, and the failure is cleared.
    await request("n4", "uncordon-rendered-worker-4");
    await eventually(async () => {
      const current = await get("n4");
      expect(ann(current, NodeAnnotations.lastAppliedDrain)).toBe("uncordon-rendered-worker-4");
      expect(ann(current, DrainFailureAnnotations.failedDrain)).toBeUndefined();
    });
  });
});
