// Every Kubernetes API call each mob component makes, written by reading the code: each entry names
// the file that makes the call. rbac.test.ts checks the generated RBAC against this table both ways
// (every call allowed; every granted rule used by some call). The code itself is checked against
// the RBAC by test/e2e/identities.test.ts: the embedded stack runs each component with its deploy/
// identity, and the API server's audit records show no denial and every granted permission used
// (bar a commented allow-list). A new call missing here fails that test as a denial; add its entry.

import { GROUP, ObjectNames } from "../api/constants.ts";
import { type Component, Components, DEPLOY_NAMESPACE, EVENTS_NAMESPACE, Workloads } from "./components.ts";

export type Verb = "get" | "list" | "watch" | "create" | "update" | "patch" | "delete";

export interface ApiCall {
  /** API group; "" is the core group. */
  group: string;
  resource: string;
  subresource?: string;
  verbs: readonly Verb[];
  /** The namespace the calls go to; unset: cluster-scoped objects, or across all namespaces. */
  namespace?: string;
  /** Only this object: a get/update by a fixed name, or list/watch with `metadata.name=<name>`. */
  name?: string;
  /** The file making the call (informers: the file creating the informer). */
  source: string;
  /** What the file alone does not tell. */
  note?: string;
}

const MCO = GROUP;
const INFORMER: Verb[] = ["list", "watch"];
const EVENTS: ApiCall = {
  group: "",
  resource: "events",
  verbs: ["create", "patch"],
  namespace: EVENTS_NAMESPACE,
  source: "src/runtime/events.ts",
  note: "every recorded object is cluster-scoped, so events go to `default`; patch bumps a repeat's count",
};
/** Blocking an owner's deletion needs `update` on its finalizers (OwnerReferencesPermissionEnforcement). */
const OWNER_NOTE =
  "ownerReferences with blockOwnerDeletion: true (admission checks <owner>/finalizers update)";
/** Changing an object's ownerReferences needs `delete` on the object (the same admission). */
const OWNER_CHANGE_NOTE = "adds the Job as owner: admission checks delete on the object patched";

