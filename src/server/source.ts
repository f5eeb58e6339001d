// Reads what a pool serves from the API, per request: the pool, its rendered MachineConfig, and the
// MachineOSConfigs/MachineOSBuilds deciding the layered image. Requests are rare (one per booting
// node), so the server reads the API directly instead of keeping informers.

import type { MachineConfig } from "../api/machineconfig-v1.ts";
import type { MachineConfigPool } from "../api/machineconfigpool-v1.ts";
import type { MachineOSBuild } from "../api/machineosbuild-v1.ts";
import type { MachineOSConfig } from "../api/machineosconfig-v1.ts";
import { MACHINE_OS_BUILDS, MACHINE_OS_CONFIGS } from "../controllers/build/resources.ts";
import { MACHINE_CONFIG_POOLS, MACHINE_CONFIGS } from "../controllers/resources.ts";
import { formatIssue, type IgnitionConfig } from "../ignition/index.ts";
import { isNotFound } from "../runtime/errors.ts";
import type { KubeClients } from "../runtime/kube-client.ts";
import { renderServedIgnition } from "./render.ts";
import { layeredImageFor, servedConfigName } from "./resolve.ts";

export type PoolConfig =
  | { kind: "served"; config: IgnitionConfig; machineConfig: string; image: string | undefined; why: string }
  | { kind: "not-found"; message: string }
  /** The pool exists but has nothing to serve yet; the client should retry. */
  | { kind: "unavailable"; message: string }
  | { kind: "failed"; message: string };

export async function readPoolConfig(
  clients: KubeClients,
  poolName: string,
  signal: AbortSignal,
): Promise<PoolConfig> {
  const pool = await getOptional(() =>
    clients.resource<MachineConfigPool>(MACHINE_CONFIG_POOLS).get(poolName, { signal }),
  );
  if (pool === undefined) return { kind: "not-found", message: `machine config pool ${poolName} not found` };
  const name = servedConfigName(pool);
  if (name === undefined) {
    return { kind: "unavailable", message: `machine config pool ${poolName} has no rendered config yet` };
  }
  const machineConfig = await getOptional(() =>
    clients.resource<MachineConfig>(MACHINE_CONFIGS).get(name, { signal }),
  );
  if (machineConfig === undefined) {
    return { kind: "failed", message: `rendered config ${name} of pool ${poolName} not found` };
  }
  const [moscs, mosbs] = await Promise.all([
    clients.resource<MachineOSConfig>(MACHINE_OS_CONFIGS).list({ signal }),
    clients.resource<MachineOSBuild>(MACHINE_OS_BUILDS).list({ signal }),
  ]);
  const layered = layeredImageFor(pool, name, moscs.items, mosbs.items);
  const rendered = renderServedIgnition({ config: machineConfig, image: layered.image });
  if (!rendered.ok) {
    return {
      kind: "failed",
      message: `rendered config ${name}: ${rendered.issues.map(formatIssue).join("; ")}`,
    };
  }
  return {
    kind: "served",
    config: rendered.config,
    machineConfig: name,
    image: layered.image,
    why: layered.image === undefined ? layered.reason : `image of MachineOSBuild ${layered.build}`,
  };
}

async function getOptional<T>(get: () => Promise<T>): Promise<T | undefined> {
  try {
    return await get();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
