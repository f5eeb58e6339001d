// rbac.authorization.k8s.io/v1 Role, ClusterRole, RoleBinding, ClusterRoleBinding. Their names are
// path segments, not DNS names (`system:controller:foo` is valid).

import type { KubeObject } from "../../../api/object.ts";
import type { FieldIssue } from "../../errors.ts";
import type { ResourceDefinition } from "../resource.ts";
import { builtinResource } from "./definition.ts";
import { child, fieldInvalid, fieldNotSupported, fieldRequired, index } from "./field-issues.ts";
import { isDns1123Label, isDns1123Subdomain } from "./names.ts";
import { jsonEqual, list, record, text } from "./object-fields.ts";
import { arrayOf, obj, str } from "./openapi.ts";
import { builtinStrategy } from "./strategy.ts";

const RBAC_GROUP = "rbac.authorization.k8s.io";

function validateRules(role: KubeObject, namespaced: boolean): FieldIssue[] {
  const issues: FieldIssue[] = [];
  list(role.rules).forEach((rule, i) => {
    const path = index("rules", i);
    const fields = record(rule) ?? {};
    if (list(fields.verbs).length === 0) {
      issues.push(fieldRequired(child(path, "verbs"), "verbs must contain at least one value"));
    }
    const urls = list(fields.nonResourceURLs);
    if (urls.length > 0) {
      if (namespaced) {
        issues.push(
          fieldInvalid(
            child(path, "nonResourceURLs"),
            urls,
            "namespaced rules cannot apply to non-resource URLs",
          ),
        );
      }
      if (list(fields.apiGroups).length > 0 || list(fields.resources).length > 0) {
        issues.push(
          fieldInvalid(
            child(path, "nonResourceURLs"),
            urls,
            "rules cannot apply to both regular resources and non-resource URLs",
          ),
        );
      }
      return;
    }
    if (list(fields.apiGroups).length === 0) {
      issues.push(
        fieldRequired(child(path, "apiGroups"), "resource rules must supply at least one api group"),
      );
    }
    if (list(fields.resources).length === 0) {
      issues.push(
        fieldRequired(child(path, "resources"), "resource rules must supply at least one resource"),
      );
    }
  });
  return issues;
}

function validateSubject(subject: unknown, path: string, namespaced: boolean): FieldIssue[] {
  const fields = record(subject) ?? {};
  const kind = text(fields.kind) ?? "";
  const name = text(fields.name) ?? "";
  const apiGroup = text(fields.apiGroup) ?? "";
  const issues: FieldIssue[] = [];
  if (name === "") issues.push(fieldRequired(child(path, "name")));
  if (kind === "ServiceAccount") {
    if (name !== "")
      for (const m of isDns1123Subdomain(name)) issues.push(fieldInvalid(child(path, "name"), name, m));
    if (apiGroup !== "") issues.push(fieldNotSupported(child(path, "apiGroup"), apiGroup, [""]));
    const namespace = text(fields.namespace) ?? "";
    if (!namespaced && namespace === "") issues.push(fieldRequired(child(path, "namespace")));
    if (namespace !== "")
      for (const m of isDns1123Label(namespace))
        issues.push(fieldInvalid(child(path, "namespace"), namespace, m));
  } else if (kind === "User" || kind === "Group") {
    if (apiGroup !== RBAC_GROUP)
      issues.push(fieldNotSupported(child(path, "apiGroup"), apiGroup, [RBAC_GROUP]));
  } else {
    issues.push(fieldNotSupported(child(path, "kind"), kind, ["ServiceAccount", "User", "Group"]));
  }
  return issues;
}

function validateBinding(
  binding: KubeObject,
  old: KubeObject | undefined,
  namespaced: boolean,
): FieldIssue[] {
  const roleRef = record(binding.roleRef) ?? {};
  const kinds = namespaced ? ["Role", "ClusterRole"] : ["ClusterRole"];
  const issues: FieldIssue[] = [];
  if (roleRef.apiGroup !== RBAC_GROUP)
    issues.push(fieldNotSupported("roleRef.apiGroup", roleRef.apiGroup ?? "", [RBAC_GROUP]));
  if (!kinds.includes(text(roleRef.kind) ?? ""))
    issues.push(fieldNotSupported("roleRef.kind", roleRef.kind ?? "", kinds));
  if ((text(roleRef.name) ?? "") === "") issues.push(fieldRequired("roleRef.name"));
  list(binding.subjects).forEach((subject, i) => {
    issues.push(...validateSubject(subject, index("subjects", i), namespaced));
  });
  if (old !== undefined && !jsonEqual(binding.roleRef, old.roleRef)) {
    issues.push(fieldInvalid("roleRef", binding.roleRef ?? null, "cannot change roleRef"));
  }
  return issues;
}

const policyRule = obj("A rule: verbs allowed on resources or non-resource URLs.", {
  apiGroups: arrayOf('API groups of the resources; "" is the core group.', str("A group.")),
  resources: arrayOf("Resources the rule applies to; '*' for all.", str("A resource.")),
  resourceNames: arrayOf("Optional allow-list of object names.", str("A name.")),
  verbs: arrayOf("Verbs the rule allows; '*' for all.", str("A verb.")),
  nonResourceURLs: arrayOf("Non-resource URL paths (ClusterRole only).", str("A path.")),
});
const roleRef = obj("The role being granted.", {
  apiGroup: str("rbac.authorization.k8s.io"),
  kind: str("Role or ClusterRole."),
  name: str("Name of the role."),
});
const subject = obj("A user, group or service account.", {
  kind: str("User, Group or ServiceAccount."),
  apiGroup: str("rbac.authorization.k8s.io for users and groups, empty for service accounts."),
  name: str("Name of the subject."),
  namespace: str("Namespace of a ServiceAccount subject."),
});

function roleResource(kind: "Role" | "ClusterRole", namespaced: boolean): ResourceDefinition {
  const properties = namespaced
    ? { rules: arrayOf("The PolicyRules of this Role.", policyRule) }
    : {
        rules: arrayOf("The PolicyRules of this ClusterRole.", policyRule),
        aggregationRule: obj("Selects ClusterRoles whose rules are aggregated into this one."),
      };
  return builtinResource({
    group: RBAC_GROUP,
    version: "v1",
    kind,
    plural: `${kind.toLowerCase()}s`,
    namespaced,
    description: `${kind} is a logical grouping of PolicyRules that can be referenced as a unit by bindings.`,
    properties,
    strategy: builtinStrategy({
      meta: { namespaced, nameRule: "path-segment" },
      validate: (role) => validateRules(role, namespaced),
    }),
  });
}

function bindingResource(
  kind: "RoleBinding" | "ClusterRoleBinding",
  namespaced: boolean,
): ResourceDefinition {
  return builtinResource({
    group: RBAC_GROUP,
    version: "v1",
    kind,
    plural: `${kind.toLowerCase()}s`,
    namespaced,
    description: `${kind} grants the permissions of a role to a set of subjects.`,
    properties: { roleRef, subjects: arrayOf("The subjects the role applies to.", subject) },
    strategy: builtinStrategy({
      meta: { namespaced, nameRule: "path-segment" },
      validate: (binding, old) => validateBinding(binding, old, namespaced),
    }),
  });
}

export const ROLE_RESOURCE = roleResource("Role", true);
export const CLUSTERROLE_RESOURCE = roleResource("ClusterRole", false);
export const ROLEBINDING_RESOURCE = bindingResource("RoleBinding", true);
export const CLUSTERROLEBINDING_RESOURCE = bindingResource("ClusterRoleBinding", false);
