// MachineOSConfig v1: opts a MachineConfigPool into on-cluster image builds. Every field, rule and
// message matches openshift/api's v1 CRD.

import Type, { type Static } from "typebox";
import { Conditions } from "./schema/conditions.ts";
import { ImageDigestFormat, ImageTagFormat } from "./schema/images.ts";
import { Int64, KindSchema, StringEnum } from "./schema/kube.ts";
import { NameReference } from "./schema/names.ts";
import { ObjectReference } from "./schema/references.ts";

export const CONTAINERFILE_ARCHES = ["ARM64", "AMD64", "PPC64LE", "S390X", "NoArch"] as const;
export const IMAGE_BUILDER_TYPES = ["Job"] as const;

export const MachineOSConfigContainerfile = Type.Object({
  containerfileArch: Type.Optional(
    StringEnum(CONTAINERFILE_ARCHES, {
      default: "NoArch",
      description: "Architecture this Containerfile applies to; only NoArch is used today.",
    }),
  ),
  content: Type.String({
    maxLength: 4096,
    description: "Containerfile instructions appended after the stage that applies the MachineConfig.",
  }),
});

export const MachineOSConfigSpec = Type.Object(
  {
    machineConfigPool: NameReference(
      "The pool whose nodes get the built image; its name must equal this object's.",
    ),
    imageBuilder: Type.Object(
      {
        imageBuilderType: StringEnum(IMAGE_BUILDER_TYPES, {
          description: "How images are built; Job is the only kind.",
        }),
      },
      { description: "The build mechanism." },
    ),
    baseImagePullSecret: Type.Optional(
      NameReference("Secret used to pull the base OS image; the cluster pull secret when omitted."),
    ),
    renderedImagePushSecret: NameReference("Secret used to push the built image."),
    renderedImagePushSpec: ImageTagFormat({
      description: "Where built images are pushed; the tag is replaced per build.",
    }),
    containerFile: Type.Optional(
      Type.Array(MachineOSConfigContainerfile, {
        minItems: 0,
        maxItems: 4,
        description: "User Containerfile content, at most one per architecture.",
        "x-kubernetes-list-type": "map",
        "x-kubernetes-list-map-keys": ["containerfileArch"],
      }),
    ),
  },
  { description: "What to build and where to push it." },
);

export const MachineOSConfigStatus = Type.Object(
  {
    conditions: Type.Optional(Conditions()),
    observedGeneration: Type.Optional(
      Int64({
        minimum: 0,
        description: "The generation the controller last acted on.",
        "x-kubernetes-validations": [
          { rule: "self >= oldSelf", message: "observedGeneration must not move backwards" },
        ],
      }),
    ),
    currentImagePullSpec: Type.Optional(
      ImageDigestFormat({ description: "Digest reference of the image the pool's nodes should run." }),
    ),
    machineOSBuild: Type.Optional(
      ObjectReference({ description: "The MachineOSBuild that produced that image." }),
    ),
  },
  { description: "The controller's view of this configuration." },
);

export const MachineOSConfigSchema = KindSchema({
  description: "Configuration for building a layered OS image for one MachineConfigPool.",
  properties: { spec: MachineOSConfigSpec, status: Type.Optional(MachineOSConfigStatus) },
  validations: [
    {
      rule: "self.metadata.name == self.spec.machineConfigPool.name || oldSelf.hasValue() && oldSelf.spec.machineConfigPool.name.value() == self.spec.machineConfigPool.name",
      message:
        "MachineOSConfig name must match the referenced MachineConfigPool name; can only have one MachineOSConfig per MachineConfigPool",
      optionalOldSelf: true,
    },
  ],
});

export type MachineOSConfigSpec = Static<typeof MachineOSConfigSpec>;
export type MachineOSConfigStatus = Static<typeof MachineOSConfigStatus>;
export type MachineOSConfig = Static<typeof MachineOSConfigSchema>;
