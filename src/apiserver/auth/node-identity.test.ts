import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../../testing/api-client.ts";
import { startTestApiServer, type TestApiServer } from "../../testing/api-server.ts";

const MOB = resolve(import.meta.dirname, "../../../bin/mob");
const MERGE = "application/merge-patch+json";

function pod(name: string, nodeName: string): Record<string, unknown> {
  return {
    metadata: { name },
    spec: { nodeName, containers: [{ name: "c", image: "registry.example/c:1" }] },
  };
}

describe("node identities", () => {
  let api: TestApiServer;
  let node: ApiClient;

  beforeAll(async () => {
    api = await startTestApiServer();
    const { stdout } = await promisify(execFile)(MOB, [
      "token",
      "--kubeconfig",
      api.server.kubeconfigPath,
      "--node",
      "worker-0",
    ]);
    const token = stdout.trim().split("\n").at(-1) ?? "";
    node = new ApiClient(api.server.url, api.server.caCertPem, token);
    for (const name of ["worker-0", "worker-1"]) {
      expect((await api.client.post("/api/v1/nodes", { metadata: { name } })).status).toBe(201);
    }
    for (const [name, nodeName] of [
      ["p0", "worker-0"],
      ["p1", "worker-1"],
    ] as const) {
      expect((await api.client.post("/api/v1/namespaces/default/pods", pod(name, nodeName))).status).toBe(
        201,
      );
    }
  });
  afterAll(async () => {
    await api.close();
  });

  it("may read nodes and patch its own Node and its status", async () => {
    expect((await node.get("/api/v1/nodes")).status).toBe(200);
    const own = await node.patch("/api/v1/nodes/worker-0", { metadata: { labels: { a: "b" } } }, MERGE);
    expect(own.status).toBe(200);
    const status = await node.patch(
      "/api/v1/nodes/worker-0/status",
      { status: { conditions: [{ type: "Ready", status: "True" }] } },
      MERGE,
    );
    expect(status.status).toBe(200);
  });

  it("gets 403 when it patches another node", async () => {
    const other = await node.patch("/api/v1/nodes/worker-1", { metadata: { labels: { a: "b" } } }, MERGE);
    expect(other.status).toBe(403);
    expect(other.json).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: 'nodes "worker-1" is forbidden: node "worker-0" is not allowed to modify node "worker-1"',
      reason: "Forbidden",
      details: { name: "worker-1", kind: "nodes" },
      code: 403,
    });
    const status = await node.patch("/api/v1/nodes/worker-1/status", { status: { phase: "x" } }, MERGE);
    expect(status.status).toBe(403);
  });

  it("updates the status of pods bound to it only", async () => {
    const body = { status: { phase: "Running" } };
    expect((await node.patch("/api/v1/namespaces/default/pods/p0/status", body, MERGE)).status).toBe(200);
    const other = await node.patch("/api/v1/namespaces/default/pods/p1/status", body, MERGE);
    expect(other.status).toBe(403);
    expect(other.json.message).toBe(
      'pods "p1" is forbidden: node "worker-0" can only update pod status for pods with spec.nodeName set to itself',
    );
    const spec = await node.patch(
      "/api/v1/namespaces/default/pods/p0",
      { metadata: { labels: { a: "b" } } },
      MERGE,
    );
    expect(spec.status).toBe(403);
    expect(spec.json.message).toBe(
      'pods "p0" is forbidden: User "system:node:worker-0" cannot patch resource "pods" in API group "" in the namespace "default"',
    );
  });

  it("may not read secrets or request tokens", async () => {
    const secrets = await node.get("/api/v1/namespaces/default/secrets");
    expect(secrets.status).toBe(403);
    expect(secrets.json.message).toBe(
      'secrets is forbidden: User "system:node:worker-0" cannot list resource "secrets" in API group "" in the namespace "default"',
    );
    const token = await node.post("/api/v1/nodes/worker-1/token", { spec: {} });
    expect(token.status).toBe(403);
    expect(token.json.message).toBe(
      'nodes "worker-1" is forbidden: User "system:node:worker-0" cannot create resource "nodes/token" in API group "" at the cluster scope',
    );
  });
});
