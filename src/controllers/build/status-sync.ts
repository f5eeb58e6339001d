// StatusMapper: moves a MachineOSBuild along with its Job (§5 mapping and transitions). On the way
// to a terminal state it gathers what the pods say first, because conditions freeze once terminal:
//   Succeeded → logs archived, `digest-<mosb>` written, digestedImagePushSpec set;
//   Failed    → logs archived, the Failed message names the step and carries the last lines;
//   Job gone  → Interrupted (checked with a live GET: the Job cache may lag a fresh create).

import type { Logger } from "pino";
import { BuildDataKeys, BuildKeys, MCO_NAMESPACE } from "../../api/constants.ts";
import type { MachineOSBuild } from "../../api/machineosbuild-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import { isAlreadyExists, isNotFound } from "../../runtime/errors.ts";
import type { EventRecord } from "../../runtime/events.ts";
import type { ResourceClient } from "../../runtime/resource-client.ts";
import type { BuildPods } from "./build-pods.ts";
import {
  type BuildState,
  buildStateFromJob,
  buildStateOf,
  isTerminal,
  transitionAllowed,
} from "./build-state.ts";
import { BuildEvents } from "./constants.ts";
import { describeFailure, failedMessage, preflightFailedMessage } from "./failure.ts";
import { buildObjectLabels, identityOf } from "./labels.ts";
import type { BuildMetrics } from "./metrics.ts";
import { type StateWrite, writeBuildState } from "./mosb-writes.ts";
import { digestConfigMapName, digestedPushSpec, jobName } from "./names.ts";

export interface StatusSyncOptions {
  mosbs: ResourceClient<MachineOSBuild>;
  jobs: ResourceClient<KubeObject>;
  configMaps: ResourceClient<KubeObject>;
  pods: BuildPods;
  event: (object: KubeObject, event: EventRecord, signal: AbortSignal) => Promise<void>;
  metrics?: BuildMetrics;
  now?: () => Date;
}

const STATE_EVENTS: Partial<Record<BuildState, EventRecord>> = {
  Prepared: { type: "Normal", reason: BuildEvents.BuildPreparing, message: "Build Prepared and Pending" },
  Building: { type: "Normal", reason: BuildEvents.BuildBuilding, message: "Image Build In Progress" },
  Succeeded: { type: "Normal", reason: BuildEvents.BuildCompleted, message: "Build Ready" },
  Interrupted: { type: "Warning", reason: BuildEvents.BuildInterrupted, message: "Build Interrupted" },
};

export class StatusSync {
  readonly #options: StatusSyncOptions;
  readonly #now: () => Date;

  constructor(options: StatusSyncOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
  }

