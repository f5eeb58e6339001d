// Test helpers for controller tests: MachineConfigs with files and units, and typed clients for
// the kinds the controllers use.

import type { MachineConfig } from "../../api/machineconfig-v1.ts";
import type { MachineConfigPool } from "../../api/machineconfigpool-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import { isNotFound } from "../../runtime/errors.ts";
import type { KubeClients } from "../../runtime/kube-client.ts";
import type { ResourceClient } from "../../runtime/resource-client.ts";
import { MACHINE_CONFIG_POOLS, MACHINE_CONFIGS, NODES } from "../resources.ts";

export const ROLE = "machineconfiguration.openshift.io/role";

export interface ConfigContent {
  files?: Record<string, string>;
  units?: Record<string, string>;
  /** File mode for every file (default 0644). */
  mode?: number;
}

export function machineConfig(name: string, role: string, content: ConfigContent): MachineConfig {
  const files = Object.entries(content.files ?? {}).map(([path, text]) => ({
    path,
    mode: content.mode ?? 0o644,
    contents: { source: `data:,${encodeURIComponent(text)}` },
  }));
  const units = Object.entries(content.units ?? {}).map(([unit, contents]) => ({
    name: unit,
    enabled: true,
    contents,
  }));
  return {
    metadata: { name, labels: { [ROLE]: role } },
    spec: { config: { ignition: { version: "3.4.0" }, storage: { files }, systemd: { units } } },
  };
}

export interface ControllerTestClients {
  configs: ResourceClient<MachineConfig>;
  pools: ResourceClient<MachineConfigPool>;
  nodes: ResourceClient<KubeObject>;
}

export function testClients(clients: KubeClients): ControllerTestClients {
  return {
    configs: clients.resource<MachineConfig>(MACHINE_CONFIGS),
    pools: clients.resource<MachineConfigPool>(MACHINE_CONFIG_POOLS),
    nodes: clients.resource<KubeObject>(NODES),
  };
}

/** Creates the MachineConfig, or replaces its labels and spec when it exists. */
export async function applyConfig(
  configs: ResourceClient<MachineConfig>,
  config: MachineConfig,
  signal: AbortSignal,
): Promise<MachineConfig> {
  try {
    const current = await configs.get(config.metadata.name ?? "", { signal });
    return await configs.update(
      {
        ...current,
        metadata: { ...current.metadata, labels: config.metadata.labels ?? {} },
        spec: config.spec ?? {},
      },
      { signal },
    );
  } catch (error) {
    if (!isNotFound(error)) throw error;
    return configs.create(config, { signal });
  }
}

/** Names of the rendered configs of `pool`, sorted. */
export async function renderedNames(
  configs: ResourceClient<MachineConfig>,
  pool: string,
  signal: AbortSignal,
): Promise<string[]> {
  const list = await configs.list({ signal });
  return list.items
    .map((config) => config.metadata.name ?? "")
    .filter((name) => name.startsWith(`rendered-${pool}-`))
    .sort();
}
