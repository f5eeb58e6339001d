// MachineConfig v1: a piece of node configuration (Ignition plus OS-level settings). Matches
// openshift/api's CRD field for field; it has no status.

import Type, { type Static } from "typebox";
import { AtomicStrings, KindSchema, Nullable, PreservedObject } from "./schema/kube.ts";

export const MachineConfigSpec = Type.Object(
  {
    osImageURL: Type.Optional(Type.String({ description: "The OS image nodes should boot." })),
    baseOSExtensionsContainerImage: Type.Optional(
      Type.String({ description: "Image carrying the RPMs for OS extensions." }),
    ),
    config: Type.Optional(PreservedObject({ description: "An Ignition config, kept as written." })),
    kernelArguments: Type.Optional(
      Nullable(AtomicStrings({ description: "Extra kernel command-line arguments." })),
    ),
    extensions: Type.Optional(AtomicStrings({ description: "OS extensions to install, e.g. usbguard." })),
    fips: Type.Optional(Type.Boolean({ description: "Whether FIPS mode is enabled." })),
    kernelType: Type.Optional(Type.String({ description: "default, realtime or 64k-pages." })),
  },
  { description: "The desired node configuration." },
);

export const MachineConfigSchema = KindSchema({
  description: "Configuration applied to the nodes of the pools whose selectors match it.",
  properties: { spec: Type.Optional(MachineConfigSpec) },
});

export type MachineConfigSpec = Static<typeof MachineConfigSpec>;
export type MachineConfig = Static<typeof MachineConfigSchema>;
