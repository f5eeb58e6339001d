// meta/v1 schemas every per-group-version OpenAPI document carries, so the `$ref`s of published
// kinds resolve for `kubectl explain <kind>.metadata`. Abridged from upstream's descriptions.

import type { OpenAPISchema } from "../registry/resource.ts";

const META = "io.k8s.apimachinery.pkg.apis.meta.v1";
export const OBJECT_META = `${META}.ObjectMeta`;
export const LIST_META = `${META}.ListMeta`;
export const STATUS = `${META}.Status`;
const OWNER_REFERENCE = `${META}.OwnerReference`;

export function schemaRef(name: string): OpenAPISchema {
  return { $ref: `#/components/schemas/${name}` };
}

const str = (description: string): OpenAPISchema => ({ type: "string", description });
const time = (description: string): OpenAPISchema => ({ type: "string", format: "date-time", description });
const stringMap = (description: string): OpenAPISchema => ({
  type: "object",
  description,
  additionalProperties: { type: "string", default: "" },
});

const OBJECT_META_SCHEMA: OpenAPISchema = {
  description:
    "ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.",
  type: "object",
  properties: {
    name: str("Name must be unique within a namespace. Cannot be updated."),
    generateName: str("GenerateName is an optional prefix, used by the server, to generate a unique name."),
    namespace: str("Namespace defines the space within which each name must be unique."),
    uid: str("UID is the unique in time and space value for this object. Populated by the system."),
    resourceVersion: str("An opaque value that represents the internal version of this object."),
    generation: {
      type: "integer",
      format: "int64",
      description: "A sequence number representing a specific generation of the desired state.",
    },
    creationTimestamp: time("CreationTimestamp is the server time when this object was created."),
    deletionTimestamp: time("DeletionTimestamp is the time after which this resource will be deleted."),
    deletionGracePeriodSeconds: {
      type: "integer",
      format: "int64",
      description: "Seconds allowed for graceful termination.",
    },
    labels: stringMap("Map of string keys and values that can be used to organize and categorize objects."),
    annotations: stringMap("Unstructured key value map stored with a resource."),
    finalizers: {
      type: "array",
      description: "Must be empty before the object is deleted from the registry.",
      items: { type: "string", default: "" },
      "x-kubernetes-list-type": "set",
    },
    ownerReferences: {
      type: "array",
      description: "List of objects depended by this object.",
      items: { default: {}, allOf: [schemaRef(OWNER_REFERENCE)] },
      "x-kubernetes-list-map-keys": ["uid"],
      "x-kubernetes-list-type": "map",
    },
    managedFields: {
      type: "array",
      description: "Maps workflow-id and version to the set of fields that are managed by that workflow.",
      items: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
    },
  },
};

const OWNER_REFERENCE_SCHEMA: OpenAPISchema = {
  description: "OwnerReference contains enough information to let you identify an owning object.",
  type: "object",
  required: ["apiVersion", "kind", "name", "uid"],
  properties: {
    apiVersion: str("API version of the referent."),
    kind: str("Kind of the referent."),
    name: str("Name of the referent."),
    uid: str("UID of the referent."),
    controller: {
      type: "boolean",
      description: "If true, this reference points to the managing controller.",
    },
    blockOwnerDeletion: {
      type: "boolean",
      description: "If true, the owner cannot be deleted before this object.",
    },
  },
  "x-kubernetes-map-type": "atomic",
};

const LIST_META_SCHEMA: OpenAPISchema = {
  description: "ListMeta describes metadata that synthetic resources must have, including lists.",
  type: "object",
  properties: {
    resourceVersion: str("String that identifies the server's internal version of this object."),
    continue: str("Set if the user set a limit on the number of items returned."),
    remainingItemCount: {
      type: "integer",
      format: "int64",
      description: "The number of subsequent items in the list.",
    },
  },
};

const STATUS_SCHEMA: OpenAPISchema = {
  description: "Status is a return value for calls that don't return other objects.",
  type: "object",
  properties: {
    apiVersion: str("APIVersion defines the versioned schema of this representation of an object."),
    kind: str("Kind is a string value representing the REST resource this object represents."),
    status: str('Status of the operation. One of: "Success" or "Failure".'),
    message: str("A human-readable description of the status of this operation."),
    reason: str("A machine-readable description of why this operation is in the Failure status."),
    code: { type: "integer", format: "int32", description: "Suggested HTTP return code for this status." },
    details: {
      type: "object",
      description: "Extended data associated with the reason.",
      "x-kubernetes-preserve-unknown-fields": true,
    },
  },
};

export function metaSchemas(): Record<string, OpenAPISchema> {
  return structuredClone({
    [OBJECT_META]: OBJECT_META_SCHEMA,
    [OWNER_REFERENCE]: OWNER_REFERENCE_SCHEMA,
    [LIST_META]: LIST_META_SCHEMA,
    [STATUS]: STATUS_SCHEMA,
  });
}
