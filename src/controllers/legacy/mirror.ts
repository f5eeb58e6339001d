// The 4.14 view of a running build, pure: while the build of a managed MachineOSConfig runs, its
// rendered Containerfile and MachineConfig are shown as `dockerfile-<rendered>` (key Dockerfile) and
// `mc-<rendered>` (key machineconfig.json.gz), copied from the build's own `containerfile-<mosb>` and
// `mc-<mosb>`. They go once the build succeeds and stay after a failure (for inspection), as the
// 4.14 documentation describes; a non-controller owner reference to the MachineOSBuild makes them
// go with it.

import { BuildDataKeys, BuildKeys, MachineOSConfigAnnotations, MCO_NAMESPACE } from "../../api/constants.ts";
import type { MachineOSBuild } from "../../api/machineosbuild-v1.ts";
import type { MachineOSConfig } from "../../api/machineosconfig-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import { buildStateOf, phaseOf } from "../build/build-state.ts";
import { mosbOwnerReference } from "../build/labels.ts";
import { containerfileConfigMapName, machineConfigConfigMapName } from "../build/names.ts";
import type { Lister } from "../build/reconcile.ts";
import { DOCKERFILE_KEY, MANAGED_BY_LABEL, MANAGED_BY_VALUE, MirrorPrefixes } from "./constants.ts";
import { isManaged } from "./opt-in.ts";

export interface MirrorPlan {
  /** ConfigMaps to create or bring to this content. */
  upserts: KubeObject[];
  /** Names of managed mirrors of this pool that must go. */
  deletes: string[];
}

export interface MirrorInputs {
  pool: string;
  /** The managed MachineOSConfig, if any (none: every mirror of the pool goes). */
  mosc: MachineOSConfig | undefined;
  mosbs: Lister<MachineOSBuild>;
  /** ConfigMaps in MCO_NAMESPACE, keyed `namespace/name`. */
  configMaps: Lister<KubeObject>;
}

const key = (name: string): string => `${MCO_NAMESPACE}/${name}`;

export function planMirrors(inputs: MirrorInputs): MirrorPlan {
  const current = currentBuild(inputs);
  const existing = inputs.configMaps
    .list()
    .filter((cm) => isManaged(cm) && cm.metadata.labels?.[BuildKeys.targetMachineConfigPool] === inputs.pool);
  const phase = current === undefined ? undefined : phaseOf(buildStateOf(current));
  const upserts = current !== undefined && phase !== "Terminal" ? desiredMirrors(inputs, current) : [];
  const keep = new Set(upserts.map((cm) => cm.metadata.name));
  if (current !== undefined && buildStateOf(current) !== "Succeeded" && phase === "Terminal") {
    const mosb = current.metadata.name;
    for (const cm of existing) {
      if (cm.metadata.labels?.[BuildKeys.machineOSBuild] === mosb) keep.add(cm.metadata.name);
    }
  }
  const deletes = existing.map((cm) => cm.metadata.name ?? "").filter((name) => !keep.has(name));
  return { upserts, deletes };
}

function currentBuild(inputs: MirrorInputs): MachineOSBuild | undefined {
  const name = inputs.mosc?.metadata.annotations?.[MachineOSConfigAnnotations.currentMachineOSBuild];
  if (name === undefined || inputs.mosc === undefined) return undefined;
  const mosb = inputs.mosbs.get(name);
  if (mosb === undefined || mosb.metadata.deletionTimestamp !== undefined) return undefined;
  return mosb.spec.machineOSConfig.name === inputs.mosc.metadata.name ? mosb : undefined;
}

function desiredMirrors(inputs: MirrorInputs, mosb: MachineOSBuild): KubeObject[] {
  const name = mosb.metadata.name ?? "";
  const rendered = mosb.spec.machineConfig.name;
  const containerfile = dataValue(
    inputs.configMaps.get(key(containerfileConfigMapName(name))),
    BuildDataKeys.containerfile,
  );
  const machineConfig = dataValue(
    inputs.configMaps.get(key(machineConfigConfigMapName(name))),
    BuildDataKeys.machineConfig,
  );
  const mirrors: KubeObject[] = [];
  if (containerfile !== undefined) {
    mirrors.push(
      mirror(inputs.pool, mosb, `${MirrorPrefixes.dockerfile}${rendered}`, {
        [DOCKERFILE_KEY]: containerfile,
      }),
    );
  }
  if (machineConfig !== undefined) {
    mirrors.push(
      mirror(inputs.pool, mosb, `${MirrorPrefixes.machineConfig}${rendered}`, {
        [BuildDataKeys.machineConfig]: machineConfig,
      }),
    );
  }
  return mirrors;
}

function dataValue(cm: KubeObject | undefined, dataKey: string): string | undefined {
  const data = cm?.data;
  if (typeof data !== "object" || data === null) return undefined;
  const value = (data as Record<string, unknown>)[dataKey];
  return typeof value === "string" ? value : undefined;
}

function mirror(pool: string, mosb: MachineOSBuild, name: string, data: Record<string, string>): KubeObject {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name,
      namespace: MCO_NAMESPACE,
      labels: {
        [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
        [BuildKeys.onClusterLayering]: "",
        [BuildKeys.targetMachineConfigPool]: pool,
        [BuildKeys.renderedMachineConfig]: mosb.spec.machineConfig.name,
        [BuildKeys.machineOSBuild]: mosb.metadata.name ?? "",
      },
      ownerReferences: [mosbOwnerReference(mosb, false)],
    },
    data,
  };
}
