import { afterEach, describe, expect, it } from "vitest";
import { newTestStack, type TestStack } from "../apiserver/controllers/test-stack.ts";
import { at } from "../apiserver/registry/builtin/object-fields.ts";
import { eventually } from "../testing/eventually.ts";
import { Scheduler } from "./scheduler.ts";

let stack: TestStack | undefined;
const controller = new AbortController();
afterEach(() => {
  controller.abort();
  stack?.close();
});

const pod = (name: string, spec: Record<string, unknown> = {}) => ({
  metadata: { name, namespace: "default" },
  spec: { containers: [{ name: "c", image: "x:1" }], ...spec },
});

describe("scheduler", () => {
  it("binds unbound pods to its node and leaves others alone", async () => {
    const s = newTestStack();
    stack = s;
    s.create("nodes", { metadata: { name: "mob-host", labels: { "kubernetes.io/os": "linux" } } });
    s.create("pods", pod("before"));
    new Scheduler({ store: s.store, retryMs: 50 }).start(controller.signal);
    s.create("pods", pod("after"));
    s.create("pods", pod("custom", { schedulerName: "other" }));
    s.create("pods", pod("picky", { nodeSelector: { disk: "ssd" } }));
    await eventually(() => {
      for (const name of ["before", "after"]) {
        const bound = s.find("pods", name, "default");
        expect(at(bound, "spec", "nodeName")).toBe("mob-host");
        expect(at(bound, "status", "conditions")).toContainEqual(
          expect.objectContaining({ type: "PodScheduled", status: "True" }),
        );
      }
      const picky = s.find("pods", "picky", "default");
      expect(at(picky, "status", "conditions")).toContainEqual(
        expect.objectContaining({ type: "PodScheduled", status: "False", reason: "Unschedulable" }),
      );
    });
    expect(at(s.find("pods", "custom", "default"), "spec", "nodeName")).toBeUndefined();
    expect(at(s.find("pods", "picky", "default"), "spec", "nodeName")).toBeUndefined();
  });
});
