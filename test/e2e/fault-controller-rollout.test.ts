// `mob controller` killed with SIGKILL in the middle of a build and in the middle of a rollout, and
// started again. The embedded stack runs without its in-process controllers; the test runs
// `bin/mob controller` in a process group of its own, with the build options `mob up` uses. Two
// layered pools of three workers roll out at once: `one` with maxUnavailable 1, `two` with 2.
// Watches kept for the whole file record every Job, build pod and MachineOSBuild ever created and,
// at every Node event, how many of each pool's nodes are unavailable (NotReady, cordoned, or with
// work to do: desired ≠ current or not Done).

import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BuildContainers,
  BuildKeys,
  MCO_NAMESPACE,
  NodeAnnotations,
  NodeStates,
} from "../../src/api/constants.ts";
import type { MachineOSBuild } from "../../src/api/machineosbuild-v1.ts";
import type { KubeObject } from "../../src/api/object.ts";
import { JOBS, MACHINE_OS_BUILDS, PODS } from "../../src/controllers/build/resources.ts";
import { isReady, isUnschedulable } from "../../src/controllers/node/node-state.ts";
import { NODES } from "../../src/controllers/resources.ts";
import { embeddedBuildArgs } from "../../src/embedded/embedded-build.ts";
import { controllingJob } from "../../src/embedded/job-pods.ts";
import { keyOf } from "../../src/runtime/cache-store.ts";
import { Informer } from "../../src/runtime/informer.ts";
import { eventually } from "../../src/testing/eventually.ts";
import {
  annotation,
  bootedFile,
  createMosc,
  createPool,
  type LayeredImage,
  type RolloutStack,
  setRole,
  startRollout,
  waitDone,
  waitForImage,
  waitPoolUpdated,
} from "./rollout-harness.ts";

const MOB = resolve(import.meta.dirname, "../../bin/mob");
const POOLS = [
  { name: "one", maxUnavailable: 1, nodes: ["worker-0", "worker-1", "worker-2"] },
  { name: "two", maxUnavailable: 2, nodes: ["worker-3", "worker-4", "worker-5"] },
] as const;
/** A build step long enough that the kill lands while the build pod runs. */
const CONTAINERFILE = `FROM configs AS final
RUN sleep 4 && echo "This node runs a custom OS image built by mob." > /etc/layered-release
`;

