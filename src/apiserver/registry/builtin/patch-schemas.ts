// Strategic-merge / apply list semantics of the built-in kinds, transcribed from the
// `patchStrategy`/`patchMergeKey`/`listMapKeys` tags of k8s.io/api. A list not named here is
// atomic: Node spec.taints and Pod spec.tolerations are atomic upstream too (kubectl taint sends
// the whole list), as are RBAC rules and subjects.

import { METADATA_PATCH_SCHEMA, type PatchSchema } from "../../patch/schema.ts";

const byKey = (...mergeKeys: string[]) => ({ mergeKeys });

const CONDITIONS_STATUS: PatchSchema = { conditions: byKey("type") };

/** Metadata lists plus status.conditions by type: every kind without richer lists. */
export const DEFAULT_PATCH_SCHEMA: PatchSchema = {
  metadata: { schema: METADATA_PATCH_SCHEMA },
  status: { schema: CONDITIONS_STATUS },
};

const CONTAINER: PatchSchema = {
  ports: byKey("containerPort", "protocol"),
  env: byKey("name"),
  volumeMounts: byKey("mountPath"),
  volumeDevices: byKey("devicePath"),
  resizePolicy: byKey("resourceName"),
};

export const POD_SPEC_PATCH_SCHEMA: PatchSchema = {
  containers: { ...byKey("name"), schema: CONTAINER },
  initContainers: { ...byKey("name"), schema: CONTAINER },
  ephemeralContainers: { ...byKey("name"), schema: CONTAINER },
  volumes: byKey("name"),
  imagePullSecrets: byKey("name"),
  schedulingGates: byKey("name"),
  hostAliases: byKey("ip"),
  topologySpreadConstraints: byKey("topologyKey", "whenUnsatisfiable"),
  resourceClaims: byKey("name"),
};

export const POD_PATCH_SCHEMA: PatchSchema = {
  metadata: { schema: METADATA_PATCH_SCHEMA },
  spec: { schema: POD_SPEC_PATCH_SCHEMA },
  status: { schema: { ...CONDITIONS_STATUS, podIPs: byKey("ip"), hostIPs: byKey("ip") } },
};

/** Job, Deployment, DaemonSet: a pod template under spec.template. */
export const POD_TEMPLATE_OWNER_PATCH_SCHEMA: PatchSchema = {
  metadata: { schema: METADATA_PATCH_SCHEMA },
  spec: {
    schema: {
      template: {
        schema: { metadata: { schema: METADATA_PATCH_SCHEMA }, spec: { schema: POD_SPEC_PATCH_SCHEMA } },
      },
    },
  },
  status: { schema: CONDITIONS_STATUS },
};

export const NODE_PATCH_SCHEMA: PatchSchema = {
  metadata: { schema: METADATA_PATCH_SCHEMA },
  spec: { schema: { podCIDRs: { set: true } } },
  status: { schema: { conditions: byKey("type"), addresses: byKey("type") } },
};
