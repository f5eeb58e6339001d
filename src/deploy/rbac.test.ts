// The generated RBAC (deploy/rbac/*.yaml, as applied) against the table of API calls in
// permissions.ts: every call is allowed for the account its component runs as, and every rule
// grants only what some call uses (least privilege, checked per group × resource × verb).

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import type { KubeObject } from "../api/object.ts";
import { COMPONENT_ACCOUNTS, type Component, DEPLOY_NAMESPACE, ServiceAccounts } from "./components.ts";
import { type ApiCall, PERMISSIONS } from "./permissions.ts";
import type { PolicyRule } from "./rbac.ts";
import { type AccessRequest, type Grant, isAllowed, ruleAllows } from "./rbac-evaluator.ts";

const root = resolve(import.meta.dirname, "../..");
const rbacDir = join(root, "deploy", "rbac");
const objects: KubeObject[] = readdirSync(rbacDir).flatMap((file) =>
  parseAllDocuments(readFileSync(join(rbacDir, file), "utf8")).map((doc) => doc.toJS() as KubeObject),
);
const components = Object.keys(PERMISSIONS) as Component[];

interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

const rulesOf = (kind: string, name: string, namespace?: string): PolicyRule[] =>
  (objects.find((o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === namespace)
    ?.rules as PolicyRule[] | undefined) ?? [];

/** Every grant bound to the ServiceAccount `account` of the MCO namespace. */
function grantsFor(account: string): Grant[] {
  const grants: Grant[] = [];
  for (const binding of objects.filter((o) => o.kind === "ClusterRoleBinding" || o.kind === "RoleBinding")) {
    const subjects = (binding.subjects ?? []) as Subject[];
    const bound = subjects.some(
      (s) => s.kind === "ServiceAccount" && s.name === account && s.namespace === DEPLOY_NAMESPACE,
    );
    if (!bound) continue;
    const ref = binding.roleRef as { kind: string; name: string };
    const namespace = binding.metadata.namespace;
    const roleNamespace = ref.kind === "Role" ? namespace : undefined;
    grants.push({ rules: rulesOf(ref.kind, ref.name, roleNamespace), namespace });
  }
  return grants;
}

function requests(call: ApiCall): AccessRequest[] {
  return call.verbs.map((verb) => ({
    group: call.group,
    resource: call.resource,
    subresource: call.subresource,
    verb,
    namespace: call.namespace,
    name: call.name,
  }));
}

describe("RBAC of deploy/ against the API calls of permissions.ts", () => {
  it.each(components)("%s: every call is allowed", (component) => {
    const grants = grantsFor(COMPONENT_ACCOUNTS[component]);
    const denied = PERMISSIONS[component]
      .flatMap(requests)
      .filter((request) => !isAllowed(grants, request))
      .map(
        (r) =>
          `${r.verb} ${r.group}/${r.resource}${r.subresource ? `/${r.subresource}` : ""} in ${r.namespace ?? "*"}`,
      );
    expect(denied).toEqual([]);
  });

  it.each(components)("%s: every granted verb × resource is used by a call", (component) => {
    const calls = PERMISSIONS[component].flatMap(requests);
    const roles = objects.filter(
      (o) => (o.kind === "ClusterRole" || o.kind === "Role") && o.metadata.name === component,
    );
    expect(roles.length).toBeGreaterThan(0);
    const unused: string[] = [];
    for (const role of roles) {
      const namespace = role.metadata.namespace;
      for (const rule of (role.rules ?? []) as PolicyRule[]) {
        for (const group of rule.apiGroups)
          for (const resource of rule.resources)
            for (const verb of rule.verbs) {
              const single = { ...rule, apiGroups: [group], resources: [resource], verbs: [verb] };
              // A ClusterRole rule must serve a cluster-wide call; a namespaced call gets a Role.
              const used = calls.some((c) => c.namespace === namespace && ruleAllows(single, c));
              if (!used) unused.push(`${role.kind} ${namespace ?? ""} ${verb} ${group}/${resource}`);
            }
      }
    }
    expect(unused).toEqual([]);
  });

  it("uses no wildcards, and resourceNames only with verbs that name an object", () => {
    const rules = objects.flatMap((o) => (o.rules ?? []) as PolicyRule[]);
    expect(JSON.stringify(rules)).not.toContain('"*"');
    for (const rule of rules.filter((r) => r.resourceNames !== undefined)) {
      expect(rule.verbs).not.toContain("create");
    }
  });

  it("binds each component's roles to its own account only; build pods get nothing", () => {
    for (const binding of objects.filter((o) => o.kind?.endsWith("Binding"))) {
      const component = binding.metadata.name as Component;
      expect(binding.subjects).toEqual([
        { kind: "ServiceAccount", name: COMPONENT_ACCOUNTS[component], namespace: DEPLOY_NAMESPACE },
      ]);
    }
    expect(grantsFor(ServiceAccounts.builder)).toEqual([]);
  });

  it("names files that exist as the sources of the calls", () => {
    const sources = new Set(components.flatMap((c) => PERMISSIONS[c].map((call) => call.source)));
    expect([...sources].filter((file) => !existsSync(join(root, file)))).toEqual([]);
  });
});
