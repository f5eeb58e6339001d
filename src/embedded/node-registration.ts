// The host kubelet's Node object and its heartbeat Lease in kube-node-lease, as a kubelet registers
// them: well-known labels, Ready and pressure conditions, addresses, capacity and nodeInfo.

import { readFile } from "node:fs/promises";
import { cpus, hostname, release, totalmem } from "node:os";
import type { Logger } from "pino";
import type { KubeObject } from "../api/object.ts";
import { record } from "../apiserver/registry/builtin/object-fields.ts";
import { timestamp } from "../apiserver/registry/names.ts";
import { isApiError } from "../apiserver/registry/storage-errors.ts";
import type { Store } from "../apiserver/registry/store.ts";
import { microTime } from "../runtime/leader-election.ts";
import { POD_IP } from "./downward.ts";
import { find, LEASES, NODES, scopeOf, writeStatus } from "./store-access.ts";

export const NODE_LEASE_NAMESPACE = "kube-node-lease";
export const KUBELET_VERSION = "v1.32.0";
const LEASE_DURATION_SECONDS = 40;

const ARCHES: Record<string, string> = {
  x64: "amd64",
  arm64: "arm64",
  arm: "arm",
  ppc64: "ppc64le",
  s390x: "s390x",
};

export function goArch(): string {
  return ARCHES[process.arch] ?? process.arch;
}

export function nodeLabels(name: string): Record<string, string> {
  return {
    "beta.kubernetes.io/arch": goArch(),
    "beta.kubernetes.io/os": "linux",
    "kubernetes.io/arch": goArch(),
    "kubernetes.io/hostname": name,
    "kubernetes.io/os": "linux",
    "node-role.kubernetes.io/control-plane": "",
  };
}

async function firstLine(path: string): Promise<string> {
  return (await readFile(path, "utf8").catch(() => "")).split("\n")[0]?.trim() ?? "";
}

async function osImage(): Promise<string> {
  const text = await readFile("/etc/os-release", "utf8").catch(() => "");
  const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(text)?.[1];
  return pretty ?? "Linux";
}

/** Host facts for status.nodeInfo, read once at start. */
export async function readNodeInfo(): Promise<Record<string, string>> {
  const machineID = await firstLine("/etc/machine-id");
  return {
    machineID,
    systemUUID: machineID,
    bootID: await firstLine("/proc/sys/kernel/random/boot_id"),
    kernelVersion: release(),
    osImage: await osImage(),
    containerRuntimeVersion: "mob://host",
    kubeletVersion: KUBELET_VERSION,
    kubeProxyVersion: "",
    operatingSystem: "linux",
    architecture: goArch(),
  };
}

function condition(
  type: string,
  status: string,
  reason: string,
  message: string,
  now: string,
  old: unknown[],
) {
  const previous = old.map(record).find((c) => c?.type === type);
  const since = previous?.status === status ? previous.lastTransitionTime : now;
  return { type, status, lastHeartbeatTime: now, lastTransitionTime: since, reason, message };
}

export function nodeStatus(
  name: string,
  nodeInfo: Record<string, string>,
  now: string,
  old: unknown,
): Record<string, unknown> {
  const previous = Array.isArray(record(old)?.conditions) ? (record(old)?.conditions as unknown[]) : [];
  const capacity = {
    cpu: String(cpus().length),
    memory: `${Math.floor(totalmem() / 1024)}Ki`,
    pods: "110",
  };
  return {
    conditions: [
      condition(
        "MemoryPressure",
        "False",
        "KubeletHasSufficientMemory",
        "kubelet has sufficient memory available",
        now,
        previous,
      ),
      condition(
        "DiskPressure",
        "False",
        "KubeletHasNoDiskPressure",
        "kubelet has no disk pressure",
        now,
        previous,
      ),
      condition(
        "PIDPressure",
        "False",
        "KubeletHasSufficientPID",
        "kubelet has sufficient PID available",
        now,
        previous,
      ),
      condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", now, previous),
    ],
    addresses: [
      { type: "InternalIP", address: POD_IP },
      { type: "Hostname", address: hostname() === "" ? name : hostname() },
    ],
    capacity,
    allocatable: capacity,
    daemonEndpoints: { kubeletEndpoint: { Port: 0 } },
    nodeInfo,
  };
}

/** Creates the Node, or brings the labels and status of an existing one up to date. */
export function registerNode(
  store: Store,
  name: string,
  nodeInfo: Record<string, string>,
  logger: Logger | undefined,
): KubeObject {
  const scope = scopeOf(store, NODES);
  const now = timestamp(store.now());
  try {
    const node = store.create(scope, {
      metadata: { name, labels: nodeLabels(name), annotations: { "node.alpha.kubernetes.io/ttl": "0" } },
      spec: {},
      status: nodeStatus(name, nodeInfo, now, undefined),
    });
    logger?.info({ node: name }, "registered node");
    return node;
  } catch (error) {
    if (!isApiError(error, 409)) throw error;
  }
  store.write(scope, name, undefined, (current) => {
    const next = structuredClone(current);
    next.metadata.labels = { ...next.metadata.labels, ...nodeLabels(name) };
    return next;
  });
  updateNodeStatus(store, name, nodeInfo);
  return find(store, NODES, "", name) ?? { metadata: { name } };
}

export function updateNodeStatus(store: Store, name: string, nodeInfo: Record<string, string>): void {
  const node = find(store, NODES, "", name);
  if (node === undefined) return;
  const now = timestamp(store.now());
  writeStatus(store, NODES, node, (current) => ({
    ...record(current.status),
    ...nodeStatus(name, nodeInfo, now, current.status),
  }));
}

/** Creates or renews the node's Lease. */
export function renewLease(store: Store, node: KubeObject): void {
  const name = node.metadata.name ?? "";
  const scope = scopeOf(store, LEASES, NODE_LEASE_NAMESPACE);
  const renewTime = microTime(store.now().getTime());
  if (find(store, LEASES, NODE_LEASE_NAMESPACE, name) === undefined) {
    store.create(scope, {
      metadata: {
        name,
        namespace: NODE_LEASE_NAMESPACE,
        ownerReferences: [{ apiVersion: "v1", kind: "Node", name, uid: node.metadata.uid ?? "" }],
      },
      spec: { holderIdentity: name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime },
    });
    return;
  }
  store.write(scope, name, undefined, (current) => {
    const next = structuredClone(current);
    next.spec = {
      ...record(next.spec),
      holderIdentity: name,
      leaseDurationSeconds: LEASE_DURATION_SECONDS,
      renewTime,
    };
    return next;
  });
}
