// One run of one container: resolve env, argv and mounts, start the process, and turn its exit into
// a terminated state (Completed/Error, FallbackToLogsOnError message). A container that cannot be
// started ends as StartError with exit code 128, as in Kubernetes.

import { open, rename, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import type { KubeObject } from "../api/object.ts";
import type { PodLogSource } from "../apiserver/pods/log-source.ts";
import { list, record, text } from "../apiserver/registry/builtin/object-fields.ts";
import { timestamp } from "../apiserver/registry/names.ts";
import type { Store } from "../apiserver/registry/store.ts";
import { containerArgv, containerEnv } from "./container-env.ts";
import { PodConfigError } from "./downward.ts";
import type { Terminated } from "./pod-status.ts";
import { type BindMount, ContainerProcess } from "./process-runner.ts";

type Fields = Record<string, unknown>;

export const NEEDS_COMMAND =
  "mob's host kubelet needs an explicit command: the container image is not pulled, so its entrypoint is not available";

/** Kubernetes' limits for a termination message taken from the log. */
const MESSAGE_LINES = 80;
const MESSAGE_BYTES = 2048;
/** Kubernetes reads at most this much of a terminationMessagePath file. */
const MESSAGE_FILE_BYTES = 4096;

export interface ContainerRunContext {
  store: Store;
  nodeName: string;
  logs: PodLogSource;
  isolate: boolean;
  volumes: ReadonlyMap<string, string>;
}

export type Prepared =
  /** `messagePath`: the host file behind terminationMessagePath, when a volume holds it. */
  | { kind: "ready"; start: () => Promise<ContainerProcess>; messagePath: string | undefined }
  | { kind: "config-error"; message: string }
  | { kind: "start-error"; message: string };

async function bindMounts(container: Fields, volumes: ReadonlyMap<string, string>): Promise<BindMount[]> {
  const mounts: BindMount[] = [];
  for (const entry of list(container.volumeMounts)) {
    const mount = record(entry) ?? {};
    const name = text(mount.name) ?? "";
    const root = volumes.get(name);
    if (root === undefined) throw new PodConfigError(`volumeMount ${name}: no such volume`);
    const subPath = text(mount.subPath) ?? "";
    const source = subPath === "" ? root : join(root, subPath);
    const file =
      subPath !== "" &&
      (await stat(source).then(
        (s) => s.isFile(),
        () => false,
      ));
    mounts.push({ source, target: text(mount.mountPath) ?? "", readOnly: mount.readOnly === true, file });
  }
  return mounts;
}

/** Everything needed to start the container, or why it cannot start. */
export async function prepareContainer(
  ctx: ContainerRunContext,
  pod: KubeObject,
  container: Fields,
  restarted: boolean,
): Promise<Prepared> {
  const name = text(container.name) ?? "";
  let env: Record<string, string>;
  let mounts: BindMount[];
  try {
    env = containerEnv(ctx.store, pod, container, ctx.nodeName);
    mounts = await bindMounts(container, ctx.volumes);
  } catch (error) {
    if (error instanceof PodConfigError) return { kind: "config-error", message: error.message };
    throw error;
  }
  const argv = containerArgv(container, env);
  if (argv === undefined) return { kind: "start-error", message: NEEDS_COMMAND };
  const logPath = ctx.logs.path(pod, name);
  const start = async (): Promise<ContainerProcess> => {
    if (restarted) await rename(logPath, ctx.logs.path(pod, name, true)).catch(() => undefined);
    return ContainerProcess.start({
      argv,
      env,
      workingDir: text(container.workingDir),
      mounts,
      logPath,
      isolate: ctx.isolate,
      keepLines: MESSAGE_LINES,
    });
  };
  const messagePath = hostPathIn(mounts, text(container.terminationMessagePath) ?? "/dev/termination-log");
  return { kind: "ready", start, messagePath };
}

/**
 * Where `path` (inside the container) is on the host: only paths inside a volume mount have one, as
 * the rest of the container's filesystem is the host's own (never read for a message).
 */
function hostPathIn(mounts: readonly BindMount[], path: string): string | undefined {
  const inside = mounts
    .filter((m) => !m.file && !relative(m.target, path).startsWith("..") && relative(m.target, path) !== "")
    .sort((a, b) => b.target.length - a.target.length)[0];
  return inside === undefined ? undefined : join(inside.source, relative(inside.target, path));
}

async function readMessageFile(path: string | undefined): Promise<string> {
  if (path === undefined) return "";
  const handle = await open(path, "r").catch(() => undefined);
  if (handle === undefined) return "";
  try {
    const buffer = Buffer.alloc(MESSAGE_FILE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, MESSAGE_FILE_BYTES, 0);
    return buffer.subarray(0, bytesRead).toString("utf8");
  } finally {
    await handle.close();
  }
}

function tailMessage(lines: string[]): string {
  let message = lines.join("\n");
  while (Buffer.byteLength(message) > MESSAGE_BYTES) message = message.slice(message.indexOf("\n") + 1 || 1);
  return message;
}

/**
 * Waits for the process and describes how it ended. The message is the terminationMessagePath file
 * (`messagePath` on the host), else the last log lines under FallbackToLogsOnError after a failure.
 */
export async function awaitTermination(
  proc: ContainerProcess,
  container: Fields,
  messagePath?: string,
): Promise<Terminated> {
  const exit = await proc.exited;
  const fromFile = await readMessageFile(messagePath);
  if (fromFile !== "") {
    return {
      exitCode: exit.exitCode,
      reason: exit.exitCode === 0 ? "Completed" : "Error",
      startedAt: timestamp(proc.startedAt),
      finishedAt: timestamp(exit.finishedAt),
      message: fromFile,
      pid: proc.pid,
    };
  }
  const fallback = container.terminationMessagePolicy === "FallbackToLogsOnError" && exit.exitCode !== 0;
  return {
    exitCode: exit.exitCode,
    reason: exit.exitCode === 0 ? "Completed" : "Error",
    startedAt: timestamp(proc.startedAt),
    finishedAt: timestamp(exit.finishedAt),
    ...(fallback ? { message: tailMessage(proc.lastLines()) } : {}),
    pid: proc.pid,
  };
}

export function startError(message: string, now: Date): Terminated {
  const at = timestamp(now);
  return { exitCode: 128, reason: "StartError", startedAt: at, finishedAt: at, message };
}