export const PERMISSIONS: Record<Component, readonly ApiCall[]> = {
  [Components.controller]: [
    // Shared informers (render, node, drain and build read them).
    { group: MCO, resource: "machineconfigpools", verbs: INFORMER, source: "src/controllers/manager.ts" },
    { group: MCO, resource: "machineconfigs", verbs: INFORMER, source: "src/controllers/manager.ts" },
    { group: MCO, resource: "controllerconfigs", verbs: INFORMER, source: "src/controllers/manager.ts" },
    { group: "", resource: "nodes", verbs: INFORMER, source: "src/controllers/manager.ts" },
    { group: MCO, resource: "machineosconfigs", verbs: INFORMER, source: "src/controllers/manager.ts" },
    { group: MCO, resource: "machineosbuilds", verbs: INFORMER, source: "src/controllers/manager.ts" },
    // Render: base configs (create, get on conflict, update), rendered configs, garbage collection.
    {
      group: MCO,
      resource: "machineconfigs",
      verbs: ["create", "get", "update", "delete"],
      source: "src/controllers/render/writes.ts",
    },
    {
      group: MCO,
      resource: "machineconfigpools",
      verbs: ["update"],
      source: "src/controllers/render/writes.ts",
    },
    {
      group: MCO,
      resource: "machineconfigpools",
      subresource: "status",
      verbs: ["update"],
      source: "src/controllers/render/writes.ts",
    },
    {
      group: MCO,
      resource: "machineconfigpools",
      subresource: "finalizers",
      verbs: ["update"],
      source: "src/controllers/render/render.ts",
      note: `rendered MachineConfigs owned by their pool: ${OWNER_NOTE}`,
    },
    {
      group: MCO,
      resource: "controllerconfigs",
      subresource: "finalizers",
      verbs: ["update"],
      source: "src/controllers/render/base-configs.ts",
      note: `base configs 00-<role> owned by the ControllerConfig: ${OWNER_NOTE}`,
    },
    // Node rollout: desiredConfig/desiredImage annotations, the UpdateInProgress taint, pool status.
    { group: "", resource: "nodes", verbs: ["get", "patch"], source: "src/controllers/node/writes.ts" },
    {
      group: MCO,
      resource: "machineconfigpools",
      subresource: "status",
      verbs: ["update"],
      source: "src/controllers/node/writes.ts",
    },
    // Drain: cordon/uncordon and drain annotations, the node's pods, evictions.
    { group: "", resource: "nodes", verbs: ["get", "patch"], source: "src/controllers/drain/drain-api.ts" },
    {
      group: "",
      resource: "pods",
      verbs: ["list"],
      source: "src/controllers/drain/drain-api.ts",
      note: "fieldSelector spec.nodeName=<node>, across all namespaces",
    },
    {
      group: "",
      resource: "pods",
      subresource: "eviction",
      verbs: ["create"],
      source: "src/controllers/drain/drain-api.ts",
      note: "in the namespace of each pod being evicted",
    },
    // Leader election (`--leader-elect`): the Lease in the MCO namespace.
    {
      group: "coordination.k8s.io",
      resource: "leases",
      verbs: ["create"],
      namespace: DEPLOY_NAMESPACE,
      source: "src/runtime/leader-election.ts",
    },
    {
      group: "coordination.k8s.io",
      resource: "leases",
      verbs: ["get", "update"],
      namespace: DEPLOY_NAMESPACE,
      name: Workloads.controller,
      source: "src/runtime/leader-election.ts",
    },
    EVENTS,
  ],
  [Components.builder]: [
    {
      group: MCO,
      resource: "machineosconfigs",
      verbs: INFORMER,
      source: "src/controllers/build/register.ts",
    },
    { group: MCO, resource: "machineosbuilds", verbs: INFORMER, source: "src/controllers/build/register.ts" },
    {
      group: "batch",
      resource: "jobs",
      verbs: INFORMER,
      namespace: DEPLOY_NAMESPACE,
      source: "src/controllers/build/register.ts",
    },
    // MachineOSBuilds: create (get on conflict), rebuild/orphan deletes, job-uid annotation,
    // state transitions, mob's cleanup finalizer removal (PUT).
    {
      group: MCO,
      resource: "machineosbuilds",
      verbs: ["create", "get", "delete"],
      source: "src/controllers/build/converge.ts",
    },
    {
      group: MCO,
      resource: "machineosbuilds",
      verbs: ["delete"],
      source: "src/controllers/build/reconcile.ts",
    },
    {
      group: MCO,
      resource: "machineosbuilds",
      verbs: ["patch", "update"],
      source: "src/controllers/build/mosb-writes.ts",
    },
    {
      group: MCO,
      resource: "machineosbuilds",
      subresource: "status",
      verbs: ["update"],
      source: "src/controllers/build/mosb-writes.ts",
    },
    {
      group: MCO,
      resource: "machineosconfigs",
      verbs: ["get", "patch"],
      source: "src/controllers/build/converge.ts",
      note: "reads the rebuild annotation live, then removes it",
    },
    {
      group: MCO,
      resource: "machineosconfigs",
      verbs: ["patch"],
      source: "src/controllers/build/config-writes.ts",
    },
    {
      group: MCO,
      resource: "machineosconfigs",
      subresource: "status",
      verbs: ["patch"],
      source: "src/controllers/build/config-writes.ts",
    },
    {
      group: MCO,
      resource: "machineconfigpools",
      subresource: "status",
      verbs: ["update"],
      source: "src/controllers/build/config-writes.ts",
      note: "the pool's ImageBuildDegraded condition",
    },
    {
      group: MCO,
      resource: "machineosconfigs",
      subresource: "finalizers",
      verbs: ["update"],
      source: "src/controllers/build/labels.ts",
      note: `MachineOSBuilds owned by their MachineOSConfig: ${OWNER_NOTE}`,
    },
    {
      group: MCO,
      resource: "machineosbuilds",
      subresource: "finalizers",
      verbs: ["update"],
      source: "src/controllers/build/labels.ts",
      note: `Jobs and ConfigMaps owned by their MachineOSBuild: ${OWNER_NOTE}`,
    },
    // Build inputs and outputs, all in the MCO namespace.
    core("secrets", ["get", "create", "update"], "src/controllers/build/preparer.ts"),
    core("configmaps", ["get", "create", "update"], "src/controllers/build/preparer.ts"),
    batch("jobs", ["create", "get"], "src/controllers/build/launcher.ts"),
    core("secrets", ["list", "patch"], "src/controllers/build/launcher.ts"),
    core("configmaps", ["list", "patch"], "src/controllers/build/launcher.ts"),
    core("secrets", ["delete"], "src/controllers/build/launcher.ts", { note: OWNER_CHANGE_NOTE }),
    core("configmaps", ["delete"], "src/controllers/build/launcher.ts", { note: OWNER_CHANGE_NOTE }),
    batch("jobs", ["get"], "src/controllers/build/status-sync.ts"),
    core("configmaps", ["get", "create", "patch"], "src/controllers/build/status-sync.ts"),
    core("pods", ["list"], "src/controllers/build/build-pods.ts"),
    core("configmaps", ["create"], "src/controllers/build/build-pods.ts", { note: "build-log-<mosb>" }),
    core("pods", ["get"], "src/controllers/build/pod-logs.ts", { subresource: "log" }),
    batch("jobs", ["delete"], "src/controllers/build/cleaner.ts"),
    core("secrets", ["list", "delete"], "src/controllers/build/cleaner.ts"),
    core("configmaps", ["list", "delete"], "src/controllers/build/cleaner.ts"),
    core("configmaps", ["delete"], "src/controllers/build/reconcile.ts"),
    core("secrets", ["get"], "src/controllers/build/pruner.ts", {
      note: "push credentials, to delete a build's image from its registry",
    }),
    // The 4.14 opt-in (legacy) controller, registered only beside the build controller: it turns
    // the layering-enabled label and ConfigMaps into a managed MachineOSConfig and mirrors the
    // build's ConfigMaps under 4.14's names. Its events go through the controller's recorder.
    {
      group: MCO,
      resource: "machineosconfigs",
      verbs: INFORMER,
      source: "src/controllers/legacy/controller.ts",
    },
    {
      group: MCO,
      resource: "machineosbuilds",
      verbs: INFORMER,
      source: "src/controllers/legacy/controller.ts",
    },
    core("configmaps", INFORMER, "src/controllers/legacy/controller.ts"),
    {
      group: MCO,
      resource: "machineosconfigs",
      verbs: ["create", "update", "delete"],
      source: "src/controllers/legacy/writes.ts",
    },
    {
      group: MCO,
      resource: "machineconfigpools",
      verbs: ["patch"],
      source: "src/controllers/legacy/writes.ts",
      note: "the newestImageEquivalentConfig annotation",
    },
    {
      group: MCO,
      resource: "machineconfigpools",
      subresource: "status",
      verbs: ["update"],
      source: "src/controllers/legacy/writes.ts",
    },
    core("configmaps", ["create", "update", "delete"], "src/controllers/legacy/writes.ts"),
    { ...EVENTS, note: "events about MachineOSConfigs and MachineOSBuilds (cluster-scoped)" },
  ],
  [Components.daemon]: [
    {
      group: "",
      resource: "nodes",
      verbs: INFORMER,
      source: "src/daemon/daemon.ts",
      note: "fieldSelector metadata.name=<its node>; RBAC cannot name a node per pod",
    },
    {
      group: MCO,
      resource: "controllerconfigs",
      verbs: INFORMER,
      name: ObjectNames.controllerConfig,
      source: "src/daemon/daemon.ts",
      note: "fieldSelector metadata.name=machine-config-controller",
    },
    { group: MCO, resource: "machineconfigs", verbs: ["get"], source: "src/daemon/daemon.ts" },
    { group: "", resource: "nodes", verbs: ["get", "patch"], source: "src/daemon/node-status.ts" },
    { ...EVENTS, note: "events about its Node" },
  ],
  [Components.server]: [
    { group: MCO, resource: "machineconfigpools", verbs: ["get"], source: "src/server/source.ts" },
    { group: MCO, resource: "machineconfigs", verbs: ["get"], source: "src/server/source.ts" },
    { group: MCO, resource: "machineosconfigs", verbs: ["list"], source: "src/server/source.ts" },
    { group: MCO, resource: "machineosbuilds", verbs: ["list"], source: "src/server/source.ts" },
  ],
};

type Extra = Pick<ApiCall, "subresource" | "note">;

/** A core-group call in the MCO namespace. */
function core(resource: string, verbs: Verb[], source: string, extra: Extra = {}): ApiCall {
  return { group: "", resource, verbs, namespace: DEPLOY_NAMESPACE, source, ...extra };
}

/** A batch/v1 call in the MCO namespace. */
function batch(resource: string, verbs: Verb[], source: string): ApiCall {
  return { group: "batch", resource, verbs, namespace: DEPLOY_NAMESPACE, source };
}
