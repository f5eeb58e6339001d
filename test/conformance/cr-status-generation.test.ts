// §9.5 CR status and generation: create drops status, the main endpoint keeps the old status and
// counts spec changes, the status subresource ignores spec and metadata, metadata-only writes leave
// the generation alone, and a CRD without a status subresource counts status as spec.

import { describe, expect, it } from "vitest";
import type { TestApiServer } from "../../src/testing/api-server.ts";
import { expectStatus, installCrd, MCP_PATH, MERGE, mcp, useApiServer, widgetCrd } from "./helpers.ts";

const NS = "status-ns";
const WIDGETS = `/apis/example.com/v1/namespaces/${NS}/widgets`;

const api = useApiServer({
  namespaces: [NS],
  machineConfigPools: true,
  prepare: async (server: TestApiServer) => {
    await installCrd(server.client, widgetCrd(), WIDGETS);
  },
});

describe("MachineConfigPool (status subresource)", () => {
  it("create drops status and sets generation 1", async () => {
    const res = await api.client.post(MCP_PATH, mcp("gen", { status: { machineCount: 5 } }));
    expect(res.status, res.text).toBe(201);
    expect(res.json.status).toBeUndefined();
    expect(res.json.metadata.generation).toBe(1);
  });

  it("a main-endpoint PUT ignores status and bumps generation for a spec change", async () => {
    const current = (await api.client.get(`${MCP_PATH}/gen`)).json;
    const res = await api.client.put(`${MCP_PATH}/gen`, {
      ...current,
      spec: { ...current.spec, paused: true },
      status: { machineCount: 7 },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.spec.paused).toBe(true);
    expect(res.json.status).toBeUndefined();
    expect(res.json.metadata.generation).toBe(2);
  });

  it("PUT /status replaces only status; spec and labels are ignored; generation unchanged", async () => {
    const current = (await api.client.get(`${MCP_PATH}/gen`)).json;
    const res = await api.client.put(`${MCP_PATH}/gen/status`, {
      ...current,
      metadata: { ...current.metadata, labels: { sneaky: "yes" } },
      spec: { ...current.spec, paused: false },
      status: { machineCount: 3, observedGeneration: 2 },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.status).toEqual({ machineCount: 3, observedGeneration: 2 });
    expect(res.json.spec.paused).toBe(true);
    expect(res.json.metadata.labels).toBeUndefined();
    expect(res.json.metadata.generation).toBe(2);
    expect(Number(res.json.metadata.resourceVersion)).toBeGreaterThan(
      Number(current.metadata.resourceVersion),
    );
  });

  it("GET /status returns the whole object", async () => {
    const whole = await api.client.get(`${MCP_PATH}/gen`);
    const status = await api.client.get(`${MCP_PATH}/gen/status`);
    expect(status.status).toBe(200);
    expect(status.json).toEqual(whole.json);
  });

  it("the main endpoint keeps the status written through /status", async () => {
    const current = (await api.client.get(`${MCP_PATH}/gen`)).json;
    const res = await api.client.put(`${MCP_PATH}/gen`, { ...current, status: { machineCount: 99 } });
    expect(res.status).toBe(200);
    expect(res.json.status).toEqual({ machineCount: 3, observedGeneration: 2 });
    // Nothing but status changed: a no-op.
    expect(res.json.metadata.resourceVersion).toBe(current.metadata.resourceVersion);
  });

  it("a metadata-only change leaves generation unchanged", async () => {
    const res = await api.client.patch(`${MCP_PATH}/gen`, { metadata: { labels: { a: "b" } } }, MERGE);
    expect(res.status, res.text).toBe(200);
    expect(res.json.metadata.labels).toEqual({ a: "b" });
    expect(res.json.metadata.generation).toBe(2);
  });

  it("a merge patch on /status writes status and ignores spec", async () => {
    const res = await api.client.patch(
      `${MCP_PATH}/gen/status`,
      { spec: { paused: false }, status: { readyMachineCount: 1 } },
      MERGE,
    );
    expect(res.status, res.text).toBe(200);
    expect(res.json.status).toEqual({ machineCount: 3, observedGeneration: 2, readyMachineCount: 1 });
    expect(res.json.spec.paused).toBe(true);
    expect(res.json.metadata.generation).toBe(2);
  });

  it("a stale resourceVersion on /status → 409", async () => {
    const current = (await api.client.get(`${MCP_PATH}/gen`)).json;
    expect(
      (await api.client.patch(`${MCP_PATH}/gen/status`, { status: { machineCount: 4 } }, MERGE)).status,
    ).toBe(200);
    const res = await api.client.put(`${MCP_PATH}/gen/status`, { ...current, status: { machineCount: 5 } });
    expectStatus(res, 409, "Conflict", /the object has been modified/);
    expect((await api.client.get(`${MCP_PATH}/gen`)).json.status.machineCount).toBe(4);
  });

  it("a status that violates the schema → 422", async () => {
    const current = (await api.client.get(`${MCP_PATH}/gen`)).json;
    const res = await api.client.put(`${MCP_PATH}/gen/status`, {
      ...current,
      status: { machineCount: "many" },
    });
    expectStatus(res, 422, "Invalid");
    expect(res.json.details.causes[0].field).toBe("status.machineCount");
  });
});

describe("a CRD without a status subresource", () => {
  it("keeps status on create and counts a status change as a generation change", async () => {
    const created = await api.client.post(WIDGETS, {
      apiVersion: "example.com/v1",
      kind: "Widget",
      metadata: { name: "w1" },
      spec: { size: 1 },
      status: { ready: false },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.json.status).toEqual({ ready: false });
    expect(created.json.metadata.generation).toBe(1);
    const res = await api.client.patch(`${WIDGETS}/w1`, { status: { ready: true } }, MERGE);
    expect(res.status, res.text).toBe(200);
    expect(res.json.status).toEqual({ ready: true });
    expect(res.json.metadata.generation).toBe(2);
    const labelled = await api.client.patch(`${WIDGETS}/w1`, { metadata: { labels: { x: "y" } } }, MERGE);
    expect(labelled.json.metadata.generation).toBe(2);
  });

  it("has no /status endpoint (404)", async () => {
    const res = await api.client.get(`${WIDGETS}/w1/status`);
    expectStatus(res, 404, "NotFound");
  });
});
