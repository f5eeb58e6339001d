import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { KubeObject, OwnerReference } from "../../api/object.ts";
import { eventually } from "../../testing/eventually.ts";
import { CONFIGMAP_RESOURCE } from "../registry/builtin/configmap.ts";
import { GarbageCollector } from "./garbage-collector.ts";
import { newTestStack, type TestStack } from "./test-stack.ts";

let stack: TestStack;
let abort: AbortController;

beforeEach(() => {
  stack = newTestStack();
  abort = new AbortController();
  new GarbageCollector({ store: stack.store, catalog: stack.catalog, danglingGraceMs: 200 }).start(
    abort.signal,
  );
});

afterEach(() => {
  abort.abort();
  stack.close();
});

function ref(owner: KubeObject, extra: Partial<OwnerReference> = {}): OwnerReference {
  return {
    apiVersion: owner.apiVersion ?? "v1",
    kind: owner.kind ?? "ConfigMap",
    name: owner.metadata.name ?? "",
    uid: owner.metadata.uid ?? "",
    ...extra,
  };
}

function configMap(name: string, owners: OwnerReference[] = [], finalizers?: string[]): KubeObject {
  return {
    metadata: { name, namespace: "ns1", ownerReferences: owners, ...(finalizers ? { finalizers } : {}) },
    data: { k: "v" },
  };
}

const cm = (name: string) => stack.find("configmaps", name, "ns1");
const cmScope = () => stack.scope("configmaps", "ns1");

