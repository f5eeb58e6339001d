// The HTTP layer against a real API server with mob's CRDs and default pools.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MachineConfig } from "../api/machineconfig-v1.ts";
import type { MachineConfigPool } from "../api/machineconfigpool-v1.ts";
import { MACHINE_CONFIG_POOLS, MACHINE_CONFIGS } from "../controllers/resources.ts";
import { type KubeClients, loadKubeClients } from "../runtime/kube-client.ts";
import { startTestApiServer, type TestApiServer } from "../testing/api-server.ts";
import { startMachineConfigServer } from "./http.ts";

const CONFIG = "rendered-worker-0123456789abcdef0123456789abcdef";
const V34 = "application/vnd.coreos.ignition+json;version=3.4.0, */*;q=0.1";

describe("machine-config-server HTTP", () => {
  let api: TestApiServer;
  let clients: KubeClients;
  let url: string;
  const stop = new AbortController();
  let stopped: Promise<void>;

  beforeAll(async () => {
    api = await startTestApiServer({ installCrds: true, defaults: true });
    clients = loadKubeClients(api.server.kubeconfigPath);
    const config: MachineConfig = {
      metadata: { name: CONFIG },
      spec: {
        osImageURL: `registry.example.com/os@sha256:${"1".repeat(64)}`,
        config: {
          ignition: { version: "3.2.0" },
          storage: { files: [{ path: "/etc/motd", mode: 420, contents: { source: "data:,hi%0A" } }] },
        },
      },
    };
    await clients.resource<MachineConfig>(MACHINE_CONFIGS).create(config, { signal: stop.signal });
    await clients
      .resource<MachineConfigPool>(MACHINE_CONFIG_POOLS)
      .patch("worker", { spec: { configuration: { name: CONFIG } } }, { type: "merge", signal: stop.signal });
    const server = await startMachineConfigServer({
      clients,
      listen: { host: "127.0.0.1", port: 0 },
      signal: stop.signal,
    });
    url = server.url;
    stopped = server.stopped;
  }, 60_000);
  afterAll(async () => {
    stop.abort();
    await stopped;
    await api?.close();
  });

  const get = (path: string, init: RequestInit = {}) => fetch(`${url}${path}`, init);

  it("serves a pool's rendered config at 3.4.0 to Ignition 3.4", async () => {
    const res = await get("/config/worker", { headers: { Accept: V34 } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/vnd.coreos.ignition+json;version=3.4.0");
    const body = (await res.json()) as {
      ignition: { version: string };
      storage: { files: { path: string }[] };
    };
    expect(body.ignition.version).toBe("3.4.0");
    expect(body.storage.files.map((f) => f.path)).toEqual([
      "/etc/motd",
      "/etc/machine-config-daemon/node-annotations.json",
      "/etc/ignition-machine-config-encapsulated.json",
    ]);
  });

  it("negotiates older specs: 3.1.0 relabelled, 2.2.0 translated (also curl's default)", async () => {
    const v31 = await get("/config/worker", {
      headers: { Accept: "application/vnd.coreos.ignition+json;version=3.1.0" },
    });
    expect(((await v31.json()) as { ignition: { version: string } }).ignition.version).toBe("3.1.0");
    const curl = await get("/config/worker", { headers: { Accept: "*/*" } });
    const v2 = (await curl.json()) as {
      ignition: { version: string };
      storage: { files: { filesystem: string }[] };
    };
    expect(v2.ignition.version).toBe("2.2.0");
    expect(v2.storage.files.every((f) => f.filesystem === "root")).toBe(true);
  });

  it("answers HEAD with the length and no body", async () => {
    const res = await get("/config/worker", { method: "HEAD", headers: { Accept: V34 } });
    expect(res.status).toBe(200);
    expect(Number(res.headers.get("content-length"))).toBeGreaterThan(100);
    expect(await res.text()).toBe("");
  });

  it.each([
    ["/config/no-such-pool", {}, 404, /machine config pool no-such-pool not found/],
    ["/config/", {}, 404, /not found/],
    ["/nope", {}, 404, /not found/],
    ["/config/worker", { method: "POST" }, 405, /method not allowed/],
    [
      "/config/worker",
      { headers: { Accept: "application/vnd.coreos.ignition+json;version=4.0.0" } },
      400,
      /unsupported/,
    ],
    ["/config/master", { headers: { Accept: V34 } }, 503, /no rendered config yet/],
  ] as const)("%s %o → %i", async (path, init, status, message) => {
    const res = await get(path, init as RequestInit);
    expect(res.status).toBe(status);
    expect(await res.text()).toMatch(message);
  });

  it("answers /healthz", async () => {
    expect((await get("/healthz")).status).toBe(200);
  });
});
