// Runs Debian's `docker-registry serve` (CNCF distribution) as a child process on a loopback port with
// state under `<dir>/registry/`: data, config, credentials, htpasswd and the registry's own log. A
// second start on the same directory serves the same data with the same credentials and, when the
// port is chosen automatically, the previous port if it is still free.

import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir, open, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import { type Credentials, dockerConfigJsonFor } from "../../registry/credentials.ts";
import { renderRegistryConfig } from "./registry-config.ts";
import {
  loadOrCreateCredentials,
  loadOrCreateState,
  type RegistryPaths,
  registryPaths,
  saveState,
  writeHtpasswd,
} from "./registry-state.ts";

export interface RegistryOptions {
  /** mob's state directory; the registry lives in `<dir>/registry/`. */
  dir: string;
  /** Listen address; only loopback makes sense for plain HTTP (default 127.0.0.1). */
  host?: string;
  /** 0 (default) reuses the previous port when free, else picks a free one. */
  port?: number;
  logger: Logger;
  signal: AbortSignal;
  /** The registry binary (default `docker-registry`). */
  command?: string;
  startTimeoutMs?: number;
  stopTimeoutMs?: number;
}

export interface RunningRegistry {
  /** `127.0.0.1:PORT`: the registry part of image references. */
  url: string;
  port: number;
  credentials: Credentials;
  /** dockerconfigjson text with the credentials for `url`. */
  dockerConfigJson(): string;
  /** SIGTERM, then SIGKILL after the stop timeout; resolves once the process is gone. */
  stop(): Promise<void>;
}

export async function startRegistry(options: RegistryOptions): Promise<RunningRegistry> {
  options.signal.throwIfAborted();
  const paths = registryPaths(options.dir);
  const { url, port, credentials } = await prepare(paths, options.host ?? "127.0.0.1", options.port ?? 0);
  const { child, exited } = await spawnRegistry(paths, options.command ?? "docker-registry");
  const logger = options.logger.child({ component: "registry" });
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= terminate(child, exited, options.stopTimeoutMs ?? 5_000);
    return stopping;
  };
  const onAbort = () => void stop();
  options.signal.addEventListener("abort", onAbort, { once: true });
  const polling = new AbortController();
  try {
    const serving = AbortSignal.any([options.signal, polling.signal]);
    await Promise.race([
      waitUntilServing(url, serving, options.startTimeoutMs ?? 15_000),
      exited.then((error) => {
        throw error ?? new Error("docker-registry exited during start-up");
      }),
    ]);
  } catch (error) {
    await stop();
    options.signal.removeEventListener("abort", onAbort);
    options.signal.throwIfAborted();
    const tail = await logTail(paths.log);
    throw new Error(`registry did not start: ${(error as Error).message}; last log lines:\n${tail}`);
  } finally {
    polling.abort();
  }
  logger.info({ url, pid: child.pid, log: paths.log }, "registry serving");
  return {
    url,
    port,
    credentials,
    dockerConfigJson: () => dockerConfigJsonFor(url, credentials),
    stop: async () => {
      options.signal.removeEventListener("abort", onAbort);
      await stop();
      logger.info({ url }, "registry stopped");
    },
  };
}

/** Credentials, htpasswd, port and configuration file, reusing what an earlier start left. */
async function prepare(paths: RegistryPaths, host: string, wantedPort: number) {
  await mkdir(paths.data, { recursive: true, mode: 0o700 });
  const credentials = await loadOrCreateCredentials(paths);
  await writeHtpasswd(paths, credentials);
  const state = await loadOrCreateState(paths);
  const port = await choosePort(host, wantedPort, state.port);
  await saveState(paths, { ...state, port });
  const url = `${host}:${port}`;
  const config = renderRegistryConfig({
    addr: url,
    dataDir: paths.data,
    htpasswdPath: paths.htpasswd,
    httpSecret: state.httpSecret,
  });
  await writeFile(paths.config, config, { mode: 0o600 });
  return { url, port, credentials };
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

async function choosePort(host: string, wanted: number, previous: number | undefined): Promise<number> {
  if (wanted !== 0) return wanted;
  if (previous !== undefined && (await tryListen(host, previous)) !== undefined) return previous;
  const port = await tryListen(host, 0);
  if (port === undefined) throw new Error(`no free port on ${host}`);
  return port;
}

/** Binds and releases `port` (0: any); the bound port, or undefined when it is taken. */
async function tryListen(host: string, port: number): Promise<number | undefined> {
  const server = createServer();
  try {
    server.listen(port, host);
    await once(server, "listening");
    const address = server.address();
    return typeof address === "object" && address !== null ? address.port : undefined;
  } catch {
    return undefined;
  } finally {
    if (server.listening) {
      server.close();
      await once(server, "close");
    }
  }
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
