// Labels, annotations and owner references of a MachineOSBuild and of the objects its build creates
// (upstream §1 and §4). Pure.

import { BuildKeys, V1 } from "../../api/constants.ts";
import type { MachineOSBuild } from "../../api/machineosbuild-v1.ts";
import type { MachineOSConfig } from "../../api/machineosconfig-v1.ts";
import type { OwnerReference } from "../../api/object.ts";

/** Who a build is for. */
export interface BuildIdentity {
  mosb: string;
  mosc: string;
  pool: string;
  machineConfig: string;
}

export function identityOf(mosb: MachineOSBuild): BuildIdentity {
  return {
    mosb: mosb.metadata.name ?? "",
    mosc: mosb.spec.machineOSConfig.name,
    pool: mosb.metadata.labels?.[BuildKeys.targetMachineConfigPool] ?? mosb.spec.machineOSConfig.name,
    machineConfig: mosb.spec.machineConfig.name,
  };
}

/** Labels of a MachineOSBuild. */
export function machineOSBuildLabels(id: BuildIdentity): Record<string, string> {
  return {
    [BuildKeys.targetMachineConfigPool]: id.pool,
    [BuildKeys.renderedMachineConfig]: id.machineConfig,
    [BuildKeys.machineOSConfig]: id.mosc,
  };
}

/** Labels of the Job, ConfigMaps and Secrets of one build. */
export function buildObjectLabels(id: BuildIdentity, ephemeral: boolean): Record<string, string> {
  return {
    ...(ephemeral ? { [BuildKeys.ephemeralBuildObject]: "" } : {}),
    [BuildKeys.onClusterLayering]: "",
    ...machineOSBuildLabels(id),
    [BuildKeys.machineOSBuild]: id.mosb,
  };
}

export function buildObjectAnnotations(id: BuildIdentity): Record<string, string> {
  return { [BuildKeys.machineOSConfig]: id.mosc, [BuildKeys.machineOSBuild]: id.mosb };
}

/** The label selector of one build's ephemeral objects. */
export function ephemeralSelector(mosb: string): string {
  return `${BuildKeys.ephemeralBuildObject},${BuildKeys.machineOSBuild}=${mosb}`;
}

export function moscOwnerReference(mosc: MachineOSConfig): OwnerReference {
  return {
    apiVersion: V1,
    kind: "MachineOSConfig",
    name: mosc.metadata.name ?? "",
    uid: mosc.metadata.uid ?? "",
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function mosbOwnerReference(mosb: MachineOSBuild, controller: boolean): OwnerReference {
  return {
    apiVersion: V1,
    kind: "MachineOSBuild",
    name: mosb.metadata.name ?? "",
    uid: mosb.metadata.uid ?? "",
    controller,
    blockOwnerDeletion: true,
  };
}

/** Non-controller reference to the Job, so the ephemeral objects go with it (upstream §2.5). */
export function jobOwnerReference(name: string, uid: string): OwnerReference {
  return { apiVersion: "batch/v1", kind: "Job", name, uid, controller: false };
}

/** The UID of the object's controlling owner of `kind`, if any. */
export function controllerUid(
  owners: readonly OwnerReference[] | undefined,
  kind: string,
): string | undefined {
  return owners?.find((ref) => ref.controller === true && ref.kind === kind)?.uid;
}
