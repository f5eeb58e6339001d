// core/v1 Namespace. The namespace lifecycle controller (elsewhere) empties a Terminating
// namespace and then removes `kubernetes` from spec.finalizers.

import type { KubeObject } from "../../../api/object.ts";
import type { FieldIssue } from "../../errors.ts";
import { NAMESPACE_TABLE } from "../../printers/builtin-tables.ts";
import { builtinResource, statusSubresource } from "./definition.ts";
import { fieldInvalid } from "./field-issues.ts";
import { namespaceFieldLabels, SUPPORTED_FIELD_LABELS } from "./field-labels.ts";
import { isQualifiedName } from "./names.ts";
import { at, ensureRecord, list, text } from "./object-fields.ts";
import { arrayOf, obj, str } from "./openapi.ts";
import { builtinStrategy } from "./strategy.ts";

export const NAMESPACE_FINALIZER = "kubernetes";
/** Label the API server keeps equal to the namespace's name, so selectors can pick namespaces by name. */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

function setNameLabel(namespace: KubeObject): void {
  const name = namespace.metadata.name;
  if (name === undefined || name === "") return;
  namespace.metadata.labels = { ...namespace.metadata.labels, [NAMESPACE_NAME_LABEL]: name };
}

function prepareForCreate(namespace: KubeObject): void {
  namespace.status = { phase: "Active" };
  const spec = ensureRecord(namespace, "spec");
  const finalizers = list(spec.finalizers);
  if (!finalizers.includes(NAMESPACE_FINALIZER)) spec.finalizers = [...finalizers, NAMESPACE_FINALIZER];
  setNameLabel(namespace);
}

/** Deletion marks the namespace Terminating; it stays while spec.finalizers is non-empty. */
function prepareForDelete(namespace: KubeObject): boolean {
  const spec = ensureRecord(namespace, "spec");
  ensureRecord(namespace, "status").phase = "Terminating";
  return list(spec.finalizers).length > 0;
}

function validate(namespace: KubeObject): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const finalizer of list(at(namespace, "spec", "finalizers"))) {
    const name = text(finalizer) ?? "";
    for (const message of isQualifiedName(name))
      issues.push(fieldInvalid("spec.finalizers", finalizer, message));
  }
  return issues;
}

export const NAMESPACE_RESOURCE = builtinResource({
  group: "",
  version: "v1",
  kind: "Namespace",
  plural: "namespaces",
  namespaced: false,
  shortNames: ["ns"],
  subresources: [statusSubresource("Namespace")],
  description: "Namespace provides a scope for Names.",
  properties: {
    spec: obj("Spec defines the behavior of the Namespace.", {
      finalizers: arrayOf(
        "Finalizers that must be empty before the namespace is removed.",
        str("A finalizer."),
      ),
    }),
    status: obj("Status describes the current status of a Namespace.", {
      phase: str("Phase is the current lifecycle phase of the namespace: Active or Terminating."),
    }),
  },
  strategy: builtinStrategy({
    meta: { namespaced: false, nameRule: "label" },
    hasStatusSubresource: true,
    fieldLabels: namespaceFieldLabels,
    prepareForCreate,
    prepareForUpdate: setNameLabel,
    validate,
    selectableFields: SUPPORTED_FIELD_LABELS.namespaces ?? [],
    prepareForDelete,
    table: NAMESPACE_TABLE,
  }),
});
