// The default ClusterRoles and ClusterRoleBindings Kubernetes creates at start
// (plugin/pkg/auth/authorizer/rbac/bootstrappolicy), cut to what mob serves: cluster-admin for
// system:masters, discovery and self access reviews for every authenticated user, the aggregated
// admin/edit/view roles, and system:node for node identities (bound to group system:nodes).

import { GROUP as MCO_GROUP } from "../../api/constants.ts";
import type { KubeObject } from "../../api/object.ts";
import type { PolicyRule } from "./rbac-rules.ts";
import { Groups } from "./user.ts";

const RBAC = "rbac.authorization.k8s.io";
const API_VERSION = `${RBAC}/v1`;
/** Objects with this annotation "true" are reset to these defaults at every start. */
export const AUTOUPDATE_ANNOTATION = "rbac.authorization.kubernetes.io/autoupdate";
const BOOTSTRAP_LABELS = { "kubernetes.io/bootstrapping": "rbac-defaults" };

const READ = ["get", "list", "watch"];
const WRITE = ["create", "delete", "deletecollection", "patch", "update"];
const rule = (apiGroups: string[], resources: string[], verbs: string[]): PolicyRule => ({
  apiGroups,
  resources,
  verbs,
});
const urls = (nonResourceURLs: string[], verbs: string[]): PolicyRule => ({ nonResourceURLs, verbs });

function clusterRole(
  name: string,
  rules: PolicyRule[],
  extra: { labels?: Record<string, string>; aggregateTo?: string } = {},
): KubeObject {
  const labels = { ...BOOTSTRAP_LABELS, ...extra.labels };
  const role: KubeObject = {
    apiVersion: API_VERSION,
    kind: "ClusterRole",
    metadata: { name, labels, annotations: { [AUTOUPDATE_ANNOTATION]: "true" } },
    rules,
  };
  if (extra.aggregateTo !== undefined) {
    role.aggregationRule = {
      clusterRoleSelectors: [{ matchLabels: { [`${RBAC}/aggregate-to-${extra.aggregateTo}`]: "true" } }],
    };
    role.rules = [];
  }
  return role;
}

function groupBinding(name: string, groups: string[], role = name): KubeObject {
  return {
    apiVersion: API_VERSION,
    kind: "ClusterRoleBinding",
    metadata: { name, labels: { ...BOOTSTRAP_LABELS }, annotations: { [AUTOUPDATE_ANNOTATION]: "true" } },
    roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: role },
    subjects: groups.map((group) => ({ apiGroup: RBAC, kind: "Group", name: group })),
  };
}

const aggregateLabel = (to: string) => ({ [`${RBAC}/aggregate-to-${to}`]: "true" });
const VIEWABLE = [
  "configmaps",
  "endpoints",
  "events",
  "persistentvolumeclaims",
  "pods",
  "pods/log",
  "pods/status",
  "services",
  "serviceaccounts",
  "namespaces",
];
const WORKLOADS = ["deployments", "daemonsets", "replicasets", "statefulsets"];

/** The system:node role: what a node (mob's daemon, a kubelet) reads and writes about itself. */
const NODE_RULES: PolicyRule[] = [
  rule([""], ["nodes"], [...READ, "create", "update", "patch", "delete"]),
  rule([""], ["nodes/status"], ["patch", "update"]),
  rule([""], ["pods"], [...READ, "delete"]),
  rule([""], ["pods/status"], ["patch", "update"]),
  rule([""], ["events"], ["create", "patch", "update"]),
  rule(["events.k8s.io"], ["events"], ["create", "patch", "update"]),
  // The node's heartbeat Lease in kube-node-lease, as upstream's system:node grants it.
  rule(["coordination.k8s.io"], ["leases"], ["get", "create", "update", "patch", "delete"]),
  rule([MCO_GROUP], ["machineconfigs", "controllerconfigs", "machineconfigpools"], READ),
];

export function bootstrapPolicy(): KubeObject[] {
  const everyone = [Groups.authenticated];
  return [
    clusterRole("cluster-admin", [rule(["*"], ["*"], ["*"]), urls(["*"], ["*"])]),
    groupBinding("cluster-admin", [Groups.masters]),
    clusterRole("system:discovery", [
      urls(
        [
          "/api",
          "/api/*",
          "/apis",
          "/apis/*",
          "/healthz",
          "/livez",
          "/openapi",
          "/openapi/*",
          "/readyz",
          "/version",
          "/version/",
        ],
        ["get"],
      ),
    ]),
    groupBinding("system:discovery", everyone),
    clusterRole("system:basic-user", [
      rule(["authorization.k8s.io"], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"], ["create"]),
      rule(["authentication.k8s.io"], ["selfsubjectreviews"], ["create"]),
    ]),
    groupBinding("system:basic-user", everyone),
    clusterRole("system:public-info-viewer", [
      urls(["/healthz", "/livez", "/readyz", "/version", "/version/"], ["get"]),
    ]),
    groupBinding("system:public-info-viewer", [Groups.authenticated, Groups.unauthenticated]),
    clusterRole("admin", [], { aggregateTo: "admin" }),
    clusterRole("edit", [], { aggregateTo: "edit", labels: aggregateLabel("admin") }),
    clusterRole("view", [], { aggregateTo: "view", labels: aggregateLabel("edit") }),
    clusterRole("system:aggregate-to-admin", [rule([RBAC], ["roles", "rolebindings"], [...READ, ...WRITE])], {
      labels: aggregateLabel("admin"),
    }),
    clusterRole(
      "system:aggregate-to-edit",
      [
        rule([""], [...VIEWABLE.filter((r) => r !== "namespaces"), "secrets"], WRITE),
        rule([""], ["secrets"], READ),
        rule(["apps"], WORKLOADS, WRITE),
        rule(["batch"], ["jobs", "cronjobs"], WRITE),
        rule(["policy"], ["poddisruptionbudgets"], WRITE),
        rule([""], ["pods/eviction"], ["create"]),
        rule(["coordination.k8s.io"], ["leases"], WRITE),
      ],
      { labels: aggregateLabel("edit") },
    ),
    clusterRole(
      "system:aggregate-to-view",
      [
        rule([""], VIEWABLE, READ),
        rule(["apps"], WORKLOADS, READ),
        rule(["batch"], ["jobs", "cronjobs"], READ),
        rule(["policy"], ["poddisruptionbudgets"], READ),
        rule(["coordination.k8s.io"], ["leases"], READ),
        rule([MCO_GROUP], ["*"], READ),
      ],
      { labels: aggregateLabel("view") },
    ),
    clusterRole("system:node", NODE_RULES),
    groupBinding("system:node", [Groups.nodes]),
  ];
}
