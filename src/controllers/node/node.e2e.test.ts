// End to end: the embedded API server with its default pools, mob's controller manager in process,
// and fake node agents standing in for the daemon. Everything goes through the Kubernetes API.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodeAnnotations } from "../../api/constants.ts";
import type { MachineConfigPool } from "../../api/machineconfigpool-v1.ts";
import type { MachineOSBuild } from "../../api/machineosbuild-v1.ts";
import type { MachineOSConfig } from "../../api/machineosconfig-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import { Informer } from "../../runtime/informer.ts";
import { type KubeClients, loadKubeClients } from "../../runtime/kube-client.ts";
import type { ResourceClient } from "../../runtime/resource-client.ts";
import { startTestApiServer, type TestApiServer } from "../../testing/api-server.ts";
import { eventually } from "../../testing/eventually.ts";
import { MACHINE_OS_BUILDS, MACHINE_OS_CONFIGS } from "../build/resources.ts";
import { buildControllerManager } from "../manager.ts";
import { NODES } from "../resources.ts";
import { applyConfig, type ControllerTestClients, machineConfig, testClients } from "../testing/fixtures.ts";
import { FakeNodeAgents } from "./fake-agent.ts";
import { buildConditions, DIGEST_A, testMosc } from "./fixtures.ts";
import {
  currentConfig,
  currentImage,
  desiredConfig,
  desiredImage,
  isUnavailable,
  nodeState,
} from "./node-state.ts";

const NAMES = ["n0", "n1", "n2", "n3", "n4"];
const slow = { timeoutMs: 25_000, intervalMs: 100 };
const LAYERED_ROLE = "node-role.kubernetes.io/layered";

/** Records, at every Node event, how many of the watched nodes are unavailable. */
class UnavailableMonitor {
  readonly nodes = new Map<string, KubeObject>();
  max = 0;
  constructor(informer: Informer<KubeObject>) {
    const seen = (node: KubeObject): void => {
      this.nodes.set(node.metadata.name ?? "", node);
      const count = [...this.nodes.values()].filter(isUnavailable).length;
      this.max = Math.max(this.max, count);
    };
    informer.addEventHandler({ onAdd: seen, onUpdate: (_old, node) => seen(node) });
  }
}

