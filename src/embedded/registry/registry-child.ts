// One `docker-registry serve <config>` process: spawned with its output appended to the registry's
// log, awaited until it answers on `/v2/`, stopped with SIGTERM then SIGKILL. An abort of the
// signal stops it too. A registry that does not come up is stopped and reported with its last log
// lines (the registry never logs the password: htpasswd holds only a bcrypt hash).

import { type ChildProcess, spawn } from "node:child_process";
import { open, readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import type { RegistryPaths } from "./registry-state.ts";

export interface RegistryChildOptions {
  paths: RegistryPaths;
  /** `127.0.0.1:PORT`, as in the configuration file. */
  url: string;
  command: string;
  signal: AbortSignal;
  startTimeoutMs: number;
  stopTimeoutMs: number;
}

export interface RegistryChild {
  pid: number | undefined;
  /** Resolves once the process is gone (at once when it already is). */
  stop(): Promise<void>;
}

export async function launchRegistryChild(options: RegistryChildOptions): Promise<RegistryChild> {
  options.signal.throwIfAborted();
  const { child, exited } = await spawnRegistry(options.paths, options.command);
  let stopping: Promise<void> | undefined;
  const onAbort = () => void stop();
  const stop = () => {
    options.signal.removeEventListener("abort", onAbort);
    stopping ??= terminate(child, exited, options.stopTimeoutMs);
    return stopping;
  };
  options.signal.addEventListener("abort", onAbort, { once: true });
  const polling = new AbortController();
  try {
    const serving = AbortSignal.any([options.signal, polling.signal]);
    await Promise.race([
      waitUntilServing(options.url, serving, options.startTimeoutMs),
      exited.then((error) => {
        throw error ?? new Error("docker-registry exited during start-up");
      }),
    ]);
  } catch (error) {
    await stop();
    options.signal.throwIfAborted();
    const tail = await logTail(options.paths.log);
    throw new Error(`registry did not start: ${(error as Error).message}; last log lines:\n${tail}`);
  } finally {
    polling.abort();
  }
  return { pid: child.pid, stop };
}

async function spawnRegistry(paths: RegistryPaths, command: string) {
  const log = await open(paths.log, "a", 0o600);
  try {
    const child = spawn(command, ["serve", paths.config], {
      stdio: ["ignore", log.fd, log.fd],
      env: registryEnv(),
    });
    return { child, exited: watchExit(child) };
  } finally {
    await log.close();
  }
}

/** Resolves with the spawn error, or undefined once the process has exited; listens before any await. */
function watchExit(child: ChildProcess): Promise<Error | undefined> {
  return new Promise((resolve) => {
    child.once("exit", () => resolve(undefined));
    child.on("error", resolve);
  });
}

/** The environment without REGISTRY_* variables, which would override the configuration file. */
function registryEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("REGISTRY_")));
}

/** Polls `GET /v2/` until it answers 200 or 401 (the registry is up and wants credentials). */
async function waitUntilServing(url: string, signal: AbortSignal, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`http://${url}/v2/`, {
        signal: AbortSignal.any([signal, AbortSignal.timeout(2_000)]),
      });
      await response.body?.cancel();
      if (response.status === 200 || response.status === 401) return;
    } catch {
      signal.throwIfAborted();
    }
    if (Date.now() > deadline) throw new Error(`no answer on http://${url}/v2/ within ${timeoutMs} ms`);
    await sleep(50, undefined, { signal });
  }
}

async function terminate(child: ChildProcess, exited: Promise<unknown>, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  child.kill("SIGTERM");
  const cancel = new AbortController();
  const timeout = sleep(timeoutMs, "timeout" as const, { signal: cancel.signal }).catch(
    () => "cancelled" as const,
  );
  const first = await Promise.race([exited.then(() => "exited" as const), timeout]);
  cancel.abort();
  if (first === "timeout") {
    child.kill("SIGKILL");
    await exited;
  }
}

async function logTail(path: string): Promise<string> {
  const text = await readFile(path, "utf8").catch(() => "");
  return text.split("\n").slice(-15).join("\n");
}
