// NodeRestriction, as Kubernetes' admission plugin of that name: a node identity may change only its
// own Node, and only the status of (or delete) pods bound to it. RBAC (the system:node ClusterRole)
// decides which verbs a node has at all; this narrows them to the node's own objects.

import type { KubeObject } from "../../api/object.ts";
import type { AdmissionPlugin, AdmissionRequest } from "../registry/admission.ts";
import { forbiddenFor } from "./attributes.ts";
import { currentRequest } from "./request-context.ts";
import { isRequestTarget } from "./request-target.ts";
import { nodeNameOf } from "./user.ts";

function boundNode(pod: KubeObject | undefined): string {
  const spec = pod?.spec as { nodeName?: unknown } | undefined;
  return typeof spec?.nodeName === "string" ? spec.nodeName : "";
}

function admitPod(node: string, request: AdmissionRequest): void {
  const name = request.object.metadata.name ?? "";
  if (request.operation === "DELETE" && boundNode(request.object) !== node) {
    throw forbiddenFor(
      "",
      "pods",
      name,
      `node "${node}" can only delete pods with spec.nodeName set to itself`,
    );
  }
  if (request.operation === "UPDATE" && request.subresource === "status" && boundNode(request.old) !== node) {
    throw forbiddenFor(
      "",
      "pods",
      name,
      `node "${node}" can only update pod status for pods with spec.nodeName set to itself`,
    );
  }
}

export const nodeRestriction: AdmissionPlugin = {
  name: "NodeRestriction",
  admit(request) {
    const context = currentRequest();
    const node = context === undefined ? undefined : nodeNameOf(context.user);
    if (
      node === undefined ||
      request.definition.group !== "" ||
      !isRequestTarget(request, context?.attributes)
    )
      return;
    if (request.definition.plural === "nodes") {
      const name = request.object.metadata.name ?? "";
      if (name !== node) {
        throw forbiddenFor("", "nodes", name, `node "${node}" is not allowed to modify node "${name}"`);
      }
    } else if (request.definition.plural === "pods") {
      admitPod(node, request);
    }
  },
};
