// How the job controller sees pods: which pods a Job owns, what state each is in, and the pod it
// creates from the Job's template (pure).

import type { KubeObject } from "../api/object.ts";
import { JOB_LABELS } from "../apiserver/registry/builtin/job.ts";
import { at, list, record, stringMap, text } from "../apiserver/registry/builtin/object-fields.ts";

/** Held on every pod the job controller creates until the pod's outcome is in the Job's status. */
export const JOB_TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";

export type PodClass = "active" | "terminating" | "succeeded" | "failed";

export function podPhase(pod: KubeObject): string {
  return text(at(pod, "status", "phase")) ?? "";
}

/**
 * Pending/Running pods are active until deleted; a deleted pod is terminating until its kubelet
 * reports a terminal phase (the API server removes a finalizer-free pod at once, so the finalizer
 * stands in for Kubernetes' graceful-deletion window).
 */
export function classifyPod(pod: KubeObject): PodClass {
  const phase = podPhase(pod);
  if (phase === "Succeeded") return "succeeded";
  if (phase === "Failed") return "failed";
  return pod.metadata.deletionTimestamp === undefined ? "active" : "terminating";
}

export function hasTrackingFinalizer(pod: KubeObject): boolean {
  return (pod.metadata.finalizers ?? []).includes(JOB_TRACKING_FINALIZER);
}

/** The Job controlling `pod` (its controller ownerReference), if it is a Job. */
export function controllingJob(pod: KubeObject): { name: string; uid: string } | undefined {
  const ref = (pod.metadata.ownerReferences ?? []).find((r) => r.controller === true);
  if (ref === undefined || ref.kind !== "Job" || !ref.apiVersion.startsWith("batch/")) return undefined;
  return { name: ref.name, uid: ref.uid };
}

export function isPodReady(pod: KubeObject): boolean {
  return list(at(pod, "status", "conditions")).some((c) => {
    const condition = record(c);
    return condition?.type === "Ready" && condition.status === "True";
  });
}

/** Container restarts of a pod (regular and init), which count against backoffLimit with OnFailure. */
export function restartCount(pod: KubeObject): number {
  let total = 0;
  for (const field of ["containerStatuses", "initContainerStatuses"]) {
    for (const status of list(at(pod, "status", field))) {
      const count = record(status)?.restartCount;
      if (typeof count === "number") total += count;
    }
  }
  return total;
}

/** The pod the Job's template describes, owned by the Job and held by the tracking finalizer. */
export function renderJobPod(job: KubeObject): KubeObject {
  const { name = "", namespace = "", uid = "" } = job.metadata;
  const template = record(at(job, "spec", "template")) ?? {};
  const templateMeta = record(template.metadata) ?? {};
  const labels = {
    ...stringMap(templateMeta.labels),
    [JOB_LABELS.controllerUid]: uid,
    [JOB_LABELS.jobName]: name,
    [JOB_LABELS.legacyControllerUid]: uid,
    [JOB_LABELS.legacyJobName]: name,
  };
  const annotations = stringMap(templateMeta.annotations);
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      generateName: `${name}-`,
      namespace,
      labels,
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      ownerReferences: [
        { apiVersion: "batch/v1", kind: "Job", name, uid, controller: true, blockOwnerDeletion: true },
      ],
      finalizers: [JOB_TRACKING_FINALIZER],
    },
    spec: structuredClone(record(template.spec) ?? {}),
  };
}
