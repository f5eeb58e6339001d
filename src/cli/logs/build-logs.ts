// `mob logs build`: a build's log from wherever it is. While the build pod exists, each container's
// log in the order the containers run (image-build, image-push, report-digest), followed live with
// `follow`, across retried pods until the Job ends; once the pod is cleaned up, the archive in
// `build-log-<mosb>` (gzip, written by the build controller before cleanup). When the pod goes
// while being read, the containers not printed yet come from the archive.

import { setTimeout as sleep } from "node:timers/promises";
import { BuildKeys, MCO_NAMESPACE } from "../../api/constants.ts";
import type { MachineOSBuild } from "../../api/machineosbuild-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import { buildStateOf, isTerminal } from "../../controllers/build/build-state.ts";
import { buildLogConfigMapName } from "../../controllers/build/names.ts";
import { isNotFound } from "../../runtime/errors.ts";
import type { KubeClients } from "../../runtime/kube-client.ts";
import { CliError } from "../cli-error.ts";
import { type Output, progressOn } from "../status/output.ts";
import { archiveSections, sectionKey } from "./archive.ts";
import {
  archivedLog,
  containerState,
  containersInOrder,
  getPod,
  jobFinished,
  listBuildPods,
  podEnded,
} from "./build-pods.ts";
import { streamPodLog } from "./pod-log-stream.ts";
import { getBuild } from "./resolve-build.ts";

export interface BuildLogOptions {
  clients: KubeClients;
  mosb: MachineOSBuild;
  follow: boolean;
  out: Output;
  signal: AbortSignal;
  /** How often pods and the build are polled while waiting (default 200 ms). */
  pollMs?: number;
}

/** How long a followed log waits for the archive after the pod went (the controller writes it first). */
const ARCHIVE_WAIT_MS = 15_000;

/** Prints the log; throws CliError when the build has none to show. */
export async function printBuildLog(options: BuildLogOptions): Promise<void> {
  const { clients, signal } = options;
  const name = options.mosb.metadata.name ?? "";
  const pollMs = options.pollMs ?? 200;
  const seen = new Set<string>();
  const printed = new Set<string>();
  const progress = progressOn(options.out);
  for (;;) {
    const pods = (await listBuildPods(clients, name, signal)).filter((p) => !seen.has(p.metadata.uid ?? ""));
    for (const pod of pods) {
      progress.done();
      seen.add(pod.metadata.uid ?? "");
      if (!(await printPod(options, pod, printed))) return printFromArchive(options, printed);
    }
    if (seen.size === 0 && !options.follow) return printFromArchive(options, printed);
    if (!options.follow) return;
    if (seen.size > 0 && (await jobFinished(clients, name, signal))) return;
    const live = await getBuild(clients, name, signal);
    if (live === undefined || live.metadata.uid !== options.mosb.metadata.uid) {
      throw new CliError(`MachineOSBuild ${name} was deleted while its log was followed`);
    }
    if (seen.size === 0 && isTerminal(buildStateOf(live))) return printFromArchive(options, printed);
    if (seen.size === 0) progress.update(`waiting for the build pod of ${name} (${buildStateOf(live)})`);
    await sleep(pollMs, undefined, { signal });
  }
}

/** The archived sections not printed yet; waits for the archive a while when following. */
async function printFromArchive(options: BuildLogOptions, printed: ReadonlySet<string>): Promise<void> {
  const name = options.mosb.metadata.name ?? "";
  const deadline = Date.now() + (options.follow && printed.size > 0 ? ARCHIVE_WAIT_MS : 0);
  let archive = await archivedLog(options.clients, name, options.signal);
  while (archive === undefined && Date.now() < deadline) {
    await sleep(options.pollMs ?? 200, undefined, { signal: options.signal });
    archive = await archivedLog(options.clients, name, options.signal);
  }
  if (archive === undefined) {
    if (printed.size === 0) throw await noLogError(options);
    options.out.write(`(the build pod is gone and ${buildLogConfigMapName(name)} has no archived log)\n`);
    return;
  }
  const sections = archiveSections(archive);
  if (sections.length === 0) {
    options.out.write(archive.endsWith("\n") || archive === "" ? archive : `${archive}\n`);
    return;
  }
  for (const section of sections) {
    if (!printed.has(sectionKey(section.pod, section.container))) options.out.write(section.text);
  }
}

async function noLogError(options: BuildLogOptions): Promise<CliError> {
  const name = options.mosb.metadata.name ?? "";
  const mosb = (await getBuild(options.clients, name, options.signal)) ?? options.mosb;
  const state = buildStateOf(mosb);
  if (isTerminal(state) && mosb.metadata.annotations?.[BuildKeys.jobUID] === undefined) {
    return new CliError(
      `MachineOSBuild ${name} (${state}) ran no build Job (an existing image was reused); it has no log`,
    );
  }
  if (!isTerminal(state)) {
    return new CliError(`MachineOSBuild ${name} (${state}) has no build pod yet; use -f to wait for it`);
  }
  return new CliError(
    `MachineOSBuild ${name} (${state}) has no build pod and no archived log (ConfigMap ${buildLogConfigMapName(name)} in ${MCO_NAMESPACE})`,
  );
}

/** Every container of `pod` in order, recorded in `printed`; false when the pod went first. */
async function printPod(options: BuildLogOptions, first: KubeObject, printed: Set<string>): Promise<boolean> {
  const podName = first.metadata.name ?? "";
  for (const container of containersInOrder(first)) {
    const pod = options.follow
      ? await untilStarted(options, podName, container)
      : await getPod(options.clients, podName, options.signal);
    if (pod === undefined) return false;
    const state = containerState(pod, container);
    const header = `==> pod ${podName} container ${container} <==\n`;
    if (state === "waiting") {
      options.out.write(header);
      printed.add(sectionKey(podName, container));
      options.out.write(podEnded(pod) ? "(did not run)\n" : "(not started yet)\n");
      continue;
    }
    // The header waits for the server's answer: a pod that went in between is printed from the
    // archive alone instead of under two headers.
    let headed = false;
    const head = (): void => {
      if (headed) return;
      headed = true;
      options.out.write(header);
      printed.add(sectionKey(podName, container));
    };
    let endsWithNewline = true;
    const request = { namespace: MCO_NAMESPACE, pod: podName, container, follow: options.follow };
    try {
      await streamPodLog(options.clients.kubeConfig, { ...request, signal: options.signal }, (text) => {
        head();
        options.out.write(text);
        endsWithNewline = text.endsWith("\n");
      });
      head();
    } catch (error) {
      if (!isNotFound(error)) throw error;
      if (!headed) return false;
      printed.delete(sectionKey(podName, container));
      options.out.write("(the pod went while its log was read; the archived log follows)\n");
      return false;
    }
    if (!endsWithNewline) options.out.write("\n");
  }
  return true;
}

/** Polls the pod until `container` has started or the pod has ended; undefined when it is gone. */
async function untilStarted(
  options: BuildLogOptions,
  podName: string,
  container: string,
): Promise<KubeObject | undefined> {
  for (;;) {
    const pod = await getPod(options.clients, podName, options.signal);
    if (pod === undefined || containerState(pod, container) !== "waiting" || podEnded(pod)) return pod;
    await sleep(options.pollMs ?? 200, undefined, { signal: options.signal });
  }
}
