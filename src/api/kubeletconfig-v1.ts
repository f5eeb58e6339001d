// KubeletConfig v1: kubelet settings for the pools it selects. Exact for every field upstream
// declares (the kubelet configuration itself is raw upstream too).

import Type, { type Static } from "typebox";
import { LegacyConditions } from "./schema/conditions.ts";
import {
  AtomicStrings,
  Int32,
  Int64,
  KindSchema,
  Nullable,
  PreservedObject,
  StringEnum,
} from "./schema/kube.ts";
import { LabelSelector } from "./schema/references.ts";

const TLS_VERSIONS = ["VersionTLS10", "VersionTLS11", "VersionTLS12", "VersionTLS13"] as const;

const emptyProfile = (description: string) => Type.Optional(Nullable(Type.Object({}, { description })));

/** configv1.TLSSecurityProfile. */
export const TLSSecurityProfile = Type.Object(
  {
    type: Type.Optional(
      StringEnum(["Old", "Intermediate", "Modern", "Custom"], { description: "Which profile applies." }),
    ),
    old: emptyProfile("Mozilla's Old profile."),
    intermediate: emptyProfile("Mozilla's Intermediate profile."),
    modern: emptyProfile("Mozilla's Modern profile."),
    custom: Type.Optional(
      Nullable(
        Type.Object(
          {
            ciphers: Type.Optional(AtomicStrings({ description: "Allowed cipher suites." })),
            minTLSVersion: Type.Optional(StringEnum(TLS_VERSIONS, { description: "Lowest TLS version." })),
          },
          { description: "Ciphers and minimum version chosen by the user." },
        ),
      ),
    ),
  },
  { description: "TLS settings of the kubelet's server." },
);

export const KubeletConfigSpec = Type.Object(
  {
    autoSizingReserved: Type.Optional(
      Type.Boolean({ description: "Size system-reserved resources automatically." }),
    ),
    logLevel: Type.Optional(Int32({ minimum: 0, maximum: 10, description: "Kubelet log verbosity." })),
    machineConfigPoolSelector: Type.Optional(LabelSelector("Selects the pools this applies to.")),
    kubeletConfig: Type.Optional(
      PreservedObject({ description: "Fields of the kubelet configuration file." }),
    ),
    tlsSecurityProfile: Type.Optional(TLSSecurityProfile),
  },
  { description: "Kubelet settings and the pools they apply to." },
);

export const KubeletConfigStatus = Type.Object(
  {
    observedGeneration: Type.Optional(Int64({ description: "The generation the controller last acted on." })),
    conditions: Type.Optional(LegacyConditions("Accepted, or the deprecated Success and Failure.")),
  },
  { description: "Whether the settings were applied." },
);

export const KubeletConfigSchema = KindSchema({
  description: "Kubelet settings for the nodes of selected MachineConfigPools.",
  properties: { spec: KubeletConfigSpec, status: Type.Optional(KubeletConfigStatus) },
});

export type KubeletConfigSpec = Static<typeof KubeletConfigSpec>;
export type KubeletConfig = Static<typeof KubeletConfigSchema>;
