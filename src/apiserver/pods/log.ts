// GET pods/<name>/log: a container's log as text/plain, whole or followed.

import type { KubeObject } from "../../api/object.ts";
import { badRequest, methodNotAllowed } from "../errors.ts";
import type { SubresourceCall, SubresourceHandler } from "../http/handlers.ts";
import { resourceKey } from "../registry/resource.ts";
import { fileExists, LogFileReader } from "./log-file.ts";
import { ContainerTermination, streamFollow } from "./log-follow.ts";
import { isRecent, LogRenderer, parseLogLine, tail } from "./log-lines.ts";
import { type LogOptions, parseLogOptions } from "./log-options.ts";
import type { PodLogSource } from "./log-source.ts";
import {
  allContainerNames,
  containerNames,
  containerState,
  hasPreviousRun,
  initContainerNames,
} from "./pod-fields.ts";
import { requireName } from "./subresource-call.ts";

export interface PodLogHandlerOptions {
  /** How often a followed log file is checked for new lines (default 100 ms). */
  pollMs?: number;
}

/** The container a request means: the one named, or the pod's only container. */
export function chooseContainer(pod: KubeObject, podName: string, requested: string | undefined): string {
  if (requested !== undefined) {
    if (!allContainerNames(pod).includes(requested)) {
      throw badRequest(`container ${requested} is not valid for pod ${podName}`);
    }
    return requested;
  }
  const containers = containerNames(pod);
  if (containers.length === 1 && containers[0] !== undefined) return containers[0];
  if (containers.length === 0) throw badRequest(`a container name must be specified for pod ${podName}`);
  let message = `a container name must be specified for pod ${podName}, choose one of: [${containers.join(" ")}]`;
  const init = initContainerNames(pod);
  if (init.length > 0) message += ` or one of the init containers: [${init.join(" ")}]`;
  throw badRequest(message);
}

async function checkStarted(
  pod: KubeObject,
  podName: string,
  container: string,
  options: LogOptions,
  path: string,
) {
  if (options.previous) {
    if (!hasPreviousRun(pod, container)) {
      throw badRequest(`previous terminated container "${container}" in pod "${podName}" not found`);
    }
    return;
  }
  const state = containerState(pod, container);
  if (state.kind === "running" || state.kind === "terminated" || (await fileExists(path))) return;
  throw badRequest(
    `container "${container}" in pod "${podName}" is waiting to start: ${state.reason ?? "ContainerCreating"}`,
  );
}

async function writeWhole(call: SubresourceCall, reader: LogFileReader, options: LogOptions): Promise<void> {
  const raw = await reader.read();
  const rest = reader.rest();
  if (rest !== undefined) raw.push(rest);
  const lines = raw.map(parseLogLine).filter((line) => isRecent(line, options.sinceMs));
  const chunks: Buffer[] = [];
  const renderer = new LogRenderer(options, (chunk) => chunks.push(chunk));
  for (const line of tail(lines, options.tailLines)) renderer.line(line);
  const body = Buffer.concat(chunks);
  call.res.writeHead(200, { "Content-Type": "text/plain", "Content-Length": body.length });
  call.res.end(body);
}

export function podLogHandler(
  logs: PodLogSource,
  handlerOptions: PodLogHandlerOptions = {},
): SubresourceHandler {
  const pollMs = handlerOptions.pollMs ?? 100;
  return async (call) => {
    if (call.method !== "GET")
      throw methodNotAllowed("the server does not allow this method on the requested resource");
    const name = requireName(call);
    const options = parseLogOptions(call.query, name, call.store.now());
    const pod = call.store.get(call.scope, name);
    const container = chooseContainer(pod, name, options.container);
    const follow =
      options.follow && !options.previous && containerState(pod, container).kind !== "terminated";
    // Started right after the read, with no await in between, so no status change is missed.
    const termination = follow
      ? new ContainerTermination(call.store, resourceKey(call.definition), pod, container)
      : undefined;
    try {
      const path = logs.path(pod, container, options.previous);
      await checkStarted(pod, name, container, options, path);
      const reader = new LogFileReader(path);
      if (termination === undefined) await writeWhole(call, reader, options);
      else await streamFollow({ res: call.res, signal: call.signal, reader, options, termination, pollMs });
    } finally {
      termination?.stop();
    }
  };
}