describe("GarbageCollector", () => {
  it("deletes dependents of a deleted owner (Background)", async () => {
    const owner = stack.create("configmaps", configMap("owner"));
    stack.create("configmaps", configMap("dep", [ref(owner)]));
    stack.create(
      "configmaps",
      configMap("grandchild", [ref(stack.find("configmaps", "dep", "ns1") as KubeObject)]),
    );
    stack.store.delete(cmScope(), "owner");
    await eventually(() => expect(cm("dep")).toBeUndefined());
    await eventually(() => expect(cm("grandchild")).toBeUndefined());
  });

  it("keeps a dependent with another live owner and drops only the dead reference", async () => {
    const a = stack.create("configmaps", configMap("a"));
    const b = stack.create("configmaps", configMap("b"));
    stack.create("configmaps", configMap("dep", [ref(a), ref(b)]));
    stack.store.delete(cmScope(), "a");
    await eventually(() => expect(cm("dep")?.metadata.ownerReferences?.map((r) => r.name)).toEqual(["b"]));
    stack.store.delete(cmScope(), "b");
    await eventually(() => expect(cm("dep")).toBeUndefined());
  });

  it("orphans dependents, then removes the owner (Orphan)", async () => {
    const owner = stack.create("configmaps", configMap("owner"));
    stack.create("configmaps", configMap("dep", [ref(owner)]));
    const result = stack.store.delete(cmScope(), "owner", { propagationPolicy: "Orphan" });
    expect(result.deleted).toBe(false);
    await eventually(() => expect(cm("owner")).toBeUndefined());
    const dep = cm("dep");
    expect(dep).toBeDefined();
    expect(dep?.metadata.ownerReferences).toBeUndefined();
  });

  it("keeps the owner until blocking dependents are gone (Foreground)", async () => {
    const owner = stack.create("configmaps", configMap("owner"));
    stack.create(
      "configmaps",
      configMap("blocker", [ref(owner, { blockOwnerDeletion: true })], ["test.mob.io/hold"]),
    );
    stack.create("configmaps", configMap("loose", [ref(owner)]));
    stack.store.delete(cmScope(), "owner", { propagationPolicy: "Foreground" });
    await eventually(() => expect(cm("blocker")?.metadata.deletionTimestamp).toBeDefined());
    await eventually(() => expect(cm("loose")).toBeUndefined());
    expect(cm("owner")?.metadata.finalizers).toEqual(["foregroundDeletion"]);
    stack.store.write(cmScope(), "blocker", undefined, (current) => {
      const next = structuredClone(current);
      delete next.metadata.finalizers;
      return next;
    });
    await eventually(() => expect(cm("owner")).toBeUndefined());
    expect(cm("blocker")).toBeUndefined();
  });

  it("removes the foreground finalizer at once when nothing blocks", async () => {
    stack.create("configmaps", configMap("owner"));
    stack.store.delete(cmScope(), "owner", { propagationPolicy: "Foreground" });
    await eventually(() => expect(cm("owner")).toBeUndefined());
  });

  it("deletes an object whose owner never existed, after a grace period", async () => {
    const ghost: OwnerReference = { apiVersion: "v1", kind: "ConfigMap", name: "ghost", uid: randomUUID() };
    stack.create("configmaps", configMap("dangling", [ghost]));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(cm("dangling")).toBeDefined();
    await eventually(() => expect(cm("dangling")).toBeUndefined());
  });

  it("lets cluster-scoped owners own namespaced objects, but not the other way round", async () => {
    const node = stack.create("nodes", { metadata: { name: "n1" } });
    const owner = stack.create("configmaps", configMap("owner"));
    stack.create("configmaps", configMap("by-node", [ref(node)]));
    stack.create("nodes", { metadata: { name: "n2", ownerReferences: [ref(owner)] } });
    const other = stack.store.create(stack.scope("configmaps", "ns2"), {
      metadata: { name: "x", ownerReferences: [ref(owner)] },
    });
    await eventually(() => expect(stack.find("nodes", "n2")).toBeUndefined());
    await eventually(() => expect(stack.find("configmaps", "x", "ns2")).toBeUndefined());
    expect(other.metadata.uid).toBeDefined();
    expect(cm("by-node")).toBeDefined();
    stack.store.delete(stack.scope("nodes"), "n1");
    await eventually(() => expect(cm("by-node")).toBeUndefined());
  });

  it("collects objects that existed before it started", async () => {
    abort.abort();
    const owner = stack.create("configmaps", configMap("owner"));
    stack.create("configmaps", configMap("dep", [ref(owner)]));
    stack.store.delete(cmScope(), "owner");
    expect(cm("dep")).toBeDefined();
    abort = new AbortController();
    new GarbageCollector({ store: stack.store, catalog: stack.catalog, danglingGraceMs: 50 }).start(
      abort.signal,
    );
    await eventually(() => expect(cm("dep")).toBeUndefined());
  });

  it("waits for a dependent's own blocking dependents in nested foreground deletion", async () => {
    const owner = stack.create("configmaps", configMap("owner"));
    const middle = stack.create(
      "configmaps",
      configMap("middle", [ref(owner, { blockOwnerDeletion: true })]),
    );
    stack.create(
      "configmaps",
      configMap("leaf", [ref(middle, { blockOwnerDeletion: true })], ["test.mob.io/hold"]),
    );
    stack.store.delete(cmScope(), "owner", { propagationPolicy: "Foreground" });
    await eventually(() => expect(cm("leaf")?.metadata.deletionTimestamp).toBeDefined());
    expect(cm("middle")?.metadata.finalizers).toEqual(["foregroundDeletion"]);
    expect(cm("owner")).toBeDefined();
    stack.store.write(cmScope(), "leaf", undefined, (current) => {
      const next = structuredClone(current);
      delete next.metadata.finalizers;
      return next;
    });
    await eventually(() => expect(cm("owner")).toBeUndefined());
    expect(cm("middle")).toBeUndefined();
  });

  it("watches resources added to the catalog after it started", async () => {
    stack.catalog.add({ ...CONFIGMAP_RESOURCE, group: "example.com", kind: "Widget", plural: "widgets" });
    const owner = stack.create("configmaps", configMap("owner"));
    stack.create("widgets.example.com", {
      metadata: { name: "w", namespace: "ns1", ownerReferences: [ref(owner)] },
    });
    stack.store.delete(cmScope(), "owner");
    await eventually(() => expect(stack.find("widgets.example.com", "w", "ns1")).toBeUndefined());
  });
});
