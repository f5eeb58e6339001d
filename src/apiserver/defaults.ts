// What a fresh embedded API server starts with, so `mob controller` has something to render: the
// namespace `openshift-machine-config-operator`, the `master` and `worker` MachineConfigPools as
// OpenShift installs them, and the ControllerConfig `machine-config-controller` (its
// baseOSContainerImage empty until a base image is seeded).
//
// Only once per state directory: the ConfigMap `kube-system/mob-defaults` records that defaults
// were considered, so pools or the ControllerConfig the user deletes later stay deleted. A store
// that already has MachineConfigPools (created by the user before this feature) gets the marker and
// nothing else.

import type { Logger } from "pino";
import {
  GROUP,
  MachineConfigKeys,
  MCO_NAMESPACE,
  NODE_ROLE_LABEL_PREFIX,
  ObjectNames,
  PoolKeys,
  V1,
} from "../api/constants.ts";
import type { KubeObject } from "../api/object.ts";
import { isApiError } from "./registry/storage-errors.ts";
import type { Scope, Store } from "./registry/store.ts";
import { storageVersionOf } from "./registry/versions.ts";

/** The marker ConfigMap: present once defaults have been considered for this store. */
export const DEFAULTS_MARKER = { namespace: "kube-system", name: "mob-defaults" } as const;

const POOLS = `machineconfigpools.${GROUP}`;
const CONTROLLER_CONFIGS = `controllerconfigs.${GROUP}`;

/** Creates the defaults unless the marker exists; returns whether anything was created. */
export function installDefaults(store: Store, logger: Logger): boolean {
  const markers = scope(store, "configmaps", DEFAULTS_MARKER.namespace);
  if (exists(store, markers, DEFAULTS_MARKER.name)) return false;
  const pools = scope(store, POOLS);
  const empty = store.storage.list(POOLS, { limit: 1 }).items.length === 0;
  if (empty) {
    createIfAbsent(store, scope(store, "namespaces"), {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: MCO_NAMESPACE },
    });
    for (const role of ["master", "worker"]) createIfAbsent(store, pools, defaultPool(role));
    createIfAbsent(store, scope(store, CONTROLLER_CONFIGS), defaultControllerConfig());
    logger.info({ pools: ["master", "worker"] }, "created default MachineConfigPools and ControllerConfig");
  }
  createIfAbsent(store, markers, marker(empty));
  return empty;
}

/** A built-in pool as OpenShift has it: selects MachineConfigs by role and nodes by role label. */
export function defaultPool(role: string): KubeObject {
  return {
    apiVersion: V1,
    kind: "MachineConfigPool",
    metadata: {
      name: role,
      labels: { [PoolKeys.builtIn]: "", [`${PoolKeys.poolSelectorPrefix}${role}`]: "" },
    },
    spec: {
      machineConfigSelector: { matchLabels: { [MachineConfigKeys.role]: role } },
      nodeSelector: { matchLabels: { [`${NODE_ROLE_LABEL_PREFIX}${role}`]: "" } },
      paused: false,
    },
  };
}

/** The schema's required fields, empty: no release, no proxy, no trust bundle, no images yet. */
export function defaultControllerConfig(): KubeObject {
  return {
    apiVersion: V1,
    kind: "ControllerConfig",
    metadata: { name: ObjectNames.controllerConfig },
    spec: {
      baseOSContainerImage: "",
      releaseImage: "",
      additionalTrustBundle: null,
      proxy: null,
      images: {},
    },
  };
}

function marker(created: boolean): KubeObject {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: DEFAULTS_MARKER.name, namespace: DEFAULTS_MARKER.namespace },
    data: {
      created: String(created),
      note: "mob created its default pools here once; delete this ConfigMap to have them created again on an empty store",
    },
  };
}

function scope(store: Store, resource: string, namespace = ""): Scope {
  const definition = store.catalog.get(resource);
  if (definition === undefined) throw new Error(`the catalog has no ${resource} resource`);
  return {
    definition,
    version: storageVersionOf(definition),
    namespace: definition.namespaced ? namespace : "",
  };
}

function exists(store: Store, where: Scope, name: string): boolean {
  try {
    store.get(where, name);
    return true;
  } catch (error) {
    if (isApiError(error, 404)) return false;
    throw error;
  }
}

function createIfAbsent(store: Store, where: Scope, object: KubeObject): void {
  try {
    store.create(where, object);
  } catch (error) {
    if (!isApiError(error, 409)) throw error;
  }
}
