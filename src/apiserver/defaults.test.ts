import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startTestApiServer, type TestApiServer } from "../testing/api-server.ts";

const MCP = "/apis/machineconfiguration.openshift.io/v1/machineconfigpools";
const CC = "/apis/machineconfiguration.openshift.io/v1/controllerconfigs/machine-config-controller";
const MARKER = "/api/v1/namespaces/kube-system/configmaps/mob-defaults";

describe("API server defaults", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function stateDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), "mob-defaults-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    return dir;
  }

  async function start(dir: string, defaults: boolean): Promise<TestApiServer> {
    return startTestApiServer({ dir, installCrds: true, defaults });
  }

  it("creates the master and worker pools, the MCO namespace and the ControllerConfig on an empty store", async () => {
    const api = await start(await stateDir(), true);
    cleanups.push(() => api.close());
    const pools = await api.client.get(MCP);
    expect(pools.json.items.map((pool: { metadata: { name: string } }) => pool.metadata.name)).toEqual([
      "master",
      "worker",
    ]);
    const worker = (await api.client.get(`${MCP}/worker`)).json;
    expect(worker.spec.machineConfigSelector).toEqual({
      matchLabels: { "machineconfiguration.openshift.io/role": "worker" },
    });
    expect(worker.spec.nodeSelector).toEqual({ matchLabels: { "node-role.kubernetes.io/worker": "" } });
    expect(worker.metadata.labels).toHaveProperty("machineconfiguration.openshift.io/mco-built-in", "");
    expect((await api.client.get(`${MCP}/master`)).json.spec.nodeSelector.matchLabels).toEqual({
      "node-role.kubernetes.io/master": "",
    });
    expect((await api.client.get("/api/v1/namespaces/openshift-machine-config-operator")).status).toBe(200);
    expect((await api.client.get(CC)).json.spec).toMatchObject({ baseOSContainerImage: "", images: {} });
    expect((await api.client.get(MARKER)).json.data.created).toBe("true");
  });

  it("does not recreate pools the user deleted, across restarts", async () => {
    const dir = await stateDir();
    const first = await start(dir, true);
    expect((await first.client.delete(`${MCP}/worker`)).status).toBe(200);
    await first.close();
    const second = await start(dir, true);
    cleanups.push(() => second.close());
    expect((await second.client.get(`${MCP}/worker`)).status).toBe(404);
    expect((await second.client.get(`${MCP}/master`)).status).toBe(200);
  });

  it("leaves a store that already has pools alone, apart from the marker", async () => {
    const dir = await stateDir();
    const first = await start(dir, false);
    const custom = {
      apiVersion: "machineconfiguration.openshift.io/v1",
      kind: "MachineConfigPool",
      metadata: { name: "custom" },
      spec: {},
    };
    expect((await first.client.post(MCP, custom)).status).toBe(201);
    expect((await first.client.get(MARKER)).status).toBe(404);
    await first.close();
    const second = await start(dir, true);
    cleanups.push(() => second.close());
    const names = (await second.client.get(MCP)).json.items.map(
      (pool: { metadata: { name: string } }) => pool.metadata.name,
    );
    expect(names).toEqual(["custom"]);
    expect((await second.client.get(MARKER)).json.data.created).toBe("false");
  });

  it("is off in startTestApiServer unless asked", async () => {
    const api = await startTestApiServer({ installCrds: true });
    cleanups.push(() => api.close());
    expect((await api.client.get(MCP)).json.items).toEqual([]);
  });
});
