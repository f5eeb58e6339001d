// The OpenAPI v3 documents of /openapi/v3: one per group-version with the paths and kind schemas
// kubectl needs (create/apply validation, `kubectl explain`), and the root listing them by hash.

import { createHash } from "node:crypto";
import { apiVersionOf, type OpenAPISchema, type ResourceDefinition } from "../registry/resource.ts";
import { LIST_META, metaSchemas, schemaRef } from "./meta-schemas.ts";
import { type GroupVersion, resourcePaths } from "./openapi-paths.ts";

export type { GroupVersion } from "./openapi-paths.ts";

/** Groups whose Go types live outside k8s.io/api, named as upstream names them. */
const SPECIAL_PREFIXES: Readonly<Record<string, string>> = {
  "": "io.k8s.api.core",
  "apiextensions.k8s.io": "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions",
  "apiregistration.k8s.io": "io.k8s.kube-aggregator.pkg.apis.apiregistration",
};

/** `io.openshift.machineconfiguration.v1.MachineConfigPool`, `io.k8s.api.core.v1.Pod`. */
export function openAPISchemaName(group: string, version: string, kind: string): string {
  const special = SPECIAL_PREFIXES[group];
  const builtIn = !group.includes(".") || group.endsWith(".k8s.io");
  const prefix =
    special ?? (builtIn ? `io.k8s.api.${group.split(".")[0]}` : group.split(".").reverse().join("."));
  return `${prefix}.${version}.${kind}`;
}

function kindSchema(
  resource: ResourceDefinition,
  gv: GroupVersion,
  schema: OpenAPISchema | undefined,
): OpenAPISchema {
  const base: OpenAPISchema =
    schema === undefined
      ? { type: "object", "x-kubernetes-preserve-unknown-fields": true }
      : structuredClone(schema);
  const description =
    typeof base.description === "string"
      ? base.description
      : `${resource.kind} is a ${apiVersionOf(gv.group, gv.version)} resource.`;
  return { ...base, description, "x-kubernetes-group-version-kind": [{ ...gv, kind: resource.kind }] };
}

function listSchema(resource: ResourceDefinition, gv: GroupVersion, kindName: string): OpenAPISchema {
  return {
    description: `${resource.listKind} is a list of ${resource.kind}`,
    type: "object",
    required: ["items"],
    properties: {
      apiVersion: {
        type: "string",
        description: "APIVersion defines the versioned schema of this representation of an object.",
      },
      kind: {
        type: "string",
        description: "Kind is a string value representing the REST resource this object represents.",
      },
      items: { type: "array", description: `List of ${resource.plural}.`, items: schemaRef(kindName) },
      metadata: { description: "Standard list metadata.", allOf: [schemaRef(LIST_META)] },
    },
    "x-kubernetes-group-version-kind": [{ ...gv, kind: resource.listKind }],
  };
}

/** The document of `/openapi/v3/api/v1` or `/openapi/v3/apis/<group>/<version>`. */
export function openAPIDocument(
  groupVersion: GroupVersion,
  resources: readonly ResourceDefinition[],
): object {
  const gv = { group: groupVersion.group, version: groupVersion.version };
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, OpenAPISchema> = metaSchemas();
  for (const resource of resources) {
    if (resource.group !== gv.group) continue;
    const version = resource.versions.find((v) => v.name === gv.version && v.served);
    if (version === undefined) continue;
    const names = {
      kind: openAPISchemaName(gv.group, gv.version, resource.kind),
      list: openAPISchemaName(gv.group, gv.version, resource.listKind),
    };
    schemas[names.kind] = kindSchema(resource, gv, version.schema);
    schemas[names.list] = listSchema(resource, gv, names.kind);
    Object.assign(paths, resourcePaths(resource, gv, names));
  }
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: "v1.32.0" },
    paths,
    components: { schemas },
  };
}

export interface PublishedDocument extends GroupVersion {
  document: object;
}

/** `api/v1`, `apis/<group>/<version>`: the key of a document in the root. */
export function openAPIPath(gv: GroupVersion): string {
  return gv.group === "" ? `api/${gv.version}` : `apis/${gv.group}/${gv.version}`;
}

export function openAPIDocumentHash(document: object): string {
  return createHash("sha256").update(JSON.stringify(document)).digest("hex");
}

/** The `/openapi/v3` root; each URL carries the hash of its document so clients refetch on change. */
export function openAPIRoot(documents: readonly PublishedDocument[]): {
  paths: Record<string, { serverRelativeURL: string }>;
} {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const entry of documents) {
    const path = openAPIPath(entry);
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${openAPIDocumentHash(entry.document)}` };
  }
  return { paths };
}
