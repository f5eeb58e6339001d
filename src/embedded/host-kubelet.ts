// The host kubelet of embedded mode: registers its Node and renews its Lease, and runs every pod bound
// to that node as host processes (pod-worker.ts). State lives under `<dir>/kubelet/`: `pods/<uid>/`
// (volumes, state.json) and `logs/` (read by the API server's pods/log).
//
// Restart rule: a pod whose state.json says it was not finished was running under a previous mob
// process; its processes cannot be re-adopted (their output pipes are gone), so any survivors are
// killed and the pod is marked Failed (reason MobHostKubeletRestarted). Finished pods stay as they are.

import { spawn } from "node:child_process";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "pino";
import type { KubeObject } from "../api/object.ts";
import { WorkQueue } from "../apiserver/controllers/work-queue.ts";
import { FileLogSource } from "../apiserver/pods/log-source.ts";
import { at, record } from "../apiserver/registry/builtin/object-fields.ts";
import { timestamp } from "../apiserver/registry/names.ts";
import type { Store } from "../apiserver/registry/store.ts";
import { readNodeInfo, registerNode, renewLease, updateNodeStatus } from "./node-registration.ts";
import { isAlive, readPodStates, writePodState } from "./pod-state.ts";
import { hasStartedContainers, restartedStatus } from "./pod-status.ts";
import { PodWorker, type PodWorkerContext } from "./pod-worker.ts";
import { DEFAULT_NODE_NAME } from "./scheduler.ts";
import { find, PODS, writeStatus } from "./store-access.ts";

export interface HostKubeletOptions {
  store: Store;
  /** mob's state directory; the kubelet uses `<dir>/kubelet/`. */
  dir: string;
  logger?: Logger;
  nodeName?: string;
  /** Lease renewal period (default 10 s, as the kubelet). */
  leaseIntervalMs?: number;
  /** Node status refresh period (default 60 s). */
  nodeStatusIntervalMs?: number;
  /** Upper bound of any pod's termination grace period (default: none). */
  gracePeriodCapMs?: number;
  /** Grace given to running pods when the kubelet itself stops (default 2 s). */
  shutdownGraceMs?: number;
  /** Container restart / pod start retry delay (default 1 s doubling up to 10 s). */
  retry?: { baseMs: number; maxMs: number };
  /** Where container logs go (default `<dir>/kubelet/logs`, where the API server reads them). */
  logDir?: string;
  /** `auto` (default) uses a private mount namespace when `unshare --mount` works. */
  isolation?: "auto" | "none";
}

interface PodRef {
  namespace: string;
  name: string;
}

/** Whether `unshare --mount` works here (it needs CAP_SYS_ADMIN). */
export function probeUnshare(): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn("unshare", ["--mount", "--propagation", "private", "--", "/bin/true"], {
      stdio: "ignore",
    });
    child.on("error", () => resolve(false));
    child.on("exit", (code) => resolve(code === 0));
  });
}

export class HostKubelet {
  readonly nodeName: string;
  readonly #options: HostKubeletOptions;
  readonly #logger: Logger | undefined;
  readonly #refs = new Map<string, PodRef>();
  readonly #workers = new Map<string, PodWorker>();
  readonly #skip = new Set<string>();
  readonly #cleanups = new Set<Promise<void>>();
  readonly #queue: WorkQueue;
  readonly #logRoot: string;
  #context: PodWorkerContext | undefined;

