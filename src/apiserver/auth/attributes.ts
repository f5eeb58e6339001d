// Authorization attributes of a request, as k8s.io/apiserver's RequestInfo derives them from method
// and path, and the 403 Kubernetes answers when they are denied.

import { ApiError, type StatusDetails } from "../errors.ts";
import type { RequestInfo } from "../http/request-info.ts";
import type { UserInfo } from "./user.ts";

export interface ResourceAttributes {
  kind: "resource";
  verb: string;
  group: string;
  version: string;
  resource: string;
  /** "" when none. */
  subresource: string;
  /** "" for cluster-scoped objects and requests across all namespaces. */
  namespace: string;
  /** "" when the request names no object. */
  name: string;
}

export interface NonResourceAttributes {
  kind: "nonResource";
  /** The HTTP method, lower case. */
  verb: string;
  path: string;
}

export type Attributes = ResourceAttributes | NonResourceAttributes;

/** The name a list or watch is limited to by `fieldSelector=metadata.name=<x>`, as RBAC sees it. */
function selectedName(fieldSelector: string | null): string {
  for (const term of (fieldSelector ?? "").split(",")) {
    const match = /^\s*metadata\.name\s*==?\s*(.*?)\s*$/.exec(term);
    if (match) return match[1] ?? "";
  }
  return "";
}

function resourceVerb(method: string, named: boolean, query: URLSearchParams): string {
  switch (method) {
    case "POST":
      return "create";
    case "PUT":
      return "update";
    case "PATCH":
      return "patch";
    case "DELETE":
      return named ? "delete" : "deletecollection";
    case "GET":
    case "HEAD": {
      if (named) return "get";
      const watch = query.get("watch");
      return watch === "true" || watch === "1" ? "watch" : "list";
    }
    default:
      return method.toLowerCase();
  }
}

export function requestAttributes(
  method: string,
  path: string,
  info: RequestInfo,
  query: URLSearchParams,
): Attributes {
  if (info.kind !== "resource") return { kind: "nonResource", verb: method.toLowerCase(), path };
  const verb = resourceVerb(method, info.name !== undefined, query);
  let name = info.name ?? "";
  if (verb === "list" || verb === "watch") name = selectedName(query.get("fieldSelector"));
  // A Namespace is authorized inside itself, so a RoleBinding there can grant reading it.
  const namespace =
    info.group === "" && info.resource === "namespaces" && info.name !== undefined
      ? info.name
      : info.namespace;
  return {
    kind: "resource",
    verb,
    group: info.group,
    version: info.version,
    resource: info.resource,
    subresource: info.subresource ?? "",
    namespace,
    name,
  };
}

/** upstream's forbiddenMessage (endpoints/handlers/responsewriters/errors.go). */
export function forbiddenMessage(user: UserInfo, attributes: Attributes): string {
  if (attributes.kind === "nonResource") {
    return `User "${user.name}" cannot ${attributes.verb} path "${attributes.path}"`;
  }
  const resource =
    attributes.subresource === "" ? attributes.resource : `${attributes.resource}/${attributes.subresource}`;
  const where =
    attributes.namespace === "" ? "at the cluster scope" : `in the namespace "${attributes.namespace}"`;
  return `User "${user.name}" cannot ${attributes.verb} resource "${resource}" in API group "${attributes.group}" ${where}`;
}

/** A 403 for `<group-resource> "<name>"` with `why` (apierrors.NewForbidden). */
export function forbiddenFor(group: string, resource: string, name: string, why: string): ApiError {
  const qualified = group === "" ? resource : `${resource}.${group}`;
  const subject =
    resource === ""
      ? "forbidden"
      : name === ""
        ? `${qualified} is forbidden`
        : `${qualified} "${name}" is forbidden`;
  const details: StatusDetails = {};
  if (name !== "") details.name = name;
  if (group !== "") details.group = group;
  if (resource !== "") details.kind = resource;
  return new ApiError(403, "Forbidden", `${subject}: ${why}`, details);
}

export function forbidden(user: UserInfo, attributes: Attributes, reason: string): ApiError {
  const message = forbiddenMessage(user, attributes);
  const why = reason === "" ? message : `${message}: ${reason}`;
  if (attributes.kind === "nonResource") return forbiddenFor("", "", "", why);
  return forbiddenFor(attributes.group, attributes.resource, attributes.name, why);
}
