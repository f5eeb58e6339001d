// mob's CustomResourceDefinitions, built from the schemas in this folder. deploy/crds/ holds the
// same objects as YAML (`npm run generate`); a test fails when they drift.

import type { TSchema } from "typebox";
import { GROUP, OPERATOR_MANAGED_LABEL } from "./constants.ts";
import { ContainerRuntimeConfigSchema } from "./containerruntimeconfig-v1.ts";
import { ControllerConfigSchema } from "./controllerconfig-v1.ts";
import { KubeletConfigSchema } from "./kubeletconfig-v1.ts";
import { MachineConfigSchema } from "./machineconfig-v1.ts";
import { MachineConfigPoolSchema } from "./machineconfigpool-v1.ts";
import { MachineOSBuildSchema } from "./machineosbuild-v1.ts";
import { MachineOSBuildV1Alpha1Schema } from "./machineosbuild-v1alpha1.ts";
import { MachineOSConfigSchema } from "./machineosconfig-v1.ts";
import { MachineOSConfigV1Alpha1Schema } from "./machineosconfig-v1alpha1.ts";
import type { KubeObject } from "./object.ts";
import {
  MACHINE_CONFIG_COLUMNS,
  MACHINE_CONFIG_POOL_COLUMNS,
  MACHINE_OS_BUILD_COLUMNS,
  MACHINE_OS_BUILD_V1ALPHA1_COLUMNS,
  type PrinterColumn,
} from "./printer-columns.ts";
import { toOpenAPISchema } from "./schema/openapi.ts";

interface VersionDefinition {
  name: "v1" | "v1alpha1";
  schema: TSchema;
  /** Whether the version has a status subresource. */
  status: boolean;
  columns?: PrinterColumn[];
  /** Exactly one version per CRD is stored; the others are served only. */
  storage: boolean;
}

export interface CRDDefinition {
  kind: string;
  plural: string;
  shortNames?: string[];
  /** The files under src/api/ the schemas come from, named in the generated manifest's header. */
  sources: string[];
  versions: VersionDefinition[];
}

const v1 = (schema: TSchema, status: boolean, columns?: PrinterColumn[]): VersionDefinition =>
  columns === undefined
    ? { name: "v1", schema, status, storage: true }
    : { name: "v1", schema, status, columns, storage: true };

export const CRD_DEFINITIONS: CRDDefinition[] = [
  {
    kind: "MachineConfig",
    plural: "machineconfigs",
    shortNames: ["mc"],
    sources: ["machineconfig-v1.ts"],
    versions: [v1(MachineConfigSchema, false, MACHINE_CONFIG_COLUMNS)],
  },
  {
    kind: "MachineConfigPool",
    plural: "machineconfigpools",
    shortNames: ["mcp"],
    sources: ["machineconfigpool-v1.ts"],
    versions: [v1(MachineConfigPoolSchema, true, MACHINE_CONFIG_POOL_COLUMNS)],
  },
  {
    kind: "ControllerConfig",
    plural: "controllerconfigs",
    sources: ["controllerconfig-v1.ts"],
    versions: [v1(ControllerConfigSchema, true)],
  },
  {
    kind: "KubeletConfig",
    plural: "kubeletconfigs",
    sources: ["kubeletconfig-v1.ts"],
    versions: [v1(KubeletConfigSchema, true)],
  },
  {
    kind: "ContainerRuntimeConfig",
    plural: "containerruntimeconfigs",
    shortNames: ["ctrcfg"],
    sources: ["containerruntimeconfig-v1.ts"],
    versions: [v1(ContainerRuntimeConfigSchema, true)],
  },
  {
    kind: "MachineOSConfig",
    plural: "machineosconfigs",
    sources: ["machineosconfig-v1.ts", "machineosconfig-v1alpha1.ts"],
    versions: [
      v1(MachineOSConfigSchema, true),
      { name: "v1alpha1", schema: MachineOSConfigV1Alpha1Schema, status: true, storage: false },
    ],
  },
  {
    kind: "MachineOSBuild",
    plural: "machineosbuilds",
    sources: ["machineosbuild-v1.ts", "machineosbuild-v1alpha1.ts"],
    versions: [
      v1(MachineOSBuildSchema, true, MACHINE_OS_BUILD_COLUMNS),
      {
        name: "v1alpha1",
        schema: MachineOSBuildV1Alpha1Schema,
        status: true,
        columns: MACHINE_OS_BUILD_V1ALPHA1_COLUMNS,
        storage: false,
      },
    ],
  },
];

function versionManifest(version: VersionDefinition): Record<string, unknown> {
  return {
    name: version.name,
    served: true,
    storage: version.storage,
    ...(version.columns === undefined ? {} : { additionalPrinterColumns: version.columns }),
    schema: { openAPIV3Schema: toOpenAPISchema(version.schema) },
    ...(version.status ? { subresources: { status: {} } } : {}),
  };
}

export function buildCRD(definition: CRDDefinition): KubeObject {
  const names = {
    plural: definition.plural,
    singular: definition.kind.toLowerCase(),
    kind: definition.kind,
    listKind: `${definition.kind}List`,
    ...(definition.shortNames === undefined ? {} : { shortNames: definition.shortNames }),
  };
  const spec: Record<string, unknown> = {
    group: GROUP,
    names,
    scope: "Cluster",
    versions: definition.versions.map(versionManifest),
  };
  if (definition.versions.length > 1) {
    // v1alpha1 and v1 differ in shape. "None" only rewrites apiVersion; the in-process
    // v1alpha1 <-> v1 conversion (a separate piece of work) replaces it.
    spec.conversion = { strategy: "None" };
  }
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${definition.plural}.${GROUP}`, labels: { [OPERATOR_MANAGED_LABEL]: "" } },
    spec,
  };
}

/** Every CRD mob serves, in a stable order. */
export const MOB_CRDS: KubeObject[] = CRD_DEFINITIONS.map(buildCRD);
