// The OpenAPI v3 path items of one resource in one group-version: collection, item and
// subresources, with the operations its verbs allow. kubectl reads the PATCH operation: its GVK
// extension finds the kind, a `fieldValidation` parameter makes it send fieldValidation=Strict.

import type { ResourceDefinition, Verb } from "../registry/resource.ts";
import { STATUS, schemaRef } from "./meta-schemas.ts";

export interface GroupVersion {
  group: string;
  version: string;
}

interface GroupVersionKind extends GroupVersion {
  kind: string;
}

type PathItem = Record<string, unknown>;

const query = (name: string, type = "string"): object => ({
  name,
  in: "query",
  schema: { type, uniqueItems: true },
});
const pathParameter = (name: string): object => ({
  name,
  in: "path",
  required: true,
  schema: { type: "string" },
});

const WRITE_PARAMETERS = [query("dryRun"), query("fieldManager"), query("fieldValidation")];
const PATCH_PARAMETERS = [...WRITE_PARAMETERS, query("force", "boolean")];
const LIST_PARAMETERS = [
  "labelSelector",
  "fieldSelector",
  "continue",
  "resourceVersion",
  "resourceVersionMatch",
]
  .map((name) => query(name))
  .concat(query("limit", "integer"), query("timeoutSeconds", "integer"), query("watch", "boolean"));

/** Strategic merge patch is left out on purpose: kubectl then builds it from compiled-in types. */
const PATCH_BODY = {
  content: {
    "application/json-patch+json": {},
    "application/merge-patch+json": {},
    "application/apply-patch+yaml": {},
  },
  required: true,
};

function camel(text: string): string {
  return text
    .split(/[.-]/)
    .filter((part) => part !== "")
    .map((part) => (part[0] ?? "").toUpperCase() + part.slice(1))
    .join("");
}

function jsonResponse(schemaName: string, code: string): object {
  const content = { "application/json": { schema: schemaRef(schemaName) } };
  return {
    [code]: { description: code === "201" ? "Created" : "OK", content },
    "401": { description: "Unauthorized" },
  };
}

interface OperationSpec {
  action: string;
  verb: string;
  gvk: GroupVersionKind;
  suffix: string;
  response: string;
  code?: string;
  parameters?: readonly object[];
  requestBody?: object;
}

function operation(spec: OperationSpec): object {
  const { group, version } = spec.gvk;
  const groupName = camel(group === "" ? "core" : group);
  return {
    tags: [`${groupName.toLowerCase()}_${version}`],
    operationId: `${spec.verb}${groupName}${camel(version)}${spec.suffix}`,
    ...(spec.parameters === undefined ? {} : { parameters: spec.parameters }),
    ...(spec.requestBody === undefined ? {} : { requestBody: spec.requestBody }),
    responses: jsonResponse(spec.response, spec.code ?? "200"),
    "x-kubernetes-action": spec.action,
    "x-kubernetes-group-version-kind": spec.gvk,
  };
}

const bodyOf = (schemaName: string): object => ({
  content: { "*/*": { schema: schemaRef(schemaName) } },
  required: true,
});

export interface ResourceSchemaNames {
  kind: string;
  list: string;
}

function collectionItem(
  resource: ResourceDefinition,
  gv: GroupVersion,
  names: ResourceSchemaNames,
  scope: string,
): PathItem {
  const gvk = { ...gv, kind: resource.kind };
  const has = (verb: Verb): boolean => resource.verbs.includes(verb);
  const suffix = `${scope}${resource.kind}`;
  const item: PathItem = {};
  if (has("list")) {
    item.get = operation({
      action: "list",
      verb: "list",
      gvk,
      suffix,
      response: names.list,
      parameters: LIST_PARAMETERS,
    });
  }
  if (has("create")) {
    const spec = { action: "post", verb: "create", gvk, suffix, response: names.kind, code: "201" };
    item.post = operation({ ...spec, parameters: WRITE_PARAMETERS, requestBody: bodyOf(names.kind) });
  }
  if (has("deletecollection")) {
    item.delete = operation({
      action: "deletecollection",
      verb: "deleteCollection",
      gvk,
      suffix,
      response: STATUS,
    });
  }
  return item;
}

function objectItem(
  verbs: readonly Verb[],
  gvk: GroupVersionKind,
  suffix: string,
  schemaName: string,
): PathItem {
  const item: PathItem = {};
  const base = { gvk, suffix, response: schemaName };
  if (verbs.includes("get")) item.get = operation({ ...base, action: "get", verb: "read" });
  if (verbs.includes("create")) {
    item.post = operation({
      ...base,
      action: "post",
      verb: "create",
      code: "201",
      parameters: WRITE_PARAMETERS,
      requestBody: bodyOf(schemaName),
    });
  }
  if (verbs.includes("update")) {
    item.put = operation({
      ...base,
      action: "put",
      verb: "replace",
      parameters: WRITE_PARAMETERS,
      requestBody: bodyOf(schemaName),
    });
  }
  if (verbs.includes("patch")) {
    item.patch = operation({
      ...base,
      action: "patch",
      verb: "patch",
      parameters: PATCH_PARAMETERS,
      requestBody: PATCH_BODY,
    });
  }
  if (verbs.includes("delete"))
    item.delete = operation({ ...base, action: "delete", verb: "delete", response: STATUS });
  return item;
}

function withParameters(item: PathItem, names: readonly string[]): PathItem {
  return { ...item, parameters: [...names.map(pathParameter), query("pretty")] };
}

/** Every path of `resource` in `gv`, keyed by URL template. */
export function resourcePaths(
  resource: ResourceDefinition,
  gv: GroupVersion,
  names: ResourceSchemaNames,
): Record<string, PathItem> {
  const prefix = gv.group === "" ? `/api/${gv.version}` : `/apis/${gv.group}/${gv.version}`;
  const scope = resource.namespaced ? "Namespaced" : "";
  const collection = `${prefix}${resource.namespaced ? "/namespaces/{namespace}" : ""}/${resource.plural}`;
  const scopeParameters = resource.namespaced ? ["namespace"] : [];
  const paths: Record<string, PathItem> = {
    [collection]: withParameters(collectionItem(resource, gv, names, scope), scopeParameters),
  };
  const gvk = { ...gv, kind: resource.kind };
  const item = objectItem(resource.verbs, gvk, `${scope}${resource.kind}`, names.kind);
  paths[`${collection}/{name}`] = withParameters(item, ["name", ...scopeParameters]);
  for (const sub of resource.subresources) {
    const subGvk = { group: sub.group ?? gv.group, version: sub.version ?? gv.version, kind: sub.kind };
    const schemaName = sub.kind === resource.kind ? names.kind : STATUS;
    const subItem = objectItem(sub.verbs, subGvk, `${scope}${resource.kind}${camel(sub.name)}`, schemaName);
    paths[`${collection}/{name}/${sub.name}`] = withParameters(subItem, ["name", ...scopeParameters]);
  }
  if (resource.namespaced && resource.verbs.includes("list")) {
    const all = collectionItem({ ...resource, verbs: ["list"] }, gv, names, "");
    paths[`${prefix}/${resource.plural}`] = withParameters(all, []);
  }
  return paths;
}