describe("node controller end to end", () => {
  let api: TestApiServer;
  let clients: KubeClients;
  let k: ControllerTestClients;
  let moscs: ResourceClient<MachineOSConfig>;
  let mosbs: ResourceClient<MachineOSBuild>;
  let agents: FakeNodeAgents;
  let monitor: UnavailableMonitor;
  const stop = new AbortController();
  const signal = stop.signal;
  let running: Promise<void>;

  beforeAll(async () => {
    api = await startTestApiServer({ installCrds: true, defaults: true });
    clients = loadKubeClients(api.server.kubeconfigPath);
    k = testClients(clients);
    moscs = clients.resource(MACHINE_OS_CONFIGS);
    mosbs = clients.resource(MACHINE_OS_BUILDS);
    running = buildControllerManager({ clients, renderDelayMs: 50 }).manager.start(signal);
    agents = new FakeNodeAgents({ clients, delayMs: 150 });
    await agents.start(signal);
  });
  afterAll(async () => {
    stop.abort();
    await Promise.allSettled([running, agents.stopped()]);
    await api.close();
  });

  const pool = (name: string): Promise<MachineConfigPool> => k.pools.get(name, { signal });
  const node = (name: string): Promise<KubeObject> => k.nodes.get(name, { signal });
  const condition = (p: MachineConfigPool, type: string) =>
    p.status?.conditions?.find((c) => c.type === type);
  const targetOf = async (name: string): Promise<string> =>
    eventually(async () => {
      const config = (await pool(name)).spec.configuration?.name;
      expect(config).toMatch(new RegExp(`^rendered-${name}-`));
      return config ?? "";
    }, slow);

  async function createNode(name: string, annotations: Record<string, string>): Promise<void> {
    const labels = { "node-role.kubernetes.io/worker": "" };
    await k.nodes.create({ metadata: { name, labels, annotations }, spec: {} }, { signal });
    const status = { conditions: [{ type: "Ready", status: "True", reason: "KubeletReady", message: "" }] };
    await k.nodes.patch(name, { status }, { type: "merge", subresource: "status", signal });
  }

  /** Waits until every named node runs `config` (and `image`, or none) and the pool is Updated. */
  async function converged(poolName: string, names: string[], config: string, image?: string) {
    return eventually(async () => {
      for (const name of names) {
        const n = await node(name);
        expect([nodeState(n), currentConfig(n), desiredConfig(n)]).toEqual(["Done", config, config]);
        expect([currentImage(n), desiredImage(n)]).toEqual([image, image]);
      }
      const p = await pool(poolName);
      expect(condition(p, "Updated")).toMatchObject({ status: "True" });
      expect(p.status?.configuration?.name).toBe(config);
      return p;
    }, slow);
  }

  it("rolls 5 nodes out with at most maxUnavailable 2 unavailable at any time", async () => {
    const target = await targetOf("worker");
    await k.pools.patch("worker", { spec: { maxUnavailable: 2 } }, { type: "merge", signal });
    const watch = new Informer<KubeObject>({ clients, resource: NODES });
    monitor = new UnavailableMonitor(watch);
    const boot = "rendered-worker-bootstrap";
    const annotations = {
      [NodeAnnotations.currentConfig]: boot,
      [NodeAnnotations.desiredConfig]: boot,
      [NodeAnnotations.state]: "Done",
    };
    await Promise.all(NAMES.map((name) => createNode(name, annotations)));
    await watch.start(signal);
    monitor.max = [...monitor.nodes.values()].filter(isUnavailable).length;
    const p = await converged("worker", NAMES, target);
    expect(p.status).toMatchObject({
      machineCount: 5,
      updatedMachineCount: 5,
      readyMachineCount: 5,
      unavailableMachineCount: 0,
      degradedMachineCount: 0,
    });
    expect(condition(p, "Updating")).toMatchObject({ status: "False" });
    expect(monitor.max).toBeGreaterThanOrEqual(1);
    expect(monitor.max).toBeLessThanOrEqual(2);
    for (const name of NAMES)
      expect((await node(name)).spec).not.toHaveProperty(
        "taints",
        expect.arrayContaining([expect.objectContaining({ key: "UpdateInProgress" })]),
      );
  });

  it("gives a node labelled into a layered pool the built image, and reverts it when unlabelled", async () => {
    await k.pools.create(
      {
        metadata: { name: "layered" },
        spec: {
          machineConfigSelector: {
            matchExpressions: [
              {
                key: "machineconfiguration.openshift.io/role",
                operator: "In",
                values: ["worker", "layered"],
              },
            ],
          },
          nodeSelector: { matchLabels: { [LAYERED_ROLE]: "" } },
        },
      },
      { signal },
    );
    const config = await targetOf("layered");
    const mosc = await moscs.create(testMosc("layered", undefined, "layered-build"), { signal });
    const mosb = await mosbs.create(
      {
        metadata: { name: "layered-build" },
        spec: {
          machineConfig: { name: config },
          machineOSConfig: { name: "layered" },
          renderedImagePushSpec: "registry.example.com/os/image:layered-build",
        },
      },
      { signal },
    );
    const buildStatus = {
      conditions: buildConditions("Succeeded"),
      digestedImagePushSpec: DIGEST_A,
      buildStart: "2026-01-01T00:00:00Z",
      buildEnd: "2026-01-01T00:01:00Z",
    };
    await mosbs.patch(
      mosb.metadata.name ?? "",
      { status: buildStatus },
      { type: "merge", subresource: "status", signal },
    );
    await moscs.patch(
      mosc.metadata.name ?? "",
      { status: { currentImagePullSpec: DIGEST_A } },
      { type: "merge", subresource: "status", signal },
    );

    await k.nodes.patch("n0", { metadata: { labels: { [LAYERED_ROLE]: "" } } }, { type: "merge", signal });
    const layered = await converged("layered", ["n0"], config, DIGEST_A);
    expect(layered.status).toMatchObject({ machineCount: 1, updatedMachineCount: 1 });
    expect(condition(layered, "Updated")?.message).toBe(
      `All nodes are updated with MachineConfig ${config} / Image ${DIGEST_A}`,
    );
    await eventually(async () => expect((await pool("worker")).status?.machineCount).toBe(4), slow);

    await k.nodes.patch("n0", { metadata: { labels: { [LAYERED_ROLE]: null } } }, { type: "merge", signal });
    const worker = await converged("worker", NAMES, await targetOf("worker"));
    expect(worker.status).toMatchObject({ machineCount: 5, updatedMachineCount: 5 });
    expect((await node("n0")).metadata.annotations).not.toHaveProperty(NodeAnnotations.desiredImage);
    await eventually(async () => expect((await pool("layered")).status?.machineCount).toBe(0), slow);
  });

  it("leaves a paused pool's nodes alone until it is unpaused", async () => {
    const before = await targetOf("worker");
    await k.pools.patch("worker", { spec: { paused: true } }, { type: "merge", signal });
    await applyConfig(
      k.configs,
      machineConfig("99-paused", "worker", { files: { "/etc/paused": "x" } }),
      signal,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (const name of NAMES) expect(desiredConfig(await node(name))).toBe(before);
    await k.pools.patch("worker", { spec: { paused: false } }, { type: "merge", signal });
    const after = await eventually(async () => {
      const config = await targetOf("worker");
      expect(config).not.toBe(before);
      return config;
    }, slow);
    await converged("worker", NAMES, after);
  });

  it("halts at maxUnavailable 1 when a node goes Degraded, naming it in Degraded", async () => {
    await k.pools.patch("worker", { spec: { maxUnavailable: 1 } }, { type: "merge", signal });
    const before = await targetOf("worker");
    await applyConfig(
      k.configs,
      machineConfig("99-broken", "worker", { files: { "/etc/broken": "x" } }),
      signal,
    );
    const broken = await eventually(async () => {
      const config = await targetOf("worker");
      expect(config).not.toBe(before);
      return config;
    }, slow);
    agents.failConfig(broken, "failed to apply: disk on fire");
    const p = await eventually(async () => {
      const current = await pool("worker");
      expect(condition(current, "NodeDegraded")).toMatchObject({ status: "True" });
      expect(condition(current, "Degraded")).toMatchObject({ status: "True" });
      return current;
    }, slow);
    const failed = (await Promise.all(NAMES.map(node))).filter((n) => nodeState(n) === "Degraded");
    expect(failed).toHaveLength(1);
    const name = failed[0]?.metadata.name ?? "";
    expect(condition(p, "Degraded")?.message).toBe(
      `Node ${name} is reporting: "failed to apply: disk on fire"`,
    );
    expect(p.status).toMatchObject({ machineCount: 5, degradedMachineCount: 1, updatedMachineCount: 0 });
    await new Promise((resolve) => setTimeout(resolve, 800));
    const targeted = (await Promise.all(NAMES.map(node))).filter((n) => desiredConfig(n) === broken);
    expect(targeted.map((n) => n.metadata.name)).toEqual([name]);
  });
});
