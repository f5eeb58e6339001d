// §9.3 Update (PUT): optimistic concurrency with the exact Conflict text, the CR rule that a PUT
// needs a resourceVersion, unconditional built-in updates, server-owned metadata, and no-op writes
// that keep the resourceVersion and emit no watch event.

import { describe, expect, it } from "vitest";
import { expectStatus, MCO_GROUP, MCP_PATH, mcp, useApiServer } from "./helpers.ts";

const NS = "update-ns";
const CM = `/api/v1/namespaces/${NS}/configmaps`;

const api = useApiServer({ namespaces: [NS], machineConfigPools: true });

async function createCm(name: string, data: Record<string, string> = { k: "v" }) {
  const res = await api.client.post(CM, { metadata: { name }, data });
  expect(res.status, res.text).toBe(201);
  return res.json;
}

describe("update", () => {
  it("PUT with the current resourceVersion → 200 and a new resourceVersion", async () => {
    const created = await createCm("ok");
    const res = await api.client.put(`${CM}/ok`, { ...created, data: { k: "v2" } });
    expect(res.status, res.text).toBe(200);
    expect(res.headers["content-type"]).toBe("application/json");
    expect(res.json.data).toEqual({ k: "v2" });
    expect(Number(res.json.metadata.resourceVersion)).toBeGreaterThan(
      Number(created.metadata.resourceVersion),
    );
    expect(res.json.metadata.uid).toBe(created.metadata.uid);
  });

  it("a stale resourceVersion → 409 Conflict with the exact Kubernetes text", async () => {
    const created = await createCm("stale");
    const first = await api.client.put(`${CM}/stale`, { ...created, data: { k: "v2" } });
    expect(first.status).toBe(200);
    const res = await api.client.put(`${CM}/stale`, { ...created, data: { k: "v3" } });
    expectStatus(
      res,
      409,
      "Conflict",
      'Operation cannot be fulfilled on configmaps "stale": the object has been modified; please apply your changes to the latest version and try again',
    );
    expect(res.json.details).toEqual({ name: "stale", group: "", kind: "configmaps" });
    expect((await api.client.get(`${CM}/stale`)).json.data).toEqual({ k: "v2" });
  });

  it("a CR stale resourceVersion names group.resource", async () => {
    const created = (await api.client.post(MCP_PATH, mcp("stale"))).json;
    expect((await api.client.put(`${MCP_PATH}/stale`, { ...created, spec: { paused: true } })).status).toBe(
      200,
    );
    const res = await api.client.put(`${MCP_PATH}/stale`, created);
    expectStatus(
      res,
      409,
      "Conflict",
      `Operation cannot be fulfilled on machineconfigpools.${MCO_GROUP} "stale": the object has been modified; please apply your changes to the latest version and try again`,
    );
  });

  it("a CR PUT without resourceVersion → 422 must be specified for an update", async () => {
    const created = (await api.client.post(MCP_PATH, mcp("norv"))).json;
    const { resourceVersion: _rv, ...metadata } = created.metadata;
    const res = await api.client.put(`${MCP_PATH}/norv`, { ...created, metadata });
    expectStatus(res, 422, "Invalid", /must be specified for an update/);
    expect(res.json.details).toMatchObject({ name: "norv", group: MCO_GROUP, kind: "MachineConfigPool" });
    expect(res.json.details.causes).toEqual([
      expect.objectContaining({ field: "metadata.resourceVersion", reason: "FieldValueInvalid" }),
    ]);
  });

  it("a built-in PUT without resourceVersion is unconditional", async () => {
    const created = await createCm("uncond");
    const { resourceVersion: _rv, ...metadata } = created.metadata;
    const res = await api.client.put(`${CM}/uncond`, { ...created, metadata, data: { k: "x" } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.data).toEqual({ k: "x" });
  });

  it("a body name different from the URL → 400", async () => {
    const created = await createCm("named");
    const res = await api.client.put(`${CM}/named`, {
      ...created,
      metadata: { ...created.metadata, name: "other" },
    });
    expectStatus(res, 400, "BadRequest");
    expect((await api.client.get(`${CM}/other`)).status).toBe(404);
  });

  it("PUT of a missing object → 404 NotFound", async () => {
    const res = await api.client.put(`${CM}/missing`, { metadata: { name: "missing" }, data: {} });
    expectStatus(res, 404, "NotFound", 'configmaps "missing" not found');
    expect(res.json.details).toEqual({ name: "missing", group: "", kind: "configmaps" });
  });

  it("uid, creationTimestamp and name stay server-owned", async () => {
    const created = await createCm("owned");
    const res = await api.client.put(`${CM}/owned`, {
      ...created,
      metadata: {
        ...created.metadata,
        uid: "22222222-2222-4222-8222-222222222222",
        creationTimestamp: "2001-01-01T00:00:00Z",
      },
      data: { k: "changed" },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.metadata.uid).toBe(created.metadata.uid);
    expect(res.json.metadata.creationTimestamp).toBe(created.metadata.creationTimestamp);
  });

  it("an identical PUT → 200 with the same resourceVersion and no watch event", async () => {
    const created = await createCm("noop");
    const watch = await api.client.watch(
      `${CM}?watch=true&resourceVersion=${created.metadata.resourceVersion}&fieldSelector=metadata.name%3Dnoop`,
    );
    try {
      const res = await api.client.put(`${CM}/noop`, created);
      expect(res.status, res.text).toBe(200);
      expect(res.json).toEqual(created);
      const again = await api.client.put(`${CM}/noop`, created);
      expect(again.json.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
      // A real change afterwards is the first thing the watch sees.
      const changed = await api.client.put(`${CM}/noop`, { ...created, data: { k: "new" } });
      expect(changed.status).toBe(200);
      const event = await watch.next();
      expect(event.type).toBe("MODIFIED");
      expect(event.object.metadata.resourceVersion).toBe(changed.json.metadata.resourceVersion);
      expect(event.object.data).toEqual({ k: "new" });
    } finally {
      watch.close();
    }
  });

  it("an identical CR PUT keeps resourceVersion and generation", async () => {
    const created = (await api.client.post(MCP_PATH, mcp("noop"))).json;
    const res = await api.client.put(`${MCP_PATH}/noop`, created);
    expect(res.status).toBe(200);
    expect(res.json.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    expect(res.json.metadata.generation).toBe(1);
  });

  it("a spec-bearing built-in (Job) starts at generation 1 and counts spec changes", async () => {
    const job = {
      metadata: { name: "j1" },
      spec: {
        template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox" }] } },
        parallelism: 1,
      },
    };
    const created = await api.client.post(`/apis/batch/v1/namespaces/${NS}/jobs`, job);
    expect(created.status, created.text).toBe(201);
    expect(created.json.metadata.generation).toBe(1);
    const updated = await api.client.put(`/apis/batch/v1/namespaces/${NS}/jobs/j1`, {
      ...created.json,
      spec: { ...created.json.spec, parallelism: 2 },
    });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.json.metadata.generation).toBe(2);
  });
});
