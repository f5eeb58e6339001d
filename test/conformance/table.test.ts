// §9.9 Table: kubectl's Accept header gets a meta.k8s.io Table with the built-in printer columns
// (Pod, ConfigMap) or the CRD's additionalPrinterColumns (MachineConfigPool, null for a missing
// condition), Name + Age for a CRD without columns, includeObject, and Table watch events.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApiServer, type TestApiServer } from "../../src/testing/api-server.ts";
import {
  createNamespace,
  installCrd,
  installMachineConfigPoolCrd,
  MCP_PATH,
  mcp,
  pod,
  TABLE_ACCEPT,
  widgetCrd,
} from "./helpers.ts";

const NS = "table-ns";
const PODS = `/api/v1/namespaces/${NS}/pods`;
const CM = `/api/v1/namespaces/${NS}/configmaps`;
const WIDGETS = `/apis/example.com/v1/namespaces/${NS}/widgets`;
const TABLE_TYPE = "application/json;as=Table;v=v1;g=meta.k8s.io";
const AGE = /^\d+s$/;

interface Column {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

let api: TestApiServer;

beforeAll(async () => {
  api = await startTestApiServer();
  await createNamespace(api.client, NS);
  await installMachineConfigPoolCrd(api.client);
  await installCrd(api.client, widgetCrd(), WIDGETS);
  expect((await api.client.post(PODS, pod("p1", ["c1", "c2"]))).status).toBe(201);
  expect((await api.client.post(CM, { metadata: { name: "cm1" }, data: { a: "1", b: "2" } })).status).toBe(
    201,
  );
  const pool = await api.client.post(MCP_PATH, mcp("worker"));
  expect(pool.status).toBe(201);
  const status = await api.client.put(`${MCP_PATH}/worker/status`, {
    ...pool.json,
    status: {
      configuration: { name: "rendered-worker-abc" },
      conditions: [
        {
          type: "Updated",
          status: "True",
          lastTransitionTime: "2026-01-01T00:00:00Z",
          reason: "",
          message: "",
        },
      ],
      machineCount: 3,
      readyMachineCount: 2,
      updatedMachineCount: 3,
      degradedMachineCount: 0,
    },
  });
  expect(status.status, status.text).toBe(200);
  expect((await api.client.post(MCP_PATH, mcp("bare"))).status).toBe(201);
  expect((await api.client.post(WIDGETS, { metadata: { name: "w1" }, spec: { size: 1 } })).status).toBe(201);
});
afterAll(async () => {
  await api?.close();
});

describe("Table", () => {
  it("a pod list → Table with the Pod printer columns (priority 1 for the wide ones)", async () => {
    const res = await api.client.get(`${PODS}?limit=500`, { accept: TABLE_ACCEPT });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe(TABLE_TYPE);
    expect(res.json).toMatchObject({ kind: "Table", apiVersion: "meta.k8s.io/v1" });
    expect(res.json.metadata.resourceVersion).toMatch(/^\d+$/);
    const columns: Column[] = res.json.columnDefinitions;
    expect(columns.map((c) => [c.name, c.priority])).toEqual([
      ["Name", 0],
      ["Ready", 0],
      ["Status", 0],
      ["Restarts", 0],
      ["Age", 0],
      ["IP", 1],
      ["Node", 1],
      ["Nominated Node", 1],
      ["Readiness Gates", 1],
    ]);
    expect(columns[0]).toMatchObject({ name: "Name", type: "string", format: "name" });
    for (const column of columns) expect(typeof column.description).toBe("string");
    expect(res.json.rows).toHaveLength(1);
    const [name, ready, status, restarts, age] = res.json.rows[0].cells;
    expect([name, ready, status]).toEqual(["p1", "0/2", "Pending"]);
    expect(String(restarts)).toBe("0");
    expect(age).toMatch(AGE);
    expect(res.json.rows[0].cells).toHaveLength(columns.length);
    // The default row object is the metadata only.
    expect(res.json.rows[0].object).toMatchObject({
      kind: "PartialObjectMetadata",
      apiVersion: "meta.k8s.io/v1",
      metadata: { name: "p1", namespace: NS },
    });
    expect(res.json.rows[0].object.spec).toBeUndefined();
  });

  it("a single object GET answers a one-row Table", async () => {
    const res = await api.client.get(`${CM}/cm1`, { accept: TABLE_ACCEPT });
    expect(res.headers["content-type"]).toBe(TABLE_TYPE);
    expect(res.json.columnDefinitions.map((c: Column) => c.name)).toEqual(["Name", "Data", "Age"]);
    expect(res.json.rows).toHaveLength(1);
    expect(res.json.rows[0].cells.slice(0, 2)).toEqual(["cm1", 2]);
  });

  it("MachineConfigPool columns come from the CRD; a missing condition or field is null", async () => {
    const res = await api.client.get(MCP_PATH, { accept: TABLE_ACCEPT });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe(TABLE_TYPE);
    const columns: Column[] = res.json.columnDefinitions;
    expect(columns.map((c) => c.name)).toEqual([
      "Name",
      "Config",
      "Updated",
      "Updating",
      "Degraded",
      "MachineCount",
      "ReadyMachineCount",
      "UpdatedMachineCount",
      "DegradedMachineCount",
      "Age",
    ]);
    expect(columns[0]).toMatchObject({ type: "string", format: "name", priority: 0 });
    expect(columns[1]).toEqual({
      name: "Config",
      type: "string",
      format: "",
      description: "Custom resource definition column (in JSONPath format): .status.configuration.name",
      priority: 0,
    });
    expect(columns[2]).toMatchObject({
      type: "string",
      description: "When all the machines in the pool are updated to the correct machine config.",
    });
    expect(columns[5]).toMatchObject({ name: "MachineCount", type: "number" });
    expect(columns[9]).toMatchObject({ name: "Age", type: "date" });

    const rows = new Map<string, unknown[]>(
      res.json.rows.map((r: { cells: unknown[] }) => [r.cells[0], r.cells]),
    );
    const worker = rows.get("worker") ?? [];
    expect(worker.slice(0, 9)).toEqual(["worker", "rendered-worker-abc", "True", null, null, 3, 2, 3, 0]);
    expect(worker[9]).toMatch(AGE);
    const bare = rows.get("bare") ?? [];
    expect(bare.slice(0, 9)).toEqual(["bare", null, null, null, null, null, null, null, null]);
  });

  it("a CRD without printer columns → Name and Age", async () => {
    const res = await api.client.get(WIDGETS, { accept: TABLE_ACCEPT });
    expect(res.status).toBe(200);
    const columns: Column[] = res.json.columnDefinitions;
    expect(columns.map((c) => [c.name, c.type, c.format])).toEqual([
      ["Name", "string", "name"],
      ["Age", "date", ""],
    ]);
    expect(res.json.rows).toHaveLength(1);
    expect(res.json.rows[0].cells[0]).toBe("w1");
    expect(res.json.rows[0].cells[1]).toMatch(AGE);
  });

  it("includeObject=Object embeds the whole object; None embeds nothing", async () => {
    const full = await api.client.get(`${PODS}?includeObject=Object`, { accept: TABLE_ACCEPT });
    const object = full.json.rows[0].object;
    expect(object).toMatchObject({ kind: "Pod", apiVersion: "v1", metadata: { name: "p1" } });
    expect(object.spec.containers).toHaveLength(2);
    const none = await api.client.get(`${PODS}?includeObject=None`, { accept: TABLE_ACCEPT });
    expect(none.json.rows[0].object).toBeUndefined();
  });

  it("v1beta1 alone is answered as v1beta1; plain JSON stays a list", async () => {
    const beta = await api.client.get(CM, { accept: "application/json;as=Table;v=v1beta1;g=meta.k8s.io" });
    expect(beta.headers["content-type"]).toBe("application/json;as=Table;v=v1beta1;g=meta.k8s.io");
    expect(beta.json.apiVersion).toBe("meta.k8s.io/v1beta1");
    const plain = await api.client.get(CM, { accept: "application/json" });
    expect(plain.headers["content-type"]).toBe("application/json");
    expect(plain.json.kind).toBe("ConfigMapList");
  });

  it("an Accept with nothing mob writes → 406", async () => {
    const res = await api.client.get(CM, { accept: "application/vnd.kubernetes.protobuf" });
    expect(res.status).toBe(406);
    expect(res.json).toMatchObject({ kind: "Status", reason: "NotAcceptable", code: 406 });
  });

  it("a Table watch: each event is a one-row Table; only the first carries columnDefinitions", async () => {
    const rv = (await api.client.get(CM)).json.metadata.resourceVersion;
    const watch = await api.client.watch(`${CM}?watch=true&resourceVersion=${rv}`, { accept: TABLE_ACCEPT });
    try {
      expect(watch.headers["content-type"]).toBe(TABLE_TYPE);
      expect((await api.client.post(CM, { metadata: { name: "w-a" }, data: { x: "1" } })).status).toBe(201);
      expect((await api.client.post(CM, { metadata: { name: "w-b" } })).status).toBe(201);
      const first = await watch.next();
      const second = await watch.next();
      expect(first.type).toBe("ADDED");
      expect(first.object).toMatchObject({ kind: "Table", apiVersion: "meta.k8s.io/v1" });
      expect(first.object.columnDefinitions.map((c: Column) => c.name)).toEqual(["Name", "Data", "Age"]);
      expect(first.object.rows).toHaveLength(1);
      expect(first.object.rows[0].cells.slice(0, 2)).toEqual(["w-a", 1]);
      expect(second.object.columnDefinitions).toBeUndefined();
      expect(second.object.rows[0].cells[0]).toBe("w-b");
      expect(second.object.rows[0].object.kind).toBe("PartialObjectMetadata");
    } finally {
      watch.close();
    }
  });
});
