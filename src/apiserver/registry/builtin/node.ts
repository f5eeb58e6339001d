// core/v1 Node. Status is kept on create: a node agent registers with its status filled in.

import type { KubeObject } from "../../../api/object.ts";
import type { FieldIssue } from "../../errors.ts";
import { NODE_TABLE } from "../../printers/builtin-tables.ts";
import { builtinResource, statusSubresource } from "./definition.ts";
import { child, fieldInvalid, fieldNotSupported, fieldRequired, index } from "./field-issues.ts";
import { nodeFieldLabels, SUPPORTED_FIELD_LABELS } from "./field-labels.ts";
import { isQualifiedName } from "./names.ts";
import { at, list, record, text } from "./object-fields.ts";
import { arrayOf, bool, CONDITIONS, obj, str, stringMapOf } from "./openapi.ts";
import { NODE_PATCH_SCHEMA } from "./patch-schemas.ts";
import { builtinStrategy } from "./strategy.ts";

const TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"] as const;

function validate(node: KubeObject): FieldIssue[] {
  const issues: FieldIssue[] = [];
  list(at(node, "spec", "taints")).forEach((taint, i) => {
    const path = index("spec.taints", i);
    const fields = record(taint) ?? {};
    const key = text(fields.key) ?? "";
    for (const message of isQualifiedName(key)) issues.push(fieldInvalid(child(path, "key"), key, message));
    const effect = text(fields.effect) ?? "";
    if (effect === "") issues.push(fieldRequired(child(path, "effect")));
    else if (!(TAINT_EFFECTS as readonly string[]).includes(effect)) {
      issues.push(fieldNotSupported(child(path, "effect"), effect, TAINT_EFFECTS));
    }
  });
  return issues;
}

const taint = obj("A taint repels pods that do not tolerate it.", {
  key: str("The taint key."),
  value: str("The taint value."),
  effect: str("NoSchedule, PreferNoSchedule or NoExecute."),
});

export const NODE_RESOURCE = builtinResource({
  group: "",
  version: "v1",
  kind: "Node",
  plural: "nodes",
  namespaced: false,
  shortNames: ["no"],
  subresources: [statusSubresource("Node")],
  description: "Node is a worker machine that runs pods.",
  properties: {
    spec: obj("Spec defines the behavior of a node.", {
      podCIDR: str("The pod IP range assigned to the node."),
      podCIDRs: arrayOf("The pod IP ranges assigned to the node.", str("A CIDR.")),
      providerID: str("ID of the node assigned by the cloud provider."),
      unschedulable: bool("Unschedulable keeps new pods off the node (cordon)."),
      taints: arrayOf("Taints of the node; the list is replaced whole on patch.", taint),
    }),
    status: obj("Most recently observed status of the node.", {
      conditions: CONDITIONS,
      addresses: arrayOf(
        "Addresses reachable to the node.",
        obj("An address of the node.", {
          type: str("Hostname, InternalIP or ExternalIP."),
          address: str("The address."),
        }),
      ),
      capacity: stringMapOf("Total resources of the node."),
      allocatable: stringMapOf("Resources available for scheduling."),
      nodeInfo: obj("General information about the node (kernel, OS image, kubelet version)."),
    }),
  },
  strategy: builtinStrategy({
    meta: { namespaced: false, nameRule: "subdomain" },
    hasStatusSubresource: true,
    patchSchema: NODE_PATCH_SCHEMA,
    fieldLabels: nodeFieldLabels,
    selectableFields: SUPPORTED_FIELD_LABELS.nodes ?? [],
    validate,
    table: NODE_TABLE,
  }),
});
