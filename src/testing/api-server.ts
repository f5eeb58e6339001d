// An embedded API server for tests: a fresh state directory, a free port, and a client for it.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ApiServerConfig, type RunningApiServer, startApiServer } from "../apiserver/apiserver.ts";
import { ApiClient } from "./api-client.ts";

export interface TestApiServer {
  server: RunningApiServer;
  client: ApiClient;
  dir: string;
  /** Stops the server and removes its directory. */
  close(): Promise<void>;
}

export async function startTestApiServer(config: Partial<ApiServerConfig> = {}): Promise<TestApiServer> {
  const dir = config.dir ?? (await mkdtemp(join(tmpdir(), "mob-apiserver-")));
  // A plain Kubernetes API server unless the test asks for mob's CRDs (installCrds: true) or
  // default pools (defaults: true).
  const server = await startApiServer({
    port: 0,
    bookmarkIntervalMs: 200,
    installCrds: false,
    defaults: false,
    ...config,
    dir,
  });
  const client = new ApiClient(server.url, server.caCertPem, server.adminToken);
  return {
    server,
    client,
    dir,
    close: async () => {
      await server.stop();
      if (!config.dir) await rm(dir, { recursive: true, force: true });
    },
  };
}
