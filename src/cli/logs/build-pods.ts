// What `mob logs build` reads of a build: its pods (oldest first), their containers in the order
// they run, each container's state, and the archived log `build-log-<mosb>`.

import { gunzipSync } from "node:zlib";
import { MCO_NAMESPACE } from "../../api/constants.ts";
import type { KubeObject } from "../../api/object.ts";
import { BUILD_LOG_KEY } from "../../controllers/build/constants.ts";
import { buildLogConfigMapName, jobName } from "../../controllers/build/names.ts";
import { JOBS, PODS } from "../../controllers/build/resources.ts";
import { isNotFound } from "../../runtime/errors.ts";
import { CONFIG_MAPS, type KubeClients } from "../../runtime/kube-client.ts";
import { fields } from "../status/format.ts";

export type ContainerState = "waiting" | "running" | "terminated";

const byCreation = (a: KubeObject, b: KubeObject): number =>
  (a.metadata.creationTimestamp ?? "").localeCompare(b.metadata.creationTimestamp ?? "") ||
  (a.metadata.name ?? "").localeCompare(b.metadata.name ?? "");

export async function listBuildPods(
  clients: KubeClients,
  mosb: string,
  signal: AbortSignal,
): Promise<KubeObject[]> {
  const list = await clients
    .resource(PODS)
    .list({ namespace: MCO_NAMESPACE, labelSelector: `job-name=${jobName(mosb)}`, signal });
  return [...list.items].sort(byCreation);
}

export async function getPod(
  clients: KubeClients,
  name: string,
  signal: AbortSignal,
): Promise<KubeObject | undefined> {
  try {
    return await clients.resource(PODS).get(name, { namespace: MCO_NAMESPACE, signal });
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Init containers, then containers: the order a build pod runs them. */
export function containersInOrder(pod: KubeObject): string[] {
  const spec = fields(pod.spec);
  const names = (list: unknown): string[] =>
    Array.isArray(list) ? list.map((c) => String(fields(c).name ?? "")).filter((n) => n !== "") : [];
  return [...names(spec.initContainers), ...names(spec.containers)];
}

export function containerState(pod: KubeObject, container: string): ContainerState {
  const status = fields(pod.status);
  const all = [status.initContainerStatuses, status.containerStatuses].flatMap((list) =>
    Array.isArray(list) ? list.map(fields) : [],
  );
  const state = fields(all.find((entry) => entry.name === container)?.state);
  if (state.terminated !== undefined) return "terminated";
  if (state.running !== undefined) return "running";
  return "waiting";
}

export function podEnded(pod: KubeObject): boolean {
  const phase = fields(pod.status).phase;
  return phase === "Succeeded" || phase === "Failed";
}

/** The build's Job has finished (Complete or Failed) or is gone. */
export async function jobFinished(clients: KubeClients, mosb: string, signal: AbortSignal): Promise<boolean> {
  try {
    const job = await clients.resource(JOBS).get(jobName(mosb), { namespace: MCO_NAMESPACE, signal });
    const conditions = fields(job.status).conditions;
    return (
      job.metadata.deletionTimestamp !== undefined ||
      (Array.isArray(conditions) &&
        conditions.some(
          (c) => ["Complete", "Failed"].includes(String(fields(c).type)) && fields(c).status === "True",
        ))
    );
  } catch (error) {
    if (isNotFound(error)) return true;
    throw error;
  }
}

/** The gunzipped `build-log-<mosb>`, or undefined when there is none. */
export async function archivedLog(
  clients: KubeClients,
  mosb: string,
  signal: AbortSignal,
): Promise<string | undefined> {
  try {
    const configMap = await clients
      .resource(CONFIG_MAPS)
      .get(buildLogConfigMapName(mosb), { namespace: MCO_NAMESPACE, signal });
    const data = fields(configMap.binaryData)[BUILD_LOG_KEY];
    if (typeof data !== "string") return undefined;
    return gunzipSync(Buffer.from(data, "base64")).toString("utf8");
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
