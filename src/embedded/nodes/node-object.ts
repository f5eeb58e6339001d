// A simulated node's Node object, as a kubelet would register it: well-known labels (role, hostname,
// zone), addresses, nodeInfo (osImage from the booted tree's os-release) and the Ready condition,
// plus its heartbeat Lease in kube-node-lease.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { NODE_ROLE_LABEL_PREFIX } from "../../api/constants.ts";
import type { KubeObject } from "../../api/object.ts";
import { NODES } from "../../controllers/resources.ts";
import { isAlreadyExists, isNotFound } from "../../runtime/errors.ts";
import { type KubeClients, LEASES } from "../../runtime/kube-client.ts";
import { microTime } from "../../runtime/leader-election.ts";
import type { ResourceRef } from "../../runtime/rest.ts";
import { goArch, KUBELET_VERSION, NODE_LEASE_NAMESPACE } from "../node-registration.ts";

export const ZONE_LABEL = "topology.kubernetes.io/zone";
export const ZONES = ["zone-a", "zone-b"] as const;
const LEASE_DURATION_SECONDS = 40;
const NAMESPACES: ResourceRef = {
  group: "",
  version: "v1",
  plural: "namespaces",
  kind: "Namespace",
  namespaced: false,
};

export interface SimulatedNodeSpec {
  name: string;
  roles: string[];
}

export function simulatedNodeLabels(spec: SimulatedNodeSpec, index: number): Record<string, string> {
  const labels: Record<string, string> = {
    "kubernetes.io/arch": goArch(),
    "kubernetes.io/os": "linux",
    "kubernetes.io/hostname": spec.name,
    [ZONE_LABEL]: ZONES[index % ZONES.length] ?? "zone-a",
  };
  for (const role of spec.roles) labels[`${NODE_ROLE_LABEL_PREFIX}${role}`] = "";
  return labels;
}

/** PRETTY_NAME (else NAME) of the tree's os-release. */
export async function osImageOf(rootfs: string): Promise<string> {
  for (const path of ["usr/lib/os-release", "etc/os-release"]) {
    const text = await readFile(join(rootfs, path), "utf8").catch(() => undefined);
    if (text === undefined) continue;
    const value = (key: string) => new RegExp(`^${key}="?([^"\\n]*)"?$`, "m").exec(text)?.[1];
    return value("PRETTY_NAME") ?? value("NAME") ?? "Linux";
  }
  return "Linux";
}

export function nodeStatus(
  name: string,
  index: number,
  osImage: string,
  ready: boolean,
): Record<string, unknown> {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  const capacity = { cpu: "4", memory: "8Gi", pods: "110" };
  return {
    conditions: [
      {
        type: "Ready",
        status: ready ? "True" : "False",
        reason: ready ? "KubeletReady" : "KubeletNotReady",
        message: ready ? "kubelet is posting ready status" : "node is rebooting",
        lastHeartbeatTime: now,
        lastTransitionTime: now,
      },
    ],
    addresses: [
      { type: "InternalIP", address: `10.0.0.${10 + index}` },
      { type: "Hostname", address: name },
    ],
    capacity,
    allocatable: capacity,
    nodeInfo: {
      machineID: name,
      systemUUID: name,
      bootID: `${name}-${Date.now()}`,
      kernelVersion: "simulated",
      osImage,
      containerRuntimeVersion: "mob://simulated",
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: "",
      operatingSystem: "linux",
      architecture: goArch(),
    },
  };
}

/** Creates the Node (or refreshes its labels) and writes its status. */
export async function registerSimulatedNode(
  clients: KubeClients,
  spec: SimulatedNodeSpec,
  index: number,
  osImage: string,
  signal: AbortSignal,
): Promise<void> {
  const nodes = clients.resource<KubeObject>(NODES);
  const labels = simulatedNodeLabels(spec, index);
  try {
    await nodes.create({ metadata: { name: spec.name, labels }, spec: {} }, { signal });
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
    await nodes.patch(spec.name, { metadata: { labels } }, { type: "merge", signal });
  }
  await setNodeReady(clients, spec.name, index, osImage, true, signal);
}

export async function setNodeReady(
  clients: KubeClients,
  name: string,
  index: number,
  osImage: string,
  ready: boolean,
  signal: AbortSignal,
): Promise<void> {
  const status = nodeStatus(name, index, osImage, ready);
  await clients
    .resource<KubeObject>(NODES)
    .patch(name, { status }, { type: "merge", subresource: "status", signal });
}

/** Creates or renews the node's Lease (its namespace exists: startSimulatedNodes ensures it). */
export async function renewNodeLease(clients: KubeClients, name: string, signal: AbortSignal): Promise<void> {
  const leases = clients.resource<KubeObject>(LEASES);
  const spec = {
    holderIdentity: name,
    leaseDurationSeconds: LEASE_DURATION_SECONDS,
    renewTime: microTime(Date.now()),
  };
  try {
    await leases.patch(name, { spec }, { type: "merge", namespace: NODE_LEASE_NAMESPACE, signal });
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await leases
      .create({ metadata: { name, namespace: NODE_LEASE_NAMESPACE }, spec }, { signal })
      .catch((e: unknown) => {
        if (!isAlreadyExists(e)) throw e;
      });
  }
}

export async function ensureNamespace(
  clients: KubeClients,
  name: string,
  signal: AbortSignal,
): Promise<void> {
  await clients
    .resource<KubeObject>(NAMESPACES)
    .create({ metadata: { name } }, { signal })
    .catch((error: unknown) => {
      if (!isAlreadyExists(error)) throw error;
    });
}
