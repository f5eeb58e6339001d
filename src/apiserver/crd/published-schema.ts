// The whole-object schema of one CRD version as Kubernetes publishes it: the CRD's openAPIV3Schema
// with apiVersion and kind described and metadata replaced by a reference to ObjectMeta.

import type { OpenAPISchema } from "../registry/resource.ts";
import { OBJECT_META, schemaRef } from "./meta-schemas.ts";
import { schemaProperties } from "./schema-access.ts";

const API_VERSION_DESCRIPTION =
  "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources";
const KIND_DESCRIPTION =
  "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds";
const METADATA_DESCRIPTION =
  "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

/** A new schema; `schema` (the structural one used for validation) is not changed. */
export function publishedSchema(schema: OpenAPISchema | undefined): OpenAPISchema {
  const published: OpenAPISchema =
    schema === undefined
      ? { type: "object", "x-kubernetes-preserve-unknown-fields": true }
      : structuredClone(schema);
  published.type = "object";
  const properties = schemaProperties(published);
  published.properties = {
    ...properties,
    apiVersion: properties.apiVersion ?? { type: "string", description: API_VERSION_DESCRIPTION },
    kind: properties.kind ?? { type: "string", description: KIND_DESCRIPTION },
    metadata: { description: METADATA_DESCRIPTION, allOf: [schemaRef(OBJECT_META)] },
  };
  return published;
}
