// MachineConfigPool v1: a group of nodes sharing one rendered MachineConfig. Matches openshift/api's
// CRD (Default feature set, including osImageStream) field for field.

import Type, { type Static } from "typebox";
import { LegacyConditions } from "./schema/conditions.ts";
import { DateTime, Int32, Int64, IntOrString, KindSchema, StringEnum } from "./schema/kube.ts";
import { LEGACY_SUBDOMAIN_PATTERN, RFC1123_SUBDOMAIN_RULE } from "./schema/names.ts";
import { LabelSelector, PoolConfiguration } from "./schema/references.ts";

const OSImageStreamReference = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      maxLength: 253,
      description: "Name of the OSImageStream.",
      "x-kubernetes-validations": [RFC1123_SUBDOMAIN_RULE],
    }),
  },
  { description: "The OS image stream the pool follows." },
);

export const MachineConfigPoolSpec = Type.Object(
  {
    machineConfigSelector: Type.Optional(LabelSelector("Selects the MachineConfigs merged for this pool.")),
    nodeSelector: Type.Optional(LabelSelector("Selects the nodes in this pool.")),
    paused: Type.Optional(Type.Boolean({ description: "Stops rendering and node updates while true." })),
    maxUnavailable: Type.Optional(
      IntOrString({ description: "How many nodes may update at once (number or percentage); 1 when unset." }),
    ),
    configuration: Type.Optional(
      PoolConfiguration("The rendered MachineConfig the pool's nodes should run."),
    ),
    pinnedImageSets: Type.Optional(
      Type.Array(
        Type.Object({
          name: Type.String({
            minLength: 1,
            maxLength: 253,
            pattern: LEGACY_SUBDOMAIN_PATTERN,
            description: "Name of the PinnedImageSet.",
          }),
        }),
        {
          maxItems: 100,
          description: "PinnedImageSets whose images nodes keep.",
          "x-kubernetes-list-type": "map",
          "x-kubernetes-list-map-keys": ["name"],
        },
      ),
    ),
    osImageStream: Type.Optional(OSImageStreamReference),
  },
  { description: "Which nodes and MachineConfigs belong to the pool, and how it updates." },
);

const count = (description: string) => Type.Optional(Int32({ description }));
const syncCount = (description: string) => Int64({ minimum: 0, description });
const atLeast = (larger: string, smaller: string) => ({
  rule: `self.${larger} >= self.${smaller}`,
  message: `${larger} must be greater than or equal to ${smaller}`,
});

export const PoolSynchronizerStatus = Type.Object(
  {
    poolSynchronizerType: StringEnum(["PinnedImageSets"], {
      maxLength: 256,
      description: "The synchronizer.",
    }),
    machineCount: syncCount("Nodes in the pool."),
    updatedMachineCount: syncCount("Nodes synchronized."),
    readyMachineCount: syncCount("Nodes ready."),
    availableMachineCount: syncCount("Nodes available."),
    unavailableMachineCount: syncCount("Nodes unavailable."),
    observedGeneration: Type.Optional(
      Int64({
        minimum: 0,
        description: "The generation last acted on.",
        "x-kubernetes-validations": [
          {
            rule: "self >= oldSelf || (self == 0 && oldSelf > 0)",
            message: "observedGeneration must not move backwards except to zero",
          },
        ],
      }),
    ),
  },
  {
    "x-kubernetes-validations": [
      atLeast("machineCount", "updatedMachineCount"),
      atLeast("machineCount", "availableMachineCount"),
      atLeast("machineCount", "unavailableMachineCount"),
      atLeast("machineCount", "readyMachineCount"),
      atLeast("availableMachineCount", "readyMachineCount"),
    ],
  },
);

export const MachineConfigPoolStatus = Type.Object(
  {
    observedGeneration: Type.Optional(Int64({ description: "The generation the controller last acted on." })),
    configuration: Type.Optional(PoolConfiguration("The rendered MachineConfig the pool's nodes run now.")),
    machineCount: count("Nodes in the pool."),
    updatedMachineCount: count("Nodes running the pool's target config."),
    readyMachineCount: count("Updated nodes that are ready."),
    unavailableMachineCount: count("Nodes that are unavailable (updating, not ready or cordoned)."),
    degradedMachineCount: count("Nodes that failed to update."),
    conditions: Type.Optional(LegacyConditions("Updated, Updating, Degraded and related conditions.")),
    certExpirys: Type.Optional(
      Type.Array(
        Type.Object({
          bundle: Type.String({ description: "The CA bundle the certificate is in." }),
          subject: Type.String({ description: "Subject of the certificate." }),
          expiry: Type.Optional(DateTime({ description: "When the certificate expires." })),
        }),
        {
          description: "Expiry of the certificates the pool's nodes trust.",
          "x-kubernetes-list-type": "atomic",
        },
      ),
    ),
    poolSynchronizersStatus: Type.Optional(
      Type.Array(PoolSynchronizerStatus, {
        description: "Progress of each pool synchronizer.",
        "x-kubernetes-list-type": "map",
        "x-kubernetes-list-map-keys": ["poolSynchronizerType"],
      }),
    ),
    osImageStream: Type.Optional(OSImageStreamReference),
  },
  { description: "The pool's rollout progress." },
);

export const MachineConfigPoolSchema = KindSchema({
  description: "A group of nodes that share one rendered MachineConfig.",
  properties: { spec: MachineConfigPoolSpec, status: Type.Optional(MachineConfigPoolStatus) },
});

export type MachineConfigPoolSpec = Static<typeof MachineConfigPoolSpec>;
export type MachineConfigPoolStatus = Static<typeof MachineConfigPoolStatus>;
export type MachineConfigPool = Static<typeof MachineConfigPoolSchema>;
