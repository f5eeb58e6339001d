// ContainerRuntimeConfig v1: CRI-O settings for the pools it selects. Exact for every field upstream
// declares in the Default feature set.

import Type, { type Static } from "typebox";
import { LegacyConditions } from "./schema/conditions.ts";
import { Int64, IntOrString, KindSchema, StringEnum } from "./schema/kube.ts";
import { LabelSelector } from "./schema/references.ts";

/** resource.Quantity as Kubernetes validates it. */
const QUANTITY_PATTERN =
  "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$";

/** A list of extra storage locations: absolute paths, no duplicates. */
function StoreList(field: string, maxItems: number, description: string) {
  const path = Type.String({
    minLength: 1,
    maxLength: 256,
    description: "Absolute path of the store.",
    "x-kubernetes-validations": [
      {
        rule: "self.matches('^/[a-zA-Z0-9/._-]+$')",
        message: "path must be absolute and contain only alphanumeric characters, '/', '.', '_', and '-'",
      },
      { rule: "!self.contains('//')", message: "path must not contain consecutive forward slashes" },
    ],
  });
  return Type.Optional(
    Type.Array(Type.Object({ path }), {
      minItems: 1,
      maxItems,
      description,
      "x-kubernetes-list-type": "atomic",
      "x-kubernetes-validations": [
        {
          rule: "self.all(x, self.exists_one(y, x.path == y.path))",
          message: `${field} must not contain duplicate paths`,
        },
      ],
    }),
  );
}

export const ContainerRuntimeConfiguration = Type.Object(
  {
    pidsLimit: Type.Optional(Int64({ description: "Maximum processes per container." })),
    logLevel: Type.Optional(Type.String({ description: "CRI-O log level." })),
    logSizeMax: Type.Optional(
      IntOrString({ pattern: QUANTITY_PATTERN, description: "Maximum container log size." }),
    ),
    overlaySize: Type.Optional(
      IntOrString({ pattern: QUANTITY_PATTERN, description: "Container root size quota." }),
    ),
    defaultRuntime: Type.Optional(StringEnum(["crun", "runc"], { description: "The OCI runtime." })),
    additionalLayerStores: StoreList("additionalLayerStores", 5, "Read-only layer stores."),
    additionalImageStores: StoreList("additionalImageStores", 10, "Read-only image stores."),
    additionalArtifactStores: StoreList("additionalArtifactStores", 10, "Read-only artifact stores."),
  },
  { description: "CRI-O settings." },
);

export const ContainerRuntimeConfigSpec = Type.Object(
  {
    machineConfigPoolSelector: Type.Optional(LabelSelector("Selects the pools this applies to.")),
    containerRuntimeConfig: ContainerRuntimeConfiguration,
  },
  { description: "CRI-O settings and the pools they apply to." },
);

export const ContainerRuntimeConfigStatus = Type.Object(
  {
    observedGeneration: Type.Optional(Int64({ description: "The generation the controller last acted on." })),
    conditions: Type.Optional(LegacyConditions("Success or Failure.")),
  },
  { description: "Whether the settings were applied." },
);

export const ContainerRuntimeConfigSchema = KindSchema({
  description: "CRI-O settings for the nodes of selected MachineConfigPools.",
  properties: { spec: ContainerRuntimeConfigSpec, status: Type.Optional(ContainerRuntimeConfigStatus) },
});

export type ContainerRuntimeConfigSpec = Static<typeof ContainerRuntimeConfigSpec>;
export type ContainerRuntimeConfig = Static<typeof ContainerRuntimeConfigSchema>;
