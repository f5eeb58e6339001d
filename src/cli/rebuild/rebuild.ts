// `mob rebuild`: ask the build controller to run a pool's current build again (the MachineOSConfig
// `rebuild` annotation), then follow it: the old MachineOSBuild is deleted and a new one with the
// same name and a new UID runs until it Succeeds or Fails.

import { setTimeout as sleep } from "node:timers/promises";
import { BuildConditionTypes, MachineOSConfigAnnotations } from "../../api/constants.ts";
import type { MachineOSBuild } from "../../api/machineosbuild-v1.ts";
import type { MachineOSConfig } from "../../api/machineosconfig-v1.ts";
import { type BuildState, buildStateOf, isTerminal } from "../../controllers/build/build-state.ts";
import { MACHINE_OS_CONFIGS } from "../../controllers/build/resources.ts";
import type { KubeClients } from "../../runtime/kube-client.ts";
import { CliError } from "../cli-error.ts";
import { currentBuildName, getBuild, requireConfig } from "../logs/resolve-build.ts";
import { between, firstLine, formatDuration } from "../status/format.ts";
import type { Progress } from "../status/output.ts";

export interface RebuildRequest {
  config: MachineOSConfig;
  /** The build being replaced. */
  previous: { name: string; uid: string | undefined };
}

export interface RebuildOutcome {
  build: MachineOSBuild;
  state: BuildState;
}

export async function requestRebuild(
  clients: KubeClients,
  pool: string,
  signal: AbortSignal,
): Promise<RebuildRequest> {
  const config = await requireConfig(clients, pool, signal);
  const configName = config.metadata.name ?? "";
  const name = currentBuildName(config);
  if (name === undefined) {
    throw new CliError(
      `MachineOSConfig ${configName} has no build to run again yet; \`mob status --watch\` shows its first build`,
    );
  }
  const previous = await getBuild(clients, name, signal);
  const patch = { metadata: { annotations: { [MachineOSConfigAnnotations.rebuild]: "" } } };
  await clients.resource(MACHINE_OS_CONFIGS).patch(configName, patch, { type: "merge", signal });
  return { config, previous: { name, uid: previous?.metadata.uid } };
}

function describe(mosb: MachineOSBuild, state: BuildState, now: number): string {
  const elapsed = between(mosb.status?.buildStart, mosb.status?.buildEnd ?? now);
  const phase = state === "Initial" ? "created, waiting to start" : state;
  return `${mosb.metadata.name ?? ""} ${phase}${elapsed === undefined ? "" : ` (${formatDuration(elapsed)})`}`;
}

/**
 * Waits for a build other than the previous one (a new UID) to be current and terminal. The
 * controller may pick a new name too, when the pool's inputs changed since the previous build.
 */
export async function waitForRebuild(
  clients: KubeClients,
  request: RebuildRequest,
  progress: Progress,
  signal: AbortSignal,
  pollMs = 500,
): Promise<RebuildOutcome> {
  const configs = clients.resource<MachineOSConfig>(MACHINE_OS_CONFIGS);
  const configName = request.config.metadata.name ?? "";
  for (;;) {
    const config = await configs.get(configName, { signal });
    const name = currentBuildName(config) ?? request.previous.name;
    const mosb = await getBuild(clients, name, signal);
    const fresh = mosb !== undefined && mosb.metadata.uid !== request.previous.uid;
    if (mosb !== undefined && fresh) {
      const state = buildStateOf(mosb);
      if (isTerminal(state)) {
        progress.done();
        return { build: mosb, state };
      }
      progress.update(`rebuilding: ${describe(mosb, state, Date.now())}`, `${mosb.metadata.uid} ${state}`);
    } else if (mosb !== undefined && mosb.metadata.deletionTimestamp !== undefined) {
      progress.update(`rebuilding: deleting the previous build ${name}`);
    } else {
      progress.update(`rebuilding: waiting for the build controller (${name})`);
    }
    await sleep(pollMs, undefined, { signal });
  }
}

/** One line for the outcome, and for a failure the next step. */
export function outcomeText(outcome: RebuildOutcome, pool: string): string {
  const { build, state } = outcome;
  const name = build.metadata.name ?? "";
  const elapsed = between(build.status?.buildStart, build.status?.buildEnd ?? Date.now());
  const took = elapsed === undefined ? "" : ` in ${formatDuration(elapsed)}`;
  if (state === "Succeeded") {
    return `build ${name} Succeeded${took}: ${build.status?.digestedImagePushSpec ?? ""}\n`;
  }
  const condition = build.status?.conditions?.find((c) => c.type === state);
  const why = firstLine(condition?.message);
  const more = state === BuildConditionTypes.Failed ? `\nsee the log: mob logs build ${pool}` : "";
  return `build ${name} ${state}${took}${why === "" ? "" : `: ${why}`}${more}\n`;
}
