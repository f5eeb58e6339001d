// Turning what a user types (a pool name or a MachineOSBuild name) into the objects to act on, with
// errors that name the object and say what to do next.

import { MachineOSConfigAnnotations } from "../../api/constants.ts";
import type { MachineConfigPool } from "../../api/machineconfigpool-v1.ts";
import type { MachineOSBuild } from "../../api/machineosbuild-v1.ts";
import type { MachineOSConfig } from "../../api/machineosconfig-v1.ts";
import { MACHINE_OS_BUILDS, MACHINE_OS_CONFIGS } from "../../controllers/build/resources.ts";
import { MACHINE_CONFIG_POOLS } from "../../controllers/resources.ts";
import { isNotFound } from "../../runtime/errors.ts";
import type { KubeClients } from "../../runtime/kube-client.ts";
import { CliError } from "../cli-error.ts";

async function orUndefined<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export function getBuild(
  clients: KubeClients,
  name: string,
  signal: AbortSignal,
): Promise<MachineOSBuild | undefined> {
  return orUndefined(clients.resource<MachineOSBuild>(MACHINE_OS_BUILDS).get(name, { signal }));
}

/** The MachineOSConfig of `pool`, or undefined when the pool has none. */
export async function configForPool(
  clients: KubeClients,
  pool: string,
  signal: AbortSignal,
): Promise<MachineOSConfig | undefined> {
  const list = await clients.resource<MachineOSConfig>(MACHINE_OS_CONFIGS).list({ signal });
  return list.items.find((mosc) => mosc.spec.machineConfigPool.name === pool);
}

/** Why there is no MachineOSConfig for `pool`: the pool lacks one, or there is no such pool. */
async function noConfigError(
  clients: KubeClients,
  pool: string,
  signal: AbortSignal,
  orBuild: boolean,
): Promise<CliError> {
  const pools = clients.resource<MachineConfigPool>(MACHINE_CONFIG_POOLS);
  if ((await orUndefined(pools.get(pool, { signal }))) !== undefined) {
    return new CliError(
      `no MachineOSConfig for pool ${pool}; create one (see examples/machineosconfig.yaml)`,
    );
  }
  const names = (await pools.list({ signal })).items.map((p) => p.metadata.name ?? "").sort();
  const known = names.length === 0 ? "there are none" : `pools: ${names.join(", ")}`;
  const what = orBuild
    ? `no MachineConfigPool or MachineOSBuild named ${pool}`
    : `no MachineConfigPool ${pool}`;
  return new CliError(`${what} (${known}; \`mob status\` shows them)`);
}

/** The pool's MachineOSConfig, or a CliError saying why there is none. */
export async function requireConfig(
  clients: KubeClients,
  pool: string,
  signal: AbortSignal,
): Promise<MachineOSConfig> {
  const mosc = await configForPool(clients, pool, signal);
  if (mosc === undefined) throw await noConfigError(clients, pool, signal, false);
  return mosc;
}

export function currentBuildName(mosc: MachineOSConfig): string | undefined {
  const name = mosc.metadata.annotations?.[MachineOSConfigAnnotations.currentMachineOSBuild];
  return name === "" ? undefined : name;
}

/** `target` is a pool (its MachineOSConfig's current build) or the name of a MachineOSBuild. */
export async function resolveBuild(
  clients: KubeClients,
  target: string,
  signal: AbortSignal,
): Promise<MachineOSBuild> {
  const mosc = await configForPool(clients, target, signal);
  if (mosc !== undefined) {
    const name = currentBuildName(mosc);
    const config = mosc.metadata.name ?? "";
    if (name === undefined) {
      throw new CliError(
        `MachineOSConfig ${config} has no build yet; \`mob status --watch\` shows when it starts`,
      );
    }
    const mosb = await getBuild(clients, name, signal);
    if (mosb === undefined) {
      throw new CliError(
        `MachineOSBuild ${name}, current for MachineOSConfig ${config}, does not exist (being rebuilt?); try again shortly`,
      );
    }
    return mosb;
  }
  const mosb = await getBuild(clients, target, signal);
  if (mosb !== undefined) return mosb;
  throw await noConfigError(clients, target, signal, true);
}
