// POST pods/<name>/binding: assign an unscheduled pod to a node (what a scheduler does).
//
// Like Kubernetes' BindingREST this writes storage directly, past the Pod strategy: spec.nodeName
// is immutable through updates, and binding is the one way to set it.

import { isPlainObject, type KubeObject } from "../../api/object.ts";
import { conflict, type FieldIssue, invalid } from "../errors.ts";
import type { SubresourceCall, SubresourceHandler } from "../http/handlers.ts";
import { successStatus, writeJson } from "../http/respond.ts";
import { timestamp } from "../registry/names.ts";
import { withStorageErrors } from "../registry/storage-errors.ts";
import { groupResource, objectKey } from "../registry/store.ts";
import { nodeName } from "./pod-fields.ts";
import { readSubresourceBody, requirePost } from "./subresource-call.ts";

const BINDING_GR = { group: "", resource: "pods/binding" };

function targetNode(binding: KubeObject, name: string): string {
  const target = isPlainObject(binding.target) ? binding.target : {};
  const kind = target.kind ?? "";
  const node = typeof target.name === "string" ? target.name : "";
  const issues: FieldIssue[] = [];
  if (kind !== "" && kind !== "Node") {
    issues.push({
      field: "target.kind",
      reason: "FieldValueNotSupported",
      message: `target.kind: Unsupported value: "${String(kind)}": supported values: "Node"`,
    });
  }
  if (node === "")
    issues.push({
      field: "target.name",
      reason: "FieldValueRequired",
      message: "target.name: Required value",
    });
  if (issues.length > 0) throw invalid("", "Binding", name, issues);
  return node;
}

/** The pod bound to `node`: spec.nodeName, the binding's annotations, and PodScheduled=True. */
function bound(current: KubeObject, binding: KubeObject, node: string, now: Date): KubeObject {
  const next = structuredClone(current);
  next.spec = { ...(isPlainObject(next.spec) ? next.spec : {}), nodeName: node };
  const annotations = binding.metadata.annotations;
  if (annotations !== undefined) next.metadata.annotations = { ...next.metadata.annotations, ...annotations };
  const status = isPlainObject(next.status) ? next.status : {};
  const conditions = (Array.isArray(status.conditions) ? status.conditions : []).filter(
    (c: unknown) => !(isPlainObject(c) && c.type === "PodScheduled"),
  );
  conditions.push({
    type: "PodScheduled",
    status: "True",
    lastProbeTime: null,
    lastTransitionTime: timestamp(now),
  });
  next.status = { ...status, conditions };
  return next;
}

async function bind(call: SubresourceCall): Promise<void> {
  requirePost(call);
  const binding = await readSubresourceBody(call, "Binding", ["v1"]);
  const name = binding.metadata.name ?? "";
  const node = targetNode(binding, name);
  const wantedUid = binding.metadata.uid;
  withStorageErrors(groupResource(call.definition), name, () =>
    call.store.storage.guaranteedUpdate(objectKey(call.scope, name), (current) => {
      if (wantedUid !== undefined && wantedUid !== "" && wantedUid !== current.metadata.uid) {
        throw conflict(
          BINDING_GR,
          name,
          `Precondition failed: UID in precondition: ${wantedUid}, UID in object meta: ${current.metadata.uid ?? ""}`,
        );
      }
      if (current.metadata.deletionTimestamp !== undefined) {
        throw conflict(BINDING_GR, name, `pod ${name} is being deleted, cannot be assigned to a host`);
      }
      const assigned = nodeName(current);
      if (assigned !== "")
        throw conflict(BINDING_GR, name, `pod ${name} is already assigned to node "${assigned}"`);
      return bound(current, binding, node, call.store.now());
    }),
  );
  writeJson(call.res, 201, successStatus(201));
}

export const bindingHandler: SubresourceHandler = bind;
