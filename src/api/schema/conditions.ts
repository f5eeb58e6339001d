// Status condition shapes. MOSC/MOSB use metav1.Condition; MCP, KubeletConfig and
// ContainerRuntimeConfig use older MCO-specific structs whose fields are all optional.

import Type from "typebox";
import { DateTime, Int64, type KubeSchemaOptions, Nullable, StringEnum } from "./kube.ts";

export const CONDITION_STATUSES = ["True", "False", "Unknown"] as const;

/** metav1.Condition, with the validation Kubernetes generates for it. */
export const Condition = Type.Object({
  type: Type.String({
    description: "Condition type in CamelCase or foo.example.com/CamelCase.",
    maxLength: 316,
    pattern:
      "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$",
  }),
  status: StringEnum(CONDITION_STATUSES, { description: "True, False or Unknown." }),
  observedGeneration: Type.Optional(
    Int64({ minimum: 0, description: "The metadata.generation this condition was computed from." }),
  ),
  lastTransitionTime: DateTime({ description: "When the status last changed." }),
  reason: Type.String({
    description: "Machine-readable CamelCase cause of the last transition.",
    minLength: 1,
    maxLength: 1024,
    pattern: "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$",
  }),
  message: Type.String({ description: "Human-readable details; may be empty.", maxLength: 32768 }),
});

/** A list of metav1.Condition keyed by type. */
export function Conditions(options: KubeSchemaOptions & { maxItems?: number } = {}) {
  return Type.Array(Condition, {
    description: "Observations of the object's state, one per condition type.",
    ...options,
    "x-kubernetes-list-type": "map",
    "x-kubernetes-list-map-keys": ["type"],
  });
}

/** The MCO's own condition struct (MachineConfigPoolCondition and friends): all fields optional. */
export const LegacyCondition = Type.Object({
  type: Type.Optional(Type.String({ description: "Condition type." })),
  status: Type.Optional(Type.String({ description: "True, False or Unknown." })),
  lastTransitionTime: Type.Optional(Nullable(DateTime({ description: "When the status last changed." }))),
  reason: Type.Optional(Type.String({ description: "Machine-readable cause of the last transition." })),
  message: Type.Optional(Type.String({ description: "Human-readable details." })),
});

/** An atomic list of LegacyCondition, as MCP, KubeletConfig and ContainerRuntimeConfig publish it. */
export function LegacyConditions(description = "Observations of the object's state.") {
  return Type.Array(LegacyCondition, { description, "x-kubernetes-list-type": "atomic" });
}
