// The machine-config-server's HTTP layer (upstream's api.go): GET/HEAD `/config/<pool>` serves the
// pool's Ignition in the spec version the Accept header negotiates (accept.ts), `/healthz` answers
// 200, anything else 404; other methods 405. A pool that does not exist is 404, one not rendered
// yet 503 (Ignition retries), an Accept header naming only unsupported versions 400, a config the
// negotiated version cannot express 406. Error bodies are one line of text naming the pool or
// config, never file contents.

import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { formatIssue } from "../ignition/index.ts";
import { silentLogger } from "../logging.ts";
import type { KubeClients } from "../runtime/kube-client.ts";
import { IGNITION_MEDIA_TYPE, negotiateSpecVersion } from "./accept.ts";
import { convertIgnition } from "./convert.ts";
import { readPoolConfig } from "./source.ts";

/** Upstream's port for the TLS endpoint. */
export const DEFAULT_SERVER_PORT = 22623;

export interface MachineConfigServerOptions {
  clients: KubeClients;
  listen: { host: string; port: number };
  /** Serve HTTPS with this certificate; plain HTTP without (upstream's --insecure). */
  tls?: { certPem: string; keyPem: string } | undefined;
  logger?: Logger;
  /** Closes the server when aborted. */
  signal: AbortSignal;
}

export interface RunningMachineConfigServer {
  /** `https://host:port` (or `http://`), with the port actually bound. */
  url: string;
  /** Resolves once the server has closed (after the signal aborted). */
  stopped: Promise<void>;
}

const POOL_PATH = /^\/config\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/;

export async function startMachineConfigServer(
  options: MachineConfigServerOptions,
): Promise<RunningMachineConfigServer> {
  const logger = (options.logger ?? silentLogger()).child({ component: "machine-config-server" });
  const { signal } = options;
  signal.throwIfAborted();
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res, options.clients, logger, signal).catch((error: unknown) => {
      logger.error({ err: error, url: req.url }, "request failed");
      if (!res.headersSent) reply(res, 500, "internal error");
      else res.destroy();
    });
  };
  const server =
    options.tls === undefined
      ? createHttpServer(handler)
      : createHttpsServer(
          { cert: options.tls.certPem, key: options.tls.keyPem, minVersion: "TLSv1.2" },
          handler,
        );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.listen.port, options.listen.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.listen.host.includes(":") ? `[${options.listen.host}]` : options.listen.host;
  const url = `${options.tls === undefined ? "http" : "https"}://${host}:${port}`;
  const stopped = new Promise<void>((resolve) => {
    const close = (): void => {
      server.closeAllConnections();
      server.close(() => resolve());
    };
    if (signal.aborted) close();
    else signal.addEventListener("abort", close, { once: true });
  });
  logger.info({ url }, "machine-config-server listening");
  return { url, stopped };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  clients: KubeClients,
  logger: Logger,
  signal: AbortSignal,
): Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD") return reply(res, 405, "method not allowed");
  const path = new URL(req.url ?? "/", "http://mcs").pathname;
  if (path === "/healthz") return reply(res, 200, "ok");
  const pool = POOL_PATH.exec(path)?.[1];
  if (pool === undefined) return reply(res, 404, "not found");
  const accept = req.headers.accept;
  const negotiated = negotiateSpecVersion(accept);
  const request = { pool, remote: req.socket.remoteAddress, userAgent: req.headers["user-agent"], accept };
  if (!negotiated.ok) {
    logger.warn(request, negotiated.message);
    return reply(res, 400, negotiated.message);
  }
  const served = await readPoolConfig(clients, pool, signal);
  switch (served.kind) {
    case "not-found":
      return reply(res, 404, served.message);
    case "unavailable":
      res.setHeader("Retry-After", "10");
      return reply(res, 503, served.message);
    case "failed":
      logger.error(request, served.message);
      return reply(res, 500, served.message);
    case "served":
      break;
  }
  const converted = convertIgnition(served.config, negotiated.version);
  if (!converted.ok) {
    const message = `rendered config ${served.machineConfig} cannot be served as Ignition ${negotiated.version}: ${converted.issues.map(formatIssue).join("; ")}`;
    logger.warn(request, message);
    return reply(res, 406, message);
  }
  const body = JSON.stringify(converted.config);
  logger.info(
    {
      ...request,
      version: negotiated.version,
      config: served.machineConfig,
      image: served.image,
      why: served.why,
    },
    "served pool config",
  );
  res.writeHead(200, {
    "Content-Type": `${IGNITION_MEDIA_TYPE};version=${negotiated.version}`,
    "Content-Length": Buffer.byteLength(body),
  });
  res.end(req.method === "HEAD" ? undefined : body);
}

function reply(res: ServerResponse, status: number, message: string): void {
  const body = `${message}\n`;
  res.writeHead(status, {
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
  });
  res.end(res.req.method === "HEAD" ? undefined : body);
}
