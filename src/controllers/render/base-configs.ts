// The base configs mob generates, as the MCO's template controller does: one real MachineConfig
// `00-<role>` per built-in role (master, worker), labelled `machineconfiguration.openshift.io/role`,
// annotated with the controller version and owned by the ControllerConfig. They carry the
// ControllerConfig's OS images, so `oc get mc` shows where a pool's osImageURL comes from and
// custom pools that select `role In (worker, infra)` inherit them like upstream's do.
// Stored, not only merged in memory, because upstream stores them and users and tools expect to see
// `00-worker`; the render controller keeps them in step (see reconcile.ts).

import { MachineConfigKeys, V1 } from "../../api/constants.ts";
import type { ControllerConfig } from "../../api/controllerconfig-v1.ts";
import type { MachineConfig, MachineConfigSpec } from "../../api/machineconfig-v1.ts";
import { canonicalJson } from "../../ignition/index.ts";
import { BASE_CONFIG_ROLES, BASE_IGNITION_VERSION } from "./constants.ts";
import { baseImageOf } from "./render.ts";

export function baseConfigName(role: string): string {
  return `00-${role}`;
}

/** The desired base configs for `cc`, one per role in BASE_CONFIG_ROLES. */
export function baseConfigs(cc: ControllerConfig, controllerVersion: string): MachineConfig[] {
  return BASE_CONFIG_ROLES.map((role) => baseConfig(role, cc, controllerVersion));
}

export function baseConfig(role: string, cc: ControllerConfig, controllerVersion: string): MachineConfig {
  const spec: MachineConfigSpec = { config: { ignition: { version: BASE_IGNITION_VERSION } } };
  const osImageURL = baseImageOf(cc);
  if (osImageURL !== "") spec.osImageURL = osImageURL;
  const extensions = cc.spec.baseOSExtensionsContainerImage ?? "";
  if (extensions !== "") spec.baseOSExtensionsContainerImage = extensions;
  return {
    apiVersion: V1,
    kind: "MachineConfig",
    metadata: {
      name: baseConfigName(role),
      labels: { [MachineConfigKeys.role]: role },
      annotations: { [MachineConfigKeys.generatedByControllerVersion]: controllerVersion },
      ownerReferences: [
        {
          apiVersion: V1,
          kind: "ControllerConfig",
          name: cc.metadata.name ?? "",
          uid: cc.metadata.uid ?? "",
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec,
  };
}

/** Whether `current` already is `desired` in everything the controller manages. */
export function baseConfigUpToDate(current: MachineConfig, desired: MachineConfig): boolean {
  const key = MachineConfigKeys.generatedByControllerVersion;
  const role = MachineConfigKeys.role;
  return (
    canonicalJson(current.spec ?? {}) === canonicalJson(desired.spec ?? {}) &&
    current.metadata.annotations?.[key] === desired.metadata.annotations?.[key] &&
    current.metadata.labels?.[role] === desired.metadata.labels?.[role]
  );
}

/** `current` changed to `desired`: spec, role label, version annotation and owner; other metadata kept. */
export function updatedBaseConfig(current: MachineConfig, desired: MachineConfig): MachineConfig {
  const meta = structuredClone(current.metadata);
  return {
    ...current,
    metadata: {
      ...meta,
      labels: { ...meta.labels, ...desired.metadata.labels },
      annotations: { ...meta.annotations, ...desired.metadata.annotations },
      ...(desired.metadata.ownerReferences ? { ownerReferences: desired.metadata.ownerReferences } : {}),
    },
    spec: structuredClone(desired.spec ?? {}),
  };
}
