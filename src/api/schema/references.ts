// Object references. v1 MOSC/MOSB use a validated group/resource/namespace/name reference; MCP and
// ControllerConfig embed corev1.ObjectReference; v1alpha1 used the same four fields unvalidated.

import Type from "typebox";
import { AtomicStrings, type KubeSchemaOptions, StringMap } from "./kube.ts";
import { Dns1035Name, LabelName, SubdomainName } from "./names.ts";

/** machineconfiguration/v1 ObjectReference: names a related object by group, resource and name. */
export function ObjectReference(options: KubeSchemaOptions = {}) {
  return Type.Object(
    {
      group: SubdomainName({ description: "API group of the referent; '' is not accepted." }),
      resource: Dns1035Name({ description: "Resource (plural) of the referent, e.g. jobs." }),
      namespace: Type.Optional(LabelName({ description: "Namespace of the referent, if namespaced." })),
      name: SubdomainName({ minLength: 1, description: "Name of the referent." }),
    },
    options,
  );
}

/** The v1alpha1 spelling: the same fields, without any validation. */
export function PlainObjectReference(options: KubeSchemaOptions = {}) {
  return Type.Object(
    {
      group: Type.String({ description: "API group of the referent." }),
      resource: Type.String({ description: "Resource (plural) of the referent." }),
      namespace: Type.Optional(Type.String({ description: "Namespace of the referent." })),
      name: Type.String({ description: "Name of the referent." }),
    },
    options,
  );
}

const coreReferenceFields = {
  apiVersion: Type.Optional(Type.String({ description: "API version of the referent." })),
  kind: Type.Optional(Type.String({ description: "Kind of the referent." })),
  namespace: Type.Optional(Type.String({ description: "Namespace of the referent." })),
  name: Type.Optional(Type.String({ description: "Name of the referent." })),
  uid: Type.Optional(Type.String({ description: "UID of the referent." })),
  resourceVersion: Type.Optional(
    Type.String({ description: "Resource version the reference was taken at." }),
  ),
  fieldPath: Type.Optional(Type.String({ description: "A field within the referent, if any." })),
};

/** corev1.ObjectReference, replaced as a whole on merge. */
export function CoreObjectReference(options: KubeSchemaOptions = {}) {
  return Type.Object(coreReferenceFields, { ...options, "x-kubernetes-map-type": "atomic" });
}

/** MachineConfigPoolStatusConfiguration: the rendered config plus the MachineConfigs it came from. */
export function PoolConfiguration(description: string) {
  return Type.Object(
    {
      ...coreReferenceFields,
      source: Type.Optional(
        Type.Array(CoreObjectReference(), {
          description: "The MachineConfigs merged into this rendered config.",
          "x-kubernetes-list-type": "atomic",
        }),
      ),
    },
    { description, "x-kubernetes-map-type": "atomic" },
  );
}

/** metav1.LabelSelector. */
export function LabelSelector(description: string) {
  return Type.Object(
    {
      matchLabels: Type.Optional(StringMap({ description: "Labels that must all match." })),
      matchExpressions: Type.Optional(
        Type.Array(
          Type.Object({
            key: Type.String({ description: "The label key." }),
            operator: Type.String({ description: "In, NotIn, Exists or DoesNotExist." }),
            values: Type.Optional(AtomicStrings({ description: "Values for In and NotIn." })),
          }),
          { description: "Requirements that must all match.", "x-kubernetes-list-type": "atomic" },
        ),
      ),
    },
    { description, "x-kubernetes-map-type": "atomic" },
  );
}
