// The life of one pod on the host kubelet: volumes, init containers in order, then the containers
// side by side, restarts per restartPolicy, status after every change, and termination (SIGTERM to
// each process group, SIGKILL after the grace period) when the pod is deleted.

import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import type { KubeObject } from "../api/object.ts";
import type { PodLogSource } from "../apiserver/pods/log-source.ts";
import { at, text } from "../apiserver/registry/builtin/object-fields.ts";
import { timestamp } from "../apiserver/registry/names.ts";
import type { Store } from "../apiserver/registry/store.ts";
import { containerFields } from "./container-env.ts";
import { awaitTermination, type ContainerRunContext, prepareContainer, startError } from "./container-run.ts";
import { writePodState } from "./pod-state.ts";
import {
  type ContainerRecord,
  computePhase,
  newContainerRecord,
  type PodRecord,
  renderPodStatus,
  type Terminated,
} from "./pod-status.ts";
import type { ContainerProcess } from "./process-runner.ts";
import { PODS, writeStatus } from "./store-access.ts";
import { materializeVolumes } from "./volumes.ts";

type Fields = Record<string, unknown>;

export interface PodWorkerContext {
  store: Store;
  logger: Logger | undefined;
  nodeName: string;
  /** `<dir>/kubelet/pods`. */
  podsDir: string;
  logs: PodLogSource;
  isolate: boolean;
  /** Upper bound of a pod's termination grace period (embedded mode and tests keep it short). */
  gracePeriodCapMs: number | undefined;
  /** Delay before restarting a failed container or retrying a pod that cannot start yet; doubles per restart. */
  retry: { baseMs: number; maxMs: number };
}

export class PodWorker {
  readonly uid: string;
  readonly #ctx: PodWorkerContext;
  readonly #pod: KubeObject;
  readonly #record: PodRecord;
  readonly #processes = new Set<ContainerProcess>();
  readonly #stopping = new AbortController();
  #graceMs = 0;
  #done: Promise<void> | undefined;

