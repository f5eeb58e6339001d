// The build controller's metrics, with upstream's names, on the manager's registry (never
// prom-client's global one):
//   ocl_build_state{machineosconfig,machineosbuild,state}  1 for each build's current state (Initial,
//       Prepared, Building, Succeeded, Interrupted, Failed); no series for the other states, as
//       upstream deletes them. Read from the informer cache at scrape time, so it is right after a
//       controller restart and a deleted build's series goes with it.
//   mco_mosc_count                                   MachineOSConfigs in the cache at scrape time.
//   ocl_build_duration_seconds{machineosconfig,state}  buildStart → buildEnd of Job builds that
//       ended Succeeded or Failed (upstream observes those two only).
//   ocl_build_retries_total{machineosconfig}         build pods that failed and were replaced
//       (increments of the Job's status.failed; the failure that fails the Job is no retry).
//   ocl_image_push_duration_seconds{machineosconfig,state}  the `image-push` container's
//       startedAt → finishedAt in the newest pod that ran it.
//   ocl_build_queue_duration_seconds{machineosconfig}  MachineOSBuild creation → the first build
//       container started.
// The histograms are observed once, when the terminal state is written. Pod timestamps have whole
// seconds, so the smallest buckets are 1 s; upstream's buckets (60 s … 3600 s etc.) are kept above.

import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import { BuildKeys } from "../../api/constants.ts";
import type { MachineOSBuild } from "../../api/machineosbuild-v1.ts";
import type { MachineOSConfig } from "../../api/machineosconfig-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import { type BuildState, buildStateOf } from "./build-state.ts";
import { IMAGE_PUSH_CONTAINER } from "./job.ts";
import type { Lister } from "./reconcile.ts";

type Fields = Record<string, unknown>;

export interface BuildMetricsSources {
  moscs: Pick<Lister<MachineOSConfig>, "list">;
  mosbs: Pick<Lister<MachineOSBuild>, "list">;
}

const DURATION_BUCKETS = [1, 5, 10, 20, 30, 60, 180, 300, 600, 900, 1200, 1800, 2400, 3000, 3600];
const PUSH_BUCKETS = [1, 2, 5, 10, 30, 60, 120, 180, 300, 600];
const QUEUE_BUCKETS = [1, 2, 5, 15, 30, 60, 120, 300, 600];

export class BuildMetrics {
  readonly #duration: Histogram<"machineosconfig" | "state">;
  readonly #retries: Counter<"machineosconfig">;
  readonly #push: Histogram<"machineosconfig" | "state">;
  readonly #queue: Histogram<"machineosconfig">;
  /** Job UID → pod retries already counted (dropped once the build is terminal). */
  readonly #retriesSeen = new Map<string, number>();