interface ControllerProcess {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function unavailable(node: KubeObject): boolean {
  const state = annotation(node, NodeAnnotations.state);
  const current = [NodeAnnotations.currentConfig, NodeAnnotations.currentImage].map((k) =>
    annotation(node, k),
  );
  const desired = [NodeAnnotations.desiredConfig, NodeAnnotations.desiredImage].map((k) =>
    annotation(node, k),
  );
  return (
    !isReady(node) ||
    isUnschedulable(node) ||
    state !== NodeStates.Done ||
    current.some((value, i) => value !== desired[i])
  );
}

/** The build pod's `image-build` container (buildah bud) is running. */
function building(pod: KubeObject): boolean {
  const statuses = (
    pod.status as { initContainerStatuses?: { name: string; state?: { running?: unknown } }[] }
  )?.initContainerStatuses;
  return (
    statuses?.some((s) => s.name === BuildContainers.imageBuild && s.state?.running !== undefined) === true
  );
}

function succeeded(mosb: MachineOSBuild | undefined): boolean {
  return mosb?.status?.conditions?.some((c) => c.type === "Succeeded" && c.status === "True") === true;
}

describe("mob controller killed with SIGKILL mid-build and mid-rollout", () => {
  let r: RolloutStack;
  let output = "";
  let controller: ControllerProcess | undefined;
  const watches = new AbortController();
  const latest = new Map<string, KubeObject>();
  const worst = new Map<string, { count: number; seen: string }>();
  const jobUids = new Map<string, Set<string>>();
  const podUids = new Map<string, Set<string>>();
  const mosbUids = new Map<string, Set<string>>();
  let nodes: Informer<KubeObject>;
  let pods: Informer<KubeObject>;
  let mosbs: Informer<MachineOSBuild>;
  const images = new Map<string, LayeredImage>();

  const startController = async (): Promise<void> => {
    const args = ["controller", "--kubeconfig", r.stack.api.kubeconfigPath, ...embeddedBuildArgs(r.dir)];
    // A process group of its own: the kill takes the controller and nothing else.
    const child = spawn(MOB, [...args, "--log-level", "warn"], {
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let own = "";
    const collect = (chunk: Buffer): void => {
      own += chunk.toString();
      output += chunk.toString();
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
      child.once("exit", (code, signal) => done({ code, signal })),
    );
    controller = { child, exited };
    await eventually(() => expect(own).toContain("mob controller running"), { timeoutMs: 30_000 });
  };

  const killController = async (): Promise<void> => {
    const running = controller;
    if (running?.child.pid === undefined) throw new Error("no controller to kill");
    process.kill(-running.child.pid, "SIGKILL");
    expect(await running.exited).toEqual({ code: null, signal: "SIGKILL" });
    controller = undefined;
  };

  const observeNode = (node: KubeObject): void => {
    latest.set(node.metadata.name ?? "", node);
    for (const pool of POOLS) {
      const label = `node-role.kubernetes.io/${pool.name}`;
      const down = [...latest.values()]
        .filter((n) => n.metadata.labels?.[label] !== undefined && unavailable(n))
        .map((n) => n.metadata.name ?? "");
      const before = worst.get(pool.name)?.count ?? 0;
      if (down.length > before) worst.set(pool.name, { count: down.length, seen: down.join(",") });
    }
  };

  const remember = (into: Map<string, Set<string>>, key: string, uid: string | undefined): void => {
    const set = into.get(key) ?? new Set<string>();
    set.add(uid ?? "");
    into.set(key, set);
  };

  beforeAll(async () => {
    r = await startRollout({ workers: 6, masters: 0, controllers: false });
    const { clients } = r.stack;
    nodes = new Informer<KubeObject>({ clients, resource: NODES });
    nodes.addEventHandler({ onAdd: observeNode, onUpdate: (_old, node) => observeNode(node) });
    const jobs = new Informer<KubeObject>({ clients, resource: JOBS, namespace: MCO_NAMESPACE });
    jobs.addEventHandler({ onAdd: (job) => remember(jobUids, job.metadata.name ?? "", job.metadata.uid) });
    pods = new Informer<KubeObject>({ clients, resource: PODS, namespace: MCO_NAMESPACE });
    pods.addEventHandler({
      onAdd: (pod) => remember(podUids, controllingJob(pod)?.uid ?? "", pod.metadata.uid),
    });
    mosbs = new Informer<MachineOSBuild>({ clients, resource: MACHINE_OS_BUILDS });
    mosbs.addEventHandler({
      onAdd: (mosb) => remember(mosbUids, mosb.spec.machineOSConfig.name, mosb.metadata.uid),
    });
    await Promise.all([nodes, jobs, pods, mosbs].map((informer) => informer.start(watches.signal)));
    await startController();
    for (const pool of POOLS) {
      await createPool(r, pool.name, { maxUnavailable: pool.maxUnavailable });
      await createMosc(r, pool.name, { containerfile: CONTAINERFILE });
    }
  }, 120_000);
  afterAll(async () => {
    if (controller?.child.pid !== undefined) process.kill(-controller.child.pid, "SIGKILL");
    await controller?.exited;
    watches.abort();
    await r?.close();
  }, 60_000);

  it("after a kill mid-build, each build runs to completion exactly once", async () => {
    const running = await eventually(
      () => {
        const active = pods.list().filter(building);
        expect(active).toHaveLength(POOLS.length);
        return active;
      },
      { timeoutMs: 90_000, intervalMs: 100 },
    );
    await killController();
    // The kill landed mid-build: both builds are still in `buildah bud`, none has succeeded.
    for (const pod of running) expect(building(pods.get(keyOf(pod)) ?? pod)).toBe(true);
    expect(mosbs.list().filter(succeeded)).toEqual([]);

    await startController();
    for (const pool of POOLS) images.set(pool.name, await waitForImage(r, pool.name, 120_000));
    for (const pool of POOLS) {
      expect(mosbUids.get(pool.name)?.size, `MachineOSBuilds of ${pool.name}`).toBe(1);
      const mosb = mosbs.list().find((b) => b.spec.machineOSConfig.name === pool.name);
      expect(succeeded(mosb)).toBe(true);
      const job = jobUids.get(`build-${mosb?.metadata.name}`);
      expect(job?.size, `Jobs of ${mosb?.metadata.name}`).toBe(1);
      const [jobUid = ""] = job ?? [];
      expect(mosb?.metadata.annotations?.[BuildKeys.jobUID]).toBe(jobUid);
      expect(podUids.get(jobUid)?.size, `pods of Job ${jobUid}`).toBe(1);
    }
    expect([...jobUids.keys()]).toHaveLength(POOLS.length);
  }, 200_000);

  it("after a kill mid-rollout, the rollout continues within maxUnavailable and completes", async () => {
    expect(images.size).toBe(POOLS.length);
    await Promise.all(POOLS.flatMap((pool) => pool.nodes.map((node) => setRole(r, node, pool.name, true))));
    // Kill while pool one has a node Working or cordoned and pool two has two nodes updating.
    const updating = (node: KubeObject): boolean =>
      isUnschedulable(node) || annotation(node, NodeAnnotations.state) === NodeStates.Working;
    await eventually(
      () => {
        const of = (pool: (typeof POOLS)[number]) =>
          pool.nodes.map((n) => nodes.get(n)).filter((n) => n !== undefined);
        const [one, two] = POOLS.map(of);
        expect(one?.filter(unavailable)).toHaveLength(1);
        expect(one?.filter(updating)).toHaveLength(1);
        expect(two?.filter(unavailable)).toHaveLength(2);
      },
      { timeoutMs: 60_000, intervalMs: 50 },
    );
    await killController();
    await startController();

    for (const pool of POOLS) {
      const { image } = images.get(pool.name) ?? { image: "" };
      for (const node of pool.nodes) await waitDone(r, node, image, 120_000);
      await waitPoolUpdated(r, pool.name);
      for (const node of pool.nodes) {
        expect(r.stack.nodes.get(node)?.reboots, node).toBe(1);
        expect(await bootedFile(r, node, "etc/layered-release"), node).toBe(
          "This node runs a custom OS image built by mob.\n",
        );
      }
      const status = (await r.pools.get(pool.name, { signal: r.signal })).status;
      expect(status).toMatchObject({ machineCount: 3, updatedMachineCount: 3, degradedMachineCount: 0 });
      expect(worst.get(pool.name), `most unavailable at once in ${pool.name}`).toMatchObject({
        count: pool.maxUnavailable,
      });
    }
    // No build ran again after the restart.
    for (const pool of POOLS) expect(mosbUids.get(pool.name)?.size).toBe(1);
    expect([...jobUids.keys()]).toHaveLength(POOLS.length);

    const password = JSON.parse(r.stack.registry.dockerConfigJson()) as {
      auths: Record<string, { auth: string }>;
    };
    const [user, ...secret] = Buffer.from(Object.values(password.auths)[0]?.auth ?? "", "base64")
      .toString("utf8")
      .split(":");
    expect(user).not.toBe("");
    expect(output).not.toContain(secret.join(":"));
  }, 200_000);
});
