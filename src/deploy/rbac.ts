// mob's RBAC, least privilege: per component one ClusterRole (cluster-wide rules) and one Role per
// namespace it writes in, all named after the component and bound to the ServiceAccount it runs as.
// Written by hand, as policy to review; rbac.test.ts proves it equals what permissions.ts says the
// code calls — every call allowed, every rule used.

import { GROUP, ObjectNames } from "../api/constants.ts";
import type { KubeObject } from "../api/object.ts";
import {
  COMPONENT_ACCOUNTS,
  type Component,
  Components,
  DEPLOY_NAMESPACE,
  EVENTS_NAMESPACE,
  labelsFor,
  Workloads,
} from "./components.ts";

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

export interface ComponentPolicy {
  cluster: PolicyRule[];
  /** Namespace → rules of the Role there. */
  namespaced: Record<string, PolicyRule[]>;
}

const rule = (apiGroups: string[], resources: string[], verbs: string[], resourceNames?: string[]) => ({
  apiGroups,
  resources,
  verbs,
  ...(resourceNames !== undefined ? { resourceNames } : {}),
});
const MCO = [GROUP];
const CORE = [""];
const WATCH = ["list", "watch"];
const EVENTS = [rule(CORE, ["events"], ["create", "patch"])];

export const POLICIES: Record<Component, ComponentPolicy> = {
  [Components.controller]: {
    cluster: [
      rule(MCO, ["machineconfigs"], ["get", "list", "watch", "create", "update", "delete"]),
      rule(MCO, ["machineconfigpools"], ["list", "watch", "update"]),
      rule(MCO, ["machineconfigpools/status"], ["update"]),
      rule(MCO, ["machineconfigpools/finalizers", "controllerconfigs/finalizers"], ["update"]),
      rule(MCO, ["controllerconfigs", "machineosconfigs", "machineosbuilds"], WATCH),
      rule(CORE, ["nodes"], ["get", "list", "watch", "patch"]),
      rule(CORE, ["pods"], ["list"]),
      rule(CORE, ["pods/eviction"], ["create"]),
    ],
    namespaced: {
      [DEPLOY_NAMESPACE]: [
        rule(["coordination.k8s.io"], ["leases"], ["create"]),
        rule(["coordination.k8s.io"], ["leases"], ["get", "update"], [Workloads.controller]),
      ],
      [EVENTS_NAMESPACE]: EVENTS,
    },
  },
  [Components.builder]: {
    cluster: [
      rule(MCO, ["machineosbuilds"], ["get", "list", "watch", "create", "update", "patch", "delete"]),
      rule(MCO, ["machineosbuilds/status"], ["update"]),
      rule(MCO, ["machineosconfigs"], ["get", "list", "watch", "create", "update", "patch", "delete"]),
      rule(MCO, ["machineosconfigs/status"], ["patch"]),
      rule(MCO, ["machineosconfigs/finalizers", "machineosbuilds/finalizers"], ["update"]),
      rule(MCO, ["machineconfigpools"], ["patch"]),
      rule(MCO, ["machineconfigpools/status"], ["update"]),
    ],
    namespaced: {
      [DEPLOY_NAMESPACE]: [
        rule(["batch"], ["jobs"], ["get", "list", "watch", "create", "delete"]),
        rule(CORE, ["configmaps"], ["get", "list", "watch", "create", "update", "patch", "delete"]),
        rule(CORE, ["secrets"], ["get", "list", "create", "update", "patch", "delete"]),
        rule(CORE, ["pods"], ["list"]),
        rule(CORE, ["pods/log"], ["get"]),
      ],
      [EVENTS_NAMESPACE]: EVENTS,
    },
  },
  [Components.daemon]: {
    cluster: [
      rule(CORE, ["nodes"], ["get", "list", "watch", "patch"]),
      rule(MCO, ["machineconfigs"], ["get"]),
      rule(MCO, ["controllerconfigs"], WATCH, [ObjectNames.controllerConfig]),
    ],
    namespaced: { [EVENTS_NAMESPACE]: EVENTS },
  },
  [Components.server]: {
    cluster: [
      rule(MCO, ["machineconfigpools", "machineconfigs"], ["get"]),
      rule(MCO, ["machineosconfigs", "machineosbuilds"], ["list"]),
    ],
    namespaced: {},
  },
};

const RBAC_VERSION = "rbac.authorization.k8s.io/v1";

/** ClusterRoles, ClusterRoleBindings, Roles and RoleBindings of every component. */
export function rbacObjects(): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const [component, policy] of Object.entries(POLICIES) as [Component, ComponentPolicy][]) {
    const subject = {
      kind: "ServiceAccount",
      name: COMPONENT_ACCOUNTS[component],
      namespace: DEPLOY_NAMESPACE,
    };
    const labels = labelsFor(component);
    const metadata = { name: component, labels };
    const roleRef = (kind: string) => ({ apiGroup: "rbac.authorization.k8s.io", kind, name: component });
    objects.push(
      { apiVersion: RBAC_VERSION, kind: "ClusterRole", metadata, rules: policy.cluster },
      {
        apiVersion: RBAC_VERSION,
        kind: "ClusterRoleBinding",
        metadata,
        roleRef: roleRef("ClusterRole"),
        subjects: [subject],
      },
    );
    for (const [namespace, rules] of Object.entries(policy.namespaced)) {
      const scoped = { name: component, namespace, labels };
      objects.push(
        { apiVersion: RBAC_VERSION, kind: "Role", metadata: scoped, rules },
        {
          apiVersion: RBAC_VERSION,
          kind: "RoleBinding",
          metadata: scoped,
          roleRef: roleRef("Role"),
          subjects: [subject],
        },
      );
    }
  }
  return objects;
}
