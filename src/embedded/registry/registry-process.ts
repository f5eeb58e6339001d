// Runs Debian's `docker-registry serve` (CNCF distribution) as a child process on a loopback port with
// state under `<dir>/registry/`: data, config, credentials, htpasswd and the registry's own log. A
// second start on the same directory serves the same data with the same credentials and, when the
// port is chosen automatically, the previous port if it is still free. A stopped registry can be
// started again in place (same port, storage and credentials), as an administrator would after an
// outage.

import { once } from "node:events";
import { mkdir, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import type { Logger } from "pino";
import { type Credentials, dockerConfigJsonFor } from "../../registry/credentials.ts";
import { launchRegistryChild } from "./registry-child.ts";
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
  /** Where blobs and manifests are stored (default `<dir>/registry/data`), e.g. a separate mount. */
  storageDir?: string;
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
  /** Starts the registry again after stop() (same port, storage and credentials); resolves once it serves. */
  start(): Promise<void>;
}

export async function startRegistry(options: RegistryOptions): Promise<RunningRegistry> {
  options.signal.throwIfAborted();
  const paths = registryPaths(options.dir);
  const storage = options.storageDir ?? paths.data;
  const { url, port, credentials } = await prepare(
    paths,
    storage,
    options.host ?? "127.0.0.1",
    options.port ?? 0,
  );
  const logger = options.logger.child({ component: "registry" });
  const launch = async () => {
    const child = await launchRegistryChild({
      paths,
      url,
      command: options.command ?? "docker-registry",
      signal: options.signal,
      startTimeoutMs: options.startTimeoutMs ?? 15_000,
      stopTimeoutMs: options.stopTimeoutMs ?? 5_000,
    });
    logger.info({ url, pid: child.pid, log: paths.log, storage }, "registry serving");
    return child;
  };
  let child = await launch();
  return {
    url,
    port,
    credentials,
    dockerConfigJson: () => dockerConfigJsonFor(url, credentials),
    stop: async () => {
      await child.stop();
      logger.info({ url }, "registry stopped");
    },
    start: async () => {
      await child.stop();
      child = await launch();
    },
  };
}

/** Credentials, htpasswd, port and configuration file, reusing what an earlier start left. */
async function prepare(paths: RegistryPaths, storage: string, host: string, wantedPort: number) {
  await mkdir(paths.root, { recursive: true, mode: 0o700 });
  await mkdir(storage, { recursive: true, mode: 0o700 });
  const credentials = await loadOrCreateCredentials(paths);
  await writeHtpasswd(paths, credentials);
  const state = await loadOrCreateState(paths);
  const port = await choosePort(host, wantedPort, state.port);
  await saveState(paths, { ...state, port });
  const url = `${host}:${port}`;
  const config = renderRegistryConfig({
    addr: url,
    dataDir: storage,
    htpasswdPath: paths.htpasswd,
    httpSecret: state.httpSecret,
  });
  await writeFile(paths.config, config, { mode: 0o600 });
  return { url, port, credentials };
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
