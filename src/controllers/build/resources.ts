// Where the kinds the build controller reads and writes live, and the clients it uses.

import { GROUP } from "../../api/constants.ts";
import type { MachineConfigPool } from "../../api/machineconfigpool-v1.ts";
import type { MachineOSBuild } from "../../api/machineosbuild-v1.ts";
import type { MachineOSConfig } from "../../api/machineosconfig-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import { CONFIG_MAPS, type KubeClients } from "../../runtime/kube-client.ts";
import type { ResourceClient } from "../../runtime/resource-client.ts";
import type { ResourceRef } from "../../runtime/rest.ts";
import { MACHINE_CONFIG_POOLS } from "../resources.ts";
import { PodLogReader } from "./pod-logs.ts";

export const MACHINE_OS_CONFIGS: ResourceRef = {
  group: GROUP,
  version: "v1",
  plural: "machineosconfigs",
  kind: "MachineOSConfig",
  namespaced: false,
};
export const MACHINE_OS_BUILDS: ResourceRef = {
  group: GROUP,
  version: "v1",
  plural: "machineosbuilds",
  kind: "MachineOSBuild",
  namespaced: false,
};
export const JOBS: ResourceRef = {
  group: "batch",
  version: "v1",
  plural: "jobs",
  kind: "Job",
  namespaced: true,
};
export const SECRETS: ResourceRef = {
  group: "",
  version: "v1",
  plural: "secrets",
  kind: "Secret",
  namespaced: true,
};
export const PODS: ResourceRef = { group: "", version: "v1", plural: "pods", kind: "Pod", namespaced: true };

export interface BuildClients {
  mosbs: ResourceClient<MachineOSBuild>;
  moscs: ResourceClient<MachineOSConfig>;
  pools: ResourceClient<MachineConfigPool>;
  jobs: ResourceClient<KubeObject>;
  configMaps: ResourceClient<KubeObject>;
  secrets: ResourceClient<KubeObject>;
  pods: ResourceClient<KubeObject>;
  podLogs: PodLogReader;
}

export function buildClientsFor(clients: KubeClients): BuildClients {
  return {
    mosbs: clients.resource<MachineOSBuild>(MACHINE_OS_BUILDS),
    moscs: clients.resource<MachineOSConfig>(MACHINE_OS_CONFIGS),
    pools: clients.resource<MachineConfigPool>(MACHINE_CONFIG_POOLS),
    jobs: clients.resource(JOBS),
    configMaps: clients.resource(CONFIG_MAPS),
    secrets: clients.resource(SECRETS),
    pods: clients.resource(PODS),
    podLogs: new PodLogReader(clients.kubeConfig),
  };
}