  constructor(options: HostKubeletOptions) {
    this.#options = options;
    this.#logger = options.logger;
    this.nodeName = options.nodeName ?? DEFAULT_NODE_NAME;
    this.#logRoot = options.logDir ?? join(options.dir, "kubelet", "logs");
    const logger = this.#logger;
    this.#queue = new WorkQueue({
      onError: (uid, error) => logger?.warn({ uid, err: error }, "pod sync failed; retrying"),
    });
  }

  get podsDir(): string {
    return join(this.#options.dir, "kubelet", "pods");
  }

  /** Registers the node, recovers pods of a previous run, then runs pods until `signal` aborts. */
  async start(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    const { store } = this.#options;
    await mkdir(this.podsDir, { recursive: true });
    const isolate = this.#options.isolation !== "none" && (await probeUnshare());
    if (!isolate) {
      this.#logger?.warn(
        "containers run WITHOUT a private mount namespace: `unshare --mount` is unavailable (or isolation is off), so volumes are NOT mounted at their mountPath",
      );
    }
    this.#context = {
      store,
      logger: this.#logger,
      nodeName: this.nodeName,
      podsDir: this.podsDir,
      logs: new FileLogSource(this.#logRoot),
      isolate,
      gracePeriodCapMs: this.#options.gracePeriodCapMs,
      retry: this.#options.retry ?? { baseMs: 1000, maxMs: 10_000 },
    };
    const nodeInfo = await readNodeInfo();
    if (signal.aborted) return;
    this.#heartbeat(signal, registerNode(store, this.nodeName, nodeInfo, this.#logger), nodeInfo);
    await this.#recover();
    if (signal.aborted) return;
    const pods = store.storage.list(PODS);
    for (const pod of pods.items) this.#observe(pod);
    const handle = store.storage.watch(PODS, { sinceResourceVersion: pods.resourceVersion }, (event) =>
      this.#observe(event.object),
    );
    this.#queue.start(signal, (uid) => this.#sync(uid));
    signal.addEventListener(
      "abort",
      () => {
        handle.stop();
        for (const worker of this.#workers.values()) worker.terminate(this.#options.shutdownGraceMs ?? 2000);
      },
      { once: true },
    );
  }

  /** Settles once every pod process has exited and cleanup is done (after abort). */
  async stopped(): Promise<void> {
    await Promise.all([...[...this.#workers.values()].map((w) => w.run()), ...this.#cleanups]);
  }

  #heartbeat(signal: AbortSignal, node: KubeObject, nodeInfo: Record<string, string>): void {
    const { store } = this.#options;
    const renew = (): void => {
      try {
        renewLease(store, node);
      } catch (error) {
        this.#logger?.warn({ err: error }, "node lease renewal failed");
      }
    };
    renew();
    const lease = setInterval(renew, this.#options.leaseIntervalMs ?? 10_000);
    const status = setInterval(() => {
      try {
        updateNodeStatus(store, this.nodeName, nodeInfo);
      } catch (error) {
        this.#logger?.warn({ err: error }, "node status update failed");
      }
    }, this.#options.nodeStatusIntervalMs ?? 60_000);
    signal.addEventListener(
      "abort",
      () => {
        clearInterval(lease);
        clearInterval(status);
      },
      { once: true },
    );
  }

  /** Runs synchronously inside storage writes: only records the pod and queues its uid. */
  #observe(pod: KubeObject): void {
    const uid = pod.metadata.uid ?? "";
    if (at(pod, "spec", "nodeName") !== this.nodeName || uid === "") return;
    this.#refs.set(uid, { namespace: pod.metadata.namespace ?? "", name: pod.metadata.name ?? "" });
    this.#queue.add(uid);
  }

  #sync(uid: string): undefined {
    const ref = this.#refs.get(uid);
    const context = this.#context;
    if (ref === undefined || context === undefined) return undefined;
    const found = find(this.#options.store, PODS, ref.namespace, ref.name);
    const pod = found?.metadata.uid === uid ? found : undefined;
    const worker = this.#workers.get(uid);
    if (pod === undefined) {
      this.#refs.delete(uid);
      this.#workers.delete(uid);
      this.#skip.delete(uid);
      this.#track(this.#removePod(uid, ref, worker));
      return undefined;
    }
    const phase = at(pod, "status", "phase");
    if (pod.metadata.deletionTimestamp !== undefined) {
      // A pod deleted before it ever started ends Failed, as the kubelet makes deleted pods terminal.
      if (worker !== undefined) worker.terminate();
      else if (phase !== "Succeeded" && phase !== "Failed") this.#markDeletedUnstarted(pod);
      return undefined;
    }
    if (worker !== undefined || this.#skip.has(uid) || phase === "Succeeded" || phase === "Failed")
      return undefined;
    if (hasStartedContainers(pod)) {
      this.#markRestarted(pod);
      return undefined;
    }
    const started = new PodWorker(context, pod);
    this.#workers.set(uid, started);
    this.#logger?.info({ pod: `${ref.namespace}/${ref.name}` }, "starting pod");
    void started.run();
    return undefined;
  }

  #track(cleanup: Promise<void>): void {
    this.#cleanups.add(cleanup);
    void cleanup.finally(() => this.#cleanups.delete(cleanup));
  }

  async #removePod(uid: string, ref: PodRef, worker: PodWorker | undefined): Promise<void> {
    try {
      worker?.terminate();
      await worker?.run();
      await rm(join(this.podsDir, uid), { recursive: true, force: true });
      await rm(join(this.#logRoot, `${ref.namespace}_${ref.name}_${uid}`), { recursive: true, force: true });
    } catch (error) {
      this.#logger?.warn({ uid, err: error }, "pod cleanup failed");
    }
  }

  #markDeletedUnstarted(pod: KubeObject): void {
    writeStatus(this.#options.store, PODS, pod, (current) => ({
      ...record(current.status),
      phase: "Failed",
    }));
  }

  #markRestarted(pod: KubeObject): void {
    this.#skip.add(pod.metadata.uid ?? "");
    const { store } = this.#options;
    writeStatus(store, PODS, pod, (current) => restartedStatus(current, timestamp(store.now())));
    this.#logger?.warn({ pod: pod.metadata.name }, "pod marked Failed: mob host kubelet restarted");
  }

  /** Kills survivors of pods a previous mob process started and records them as handled. */
  async #recover(): Promise<void> {
    for (const state of await readPodStates(this.podsDir)) {
      if (state.finished) continue;
      for (const pid of state.pids) {
        if (!isAlive(pid)) continue;
        try {
          process.kill(-pid, "SIGKILL");
        } catch {
          // Not a group leader any more; the pid may have been reused, so leave it alone.
        }
      }
      const pod = find(this.#options.store, PODS, state.namespace, state.name);
      const phase = at(pod, "status", "phase");
      if (pod?.metadata.uid === state.uid && phase !== "Succeeded" && phase !== "Failed")
        this.#markRestarted(pod);
      await writePodState(join(this.podsDir, state.uid), { ...state, finished: true });
    }
  }
}
