import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eventually } from "../../testing/eventually.ts";
import { ApiError } from "../errors.ts";
import { GarbageCollector } from "./garbage-collector.ts";
import { namespaceLifecycleAdmission } from "./namespace-admission.ts";
import { DEFAULT_NAMESPACES, NamespaceLifecycle } from "./namespace-lifecycle.ts";
import { newTestStack, type TestStack } from "./test-stack.ts";

let stack: TestStack;
let abort: AbortController;

beforeEach(() => {
  stack = newTestStack({ admission: (store) => [namespaceLifecycleAdmission(store)] });
  abort = new AbortController();
  const options = { store: stack.store, catalog: stack.catalog };
  new NamespaceLifecycle({ ...options, recheckMs: 20 }).start(abort.signal);
  new GarbageCollector(options).start(abort.signal);
});

afterEach(() => {
  abort.abort();
  stack.close();
});

function createError(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("expected an ApiError");
}

const removeFinalizers = (name: string, namespace: string) =>
  stack.store.write(stack.scope("configmaps", namespace), name, undefined, (current) => {
    const next = structuredClone(current);
    delete next.metadata.finalizers;
    return next;
  });

describe("NamespaceLifecycle", () => {
  it("creates the default namespaces", () => {
    for (const name of DEFAULT_NAMESPACES)
      expect(stack.find("namespaces", name)?.status).toEqual({ phase: "Active" });
  });

  it("empties a deleted namespace, waits for finalizers, then removes it", async () => {
    stack.create("namespaces", { metadata: { name: "team" } });
    stack.create("configmaps", { metadata: { name: "a", namespace: "team" } });
    stack.create("configmaps", {
      metadata: { name: "held", namespace: "team", finalizers: ["test.mob.io/hold"] },
    });
    stack.create("pods", {
      metadata: { name: "p", namespace: "team" },
      spec: { containers: [{ name: "c", image: "i" }] },
    });
    stack.create("configmaps", { metadata: { name: "other", namespace: "default" } });
    const { object } = stack.store.delete(stack.scope("namespaces"), "team");
    expect(object.status).toEqual({ phase: "Terminating" });
    await eventually(() => expect(stack.find("configmaps", "a", "team")).toBeUndefined());
    await eventually(() => expect(stack.find("pods", "p", "team")).toBeUndefined());
    expect(stack.find("configmaps", "held", "team")?.metadata.deletionTimestamp).toBeDefined();
    expect(stack.find("namespaces", "team")).toBeDefined();
    removeFinalizers("held", "team");
    await eventually(() => expect(stack.find("namespaces", "team")).toBeUndefined());
    expect(stack.find("configmaps", "other", "default")).toBeDefined();
  });

  it("rejects new content in a terminating namespace with 403", () => {
    stack.create("namespaces", { metadata: { name: "team" } });
    stack.create("configmaps", {
      metadata: { name: "held", namespace: "team", finalizers: ["test.mob.io/hold"] },
    });
    stack.store.delete(stack.scope("namespaces"), "team");
    const error = createError(() =>
      stack.create("configmaps", { metadata: { name: "late", namespace: "team" } }),
    );
    expect(error.toStatus()).toMatchObject({
      code: 403,
      reason: "Forbidden",
      message:
        'configmaps "late" is forbidden: unable to create new content in namespace team because it is being terminated',
      details: { name: "late", kind: "configmaps", causes: [{ reason: "NamespaceTerminating" }] },
    });
  });

  it("rejects content in a missing namespace with 404", () => {
    const error = createError(() =>
      stack.create("configmaps", { metadata: { name: "x", namespace: "nope" } }),
    );
    expect(error.code).toBe(404);
    expect(error.message).toBe('namespaces "nope" not found');
  });

  it("admits namespaces themselves and cluster-scoped objects", () => {
    expect(stack.create("namespaces", { metadata: { name: "fresh" } }).metadata.name).toBe("fresh");
    expect(stack.create("nodes", { metadata: { name: "n1" } }).metadata.name).toBe("n1");
  });

  it("refuses to delete the immortal namespaces", () => {
    const error = createError(() => stack.store.delete(stack.scope("namespaces"), "kube-system"));
    expect(error.code).toBe(403);
    expect(error.message).toBe('namespaces "kube-system" is forbidden: this namespace may not be deleted');
  });
});
