import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/object.ts";
import { newTestStack, type TestStack } from "../controllers/test-stack.ts";
import { podSubresourceHandlers } from "./handlers.ts";
import { FileLogSource } from "./log-source.ts";
import { pod } from "./pod-fixtures.ts";
import { serveHandlers, type TestServer } from "./test-server.ts";

let stack: TestStack;
let server: TestServer;

beforeEach(async () => {
  stack = newTestStack();
  server = await serveHandlers(stack, podSubresourceHandlers(new FileLogSource("/nonexistent")));
});

afterEach(async () => {
  await server.close();
  stack.close();
});

async function evict(
  name: string,
  body: Record<string, unknown> = {},
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${server.url}/namespaces/ns1/pods/${name}/eviction`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      apiVersion: "policy/v1",
      kind: "Eviction",
      metadata: { name, namespace: "ns1" },
      ...body,
    }),
  });
  return { status: response.status, body: await response.json() };
}

function budget(name: string, spec: Record<string, unknown>): KubeObject {
  return stack.create("poddisruptionbudgets.policy", {
    metadata: { name, namespace: "ns1" },
    spec: { selector: { matchLabels: { app: "web" } }, ...spec },
  });
}

describe("pods/eviction", () => {
  it("deletes the pod and answers 201 Success", async () => {
    stack.create("pods", pod({ name: "p1" }));
    const result = await evict("p1");
    expect(result).toEqual({
      status: 201,
      body: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 },
    });
    expect(stack.find("pods", "p1", "ns1")).toBeUndefined();
  });

  it("rejects an Eviction naming another pod", async () => {
    stack.create("pods", pod({ name: "p1" }));
    const response = await fetch(`${server.url}/namespaces/ns1/pods/p1/eviction`, {
      method: "POST",
      body: JSON.stringify({ apiVersion: "policy/v1", kind: "Eviction", metadata: { name: "p2" } }),
    });
    expect(response.status).toBe(400);
    expect(stack.find("pods", "p1", "ns1")).toBeDefined();
  });

  it("answers 404 for a missing pod", async () => {
    const result = await evict("nope");
    expect(result.status).toBe(404);
    expect(result.body).toMatchObject({ reason: "NotFound", message: 'pods "nope" not found' });
  });

  it("refuses with 429 when the budget allows no disruption", async () => {
    for (const name of ["a", "b"]) stack.create("pods", pod({ name, labels: { app: "web" }, ready: true }));
    budget("web-pdb", { minAvailable: 2 });
    const result = await evict("a");
    expect(result.status).toBe(429);
    expect(result.body).toMatchObject({
      reason: "TooManyRequests",
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      details: {
        causes: [
          {
            reason: "DisruptionBudget",
            message: "The disruption budget web-pdb needs 2 healthy pods and has 2 currently",
          },
        ],
      },
    });
    expect(stack.find("pods", "a", "ns1")).toBeDefined();
    expect(stack.find("poddisruptionbudgets.policy", "web-pdb", "ns1")?.status).toMatchObject({
      disruptionsAllowed: 0,
      currentHealthy: 2,
      desiredHealthy: 2,
      expectedPods: 2,
      observedGeneration: 1,
    });
  });

  it("evicts within the budget and records the spent disruption", async () => {
    for (const name of ["a", "b", "c"])
      stack.create("pods", pod({ name, labels: { app: "web" }, ready: true }));
    stack.create("pods", pod({ name: "other", labels: { app: "db" } }));
    budget("web-pdb", { maxUnavailable: "34%" });
    expect((await evict("a")).status).toBe(201);
    expect(stack.find("pods", "a", "ns1")).toBeUndefined();
    expect(stack.find("poddisruptionbudgets.policy", "web-pdb", "ns1")?.status).toMatchObject({
      disruptionsAllowed: 1,
      currentHealthy: 3,
      desiredHealthy: 1,
    });
  });

  it("ignores budgets for pods that are not running", async () => {
    stack.create("pods", pod({ name: "a", labels: { app: "web" }, phase: "Succeeded" }));
    budget("web-pdb", { minAvailable: "100%" });
    expect((await evict("a")).status).toBe(201);
  });

  it("succeeds at once for a pod already being deleted", async () => {
    stack.create("pods", {
      ...pod({ name: "a" }),
      metadata: { name: "a", namespace: "ns1", finalizers: ["x.io/hold"] },
    });
    stack.store.delete(stack.scope("pods", "ns1"), "a");
    expect((await evict("a")).status).toBe(201);
    expect(stack.find("pods", "a", "ns1")?.metadata.deletionTimestamp).toBeDefined();
  });
});
