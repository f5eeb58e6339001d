// The drain controller's view of the API: the node, its pods, and the eviction subresource.

import { isPlainObject, type KubeObject } from "../../api/object.ts";
import type { KubeClients } from "../../runtime/kube-client.ts";
import type { ResourceClient } from "../../runtime/resource-client.ts";
import type { ResourceRef } from "../../runtime/rest.ts";
import { NODES } from "../resources.ts";

export const PODS: ResourceRef = { group: "", version: "v1", plural: "pods", kind: "Pod", namespaced: true };

export interface DrainApi {
  getNode(name: string, signal: AbortSignal): Promise<KubeObject>;
  /** Merge-patches annotations (null removes one) and, when given, spec.unschedulable. */
  patchNode(
    name: string,
    change: { annotations?: Record<string, string | null>; unschedulable?: boolean },
    signal: AbortSignal,
  ): Promise<KubeObject>;
  /** Pods bound to the node, in every namespace. */
  podsOn(node: string, signal: AbortSignal): Promise<KubeObject[]>;
  /** POST pods/<name>/eviction (policy/v1); throws ApiStatusError (429 when a budget refuses). */
  evict(pod: KubeObject, signal: AbortSignal): Promise<void>;
}

export function isUnschedulable(node: KubeObject): boolean {
  return isPlainObject(node.spec) && node.spec.unschedulable === true;
}

export function drainApiFor(clients: KubeClients): DrainApi {
  const nodes: ResourceClient<KubeObject> = clients.resource(NODES);
  const pods: ResourceClient<KubeObject> = clients.resource(PODS);
  return {
    getNode: (name, signal) => nodes.get(name, { signal }),
    patchNode: (name, change, signal) => {
      const patch: Record<string, unknown> = {};
      if (change.annotations !== undefined) patch.metadata = { annotations: change.annotations };
      // kubectl uncordon removes the field rather than writing false.
      if (change.unschedulable !== undefined) patch.spec = { unschedulable: change.unschedulable || null };
      return nodes.patch(name, patch, { type: "merge", signal });
    },
    podsOn: async (node, signal) =>
      (await pods.list({ fieldSelector: `spec.nodeName=${node}`, signal })).items,
    evict: async (pod, signal) => {
      const { name = "", namespace = "" } = pod.metadata;
      await clients.rest.request({
        method: "POST",
        path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}/eviction`,
        body: { apiVersion: "policy/v1", kind: "Eviction", metadata: { name, namespace } },
        signal,
      });
    },
  };
}