  /** Follows the Job of a build that has one; returns the MOSB as stored afterwards. */
  async sync(
    mosb: MachineOSBuild,
    cachedJob: KubeObject | undefined,
    signal: AbortSignal,
    logger: Logger,
  ): Promise<MachineOSBuild> {
    const uid = mosb.metadata.annotations?.[BuildKeys.jobUID];
    const current = buildStateOf(mosb);
    if (uid === undefined || uid === "" || isTerminal(current)) return mosb;
    const job = cachedJob?.metadata.uid === uid ? cachedJob : await this.#liveJob(mosb, uid, signal);
    const next = job === undefined ? "Interrupted" : buildStateFromJob(job);
    this.#options.metrics?.jobObserved(mosb, job, next);
    if (!transitionAllowed(current, next)) return mosb;
    const { write, pods } = await this.#terminalWrite(mosb, next, job, signal);
    const updated = await writeBuildState(this.#options.mosbs, mosb, write, signal);
    if (pods !== undefined) this.#options.metrics?.finished(updated, pods);
    logger.info(
      { machineOSBuild: mosb.metadata.name, from: current, to: write.state },
      "build state changed",
    );
    await this.#announce(updated, write, signal);
    return updated;
  }

  /** Marks a build Failed before any Job ran. */
  async failBeforeJob(mosb: MachineOSBuild, message: string, signal: AbortSignal): Promise<MachineOSBuild> {
    const write: StateWrite = { state: "Failed", now: this.#now(), failedMessage: message };
    const updated = await writeBuildState(this.#options.mosbs, mosb, write, signal);
    await this.#announce(updated, write, signal);
    return updated;
  }

  async #terminalWrite(
    mosb: MachineOSBuild,
    state: BuildState,
    job: KubeObject | undefined,
    signal: AbortSignal,
  ): Promise<{ write: StateWrite; pods?: KubeObject[] }> {
    const base: StateWrite = {
      state,
      now: this.#now(),
      withJob: true,
      ...(job?.metadata.creationTimestamp !== undefined ? { startedAt: job.metadata.creationTimestamp } : {}),
    };
    if (state !== "Succeeded" && state !== "Failed") return { write: base };
    const name = mosb.metadata.name ?? "";
    const pods = await this.#options.pods.list(name, signal);
    await this.#options.pods.archive(mosb, identityOf(mosb), pods, signal);
    if (state === "Succeeded") {
      const digest = this.#options.pods.digestOf(pods) ?? (await this.#storedDigest(name, signal));
      if (digest === undefined) {
        const message = preflightFailedMessage("digest", "the build succeeded but reported no image digest");
        return { write: { ...base, state: "Failed", failedMessage: message }, pods };
      }
      await this.#writeDigest(mosb, digest, signal);
      const image = digestedPushSpec(mosb.spec.renderedImagePushSpec, digest);
      return { write: { ...base, digestedImagePushSpec: image }, pods };
    }
    const failed = await this.#options.pods.failedContainer(pods, signal);
    const message =
      failed === undefined
        ? preflightFailedMessage("unknown", "the build Job failed without a failed container (pods deleted?)")
        : failedMessage(describeFailure(failed), failed);
    return { write: { ...base, failedMessage: message }, pods };
  }

  async #announce(mosb: MachineOSBuild, write: StateWrite, signal: AbortSignal): Promise<void> {
    const event =
      write.state === "Failed"
        ? {
            type: "Warning" as const,
            reason: BuildEvents.BuildFailed,
            message: (write.failedMessage ?? "Build Failed").split("\n")[0] ?? "",
          }
        : STATE_EVENTS[write.state];
    if (event !== undefined) await this.#options.event(mosb, event, signal);
  }

  async #liveJob(mosb: MachineOSBuild, uid: string, signal: AbortSignal): Promise<KubeObject | undefined> {
    try {
      const job = await this.#options.jobs.get(jobName(mosb.metadata.name ?? ""), {
        namespace: MCO_NAMESPACE,
        signal,
      });
      return job.metadata.uid === uid ? job : undefined;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async #storedDigest(mosb: string, signal: AbortSignal): Promise<string | undefined> {
    try {
      const cm = await this.#options.configMaps.get(digestConfigMapName(mosb), {
        namespace: MCO_NAMESPACE,
        signal,
      });
      return ((cm.data ?? {}) as Record<string, string>)[BuildDataKeys.digest]?.trim();
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** `digest-<mosb>` (key digest), unowned as upstream's: it outlives cleanup. */
  async #writeDigest(mosb: MachineOSBuild, digest: string, signal: AbortSignal): Promise<void> {
    const id = identityOf(mosb);
    const configMap: KubeObject = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {
        name: digestConfigMapName(id.mosb),
        namespace: MCO_NAMESPACE,
        labels: buildObjectLabels(id, false),
      },
      data: { [BuildDataKeys.digest]: digest },
    };
    try {
      await this.#options.configMaps.create(configMap, { signal });
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      await this.#options.configMaps.patch(
        digestConfigMapName(id.mosb),
        { data: configMap.data },
        { type: "merge", namespace: MCO_NAMESPACE, signal },
      );
    }
  }
}
