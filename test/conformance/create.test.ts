// §9.2 Create: server-owned fields, AlreadyExists, generateName, a missing namespace, apiVersion/kind
// filled from the URL or rejected on mismatch, and the Status shapes of each failure.

import { describe, expect, it } from "vitest";
import { expectStatus, MCO_GROUP, MCP_PATH, mcp, useApiServer } from "./helpers.ts";

const NS = "create-ns";
const CM = `/api/v1/namespaces/${NS}/configmaps`;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const RFC3339_SECONDS_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

const api = useApiServer({ namespaces: [NS], machineConfigPools: true });

describe("create", () => {
  it("POST {metadata:{name}} → 201 with apiVersion, kind and the server-owned fields", async () => {
    const before = Date.now();
    const res = await api.client.post(CM, { metadata: { name: "a" } });
    expect(res.status, res.text).toBe(201);
    expect(res.headers["content-type"]).toBe("application/json");
    const object = res.json;
    expect(object.apiVersion).toBe("v1");
    expect(object.kind).toBe("ConfigMap");
    expect(object.metadata.name).toBe("a");
    expect(object.metadata.namespace).toBe(NS);
    expect(object.metadata.uid).toMatch(UUID_V4);
    expect(object.metadata.creationTimestamp).toMatch(RFC3339_SECONDS_Z);
    expect(Date.parse(object.metadata.creationTimestamp)).toBeGreaterThanOrEqual(
      Math.floor(before / 1000) * 1000,
    );
    expect(object.metadata.resourceVersion).toMatch(/^[1-9]\d*$/);
    // ConfigMaps have no spec: no generation.
    expect(object.metadata.generation).toBeUndefined();

    const got = await api.client.get(`${CM}/a`);
    expect(got.status).toBe(200);
    expect(got.json).toEqual(object);
  });

  it("repeating the create → 409 AlreadyExists with details", async () => {
    const res = await api.client.post(CM, { metadata: { name: "a" } });
    expectStatus(res, 409, "AlreadyExists", 'configmaps "a" already exists');
    expect(res.json.details).toEqual({ name: "a", group: "", kind: "configmaps" });
  });

  it("CR AlreadyExists names group.resource", async () => {
    expect((await api.client.post(MCP_PATH, mcp("dup"))).status).toBe(201);
    const res = await api.client.post(MCP_PATH, mcp("dup"));
    expectStatus(res, 409, "AlreadyExists", `machineconfigpools.${MCO_GROUP} "dup" already exists`);
    expect(res.json.details).toEqual({ name: "dup", group: MCO_GROUP, kind: "machineconfigpools" });
  });

  it("generateName → prefix plus 5 characters of the Kubernetes alphabet, distinct each time", async () => {
    const names = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const res = await api.client.post(CM, { metadata: { generateName: "x-" } });
      expect(res.status, res.text).toBe(201);
      expect(res.json.metadata.name).toMatch(/^x-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(res.json.metadata.generateName).toBe("x-");
      names.add(res.json.metadata.name);
    }
    expect(names.size).toBe(5);
  });

  it("a long generateName prefix is cut to 58 characters", async () => {
    const prefix = `${"p".repeat(70)}-`;
    const res = await api.client.post(CM, { metadata: { generateName: prefix } });
    expect(res.status, res.text).toBe(201);
    expect(res.json.metadata.name).toMatch(/^p{58}[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it("neither name nor generateName → 422 Invalid naming metadata.name", async () => {
    const res = await api.client.post(CM, { metadata: {} });
    expectStatus(res, 422, "Invalid");
    expect(res.json.details.kind).toBe("ConfigMap");
    expect(res.json.details.causes).toEqual([expect.objectContaining({ field: "metadata.name" })]);
  });

  it('a missing namespace → 404 namespaces "x" not found', async () => {
    const res = await api.client.post("/api/v1/namespaces/does-not-exist/configmaps", {
      metadata: { name: "a" },
    });
    expectStatus(res, 404, "NotFound", 'namespaces "does-not-exist" not found');
    expect(res.json.details).toMatchObject({ name: "does-not-exist", kind: "namespaces" });
  });

  it("an apiVersion mismatch → 400 with the Kubernetes message", async () => {
    const res = await api.client.post(CM, {
      apiVersion: "apps/v1",
      kind: "ConfigMap",
      metadata: { name: "b" },
    });
    expectStatus(
      res,
      400,
      "BadRequest",
      "the API version in the data (apps/v1) does not match the expected API version (v1)",
    );
    expect((await api.client.get(`${CM}/b`)).status).toBe(404);
  });

  it("a body namespace different from the URL → 400", async () => {
    const res = await api.client.post(CM, { metadata: { name: "c", namespace: "default" } });
    expectStatus(res, 400, "BadRequest");
    expect((await api.client.get(`${CM}/c`)).status).toBe(404);
    expect((await api.client.get("/api/v1/namespaces/default/configmaps/c")).status).toBe(404);
  });

  it("a supplied resourceVersion is rejected", async () => {
    const res = await api.client.post(CM, { metadata: { name: "d", resourceVersion: "5" } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.json.kind).toBe("Status");
    expect((await api.client.get(`${CM}/d`)).status).toBe(404);
  });

  it("server-owned fields in the body are replaced", async () => {
    const res = await api.client.post(CM, {
      metadata: {
        name: "e",
        uid: "11111111-1111-4111-8111-111111111111",
        creationTimestamp: "2000-01-01T00:00:00Z",
        deletionTimestamp: "2000-01-01T00:00:00Z",
      },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json.metadata.uid).not.toBe("11111111-1111-4111-8111-111111111111");
    expect(res.json.metadata.creationTimestamp).not.toBe("2000-01-01T00:00:00Z");
    expect(res.json.metadata.deletionTimestamp).toBeUndefined();
  });

  it("a pod is created Pending", async () => {
    const res = await api.client.post(`/api/v1/namespaces/${NS}/pods`, {
      metadata: { name: "p1" },
      spec: { containers: [{ name: "c1", image: "nginx:1" }] },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json.apiVersion).toBe("v1");
    expect(res.json.kind).toBe("Pod");
    expect(res.json.status.phase).toBe("Pending");
  });

  it("a CR without apiVersion/kind is filled from the URL, generation 1, status dropped", async () => {
    const { apiVersion: _a, kind: _k, ...body } = mcp("bare", { status: { machineCount: 3 } });
    const res = await api.client.post(MCP_PATH, body);
    expect(res.status, res.text).toBe(201);
    expect(res.json.apiVersion).toBe(`${MCO_GROUP}/v1`);
    expect(res.json.kind).toBe("MachineConfigPool");
    expect(res.json.metadata.generation).toBe(1);
    expect(res.json.status).toBeUndefined();
  });

  it("a namespaced POST to a cluster-scoped resource path is 404", async () => {
    const res = await api.client.post(`/apis/${MCO_GROUP}/v1/namespaces/${NS}/machineconfigpools`, mcp("ns"));
    expectStatus(res, 404, "NotFound");
  });
});