  constructor(registry: Registry, sources: BuildMetricsSources) {
    const registers = [registry];
    new Gauge({
      name: "ocl_build_state",
      help: "State of each MachineOSBuild: 1 for its current state label (Initial, Prepared, Building, Succeeded, Interrupted, Failed).",
      labelNames: ["machineosconfig", "machineosbuild", "state"],
      registers,
      collect() {
        this.reset();
        for (const mosb of sources.mosbs.list()) {
          const labels = {
            machineosconfig: mosb.spec.machineOSConfig.name,
            machineosbuild: mosb.metadata.name ?? "",
            state: buildStateOf(mosb),
          };
          this.set(labels, 1);
        }
      },
    });
    new Gauge({
      name: "mco_mosc_count",
      help: "MachineOSConfigs in the cluster; non-zero means on-cluster layering is in use.",
      registers,
      collect() {
        this.set(sources.moscs.list().length);
      },
    });
    this.#duration = new Histogram({
      name: "ocl_build_duration_seconds",
      help: "Duration of image builds (buildStart to buildEnd) that ended Succeeded or Failed.",
      labelNames: ["machineosconfig", "state"],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.#retries = new Counter({
      name: "ocl_build_retries_total",
      help: "Build pods that failed and were retried by the build Job.",
      labelNames: ["machineosconfig"],
      registers,
    });
    this.#push = new Histogram({
      name: "ocl_image_push_duration_seconds",
      help: "Duration of the image push (the image-push container), by its outcome.",
      labelNames: ["machineosconfig", "state"],
      buckets: PUSH_BUCKETS,
      registers,
    });
    this.#queue = new Histogram({
      name: "ocl_build_queue_duration_seconds",
      help: "Time from a MachineOSBuild's creation to its first build container running.",
      labelNames: ["machineosconfig"],
      buckets: QUEUE_BUCKETS,
      registers,
    });
  }

  /** Counts new pod retries of the build's Job; `state` is what the Job maps to. */
  jobObserved(mosb: MachineOSBuild, job: KubeObject | undefined, state: BuildState): void {
    const uid = job?.metadata.uid ?? mosb.metadata.annotations?.[BuildKeys.jobUID];
    if (uid === undefined) return;
    const retries = job === undefined ? 0 : retriesOf(job, state);
    const seen = this.#retriesSeen.get(uid) ?? 0;
    if (retries > seen)
      this.#retries.inc({ machineosconfig: mosb.spec.machineOSConfig.name }, retries - seen);
    if (state === "Succeeded" || state === "Failed" || state === "Interrupted") this.#retriesSeen.delete(uid);
    else this.#retriesSeen.set(uid, Math.max(seen, retries));
  }

  /** Observes the histograms of a Job build just written terminal (`mosb` as stored). */
  finished(mosb: MachineOSBuild, pods: readonly KubeObject[]): void {
    const machineosconfig = mosb.spec.machineOSConfig.name;
    const state = buildStateOf(mosb);
    const start = Date.parse(mosb.status?.buildStart ?? "");
    const end = Date.parse(mosb.status?.buildEnd ?? "");
    if ((state === "Succeeded" || state === "Failed") && end >= start) {
      this.#duration.observe({ machineosconfig, state }, (end - start) / 1000);
    }
    const push = pushTimes(pods);
    if (push !== undefined) this.#push.observe({ machineosconfig, state: push.state }, push.seconds);
    const created = Date.parse(mosb.metadata.creationTimestamp ?? "");
    const running = firstStart(pods);
    if (running !== undefined && running >= created) {
      this.#queue.observe({ machineosconfig }, (running - created) / 1000);
    }
  }
}

/** Failed pods the Job replaced: all of them, except the last one of a failed Job. */
export function retriesOf(job: KubeObject, state: BuildState): number {
  const failed = (job.status as Fields | undefined)?.failed;
  const count = typeof failed === "number" ? failed : 0;
  return Math.max(0, state === "Failed" ? count - 1 : count);
}

function containerStatuses(pod: KubeObject): Fields[] {
  const status = (pod.status ?? {}) as Fields;
  return [
    ...((status.initContainerStatuses as Fields[] | undefined) ?? []),
    ...((status.containerStatuses as Fields[] | undefined) ?? []),
  ];
}

function stateTimes(entry: Fields): { started?: number; finished?: number; exitCode?: number } {
  const state = (entry.state ?? {}) as Fields;
  const terminated = state.terminated as Fields | undefined;
  const running = state.running as Fields | undefined;
  const started = Date.parse(String(terminated?.startedAt ?? running?.startedAt ?? ""));
  const finished = Date.parse(String(terminated?.finishedAt ?? ""));
  return {
    ...(Number.isNaN(started) ? {} : { started }),
    ...(Number.isNaN(finished) ? {} : { finished }),
    ...(typeof terminated?.exitCode === "number" ? { exitCode: terminated.exitCode } : {}),
  };
}

/** The newest finished `image-push` run: seconds and outcome. */
export function pushTimes(
  pods: readonly KubeObject[],
): { seconds: number; state: "Succeeded" | "Failed" } | undefined {
  for (const pod of [...pods].reverse()) {
    const entry = containerStatuses(pod).find((e) => e.name === IMAGE_PUSH_CONTAINER);
    const t = entry === undefined ? undefined : stateTimes(entry);
    if (t?.started === undefined || t.finished === undefined || t.finished < t.started) continue;
    return { seconds: (t.finished - t.started) / 1000, state: t.exitCode === 0 ? "Succeeded" : "Failed" };
  }
  return undefined;
}

/** When the first build container of any pod started (ms), if one did. */
export function firstStart(pods: readonly KubeObject[]): number | undefined {
  const starts = pods.flatMap((pod) => containerStatuses(pod).flatMap((e) => stateTimes(e).started ?? []));
  return starts.length === 0 ? undefined : Math.min(...starts);
}