  constructor(ctx: PodWorkerContext, pod: KubeObject) {
    this.#ctx = ctx;
    this.#pod = structuredClone(pod);
    this.uid = pod.metadata.uid ?? "";
    const init = containerFields(pod, "initContainers");
    this.#record = {
      phase: "Pending",
      startTime: timestamp(ctx.store.now()),
      sandboxReady: false,
      init: init.map((c) => newContainerRecord(c, "PodInitializing")),
      containers: containerFields(pod, "containers").map((c) =>
        newContainerRecord(c, init.length > 0 ? "PodInitializing" : "ContainerCreating"),
      ),
    };
  }

  get podDir(): string {
    return join(this.#ctx.podsDir, this.uid);
  }

  /** Runs the pod to its end; the same promise on every call. */
  run(): Promise<void> {
    this.#done ??= this.#lifecycle().catch((error: unknown) => {
      this.#ctx.logger?.error({ pod: this.#pod.metadata.name, err: error }, "pod worker failed");
    });
    return this.#done;
  }

  /** Stops the pod's processes: SIGTERM now, SIGKILL after the (capped) grace period. */
  terminate(graceMs?: number): void {
    if (this.#stopping.signal.aborted) return;
    const seconds = Number(at(this.#pod, "spec", "terminationGracePeriodSeconds") ?? 30);
    const cap = this.#ctx.gracePeriodCapMs ?? Number.POSITIVE_INFINITY;
    this.#graceMs = Math.min(graceMs ?? seconds * 1000, cap);
    this.#stopping.abort();
    for (const proc of this.#processes) void proc.stop(this.#graceMs);
  }

  async #lifecycle(): Promise<void> {
    await mkdir(this.podDir, { recursive: true });
    await this.#save(false);
    this.#publish();
    const volumes = await this.#retrying(
      () => materializeVolumes({ ...this.#ctx, podDir: this.podDir }, this.#pod),
      this.#record.containers,
    );
    if (volumes !== undefined) {
      this.#record.sandboxReady = true;
      const runCtx: ContainerRunContext = { ...this.#ctx, volumes };
      const init = containerFields(this.#pod, "initContainers");
      let initialized = true;
      for (const [i, container] of init.entries()) {
        const record = this.#record.init[i];
        if (record === undefined || !(await this.#runContainer(runCtx, container, record, true))) {
          initialized = false;
          break;
        }
      }
      if (initialized) {
        for (const record of this.#record.containers) {
          if (record.state.kind === "waiting")
            record.state = { kind: "waiting", reason: "ContainerCreating" };
        }
        const containers = containerFields(this.#pod, "containers");
        await Promise.all(
          containers.map((c, i) =>
            this.#runContainer(runCtx, c, this.#record.containers[i] as ContainerRecord, false),
          ),
        );
      }
    }
    await this.#finish();
  }

  /** Calls `attempt` until it succeeds or the pod stops; failures show as a waiting reason. */
  async #retrying<T>(attempt: () => Promise<T>, records: ContainerRecord[]): Promise<T | undefined> {
    for (let failures = 0; !this.#stopping.signal.aborted; failures++) {
      try {
        return await attempt();
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.#ctx.logger?.warn(
          { pod: this.#pod.metadata.name, err: message },
          "pod cannot start yet; retrying",
        );
        for (const record of records)
          record.state = { kind: "waiting", reason: "ContainerCreating", message };
        this.#publish();
        await this.#pause(failures);
      }
    }
    return undefined;
  }

  async #pause(failures: number): Promise<void> {
    const { baseMs, maxMs } = this.#ctx.retry;
    await sleep(Math.min(maxMs, baseMs * 2 ** failures), undefined, { signal: this.#stopping.signal }).catch(
      () => undefined,
    );
  }

  /** Runs a container until it ends for good; true when it ended with exit code 0. */
  async #runContainer(
    ctx: ContainerRunContext,
    container: Fields,
    record: ContainerRecord,
    init: boolean,
  ): Promise<boolean> {
    const policy = text(at(this.#pod, "spec", "restartPolicy")) ?? "Always";
    for (let restarts = 0; !this.#stopping.signal.aborted; restarts++) {
      const prepared = await prepareContainer(ctx, this.#pod, container, record.pid !== undefined);
      if (prepared.kind === "config-error") {
        record.state = { kind: "waiting", reason: "CreateContainerConfigError", message: prepared.message };
        this.#publish();
        await this.#pause(restarts);
        continue;
      }
      const ended =
        prepared.kind === "start-error"
          ? startError(prepared.message, new Date())
          : await this.#runOnce(prepared.start, container, record, prepared.messagePath);
      record.state = { kind: "terminated", ...ended };
      const failed = ended.exitCode !== 0;
      const restart =
        !this.#stopping.signal.aborted &&
        (policy === "Always" && !init ? true : policy !== "Never" && failed);
      if (!restart) {
        this.#publish();
        return !failed;
      }
      record.lastState = ended;
      record.restartCount++;
      record.state = {
        kind: "waiting",
        reason: "CrashLoopBackOff",
        message: `back-off restarting failed container=${record.name} pod=${this.#pod.metadata.name ?? ""}`,
      };
      this.#publish();
      await this.#pause(restarts);
    }
    return false;
  }

  async #runOnce(
    start: () => Promise<ContainerProcess>,
    container: Fields,
    record: ContainerRecord,
    messagePath: string | undefined,
  ): Promise<Terminated> {
    let proc: ContainerProcess;
    try {
      proc = await start();
    } catch (error) {
      return startError(error instanceof Error ? error.message : String(error), new Date());
    }
    this.#processes.add(proc);
    if (this.#stopping.signal.aborted) void proc.stop(this.#graceMs);
    record.pid = proc.pid;
    record.state = { kind: "running", startedAt: timestamp(proc.startedAt), pid: proc.pid };
    this.#publish();
    await this.#save(false);
    const ended = await awaitTermination(proc, container, messagePath);
    this.#processes.delete(proc);
    return ended;
  }

  async #finish(): Promise<void> {
    const record = this.#record;
    if (this.#stopping.signal.aborted) {
      const ok = [...record.init, ...record.containers].every(
        (c) => c.state.kind === "terminated" && c.state.exitCode === 0,
      );
      record.phase = ok ? "Succeeded" : "Failed";
    }
    this.#publish();
    await this.#save(true);
    await rm(join(this.podDir, "volumes"), { recursive: true, force: true });
    this.#ctx.logger?.info({ pod: this.#pod.metadata.name, phase: record.phase }, "pod finished");
  }

  /** Writes status; a pod already gone is not an error. The phase follows the containers until the pod stops. */
  #publish(): void {
    const record = this.#record;
    const terminal = record.phase === "Succeeded" || record.phase === "Failed";
    if (!terminal && !this.#stopping.signal.aborted) {
      record.phase = computePhase(record, text(at(this.#pod, "spec", "restartPolicy")) ?? "Always");
    }
    try {
      writeStatus(this.#ctx.store, PODS, this.#pod, (current) =>
        renderPodStatus(current, record, timestamp(this.#ctx.store.now())),
      );
    } catch (error) {
      this.#ctx.logger?.warn({ pod: this.#pod.metadata.name, err: error }, "pod status update failed");
    }
  }

  async #save(finished: boolean): Promise<void> {
    const { namespace = "", name = "" } = this.#pod.metadata;
    const pids = [...this.#record.init, ...this.#record.containers].flatMap((c) =>
      c.pid === undefined ? [] : [c.pid],
    );
    await writePodState(this.podDir, { uid: this.uid, namespace, name, pids, finished });
  }
}
