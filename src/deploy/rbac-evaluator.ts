// A small RBAC authorizer over PolicyRules, as Kubernetes' RBAC evaluates them (rbac/v1
// helpers.go): apiGroups, resources (`pods/eviction` for a subresource, `*` for all, `*/<sub>` for
// a subresource of any resource), verbs, resourceNames. A Role's rules count only in its own
// namespace; a ClusterRole's everywhere. Used to check deploy/ against permissions.ts.

import type { PolicyRule } from "./rbac.ts";

export interface AccessRequest {
  group: string;
  resource: string;
  subresource?: string | undefined;
  verb: string;
  /** Unset: a cluster-scoped object, or a request across all namespaces. */
  namespace?: string | undefined;
  /** The object's name; unset for create and for list/watch without a metadata.name selector. */
  name?: string | undefined;
}

export interface Grant {
  rules: readonly PolicyRule[];
  /** Unset for a ClusterRole binding; the Role's namespace otherwise. */
  namespace?: string | undefined;
}

const matches = (values: readonly string[], wanted: string): boolean =>
  values.includes("*") || values.includes(wanted);

function resourceMatches(resources: readonly string[], request: AccessRequest): boolean {
  if (request.subresource === undefined) return matches(resources, request.resource);
  const combined = `${request.resource}/${request.subresource}`;
  return (
    resources.includes("*") || resources.includes(combined) || resources.includes(`*/${request.subresource}`)
  );
}

export function ruleAllows(rule: PolicyRule, request: AccessRequest): boolean {
  if (!matches(rule.verbs, request.verb)) return false;
  if (!matches(rule.apiGroups, request.group)) return false;
  if (!resourceMatches(rule.resources, request)) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || (request.name !== undefined && names.includes(request.name));
}

export function grantAllows(grant: Grant, request: AccessRequest): boolean {
  if (grant.namespace !== undefined && grant.namespace !== request.namespace) return false;
  return grant.rules.some((rule) => ruleAllows(rule, request));
}

export function isAllowed(grants: readonly Grant[], request: AccessRequest): boolean {
  return grants.some((grant) => grantAllows(grant, request));
}
