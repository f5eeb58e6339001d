// What a request path asks for, in the manner of k8s.io/apiserver's RequestInfo.

export interface ResourceRequest {
  kind: "resource";
  group: string;
  version: string;
  /** "" for cluster-scoped requests and for lists across all namespaces. */
  namespace: string;
  resource: string;
  name: string | undefined;
  subresource: string | undefined;
}

export interface DiscoveryRequest {
  kind: "discovery";
  /** `/api`, `/apis`, `/apis/<group>`, `/api/v1`, `/apis/<group>/<version>`. */
  root: "api" | "apis";
  group: string | undefined;
  version: string | undefined;
}

export type RequestInfo = ResourceRequest | DiscoveryRequest | { kind: "other"; path: string };

export function parseRequestPath(pathname: string): RequestInfo {
  const parts = pathname
    .split("/")
    .filter((p) => p !== "")
    .map(decodeURIComponent);
  const [root, ...rest] = parts;
  if (root === "api") {
    const [version, ...tail] = rest;
    if (version === undefined)
      return { kind: "discovery", root: "api", group: undefined, version: undefined };
    if (tail.length === 0) return { kind: "discovery", root: "api", group: "", version };
    return resourceParts("", version, tail) ?? { kind: "other", path: pathname };
  }
  if (root === "apis") {
    const [group, version, ...tail] = rest;
    if (group === undefined) return { kind: "discovery", root: "apis", group: undefined, version: undefined };
    if (version === undefined) return { kind: "discovery", root: "apis", group, version: undefined };
    if (tail.length === 0) return { kind: "discovery", root: "apis", group, version };
    return resourceParts(group, version, tail) ?? { kind: "other", path: pathname };
  }
  return { kind: "other", path: pathname };
}

const NAMESPACE_SUBRESOURCES = new Set(["status", "finalize"]);

function resourceParts(group: string, version: string, parts: string[]): ResourceRequest | undefined {
  let namespace = "";
  let rest = parts;
  // `/namespaces/<ns>/<resource>...` is namespaced; `/namespaces/<name>[/status|/finalize]` is the Namespace itself.
  if (parts[0] === "namespaces" && parts.length >= 3 && !NAMESPACE_SUBRESOURCES.has(parts[2] ?? "")) {
    namespace = parts[1] ?? "";
    rest = parts.slice(2);
  }
  const [resource, name, subresource, ...extra] = rest;
  if (resource === undefined || extra.length > 0) return undefined;
  return { kind: "resource", group, version, namespace, resource, name, subresource };
}
