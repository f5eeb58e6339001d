// MachineOSBuild v1: one image build for a (MachineOSConfig, rendered MachineConfig) pair. Every
// field, rule and message matches openshift/api's v1 CRD, including the "once an Succeeded" typo.

import Type, { type Static } from "typebox";
import { Conditions } from "./schema/conditions.ts";
import { ImageDigestFormat, ImageTagFormat } from "./schema/images.ts";
import { ImmutableDateTime, KindSchema, type ValidationRule } from "./schema/kube.ts";
import { NameReference } from "./schema/names.ts";
import { ObjectReference } from "./schema/references.ts";

export const MachineOSBuildSpec = Type.Object(
  {
    machineConfig: NameReference("The rendered MachineConfig baked into the image.", { minLength: 10 }),
    machineOSConfig: NameReference("The MachineOSConfig this build belongs to.", { minLength: 1 }),
    renderedImagePushSpec: ImageTagFormat({ description: "Tagged pull spec the image is pushed to." }),
  },
  {
    description: "The build's inputs; immutable.",
    "x-kubernetes-validations": [
      { rule: "self == oldSelf", message: "machineOSBuildSpec is immutable once set" },
    ],
  },
);

export const MachineOSBuilder = Type.Object(
  {
    imageBuilderType: Type.String({ description: "The builder kind; Job today." }),
    job: Type.Optional(ObjectReference({ description: "The Job running the build." })),
  },
  {
    description: "What is running the build.",
    "x-kubernetes-validations": [
      {
        rule: "has(self.imageBuilderType) && self.imageBuilderType == 'Job' ?  has(self.job) : !has(self.job)",
        message: "job is required when imageBuilderType is Job, and forbidden otherwise",
      },
    ],
  },
);

/** Once a terminal condition is True, the conditions may not change. */
function frozenAfter(type: string, article: string): ValidationRule {
  return {
    rule: `oldSelf.exists(x, x.type=='${type}' && x.status=='True') ? self==oldSelf : true`,
    message: `once ${article} ${type} condition is set, conditions are immutable`,
  };
}

export const MachineOSBuildStatus = Type.Object(
  {
    conditions: Type.Optional(
      Conditions({
        maxItems: 8,
        description: "Prepared, Building, Succeeded, Interrupted and Failed; at most one is True.",
        "x-kubernetes-validations": [
          frozenAfter("Failed", "a"),
          frozenAfter("Interrupted", "an"),
          frozenAfter("Succeeded", "an"),
        ],
      }),
    ),
    builder: Type.Optional(MachineOSBuilder),
    relatedObjects: Type.Optional(
      Type.Array(ObjectReference(), {
        maxItems: 10,
        description: "Temporary objects the build created.",
        "x-kubernetes-list-type": "map",
        "x-kubernetes-list-map-keys": ["name", "resource"],
      }),
    ),
    buildStart: Type.Optional(ImmutableDateTime("buildStart", "When the build started.")),
    buildEnd: Type.Optional(ImmutableDateTime("buildEnd", "When the build reached a terminal state.")),
    digestedImagePushSpec: Type.Optional(
      ImageDigestFormat({ description: "Digest reference of the pushed image." }),
    ),
  },
  {
    description: "Progress and result of the build.",
    "x-kubernetes-validations": [
      {
        rule: "has(self.buildEnd) ? has(self.buildStart) && timestamp(self.buildStart) < timestamp(self.buildEnd) : true",
        message: "buildEnd must be after buildStart",
      },
    ],
  },
);

export const MachineOSBuildSchema = KindSchema({
  description: "One build of a layered OS image for a MachineOSConfig and a rendered MachineConfig.",
  properties: { spec: MachineOSBuildSpec, status: Type.Optional(MachineOSBuildStatus) },
});

export type MachineOSBuildSpec = Static<typeof MachineOSBuildSpec>;
export type MachineOSBuildStatus = Static<typeof MachineOSBuildStatus>;
export type MachineOSBuild = Static<typeof MachineOSBuildSchema>;
