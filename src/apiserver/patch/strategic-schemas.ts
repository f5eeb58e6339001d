// Patch schemas of the built-in kinds mob serves, transcribed from the `patchStrategy`/`patchMergeKey`
// tags of k8s.io/api. A list not named here is atomic, notably Node `spec.taints` and pod `tolerations`,
// which kubectl always sends whole. Server-side apply uses the same keys; where Kubernetes' list-map
// keys are wider (ports: containerPort+protocol) the strategic key is kept, because applied
// configurations usually omit the defaulted second key.

import { METADATA_PATCH_SCHEMA, type PatchSchema } from "./schema.ts";

const byName = { mergeKeys: ["name"] } as const;
const byType = { mergeKeys: ["type"] } as const;
const byIp = { mergeKeys: ["ip"] } as const;
const metadata = { schema: METADATA_PATCH_SCHEMA };

/** `status.conditions` merged by `type`, the convention of built-ins and most CRDs. */
export const CONDITIONS_STATUS_PATCH_SCHEMA: PatchSchema = { conditions: byType };

export const CONTAINER_PATCH_SCHEMA: PatchSchema = {
  ports: { mergeKeys: ["containerPort"] },
  env: byName,
  volumeMounts: { mergeKeys: ["mountPath"] },
  volumeDevices: { mergeKeys: ["devicePath"] },
};

export const POD_SPEC_PATCH_SCHEMA: PatchSchema = {
  containers: { ...byName, schema: CONTAINER_PATCH_SCHEMA },
  initContainers: { ...byName, schema: CONTAINER_PATCH_SCHEMA },
  ephemeralContainers: { ...byName, schema: CONTAINER_PATCH_SCHEMA },
  volumes: byName,
  imagePullSecrets: byName,
  schedulingGates: byName,
  resourceClaims: byName,
  hostAliases: byIp,
  topologySpreadConstraints: { mergeKeys: ["topologyKey"] },
};

export const POD_STATUS_PATCH_SCHEMA: PatchSchema = {
  conditions: byType,
  podIPs: byIp,
  hostIPs: byIp,
};

export const POD_TEMPLATE_SPEC_PATCH_SCHEMA: PatchSchema = {
  metadata,
  spec: { schema: POD_SPEC_PATCH_SCHEMA },
};

/** Any object with metadata and condition-style status. */
export const GENERIC_PATCH_SCHEMA: PatchSchema = {
  metadata,
  status: { schema: CONDITIONS_STATUS_PATCH_SCHEMA },
};

/** A workload whose `spec.template` is a PodTemplateSpec (Job, Deployment, DaemonSet, ...). */
function workloadSchema(): PatchSchema {
  return {
    ...GENERIC_PATCH_SCHEMA,
    spec: { schema: { template: { schema: POD_TEMPLATE_SPEC_PATCH_SCHEMA } } },
  };
}

export const POD_PATCH_SCHEMA: PatchSchema = {
  metadata,
  spec: { schema: POD_SPEC_PATCH_SCHEMA },
  status: { schema: POD_STATUS_PATCH_SCHEMA },
};

export const NODE_PATCH_SCHEMA: PatchSchema = {
  metadata,
  spec: { schema: { podCIDRs: { set: true } } },
  status: { schema: { conditions: byType, addresses: byType } },
};

export const JOB_PATCH_SCHEMA: PatchSchema = workloadSchema();
export const DEPLOYMENT_PATCH_SCHEMA: PatchSchema = workloadSchema();
export const DAEMON_SET_PATCH_SCHEMA: PatchSchema = workloadSchema();

export const PATCH_SCHEMAS = {
  pod: POD_PATCH_SCHEMA,
  node: NODE_PATCH_SCHEMA,
  job: JOB_PATCH_SCHEMA,
  deployment: DEPLOYMENT_PATCH_SCHEMA,
  daemonSet: DAEMON_SET_PATCH_SCHEMA,
  generic: GENERIC_PATCH_SCHEMA,
} as const satisfies Record<string, PatchSchema>;
