// The namespace, service accounts and workloads of mob on a cluster: the controller Deployment, the
// daemon DaemonSet, the machine-config-server Deployment and Service, and the in-cluster kubeconfig
// they share. Pure builders; the image is the only input.

import { stringify } from "yaml";
import type { KubeObject } from "../api/object.ts";
import {
  APP_LABEL,
  CONTROLLER_METRICS_PORT,
  DEPLOY_NAMESPACE,
  IN_CLUSTER_KUBECONFIG,
  labelsFor,
  SERVER_PORT,
  ServiceAccounts,
  Workloads,
} from "./components.ts";

export interface WorkloadOptions {
  /** mob's image, e.g. quay.io/mob/mob:0.1.0. */
  image: string;
}

const SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
const KUBECONFIG_PATH = `${IN_CLUSTER_KUBECONFIG.mountPath}/${IN_CLUSTER_KUBECONFIG.key}`;

export function namespaceObject(): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name: DEPLOY_NAMESPACE,
      labels: {
        ...labelsFor("namespace"),
        // The daemon is privileged (host root, hostPID); Pod Security admission must allow it here.
        "pod-security.kubernetes.io/enforce": "privileged",
        "pod-security.kubernetes.io/audit": "privileged",
        "pod-security.kubernetes.io/warn": "privileged",
      },
    },
  };
}

export function serviceAccounts(): KubeObject[] {
  return Object.values(ServiceAccounts).map((name) => ({
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name, namespace: DEPLOY_NAMESPACE, labels: labelsFor(name) },
    // Build pods run as machine-os-builder and need no API access at all.
    ...(name === ServiceAccounts.builder ? { automountServiceAccountToken: false } : {}),
  }));
}

/** The kubeconfig mob's pods read: the API server's in-cluster name, the pod's own token and CA. */
export function inClusterKubeconfig(): KubeObject {
  const kubeconfig = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: "in-cluster",
        cluster: { server: "https://kubernetes.default.svc", "certificate-authority": `${SA_DIR}/ca.crt` },
      },
    ],
    // client-node re-reads a tokenFile auth provider every minute, so rotated tokens are picked up.
    users: [
      {
        name: "service-account",
        user: { "auth-provider": { name: "tokenFile", config: { tokenFile: `${SA_DIR}/token` } } },
      },
    ],
    contexts: [{ name: "in-cluster", context: { cluster: "in-cluster", user: "service-account" } }],
    "current-context": "in-cluster",
  };
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: IN_CLUSTER_KUBECONFIG.configMap,
      namespace: DEPLOY_NAMESPACE,
      labels: labelsFor("kubeconfig"),
    },
    data: { [IN_CLUSTER_KUBECONFIG.key]: stringify(kubeconfig) },
  };
}

const kubeconfigVolume = { name: "kubeconfig", configMap: { name: IN_CLUSTER_KUBECONFIG.configMap } };
const kubeconfigMount = { name: "kubeconfig", mountPath: IN_CLUSTER_KUBECONFIG.mountPath, readOnly: true };
const kubeconfigEnv = { name: "KUBECONFIG", value: KUBECONFIG_PATH };

/** Unprivileged containers: the controller and the server. */
const RESTRICTED = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

interface Mount {
  volume: Record<string, unknown>;
  mount: Record<string, unknown>;
}

const KUBECONFIG_MOUNT: Mount = { volume: kubeconfigVolume, mount: kubeconfigMount };

function deployment(
  name: string,
  serviceAccountName: string,
  container: Record<string, unknown>,
  mounts: Mount[] = [KUBECONFIG_MOUNT],
): KubeObject {
  const selector = { [APP_LABEL]: name };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: DEPLOY_NAMESPACE, labels: { ...labelsFor(name), ...selector } },
    spec: {
      replicas: 1,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: { ...labelsFor(name), ...selector } },
        spec: {
          serviceAccountName,
          // The node user mob's image runs as (deploy/Containerfile).
          securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000 },
          containers: [
            { ...container, volumeMounts: mounts.map((m) => m.mount), securityContext: RESTRICTED },
          ],
          volumes: mounts.map((m) => m.volume),
        },
      },
    },
  };
}

export function controllerDeployment(options: WorkloadOptions): KubeObject {
  const probe = (path: string) => ({ httpGet: { path, port: "metrics" }, periodSeconds: 10 });
  return deployment(Workloads.controller, ServiceAccounts.controller, {
    name: Workloads.controller,
    image: options.image,
    // Build pods run the same image: it carries buildah and mob.
    args: [
      "controller",
      "--leader-elect",
      "--metrics-listen",
      `0.0.0.0:${CONTROLLER_METRICS_PORT}`,
      "--builder-image",
      options.image,
    ],
    env: [kubeconfigEnv],
    ports: [{ name: "metrics", containerPort: CONTROLLER_METRICS_PORT, protocol: "TCP" }],
    livenessProbe: { ...probe("/healthz"), initialDelaySeconds: 10, failureThreshold: 3 },
    readinessProbe: probe("/readyz"),
    resources: { requests: { cpu: "20m", memory: "100Mi" }, limits: { memory: "1Gi" } },
  });
}

/**
 * Upstream's serving certificate Secret (kubernetes.io/tls) of the Ignition endpoint. Not generated:
 * nodes must trust it, so the administrator creates it (docs/operations.md); the pod waits for it.
 */
export const SERVER_TLS_SECRET = "machine-config-server-tls";
const SERVER_TLS_DIR = "/etc/mcs/tls";

export function serverDeployment(options: WorkloadOptions): KubeObject {
  // A TCP probe: the endpoint speaks TLS with a certificate the kubelet need not trust.
  const probe = { tcpSocket: { port: "ignition" }, periodSeconds: 10 };
  const tls: Mount = {
    volume: { name: "tls", secret: { secretName: SERVER_TLS_SECRET } },
    mount: { name: "tls", mountPath: SERVER_TLS_DIR, readOnly: true },
  };
  const container = {
    name: Workloads.server,
    image: options.image,
    args: [
      "server",
      "--listen",
      `0.0.0.0:${SERVER_PORT}`,
      "--tls-cert",
      `${SERVER_TLS_DIR}/tls.crt`,
      "--tls-key",
      `${SERVER_TLS_DIR}/tls.key`,
    ],
    env: [kubeconfigEnv],
    ports: [{ name: "ignition", containerPort: SERVER_PORT, protocol: "TCP" }],
    livenessProbe: probe,
    readinessProbe: probe,
    resources: { requests: { cpu: "10m", memory: "50Mi" }, limits: { memory: "256Mi" } },
  };
  return deployment(Workloads.server, ServiceAccounts.server, container, [KUBECONFIG_MOUNT, tls]);
}

export function serverService(): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: Workloads.server, namespace: DEPLOY_NAMESPACE, labels: labelsFor(Workloads.server) },
    spec: {
      type: "ClusterIP",
      selector: { [APP_LABEL]: Workloads.server },
      ports: [{ name: "ignition", port: SERVER_PORT, targetPort: "ignition", protocol: "TCP" }],
    },
  };
}
