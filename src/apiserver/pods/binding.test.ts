import { afterEach, beforeEach, describe, expect, it } from "vitest";
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

async function bind(name: string, node: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${server.url}/namespaces/ns1/pods/${name}/binding`, {
    method: "POST",
    body: JSON.stringify({
      kind: "Binding",
      apiVersion: "v1",
      metadata: { name },
      target: { kind: "Node", name: node },
    }),
  });
  return { status: response.status, body: await response.json() };
}

describe("pods/binding", () => {
  it("sets spec.nodeName once, then answers 409", async () => {
    stack.create("pods", pod({ name: "p1", phase: "Pending" }));
    const first = await bind("p1", "n1");
    expect(first).toEqual({
      status: 201,
      body: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 },
    });
    const stored = stack.find("pods", "p1", "ns1");
    expect(stored?.spec).toMatchObject({ nodeName: "n1" });
    expect(stored?.status).toMatchObject({ conditions: [{ type: "PodScheduled", status: "True" }] });
    const second = await bind("p1", "n2");
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({
      reason: "Conflict",
      message: 'Operation cannot be fulfilled on pods/binding "p1": pod p1 is already assigned to node "n1"',
    });
  });

  it("answers 404 for a missing pod and 422 without a target", async () => {
    expect((await bind("nope", "n1")).status).toBe(404);
    stack.create("pods", pod({ name: "p1", phase: "Pending" }));
    expect((await bind("p1", "")).status).toBe(422);
  });
});
