// What `mob status` shows is computed from four lists of objects: the scene. Loading it is the
// only I/O; rendering it (render.ts) is pure, so a scene saved as JSON gives the same text.

import type { MachineConfigPool } from "../../api/machineconfigpool-v1.ts";
import type { MachineOSBuild } from "../../api/machineosbuild-v1.ts";
import type { MachineOSConfig } from "../../api/machineosconfig-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import { MACHINE_OS_BUILDS, MACHINE_OS_CONFIGS } from "../../controllers/build/resources.ts";
import { MACHINE_CONFIG_POOLS, NODES } from "../../controllers/resources.ts";
import type { KubeClients } from "../../runtime/kube-client.ts";
import type { ResourceRef } from "../../runtime/rest.ts";

export interface StatusScene {
  pools: MachineConfigPool[];
  machineOSConfigs: MachineOSConfig[];
  machineOSBuilds: MachineOSBuild[];
  nodes: KubeObject[];
}

/** The kinds a scene is made of, by scene field (watch.ts watches the same ones). */
export const SCENE_RESOURCES = {
  pools: MACHINE_CONFIG_POOLS,
  machineOSConfigs: MACHINE_OS_CONFIGS,
  machineOSBuilds: MACHINE_OS_BUILDS,
  nodes: NODES,
} as const satisfies Record<keyof StatusScene, ResourceRef>;

async function listAll<T extends KubeObject>(
  clients: KubeClients,
  ref: ResourceRef,
  signal: AbortSignal,
): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const page = await clients
      .resource<T>(ref)
      .list({ signal, limit: 500, ...(token !== undefined ? { continue: token } : {}) });
    items.push(...page.items);
    token = page.metadata.continue || undefined;
  } while (token !== undefined);
  return items;
}

export async function loadScene(clients: KubeClients, signal: AbortSignal): Promise<StatusScene> {
  const [pools, machineOSConfigs, machineOSBuilds, nodes] = await Promise.all([
    listAll<MachineConfigPool>(clients, SCENE_RESOURCES.pools, signal),
    listAll<MachineOSConfig>(clients, SCENE_RESOURCES.machineOSConfigs, signal),
    listAll<MachineOSBuild>(clients, SCENE_RESOURCES.machineOSBuilds, signal),
    listAll<KubeObject>(clients, SCENE_RESOURCES.nodes, signal),
  ]);
  return { pools, machineOSConfigs, machineOSBuilds, nodes };
}
