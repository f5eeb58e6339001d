// End to end: the embedded API server with mob's CRDs and defaults, the drain controller, a real
// registry with the base image and a layered image, and two simulated nodes whose daemons use the
// real simulated backend. Annotations are set directly (the node controller is not running).

import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodeAnnotations } from "../../api/constants.ts";
import type { MachineConfig } from "../../api/machineconfig-v1.ts";
import { isPlainObject, type KubeObject } from "../../api/object.ts";
import { registerDrainController } from "../../controllers/drain/controller.ts";
import { PODS } from "../../controllers/drain/drain-api.ts";
import { MACHINE_CONFIGS, NODES } from "../../controllers/resources.ts";
import { EventRecorder } from "../../runtime/events.ts";
import { Informer } from "../../runtime/informer.ts";
import { type KubeClients, LEASES, loadKubeClients } from "../../runtime/kube-client.ts";
import { Manager } from "../../runtime/manager.ts";
import { startTestApiServer, type TestApiServer } from "../../testing/api-server.ts";
import { eventually } from "../../testing/eventually.ts";
import { startTestRegistry, type TestRegistry } from "../registry/test-registry.ts";
import { type SimulatedNodes, startSimulatedNodes } from "./index.ts";

const CONFIG = "rendered-worker-e2e";
const signal = AbortSignal.timeout(600_000);

describe("simulated nodes end to end", () => {
  let registry: TestRegistry;
  let api: TestApiServer;
  let clients: KubeClients;
  let dir: string;
  let nodes: SimulatedNodes;
  let layered = "";
  const stop = new AbortController();
  let manager: Promise<void>;

  beforeAll(async () => {
    registry = await startTestRegistry();
    api = await startTestApiServer({ installCrds: true, defaults: true });
    clients = loadKubeClients(api.server.kubeconfigPath);
    const drain = new Manager();
    const informer = new Informer<KubeObject>({ clients, resource: NODES });
    const events = new EventRecorder({ clients, component: "machine-config-controller", instance: "test" });
    registerDrainController(drain, {
      clients,
      nodes: informer,
      events,
      retryIntervalMs: 200,
      timeoutMs: 60_000,
    });
    manager = drain.start(stop.signal);
    const config: MachineConfig = {
      metadata: { name: CONFIG },
      spec: {
        osImageURL: registry.base.ref,
        config: {
          ignition: { version: "3.4.0" },
          storage: {
            files: [{ path: "/etc/mob-e2e.conf", mode: 0o644, contents: { source: "data:,pool%20file%0A" } }],
          },
        },
      },
    };
    await clients.resource<MachineConfig>(MACHINE_CONFIGS).create(config, { signal });
    const digest = await registry.buildLayered("os/layered", "v1", "echo layered > /etc/layered.txt");
    layered = `${registry.registry.url}/os/layered@${digest}`;
    dir = await mkdtemp(join(tmpdir(), "mob-nodes-"));
    nodes = await startSimulatedNodes({
      clients,
      dir,
      nodes: [
        { name: "worker-0", roles: ["worker"] },
        { name: "worker-1", roles: ["worker"] },
      ],
      registryCredentials: { dockerConfigJson: registry.registry.dockerConfigJson() },
      baseImage: registry.base.ref,
      signal: stop.signal,
      rebootDelayMs: 200,
      replaceDelayMs: 200,
      daemon: { pollIntervalMs: 50, retryDelayMs: 2_000 },
    });
  }, 300_000);
  afterAll(async () => {
    stop.abort();
    await nodes?.stopped();
    await manager;
    await api?.close();
    await registry?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const node = () => clients.resource<KubeObject>(NODES).get("worker-0", { signal });
  const ann = (n: KubeObject, key: string) => n.metadata.annotations?.[key];
  const annotate = (changes: Record<string, string | null>) =>
    clients
      .resource<KubeObject>(NODES)
      .patch("worker-0", { metadata: { annotations: changes } }, { type: "merge", signal });
  const rootfs = (path: string) => join(dir, "nodes", "worker-0", "booted", "rootfs", path);
  const exists = (path: string) =>
    stat(rootfs(path)).then(
      () => true,
      () => false,
    );
  const done = (check: (n: KubeObject) => void) =>
    eventually(
      async () => {
        const n = await node();
        expect(ann(n, NodeAnnotations.state)).toBe("Done");
        check(n);
        return n;
      },
      { timeoutMs: 120_000, intervalMs: 200 },
    );

  it("registers Ready nodes with zones, osImage, leases and placeholder pods", async () => {
    const list = (await clients.resource<KubeObject>(NODES).list({ signal })).items;
    const worker0 = list.find((n) => n.metadata.name === "worker-0");
    expect(worker0?.metadata.labels).toMatchObject({
      "node-role.kubernetes.io/worker": "",
      "kubernetes.io/hostname": "worker-0",
      "topology.kubernetes.io/zone": "zone-a",
    });
    const status = isPlainObject(worker0?.status) ? worker0.status : {};
    expect(status.nodeInfo).toMatchObject({
      osImage: expect.stringContaining("mob"),
      kubeletVersion: expect.any(String),
    });
    const lease = await clients
      .resource<KubeObject>(LEASES)
      .get("worker-0", { namespace: "kube-node-lease", signal });
    expect(lease.spec).toMatchObject({ holderIdentity: "worker-0" });
    const pods = await clients
      .resource<KubeObject>(PODS)
      .list({ namespace: "default", labelSelector: "app=placeholder", signal });
    expect(pods.items).toHaveLength(4);
  });

  it("applies the pool config in place, rolls out a layered image, and reverts to the base", async () => {
    await annotate({ [NodeAnnotations.desiredConfig]: CONFIG });
    await done((n) => expect(ann(n, NodeAnnotations.currentConfig)).toBe(CONFIG));
    expect(await readFile(rootfs("etc/mob-e2e.conf"), "utf8")).toBe("pool file\n");
    expect(nodes.get("worker-0")?.reboots).toBe(0);

    await annotate({ [NodeAnnotations.desiredImage]: layered });
    const after = await done((n) => expect(ann(n, NodeAnnotations.currentImage)).toBe(layered));
    expect(await readFile(rootfs("etc/layered.txt"), "utf8")).toBe("layered\n");
    expect(await readFile(rootfs("etc/mob-e2e.conf"), "utf8")).toBe("pool file\n");
    expect(ann(after, NodeAnnotations.lastAppliedDrain)).toBe(`uncordon-${CONFIG}`);
    expect(isPlainObject(after.spec) && after.spec.unschedulable === true).toBe(false);
    expect(nodes.get("worker-0")?.reboots).toBe(1);
    const evicted = await clients
      .resource<KubeObject>(PODS)
      .list({ namespace: "default", fieldSelector: "spec.nodeName=worker-0", signal });
    expect(evicted.items.map((p) => p.metadata.name)).not.toContain("placeholder-worker-0-0");

    await annotate({ [NodeAnnotations.desiredImage]: null });
    const reverted = await done((n) => expect(ann(n, NodeAnnotations.currentImage)).toBeUndefined());
    expect(ann(reverted, NodeAnnotations.currentConfig)).toBe(CONFIG);
    expect(await exists("etc/layered.txt")).toBe(false);
    expect(await readFile(rootfs("etc/mob-e2e.conf"), "utf8")).toBe("pool file\n");
    expect(nodes.get("worker-0")?.reboots).toBe(2);
    const booted = JSON.parse(
      await readFile(join(dir, "nodes", "worker-0", "booted", "deployment.json"), "utf8"),
    );
    expect(booted.imageDigest).toBe(registry.base.digest);
  });
});
