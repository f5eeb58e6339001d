// ControllerConfig v1: the cluster facts the MCO's controllers render from. Exact (same fields,
// types, formats, nullability and required-ness as upstream's Default CRD) for what mob reads:
// spec.osImageURL, baseOSContainerImage, baseOSExtensionsContainerImage, releaseImage,
// additionalTrustBundle, proxy, pullSecret, images, internalRegistryPullSecret, and all of status.
// Every other spec field (dns, infra, network, platform, CA data, ...) is kept unvalidated through
// `x-kubernetes-preserve-unknown-fields` on spec, and is not required.

import Type, { type Static } from "typebox";
import { Bytes, DateTime, Int64, KindSchema, Nullable, StringMap } from "./schema/kube.ts";
import { CoreObjectReference } from "./schema/references.ts";

export const ControllerConfigProxy = Type.Object(
  {
    httpProxy: Type.Optional(Type.String({ description: "Proxy for HTTP requests." })),
    httpsProxy: Type.Optional(Type.String({ description: "Proxy for HTTPS requests." })),
    noProxy: Type.Optional(Type.String({ description: "Comma-separated hosts that bypass the proxy." })),
  },
  { description: "The cluster-wide egress proxy; null when none." },
);

export const ControllerConfigSpec = Type.Object(
  {
    osImageURL: Type.Optional(
      Type.String({ description: "Legacy base OS image; superseded by baseOSContainerImage." }),
    ),
    baseOSContainerImage: Type.String({ description: "The base OS image that builds start from." }),
    baseOSExtensionsContainerImage: Type.Optional(Type.String({ description: "The OS extensions image." })),
    releaseImage: Type.String({ description: "The release payload image." }),
    additionalTrustBundle: Nullable(Bytes({ description: "Extra CA certificates (PEM) to trust." })),
    proxy: Nullable(ControllerConfigProxy),
    pullSecret: Type.Optional(CoreObjectReference({ description: "The cluster's global pull secret." })),
    internalRegistryPullSecret: Type.Optional(
      Nullable(Bytes({ description: "dockerconfigjson for the internal registry." })),
    ),
    images: StringMap({ description: "Images the controllers use, by role." }),
  },
  {
    description: "Cluster facts; fields mob does not read are kept as written.",
    "x-kubernetes-preserve-unknown-fields": true,
  },
);

export const ControllerConfigCondition = Type.Object({
  type: Type.String({ description: "Condition type." }),
  status: Type.String({ description: "True, False or Unknown." }),
  lastTransitionTime: Nullable(DateTime({ description: "When the status last changed." })),
  reason: Type.Optional(Type.String({ description: "Machine-readable cause." })),
  message: Type.Optional(Type.String({ description: "Human-readable details." })),
});

export const ControllerCertificate = Type.Object({
  subject: Type.String({ description: "Subject of the certificate." }),
  signer: Type.String({ description: "Issuer of the certificate." }),
  notBefore: Type.Optional(DateTime({ description: "Start of validity." })),
  notAfter: Type.Optional(DateTime({ description: "End of validity." })),
  bundleFile: Type.String({ description: "The bundle the certificate came from." }),
});

export const ControllerConfigStatus = Type.Object(
  {
    observedGeneration: Type.Optional(Int64({ description: "The generation the controller last acted on." })),
    conditions: Type.Optional(
      Type.Array(ControllerConfigCondition, {
        description: "TemplateControllerRunning, TemplateControllerCompleted, TemplateControllerFailing.",
        "x-kubernetes-list-type": "map",
        "x-kubernetes-list-map-keys": ["type"],
      }),
    ),
    controllerCertificates: Type.Optional(
      Type.Array(ControllerCertificate, {
        description: "Certificates the controllers know about.",
        "x-kubernetes-list-type": "atomic",
      }),
    ),
  },
  { description: "Progress of the template controller." },
);

export const ControllerConfigSchema = KindSchema({
  description: "Cluster configuration gathered by the operator for the MachineConfig controllers.",
  properties: { spec: ControllerConfigSpec, status: Type.Optional(ControllerConfigStatus) },
});

export type ControllerConfigSpec = Static<typeof ControllerConfigSpec>;
export type ControllerConfigStatus = Static<typeof ControllerConfigStatus>;
export type ControllerConfig = Static<typeof ControllerConfigSchema>;
