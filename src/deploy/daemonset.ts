// The node agent's DaemonSet: one privileged `mob daemon` per node, in the host's PID namespace,
// with the host's root at /rootfs, as upstream's machine-config daemon has it. The daemon acts on
// the node through that root only (src/daemon/os/host-root.ts): it writes the node's files under
// /rootfs and runs rpm-ostree, bootc and systemctl as `chroot /rootfs …`, which reach the host's
// D-Bus and systemd sockets through the host's own /run inside the root, so no other host path is
// mounted. Its identity is the node's: NODE_NAME comes from spec.nodeName. Backend rpm-ostree
// (RHCOS, Fedora CoreOS); `daemonSet({ backend: "bootc" })` for bootc hosts.

import type { KubeObject } from "../api/object.ts";
import {
  APP_LABEL,
  DEPLOY_NAMESPACE,
  IN_CLUSTER_KUBECONFIG,
  labelsFor,
  ServiceAccounts,
  Workloads,
} from "./components.ts";

export type NodeBackend = "rpm-ostree" | "bootc";

export interface DaemonSetOptions {
  image: string;
  /** Default rpm-ostree. */
  backend?: NodeBackend;
}

/** The host's `/` in the container: the daemon's `--host-root`. */
const HOST_ROOT = { name: "rootfs", path: "/", mountPath: "/rootfs", type: "Directory" } as const;

export function daemonSet(options: DaemonSetOptions): KubeObject {
  const name = Workloads.daemon;
  const selector = { [APP_LABEL]: name };
  const labels = { ...labelsFor(name), ...selector };
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name, namespace: DEPLOY_NAMESPACE, labels },
    spec: {
      selector: { matchLabels: selector },
      // One node at a time, like upstream: a broken daemon image must not take every node down.
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: ServiceAccounts.daemon,
          hostPID: true,
          hostNetwork: true,
          // Resolve kubernetes.default.svc (the in-cluster kubeconfig) from the host network.
          dnsPolicy: "ClusterFirstWithHostNet",
          // Every node, whatever its taints (NoSchedule, NoExecute, the UpdateInProgress taint mob sets).
          tolerations: [{ operator: "Exists" }],
          // The daemon may be mid-update (a rebase); give it time to reach a safe point.
          terminationGracePeriodSeconds: 600,
          containers: [
            {
              name,
              image: options.image,
              // --host-root explicitly: a pod without the mount must fail, not act on its own `/`.
              args: [
                "daemon",
                "--node",
                "$(NODE_NAME)",
                "--backend",
                options.backend ?? "rpm-ostree",
                "--host-root",
                HOST_ROOT.mountPath,
              ],
              env: [
                { name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
                {
                  name: "KUBECONFIG",
                  value: `${IN_CLUSTER_KUBECONFIG.mountPath}/${IN_CLUSTER_KUBECONFIG.key}`,
                },
              ],
              securityContext: { privileged: true, runAsUser: 0 },
              resources: { requests: { cpu: "20m", memory: "50Mi" } },
              volumeMounts: [
                {
                  name: HOST_ROOT.name,
                  mountPath: HOST_ROOT.mountPath,
                  // The host's submounts (/run, /proc, /sys, /boot, /sysroot) come with it, and mounts
                  // the host makes later (a staged deployment, /run submounts) show up too.
                  mountPropagation: "HostToContainer",
                },
                { name: "kubeconfig", mountPath: IN_CLUSTER_KUBECONFIG.mountPath, readOnly: true },
              ],
            },
          ],
          volumes: [
            { name: HOST_ROOT.name, hostPath: { path: HOST_ROOT.path, type: HOST_ROOT.type } },
            { name: "kubeconfig", configMap: { name: IN_CLUSTER_KUBECONFIG.configMap } },
          ],
        },
      },
    },
  };
}
