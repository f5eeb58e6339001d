// Admission for namespace lifecycle: no new content in a namespace that does not exist or is being
// terminated, and the namespaces the system relies on cannot be deleted.

import { isPlainObject, type KubeObject } from "../../api/object.ts";
import { forbidden, groupResourceString, notFound } from "../errors.ts";
import type { AdmissionPlugin, AdmissionRequest } from "../registry/admission.ts";
import { resourceKey } from "../registry/resource.ts";
import { isApiError } from "../registry/storage-errors.ts";
import { groupResource, type Store } from "../registry/store.ts";
import { StorageError } from "../storage/storage.ts";

const NAMESPACES = "namespaces";
/** Kubernetes' immortal namespaces. */
const UNDELETABLE: readonly string[] = ["default", "kube-system", "kube-public"];
export const NAMESPACE_TERMINATING_CAUSE = "NamespaceTerminating";

export function namespaceLifecycleAdmission(store: Store): AdmissionPlugin {
  return {
    name: "NamespaceLifecycle",
    admit(request: AdmissionRequest): void {
      if (request.operation === "DELETE") rejectUndeletable(request);
      else if (request.operation === "CREATE" && request.definition.namespaced)
        rejectUnusableNamespace(store, request);
    },
  };
}

function rejectUnusableNamespace(store: Store, request: AdmissionRequest): void {
  const namespace = request.object.metadata.namespace ?? "";
  if (namespace === "") return;
  const stored = readNamespace(store, namespace);
  const phase = isPlainObject(stored.status) ? stored.status.phase : undefined;
  if (stored.metadata.deletionTimestamp === undefined && phase !== "Terminating") return;
  const gr = groupResource(request.definition);
  const name = request.object.metadata.name ?? "";
  throw forbidden(
    `${groupResourceString(gr)} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
    {
      name,
      group: gr.group,
      kind: gr.resource,
      causes: [
        {
          reason: NAMESPACE_TERMINATING_CAUSE,
          message: `namespace ${namespace} is being terminated`,
          field: "metadata.namespace",
        },
      ],
    },
  );
}

function readNamespace(store: Store, name: string): KubeObject {
  try {
    return store.storage.get({ resource: NAMESPACES, namespace: "", name });
  } catch (error) {
    if (error instanceof StorageError && error.code === "NotFound")
      throw notFound({ group: "", resource: NAMESPACES }, name);
    throw error;
  }
}

function rejectUndeletable(request: AdmissionRequest): void {
  if (resourceKey(request.definition) !== NAMESPACES) return;
  const name = request.object.metadata.name ?? "";
  if (!UNDELETABLE.includes(name)) return;
  throw forbidden(`namespaces "${name}" is forbidden: this namespace may not be deleted`, {
    name,
    group: "",
    kind: NAMESPACES,
  });
}

/** True for the error this plugin raises for a terminating namespace. */
export function isNamespaceTerminating(error: unknown): boolean {
  return (
    isApiError(error, 403) &&
    (error.details?.causes ?? []).some((c) => c.reason === NAMESPACE_TERMINATING_CAUSE)
  );
}
