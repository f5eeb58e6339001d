// Pod fields a container may read through env fieldRef or a downwardAPI volume. Embedded pods share
// the host's network, so status.podIP and status.hostIP are 127.0.0.1.

import type { KubeObject } from "../api/object.ts";
import { at, text } from "../apiserver/registry/builtin/object-fields.ts";

export const POD_IP = "127.0.0.1";

/** Thrown for a reference a pod cannot be started with (missing key, unsupported field). */
export class PodConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PodConfigError";
  }
}

function formatMap(map: Record<string, string> | undefined): string {
  return Object.entries(map ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join("\n");
}

/** The value of `fieldPath` (`metadata.name`, `metadata.labels['app']`, `status.podIP`, …). */
export function podFieldValue(pod: KubeObject, fieldPath: string, nodeName: string): string {
  const meta = pod.metadata;
  const keyed = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(fieldPath);
  if (keyed !== null) {
    const map = keyed[1] === "labels" ? meta.labels : meta.annotations;
    return map?.[keyed[2] ?? ""] ?? "";
  }
  switch (fieldPath) {
    case "metadata.name":
      return meta.name ?? "";
    case "metadata.namespace":
      return meta.namespace ?? "";
    case "metadata.uid":
      return meta.uid ?? "";
    case "metadata.labels":
      return formatMap(meta.labels);
    case "metadata.annotations":
      return formatMap(meta.annotations);
    case "spec.nodeName":
      return text(at(pod, "spec", "nodeName")) ?? nodeName;
    case "spec.serviceAccountName":
      return text(at(pod, "spec", "serviceAccountName")) ?? "";
    case "status.podIP":
    case "status.hostIP":
      return POD_IP;
    case "status.podIPs":
    case "status.hostIPs":
      return POD_IP;
    default:
      throw new PodConfigError(`fieldRef ${fieldPath} is not supported by mob's host kubelet`);
  }
}
