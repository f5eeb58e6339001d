// The manager's small HTTP server: /healthz (the process serves), /readyz (the manager's readiness
// check) and /metrics (Prometheus text format of the runtime registry).

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";

export interface ListenAddress {
  host: string;
  /** 0 picks a free port. */
  port: number;
}

export interface ProbeChecks {
  ready(): boolean;
  registry: Registry;
}

export interface ProbeServer {
  address: AddressInfo;
  close(): Promise<void>;
}

export async function listenProbes(listen: ListenAddress, checks: ProbeChecks): Promise<ProbeServer> {
  const server = createServer((req, res) => {
    void respond(req, res, checks);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(listen.port, listen.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    address: server.address() as AddressInfo,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function respond(req: IncomingMessage, res: ServerResponse, checks: ProbeChecks): Promise<void> {
  const path = new URL(req.url ?? "/", "http://probe").pathname;
  try {
    if (req.method !== "GET" && req.method !== "HEAD") return text(res, 405, "method not allowed");
    if (path === "/healthz" || path === "/livez") return text(res, 200, "ok");
    if (path === "/readyz") return checks.ready() ? text(res, 200, "ok") : text(res, 503, "not ready");
    if (path === "/metrics") {
      const body = await checks.registry.metrics();
      res.writeHead(200, { "content-type": checks.registry.contentType }).end(body);
      return;
    }
    text(res, 404, "not found");
  } catch (error) {
    text(res, 500, error instanceof Error ? error.message : "internal error");
  }
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8" }).end(body);
}
