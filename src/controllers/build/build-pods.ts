// What the build's pods say once the Job has finished: the digest (the `report-digest` container's
// termination message), the failing container with its output, and every container's log, archived
// gzip-compressed in `build-log-<mosb>` (owned by the MachineOSBuild, so it outlives the Job and its
// pods and goes with the build). Logs are read through pods/log; a pod already gone is skipped.

import { gzipSync } from "node:zlib";
import { BuildKeys, MCO_NAMESPACE } from "../../api/constants.ts";
import type { MachineOSBuild } from "../../api/machineosbuild-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import { isAlreadyExists, isNotFound } from "../../runtime/errors.ts";
import type { ResourceClient } from "../../runtime/resource-client.ts";
import { BUILD_LOG_KEY } from "./constants.ts";
import type { FailedContainer } from "./failure.ts";
import { REPORT_DIGEST_CONTAINER } from "./job.ts";
import {
  type BuildIdentity,
  buildObjectAnnotations,
  buildObjectLabels,
  mosbOwnerReference,
} from "./labels.ts";
import { buildLogConfigMapName, jobName } from "./names.ts";
import type { PodLogReader } from "./pod-logs.ts";

/** Each container's log is cut to its last this many bytes before compression. */
const LOG_TAIL_BYTES = 512 * 1024;
/** A ConfigMap holds at most 1 MiB; stay below with room for metadata. */
const MAX_ARCHIVE_BYTES = 900 * 1024;

type Fields = Record<string, unknown>;

interface ContainerEnd {
  name: string;
  exitCode: number | undefined;
  message: string;
}

export interface BuildPodsOptions {
  pods: ResourceClient<KubeObject>;
  configMaps: ResourceClient<KubeObject>;
  logs: Pick<PodLogReader, "read">;
}

function ends(pod: KubeObject): ContainerEnd[] {
  const status = (pod.status ?? {}) as Fields;
  const entries = [
    ...((status.initContainerStatuses as Fields[] | undefined) ?? []),
    ...((status.containerStatuses as Fields[] | undefined) ?? []),
  ];
  return entries.flatMap((entry) => {
    const terminated = ((entry.state as Fields | undefined)?.terminated ?? undefined) as Fields | undefined;
    if (terminated === undefined) return [];
    const exitCode = typeof terminated.exitCode === "number" ? terminated.exitCode : undefined;
    return [{ name: String(entry.name), exitCode, message: String(terminated.message ?? "") }];
  });
}

const byCreation = (a: KubeObject, b: KubeObject): number =>
  (a.metadata.creationTimestamp ?? "").localeCompare(b.metadata.creationTimestamp ?? "") ||
  (a.metadata.name ?? "").localeCompare(b.metadata.name ?? "");

export class BuildPods {
  readonly #options: BuildPodsOptions;

  constructor(options: BuildPodsOptions) {
    this.#options = options;
  }

  /** The Job's pods, oldest first. */
  async list(mosb: string, signal: AbortSignal): Promise<KubeObject[]> {
    const labelSelector = `job-name=${jobName(mosb)}`;
    const list = await this.#options.pods.list({ namespace: MCO_NAMESPACE, labelSelector, signal });
    return [...list.items].sort(byCreation);
  }

  /** `sha256:…` reported by a succeeded pod, if any. */
  digestOf(pods: readonly KubeObject[]): string | undefined {
    for (const pod of [...pods].reverse()) {
      const end = ends(pod).find((e) => e.name === REPORT_DIGEST_CONTAINER && e.exitCode === 0);
      const digest = end?.message.trim();
      if (digest !== undefined && /^sha256:[a-f0-9]{64}$/.test(digest)) return digest;
    }
    return undefined;
  }

  /** The first failed container of the newest pod that failed, with its output. */
  async failedContainer(
    pods: readonly KubeObject[],
    signal: AbortSignal,
  ): Promise<FailedContainer | undefined> {
    for (const pod of [...pods].reverse()) {
      const failed = ends(pod).find((e) => e.exitCode !== undefined && e.exitCode !== 0);
      if (failed === undefined) continue;
      const log = await this.#log(pod, failed.name, signal);
      return {
        name: failed.name,
        ...(failed.exitCode !== undefined ? { exitCode: failed.exitCode } : {}),
        output: log !== "" ? log : failed.message,
      };
    }
    return undefined;
  }

  /** Writes `build-log-<mosb>` with every container's log of every pod (idempotent). */
  async archive(
    mosb: MachineOSBuild,
    id: BuildIdentity,
    pods: readonly KubeObject[],
    signal: AbortSignal,
  ): Promise<void> {
    const sections: string[] = [];
    for (const pod of pods) {
      for (const end of ends(pod)) {
        const log = await this.#log(pod, end.name, signal);
        sections.push(
          `==> pod ${pod.metadata.name ?? ""} container ${end.name} (exit code ${end.exitCode ?? "?"}) <==\n${log}`,
        );
      }
    }
    let archive = gzipSync(sections.join("\n"), { level: 9 });
    if (archive.length > MAX_ARCHIVE_BYTES)
      archive = gzipSync(sections.join("\n").slice(-MAX_ARCHIVE_BYTES * 4), { level: 9 });
    const configMap: KubeObject = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {
        name: buildLogConfigMapName(id.mosb),
        namespace: MCO_NAMESPACE,
        labels: buildObjectLabels(id, false),
        annotations: {
          ...buildObjectAnnotations(id),
          [BuildKeys.jobUID]: mosb.metadata.annotations?.[BuildKeys.jobUID] ?? "",
        },
        ownerReferences: [mosbOwnerReference(mosb, false)],
      },
      binaryData: { [BUILD_LOG_KEY]: archive.toString("base64") },
    };
    try {
      await this.#options.configMaps.create(configMap, { signal });
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
    }
  }

  async #log(pod: KubeObject, container: string, signal: AbortSignal): Promise<string> {
    try {
      const name = pod.metadata.name ?? "";
      return await this.#options.logs.read({
        namespace: MCO_NAMESPACE,
        pod: name,
        container,
        tailBytes: LOG_TAIL_BYTES,
        signal,
      });
    } catch (error) {
      if (isNotFound(error)) return "";
      throw error;
    }
  }
}
