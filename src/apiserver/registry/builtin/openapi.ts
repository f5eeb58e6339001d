// Builders for the small hand-written OpenAPI v3 schemas of the built-in kinds: enough structure
// and description for `kubectl explain` and for publishing, not a full upstream schema.

import type { OpenAPISchema } from "../resource.ts";

export const str = (description: string): OpenAPISchema => ({ type: "string", description });
export const int = (description: string): OpenAPISchema => ({
  type: "integer",
  format: "int32",
  description,
});
export const bool = (description: string): OpenAPISchema => ({ type: "boolean", description });
export const stringMapOf = (description: string): OpenAPISchema => ({
  type: "object",
  description,
  additionalProperties: { type: "string" },
});
export const arrayOf = (description: string, items: OpenAPISchema): OpenAPISchema => ({
  type: "array",
  description,
  items,
});
export const obj = (description: string, properties: Record<string, OpenAPISchema> = {}): OpenAPISchema =>
  Object.keys(properties).length === 0
    ? { type: "object", description, "x-kubernetes-preserve-unknown-fields": true }
    : { type: "object", description, properties };

export const CONDITIONS = arrayOf(
  "Current service state, one entry per condition type.",
  obj("A condition of the object.", {
    type: str("Type of the condition."),
    status: str("Status of the condition: True, False or Unknown."),
    reason: str("Machine-readable reason for the last transition."),
    message: str("Human-readable details of the last transition."),
    lastTransitionTime: { type: "string", format: "date-time", description: "Last time the status changed." },
  }),
);

const METADATA = obj("Standard object's metadata.", {
  name: str("Name, unique within a namespace."),
  namespace: str("Namespace of a namespaced object."),
  labels: stringMapOf("Labels for organising and selecting objects."),
  annotations: stringMapOf("Annotations: unstructured key-value data."),
});

export interface KindSchemaSpec {
  group: string;
  version: string;
  kind: string;
  description: string;
  properties: Record<string, OpenAPISchema>;
}

/** The whole-object schema: apiVersion, kind, metadata plus the kind's own top-level fields. */
export function kindSchema(spec: KindSchemaSpec): OpenAPISchema {
  return {
    type: "object",
    description: spec.description,
    "x-kubernetes-group-version-kind": [{ group: spec.group, version: spec.version, kind: spec.kind }],
    properties: {
      apiVersion: str("Versioned schema of this representation of an object."),
      kind: str("REST resource this object represents."),
      metadata: METADATA,
      ...spec.properties,
    },
  };
}
