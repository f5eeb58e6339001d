// Every permission deploy/'s RBAC grants, one per component × role × rule × API group × resource ×
// verb, as rbac.test.ts checks them against permissions.ts and test/e2e/identities.test.ts against
// the API server's audit records.

import type { KubeObject } from "../api/object.ts";
import type { PolicyRule } from "./rbac.ts";
import { type AccessRequest, ruleAllows } from "./rbac-evaluator.ts";

export interface GrantedPermission {
  /** The role's name: the component it is for. */
  component: string;
  kind: "ClusterRole" | "Role";
  /** The Role's namespace; unset for a ClusterRole (bound cluster-wide). */
  namespace?: string | undefined;
  group: string;
  /** `resource` or `resource/subresource`, as the rule spells it. */
  resource: string;
  verb: string;
  resourceNames?: string[] | undefined;
}

export function grantedPermissions(objects: readonly KubeObject[]): GrantedPermission[] {
  const granted: GrantedPermission[] = [];
  for (const role of objects) {
    if (role.kind !== "ClusterRole" && role.kind !== "Role") continue;
    for (const rule of (role.rules ?? []) as PolicyRule[])
      for (const group of rule.apiGroups)
        for (const resource of rule.resources)
          for (const verb of rule.verbs)
            granted.push({
              component: role.metadata.name ?? "",
              kind: role.kind,
              namespace: role.metadata.namespace,
              group,
              resource,
              verb,
              resourceNames: rule.resourceNames,
            });
  }
  return granted;
}

/** Whether the permission alone allows `request` (a ClusterRole's in every namespace). */
export function permissionAllows(permission: GrantedPermission, request: AccessRequest): boolean {
  if (permission.kind === "Role" && permission.namespace !== request.namespace) return false;
  const rule: PolicyRule = {
    apiGroups: [permission.group],
    resources: [permission.resource],
    verbs: [permission.verb],
    ...(permission.resourceNames !== undefined ? { resourceNames: permission.resourceNames } : {}),
  };
  return ruleAllows(rule, request);
}

export function describePermission(permission: GrantedPermission): string {
  const where = permission.kind === "Role" ? `Role ${permission.namespace}` : "ClusterRole";
  const names = permission.resourceNames === undefined ? "" : ` [${permission.resourceNames.join(",")}]`;
  const group = permission.group === "" ? "core" : permission.group;
  return `${permission.component} ${where}: ${permission.verb} ${group}/${permission.resource}${names}`;
}
