// Where the kinds mob's controllers read and write live, for `KubeClients.resource` and informers.

import { GROUP } from "../api/constants.ts";
import type { ResourceRef } from "../runtime/rest.ts";

const mco = (plural: string, kind: string): ResourceRef => ({
  group: GROUP,
  version: "v1",
  plural,
  kind,
  namespaced: false,
});

export const MACHINE_CONFIGS = mco("machineconfigs", "MachineConfig");
export const MACHINE_CONFIG_POOLS = mco("machineconfigpools", "MachineConfigPool");
export const CONTROLLER_CONFIGS = mco("controllerconfigs", "ControllerConfig");

export const NODES: ResourceRef = {
  group: "",
  version: "v1",
  plural: "nodes",
  kind: "Node",
  namespaced: false,
};
