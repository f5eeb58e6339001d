// Writes to MachineOSBuilds: the new object (pure `newMachineOSBuild`), status writes that follow
// the §5 rules (`writeBuildState`), annotation patches and finalizer removal (PUT at the read
// resourceVersion, so a concurrent change — e.g. the garbage collector dropping foregroundDeletion —
// fails with 409 and is retried instead of being overwritten).

import { BuildKeys, FOREGROUND_DELETION_FINALIZER, MCO_NAMESPACE, V1 } from "../../api/constants.ts";
import type { MachineOSBuild } from "../../api/machineosbuild-v1.ts";
import type { MachineOSConfig } from "../../api/machineosconfig-v1.ts";
import type { ResourceClient } from "../../runtime/resource-client.ts";
import {
  type BuildState,
  buildStateOf,
  conditionsFor,
  isTerminal,
  transitionAllowed,
} from "./build-state.ts";
import { IMAGE_CLEANUP_FINALIZER } from "./constants.ts";
import { type BuildIdentity, machineOSBuildLabels, moscOwnerReference } from "./labels.ts";
import { jobName, taggedPushSpec } from "./names.ts";
import { pushSecretName } from "./secrets.ts";

export function newMachineOSBuild(mosc: MachineOSConfig, id: BuildIdentity): MachineOSBuild {
  return {
    apiVersion: V1,
    kind: "MachineOSBuild",
    metadata: {
      name: id.mosb,
      labels: machineOSBuildLabels(id),
      annotations: { [BuildKeys.renderedImagePushSecret]: pushSecretName(mosc) },
      finalizers: [FOREGROUND_DELETION_FINALIZER, IMAGE_CLEANUP_FINALIZER],
      ownerReferences: [moscOwnerReference(mosc)],
    },
    spec: {
      machineConfig: { name: id.machineConfig },
      machineOSConfig: { name: id.mosc },
      renderedImagePushSpec: taggedPushSpec(mosc.spec.renderedImagePushSpec, id.mosb),
    },
  };
}

/** RFC 3339 with whole seconds, as metav1.Time serialises. */
export function timestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export interface StateWrite {
  state: BuildState;
  now: Date;
  /** Set with Succeeded. */
  digestedImagePushSpec?: string;
  /** Replaces "Build Failed" in the Failed condition (mob's detail). */
  failedMessage?: string;
  /** buildStart when the build is first written already terminal (upstream: the Job's creation). */
  startedAt?: string;
  /** The Job runs this build: status.builder points at it. */
  withJob?: boolean;
}

/** The MOSB's status after `write`, or undefined when the transition is ignored (§5). */
export function nextBuildStatus(
  mosb: MachineOSBuild,
  write: StateWrite,
): MachineOSBuild["status"] | undefined {
  const from = buildStateOf(mosb);
  const initial = write.state === "Initial" && from === "Initial" && mosb.status?.conditions === undefined;
  if (!initial && !transitionAllowed(from, write.state)) return undefined;
  const now = timestamp(write.now);
  const status = structuredClone(mosb.status ?? {});
  status.conditions = conditionsFor(write.state, status.conditions, now, write.failedMessage);
  if (write.state !== "Initial") status.buildStart ??= write.startedAt ?? now;
  if (isTerminal(write.state) && status.buildEnd === undefined) {
    const start = Date.parse(status.buildStart ?? now);
    status.buildEnd = timestamp(new Date(Math.max(write.now.getTime(), start + 1000)));
  }
  if (write.withJob === true || status.builder !== undefined) {
    const name = jobName(mosb.metadata.name ?? "");
    status.builder = {
      imageBuilderType: "Job",
      job: { group: "batch", resource: "jobs", namespace: MCO_NAMESPACE, name },
    };
  }
  if (write.digestedImagePushSpec !== undefined) status.digestedImagePushSpec = write.digestedImagePushSpec;
  return status;
}

/** Writes the state; returns the stored MOSB (unchanged when the transition is ignored). */
export async function writeBuildState(
  client: ResourceClient<MachineOSBuild>,
  mosb: MachineOSBuild,
  write: StateWrite,
  signal: AbortSignal,
): Promise<MachineOSBuild> {
  const status = nextBuildStatus(mosb, write);
  if (status === undefined) return mosb;
  return client.updateStatus({ ...mosb, status }, { signal });
}

export async function annotateBuild(
  client: ResourceClient<MachineOSBuild>,
  name: string,
  annotations: Record<string, string | null>,
  signal: AbortSignal,
): Promise<MachineOSBuild> {
  return client.patch(name, { metadata: { annotations } }, { type: "merge", signal });
}

/** Drops mob's cleanup finalizer (a no-op when it is not there). */
export async function releaseBuild(
  client: ResourceClient<MachineOSBuild>,
  mosb: MachineOSBuild,
  signal: AbortSignal,
): Promise<void> {
  const finalizers = mosb.metadata.finalizers ?? [];
  if (!finalizers.includes(IMAGE_CLEANUP_FINALIZER)) return;
  const next = structuredClone(mosb);
  next.metadata.finalizers = finalizers.filter((f) => f !== IMAGE_CLEANUP_FINALIZER);
  await client.update(next, { signal });
}
