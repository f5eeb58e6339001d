// MachineOSConfig v1alpha1 (TechPreview 4.16/4.17, removed upstream in 2025). mob still serves it
// so old manifests apply; the schema matches the last upstream v1alpha1 CRD.

import Type, { type Static } from "typebox";
import { Conditions } from "./schema/conditions.ts";
import { ImageDigestFormat, V1Alpha1ImageTagFormat } from "./schema/images.ts";
import { Int64, KindSchema, StringEnum } from "./schema/kube.ts";
import { LEGACY_SUBDOMAIN_PATTERN } from "./schema/names.ts";

export const V1ALPHA1_CONTAINERFILE_ARCHES = [
  "arm64",
  "amd64",
  "ppc64le",
  "s390x",
  "aarch64",
  "x86_64",
  "noarch",
] as const;

/** `{name}` of a Secret, with no validation on the name. */
function SecretName(description: string) {
  return Type.Object({ name: Type.String({ description: "Name of the Secret." }) }, { description });
}

export const MachineOSConfigV1Alpha1BuildInputs = Type.Object(
  {
    baseImagePullSecret: SecretName("Secret used to pull the base OS image."),
    imageBuilder: Type.Object(
      {
        imageBuilderType: StringEnum(["PodImageBuilder"], {
          default: "PodImageBuilder",
          description: "How images are built; a bare Pod in v1alpha1.",
        }),
      },
      { description: "The build mechanism." },
    ),
    renderedImagePushSecret: SecretName("Secret used to push the built image."),
    renderedImagePushspec: V1Alpha1ImageTagFormat({ description: "Where built images are pushed." }),
    baseOSImagePullspec: Type.Optional(ImageDigestFormat({ description: "Overrides the base OS image." })),
    baseOSExtensionsImagePullspec: Type.Optional(
      ImageDigestFormat({ description: "Overrides the OS extensions image." }),
    ),
    releaseVersion: Type.Optional(Type.String({ description: "Overrides the release version." })),
    containerFile: Type.Optional(
      Type.Array(
        Type.Object({
          containerfileArch: Type.Optional(
            StringEnum(V1ALPHA1_CONTAINERFILE_ARCHES, {
              default: "noarch",
              description: "Architecture this Containerfile applies to.",
            }),
          ),
          content: Type.String({ description: "Containerfile instructions." }),
        }),
        {
          minItems: 0,
          maxItems: 7,
          description: "User Containerfile content, at most one per architecture.",
          "x-kubernetes-list-type": "map",
          "x-kubernetes-list-map-keys": ["containerfileArch"],
        },
      ),
    ),
  },
  { description: "Everything the build consumes." },
);

export const MachineOSConfigV1Alpha1Spec = Type.Object(
  {
    machineConfigPool: Type.Object(
      { name: Type.String({ maxLength: 253, pattern: LEGACY_SUBDOMAIN_PATTERN, description: "Pool name." }) },
      { description: "The pool whose nodes get the built image." },
    ),
    buildInputs: MachineOSConfigV1Alpha1BuildInputs,
    buildOutputs: Type.Optional(
      Type.Object(
        {
          currentImagePullSecret: Type.Optional(SecretName("Secret nodes use to pull the built image.")),
        },
        { description: "How the result is consumed." },
      ),
    ),
  },
  { description: "What to build and where to push it." },
);

export const MachineOSConfigV1Alpha1Status = Type.Object(
  {
    conditions: Type.Optional(Conditions()),
    observedGeneration: Int64({ description: "The generation the controller last acted on." }),
    currentImagePullspec: Type.Optional(
      ImageDigestFormat({ description: "Digest reference of the current image." }),
    ),
  },
  { description: "The controller's view of this configuration." },
);

export const MachineOSConfigV1Alpha1Schema = KindSchema({
  description: "Configuration for building a layered OS image for one MachineConfigPool (v1alpha1).",
  properties: { spec: MachineOSConfigV1Alpha1Spec, status: Type.Optional(MachineOSConfigV1Alpha1Status) },
});

export type MachineOSConfigV1Alpha1Spec = Static<typeof MachineOSConfigV1Alpha1Spec>;
export type MachineOSConfigV1Alpha1Status = Static<typeof MachineOSConfigV1Alpha1Status>;
export type MachineOSConfigV1Alpha1 = Static<typeof MachineOSConfigV1Alpha1Schema>;
