import { describe, expect, it } from "vitest";
import type { KubeObject } from "../api/object.ts";
import { CacheStore, DeletedFinalStateUnknown, keyOf, objectOf } from "./cache-store.ts";

const pod = (name: string, node: string, namespace = "ns"): KubeObject => ({
  metadata: { name, namespace },
  spec: { nodeName: node },
});
const nodeOf = (obj: KubeObject): string[] => [String((obj.spec as { nodeName: string }).nodeName)];

describe("CacheStore", () => {
  it("keys namespaced objects as namespace/name and cluster-scoped ones as name", () => {
    expect(keyOf(pod("a", "n1"))).toBe("ns/a");
    expect(keyOf({ metadata: { name: "node-1" } })).toBe("node-1");
  });

  it("keeps indexes current across set, replace and delete", () => {
    const store = new CacheStore<KubeObject>();
    store.set("ns/a", pod("a", "n1"));
    store.addIndexer("node", nodeOf);
    store.set("ns/b", pod("b", "n1"));
    expect(store.byIndex("node", "n1").map((obj) => obj.metadata.name)).toEqual(["a", "b"]);
    store.set("ns/a", pod("a", "n2"));
    expect(store.byIndex("node", "n1").map((obj) => obj.metadata.name)).toEqual(["b"]);
    expect(store.byIndex("node", "n2").map((obj) => obj.metadata.name)).toEqual(["a"]);
    store.delete("ns/b");
    expect(store.byIndex("node", "n1")).toEqual([]);
    expect(() => store.byIndex("nope", "x")).toThrow(/no index/);
  });

  it("freezes what it stores", () => {
    const store = new CacheStore<KubeObject>();
    store.set("ns/a", pod("a", "n1"));
    const cached = store.get("ns/a");
    expect(() => {
      if (cached?.metadata) cached.metadata.name = "changed";
    }).toThrow(TypeError);
  });

  it("unwraps tombstones in objectOf and passes objects through", () => {
    const obj = pod("a", "n1");
    expect(objectOf(new DeletedFinalStateUnknown("ns/a", obj))).toBe(obj);
    expect(objectOf(obj)).toBe(obj);
  });
});
