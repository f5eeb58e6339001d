// `mob install`: applies deploy/'s objects to a cluster with server-side apply (field manager
// `mob-install`, conflicts forced: mob owns these objects), reporting each as created, configured or
// unchanged, then optionally waits until the controller Deployment and the daemon DaemonSet are
// available. Re-running it is safe: an unchanged object is not written.

import type { KubeObject } from "../api/object.ts";
import { isPlainObject } from "../api/object.ts";
import { isNotFound } from "../runtime/errors.ts";
import type { KubeClients } from "../runtime/kube-client.ts";
import { type ResourceRef, resourcePath } from "../runtime/rest.ts";
import { DEPLOY_NAMESPACE, INSTALL_FIELD_MANAGER, Workloads } from "./components.ts";
import { type DeployOptions, deployObjects } from "./manifests.ts";

export type ApplyOutcome = "created" | "configured" | "unchanged";

export interface Applied {
  /** kubectl's spelling: `deployment.apps/machine-config-controller`. */
  object: string;
  outcome: ApplyOutcome;
}

const ref = (group: string, plural: string, kind: string, namespaced: boolean): ResourceRef => ({
  group,
  version: "v1",
  plural,
  kind,
  namespaced,
});

/** Where each kind deploy/ holds lives. */
const RESOURCES: Record<string, ResourceRef> = {
  Namespace: ref("", "namespaces", "Namespace", false),
  CustomResourceDefinition: ref(
    "apiextensions.k8s.io",
    "customresourcedefinitions",
    "CustomResourceDefinition",
    false,
  ),
  ServiceAccount: ref("", "serviceaccounts", "ServiceAccount", true),
  ClusterRole: ref("rbac.authorization.k8s.io", "clusterroles", "ClusterRole", false),
  ClusterRoleBinding: ref("rbac.authorization.k8s.io", "clusterrolebindings", "ClusterRoleBinding", false),
  Role: ref("rbac.authorization.k8s.io", "roles", "Role", true),
  RoleBinding: ref("rbac.authorization.k8s.io", "rolebindings", "RoleBinding", true),
  ConfigMap: ref("", "configmaps", "ConfigMap", true),
  Service: ref("", "services", "Service", true),
  Deployment: ref("apps", "deployments", "Deployment", true),
  DaemonSet: ref("apps", "daemonsets", "DaemonSet", true),
};

export function describeObject(object: KubeObject): string {
  const resource = RESOURCES[object.kind ?? ""];
  const group = resource?.group ?? "";
  return `${(object.kind ?? "").toLowerCase()}${group === "" ? "" : `.${group}`}/${object.metadata.name ?? ""}`;
}

/** Whether every field `desired` sets has that value in `live` (lists compared whole). */
export function containsFields(live: unknown, desired: unknown): boolean {
  if (isPlainObject(desired)) {
    return (
      isPlainObject(live) && Object.entries(desired).every(([key, value]) => containsFields(live[key], value))
    );
  }
  if (Array.isArray(desired)) {
    return (
      Array.isArray(live) &&
      live.length === desired.length &&
      desired.every((item, i) => containsFields(live[i], item))
    );
  }
  return live === desired;
}

/**
 * Server-side applies one object unless the live one already holds every field it sets (no write at
 * all then: some servers, mob's embedded one among them, store a no-op apply as a new version).
 * What happened is judged by the resourceVersion before and after.
 */
