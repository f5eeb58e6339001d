// MachineOSBuild v1alpha1 (removed upstream in 2025). mob still serves it so old manifests apply;
// the schema matches the last upstream v1alpha1 CRD.

import Type, { type Static } from "typebox";
import { Conditions } from "./schema/conditions.ts";
import { V1ALPHA1_DIGEST_SUFFIX_RULE, V1Alpha1ImageTagFormat } from "./schema/images.ts";
import { ImmutableDateTime, Int64, KindSchema } from "./schema/kube.ts";
import { LEGACY_SUBDOMAIN_PATTERN } from "./schema/names.ts";
import { PlainObjectReference } from "./schema/references.ts";

export const MachineOSBuildV1Alpha1Spec = Type.Object(
  {
    configGeneration: Int64({ minimum: 1, description: "Generation of the MachineOSConfig built." }),
    desiredConfig: Type.Object(
      {
        name: Type.String({
          maxLength: 253,
          pattern: LEGACY_SUBDOMAIN_PATTERN,
          description: "MachineConfig name.",
        }),
      },
      { description: "The rendered MachineConfig baked into the image." },
    ),
    machineOSConfig: Type.Object(
      { name: Type.String({ description: "MachineOSConfig name." }) },
      { description: "The MachineOSConfig this build belongs to." },
    ),
    version: Int64({ minimum: 1, description: "Build attempt counter." }),
    renderedImagePushspec: V1Alpha1ImageTagFormat({
      description: "Tagged pull spec the image is pushed to.",
    }),
  },
  {
    description: "The build's inputs; immutable.",
    "x-kubernetes-validations": [
      { rule: "self == oldSelf", message: "machineOSBuildSpec is immutable once set" },
    ],
  },
);

export const MachineOSBuildV1Alpha1Status = Type.Object(
  {
    conditions: Type.Optional(Conditions()),
    builderReference: Type.Optional(
      Type.Object(
        {
          imageBuilderType: Type.String({ description: "The builder kind; PodImageBuilder." }),
          buildPod: Type.Optional(PlainObjectReference({ description: "The Pod running the build." })),
        },
        {
          description: "What is running the build.",
          "x-kubernetes-validations": [
            {
              rule: "has(self.imageBuilderType) && self.imageBuilderType == 'PodImageBuilder' ?  true : !has(self.buildPod)",
              message:
                "buildPod is required when imageBuilderType is PodImageBuilder, and forbidden otherwise",
            },
          ],
        },
      ),
    ),
    relatedObjects: Type.Optional(
      Type.Array(PlainObjectReference(), { description: "Temporary objects the build created." }),
    ),
    buildStart: ImmutableDateTime("buildStart", "When the build started."),
    buildEnd: Type.Optional(ImmutableDateTime("buildEnd", "When the build reached a terminal state.")),
    finalImagePullspec: Type.Optional(
      Type.String({
        description: "Digest reference of the pushed image.",
        "x-kubernetes-validations": [V1ALPHA1_DIGEST_SUFFIX_RULE],
      }),
    ),
  },
  { description: "Progress and result of the build." },
);

export const MachineOSBuildV1Alpha1Schema = KindSchema({
  description: "One build of a layered OS image (v1alpha1).",
  properties: { spec: MachineOSBuildV1Alpha1Spec, status: Type.Optional(MachineOSBuildV1Alpha1Status) },
});

export type MachineOSBuildV1Alpha1Spec = Static<typeof MachineOSBuildV1Alpha1Spec>;
export type MachineOSBuildV1Alpha1Status = Static<typeof MachineOSBuildV1Alpha1Status>;
export type MachineOSBuildV1Alpha1 = Static<typeof MachineOSBuildV1Alpha1Schema>;
