// §9 cases 6 (GC) and 10 (pod subresources) through the real embedded API server.

import { appendFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApiServer, type TestApiServer } from "../../testing/api-server.ts";
import { eventually } from "../../testing/eventually.ts";
import { FileLogSource, formatLogLine } from "./log-source.ts";

let api: TestApiServer;
let logDir: string;
const NS = "/api/v1/namespaces/default";

beforeAll(async () => {
  logDir = await mkdtemp(join(tmpdir(), "mob-podlogs-"));
  api = await startTestApiServer({ podLogDir: logDir });
});

afterAll(async () => {
  await api?.close();
  await rm(logDir, { recursive: true, force: true });
});

const podBody = (name: string, containers = ["c1"]) => ({
  metadata: { name },
  spec: { containers: containers.map((c) => ({ name: c, image: "registry.example/app:1" })) },
  status: {
    phase: "Running",
    containerStatuses: containers.map((c) => ({ name: c, state: { running: {} } })),
  },
});

describe("embedded API server", () => {
  it("collects dependents of a configmap deleted in the background and orphans on request", async () => {
    const owner = await api.client.post(`${NS}/configmaps`, { metadata: { name: "gc-owner" } });
    const ref = { apiVersion: "v1", kind: "ConfigMap", name: "gc-owner", uid: owner.json.metadata.uid };
    await api.client.post(`${NS}/configmaps`, { metadata: { name: "gc-dep", ownerReferences: [ref] } });
    // Options in the query: ApiClient sends a DELETE body without Content-Length (see the report).
    expect((await api.client.delete(`${NS}/configmaps/gc-owner?propagationPolicy=Background`)).status).toBe(
      200,
    );
    await eventually(async () => expect((await api.client.get(`${NS}/configmaps/gc-dep`)).status).toBe(404));

    const kept = await api.client.post(`${NS}/configmaps`, { metadata: { name: "gc-owner2" } });
    const ref2 = { ...ref, name: "gc-owner2", uid: kept.json.metadata.uid };
    await api.client.post(`${NS}/configmaps`, { metadata: { name: "gc-orphan", ownerReferences: [ref2] } });
    const orphaning = await api.client.delete(`${NS}/configmaps/gc-owner2?propagationPolicy=Orphan`);
    expect(orphaning.json.metadata.finalizers).toEqual(["orphan"]);
    await eventually(async () =>
      expect((await api.client.get(`${NS}/configmaps/gc-owner2`)).status).toBe(404),
    );
    expect(
      (await api.client.get(`${NS}/configmaps/gc-orphan`)).json.metadata.ownerReferences,
    ).toBeUndefined();
  });

  it("evicts (201), refuses a second binding (409) and wants a container name (400)", async () => {
    await api.client.post(`${NS}/pods`, podBody("e1"));
    const watch = await api.client.watch(`${NS}/pods?watch=true&fieldSelector=metadata.name%3De1`);
    expect((await watch.next()).type).toBe("ADDED");
    const evicted = await api.client.post(`${NS}/pods/e1/eviction`, {
      apiVersion: "policy/v1",
      kind: "Eviction",
      metadata: { name: "e1", namespace: "default" },
    });
    expect(evicted.status).toBe(201);
    expect(evicted.json).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Success",
      code: 201,
    });
    expect((await watch.next()).type).toBe("DELETED");
    watch.close();

    await api.client.post(`${NS}/pods`, podBody("b1", ["c1", "c2"]));
    const binding = {
      apiVersion: "v1",
      kind: "Binding",
      metadata: { name: "b1" },
      target: { kind: "Node", name: "n1" },
    };
    expect((await api.client.post(`${NS}/pods/b1/binding`, binding)).status).toBe(201);
    expect((await api.client.post(`${NS}/pods/b1/binding`, binding)).status).toBe(409);
    const log = await api.client.get(`${NS}/pods/b1/log`);
    expect(log.status).toBe(400);
    expect(log.json.message).toBe("a container name must be specified for pod b1, choose one of: [c1 c2]");
  });

  it("serves a container log", async () => {
    const created = await api.client.post(`${NS}/pods`, podBody("l1"));
    const path = new FileLogSource(logDir).path(created.json, "c1");
    await mkdir(dirname(path), { recursive: true });
    await appendFile(path, formatLogLine(new Date(), "hello"));
    const log = await api.client.get(`${NS}/pods/l1/log`);
    expect(log.status).toBe(200);
    expect(log.text).toBe("hello\n");
  });
});
