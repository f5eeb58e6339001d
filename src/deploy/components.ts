// The names of mob's cluster deployment (deploy/ and `mob install`): upstream's namespace, service
// accounts and workload names, plus the few mob-only names, each said so. One place, so the
// manifests, the RBAC table and the install command agree.

import { MCO_NAMESPACE } from "../api/constants.ts";

export const DEPLOY_NAMESPACE = MCO_NAMESPACE;

/** The repository of mob's own image (deploy/Containerfile); the tag is mob's version. */
export const IMAGE_REPOSITORY = "quay.io/mob/mob";
export const MOB_VERSION = "0.1.0";
export const DEFAULT_IMAGE = `${IMAGE_REPOSITORY}:${MOB_VERSION}`;

/** A process (or pod) identity: one ServiceAccount each, upstream's names. */
export const ServiceAccounts = {
  /** `mob controller`: render, node, drain and (when enabled) build controllers. */
  controller: "machine-config-controller",
  /** `mob daemon` on every node. */
  daemon: "machine-config-daemon",
  /** `mob server`: Ignition for booting nodes. */
  server: "machine-config-server",
  /** Build pods (Jobs `build-<mosb>`); no RBAC and no token mounted (see controllers/build/job.ts). */
  builder: "machine-os-builder",
} as const;

/**
 * Who holds a set of RBAC rules: a component is a part of mob whose API calls are listed in
 * permissions.ts and granted by one ClusterRole (plus Roles) of the same name.
 */
export const Components = {
  controller: "machine-config-controller",
  /**
   * The build controller and the 4.14 opt-in (legacy) controller registered beside it; both run
   * inside `mob controller`, so their rules go to that account.
   */
  builder: "machine-os-builder",
  daemon: "machine-config-daemon",
  server: "machine-config-server",
} as const;
export type Component = (typeof Components)[keyof typeof Components];

/** The ServiceAccount each component's calls are made with. */
export const COMPONENT_ACCOUNTS: Record<Component, string> = {
  [Components.controller]: ServiceAccounts.controller,
  [Components.builder]: ServiceAccounts.controller,
  [Components.daemon]: ServiceAccounts.daemon,
  [Components.server]: ServiceAccounts.server,
};

/** Workload names (upstream's) and the pod label selecting them (upstream's `k8s-app`). */
export const Workloads = {
  controller: "machine-config-controller",
  daemon: "machine-config-daemon",
  server: "machine-config-server",
} as const;
export const APP_LABEL = "k8s-app";

/** Ports: the controller's probes and metrics, the Ignition endpoint (upstream's 22623). */
export const CONTROLLER_METRICS_PORT = 8443;
export const SERVER_PORT = 22623;

/**
 * mob only: a kubeconfig that points at the API server a pod runs against, with the pod's own
 * service-account token and CA (mob's commands take `--kubeconfig`/KUBECONFIG, not in-cluster
 * discovery). `kubernetes.default.svc` needs cluster DNS, hence ClusterFirstWithHostNet on host pods.
 */
export const IN_CLUSTER_KUBECONFIG = {
  configMap: "mob-in-cluster-kubeconfig",
  key: "kubeconfig",
  mountPath: "/etc/mob/kubeconfig",
} as const;

/** Namespace events about cluster-scoped objects (nodes, pools, builds) go to, as in Kubernetes. */
export const EVENTS_NAMESPACE = "default";

/** The field manager `mob install` applies with. */
export const INSTALL_FIELD_MANAGER = "mob-install";

/** Labels on every object mob's deployment creates (app.kubernetes.io conventions). */
export function labelsFor(component: string): Record<string, string> {
  return { "app.kubernetes.io/part-of": "mob", "app.kubernetes.io/component": component };
}