export async function applyObject(
  clients: KubeClients,
  object: KubeObject,
  signal: AbortSignal,
): Promise<Applied> {
  const resource = RESOURCES[object.kind ?? ""];
  if (resource === undefined) throw new Error(`mob install cannot apply kind ${object.kind}`);
  const path = resourcePath(resource, object.metadata.namespace, object.metadata.name);
  const before = await clients.rest
    .request<KubeObject>({ method: "GET", path, signal })
    .catch((error: unknown) => {
      if (isNotFound(error)) return undefined;
      throw error;
    });
  if (before !== undefined && containsFields(before, object)) {
    return { object: describeObject(object), outcome: "unchanged" };
  }
  const after = await clients.rest.request<KubeObject>({
    method: "PATCH",
    path,
    query: { fieldManager: INSTALL_FIELD_MANAGER, force: true },
    body: object,
    contentType: "application/apply-patch+yaml",
    signal,
  });
  const outcome: ApplyOutcome =
    before === undefined
      ? "created"
      : before.metadata.resourceVersion === after.metadata.resourceVersion
        ? "unchanged"
        : "configured";
  return { object: describeObject(object), outcome };
}

export async function applyAll(
  clients: KubeClients,
  options: DeployOptions & { signal: AbortSignal; onApplied?: (applied: Applied) => void },
): Promise<Applied[]> {
  const results: Applied[] = [];
  for (const object of deployObjects(options)) {
    const applied = await applyObject(clients, object, options.signal);
    options.onApplied?.(applied);
    results.push(applied);
  }
  return results;
}

const num = (value: unknown): number => (typeof value === "number" ? value : 0);

/** "2/3 available", and whether that is all of it, for a Deployment or DaemonSet. */
export function availability(object: KubeObject): { ready: boolean; text: string } {
  const spec = isPlainObject(object.spec) ? object.spec : {};
  const status = isPlainObject(object.status) ? object.status : {};
  const observed = num(status.observedGeneration) >= num(object.metadata.generation);
  const [available, wanted] =
    object.kind === "DaemonSet"
      ? [num(status.numberAvailable), num(status.desiredNumberScheduled)]
      : [num(status.availableReplicas), typeof spec.replicas === "number" ? spec.replicas : 1];
  const updated =
    object.kind === "DaemonSet" ? num(status.updatedNumberScheduled) : num(status.updatedReplicas);
  const ready =
    observed && available >= wanted && updated >= wanted && (object.kind === "DaemonSet" || wanted > 0);
  return { ready, text: `${available}/${wanted} available${observed ? "" : " (not yet observed)"}` };
}

export class InstallTimeoutError extends Error {
  override name = "InstallTimeoutError";
}

export interface WaitOptions {
  signal: AbortSignal;
  timeoutMs: number;
  /** Default 2 s. */
  intervalMs?: number;
  onProgress?: (line: string) => void;
}

/** Waits until the controller Deployment and the daemon DaemonSet report every replica available. */
export async function waitForAvailable(clients: KubeClients, options: WaitOptions): Promise<void> {
  const targets = [
    {
      object: `deployment.apps/${Workloads.controller}`,
      resource: RESOURCES.Deployment,
      name: Workloads.controller,
    },
    { object: `daemonset.apps/${Workloads.daemon}`, resource: RESOURCES.DaemonSet, name: Workloads.daemon },
  ];
  const deadline = AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]);
  const last = new Map<string, string>();
  while (true) {
    let allReady = true;
    for (const target of targets) {
      if (target.resource === undefined) continue;
      const path = resourcePath(target.resource, DEPLOY_NAMESPACE, target.name);
      const object = await clients.rest.request<KubeObject>({ method: "GET", path, signal: options.signal });
      const state = availability(object);
      if (last.get(target.object) !== state.text) options.onProgress?.(`${target.object}: ${state.text}`);
      last.set(target.object, state.text);
      allReady &&= state.ready;
    }
    if (allReady) return;
    options.signal.throwIfAborted();
    if (deadline.aborted) {
      const summary = [...last].map(([object, text]) => `${object} ${text}`).join(", ");
      throw new InstallTimeoutError(
        `not available after ${Math.round(options.timeoutMs / 1000)} s: ${summary}`,
      );
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, options.intervalMs ?? 2000);
      function done(): void {
        clearTimeout(timer);
        deadline.removeEventListener("abort", done);
        resolve();
      }
      deadline.addEventListener("abort", done, { once: true });
    });
  }
}
