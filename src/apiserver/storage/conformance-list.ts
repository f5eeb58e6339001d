// List conformance: ordering, namespaces, paging with continue tokens, filters.

import { describe, expect, it } from "vitest";
import {
  type ConformanceOptions,
  expectStorageError,
  key,
  type NewStorage,
  object,
  useHarness,
} from "./conformance-fixtures.ts";
import type { ListOptions, ListResult, Storage } from "./storage.ts";

const names = (result: ListResult) =>
  result.items.map((o) => `${o.metadata.namespace ?? ""}/${o.metadata.name ?? ""}`);

function seed(storage: Storage, keys: readonly string[]): void {
  for (const entry of keys) {
    const [namespace = "", name = ""] = entry.split("/");
    storage.create(key("configmaps", namespace, name), object(namespace, name, { data: { n: name } }));
  }
}

/** Every page of a list, following continue tokens. */
function pages(storage: Storage, options: ListOptions): ListResult[] {
  const results = [storage.list("configmaps", options)];
  for (let token = results[0]?.continue; token !== undefined; token = results.at(-1)?.continue) {
    results.push(storage.list("configmaps", { ...options, continue: token }));
  }
  return results;
}

export function describeListConformance(newStorage: NewStorage, options: ConformanceOptions): void {
  describe("list", () => {
    const harness = useHarness(newStorage, options);
    const keys = ["b/x", "a/z", "/n2", "a/y", "b/a", "/n1", "c/m"];

    it("sorts by namespace, then name, at the current resourceVersion", () => {
      const storage = harness.open();
      seed(storage, keys);
      storage.create(key("secrets", "a", "s"), object("a", "s"));
      const result = storage.list("configmaps");
      expect(names(result)).toEqual(["/n1", "/n2", "a/y", "a/z", "b/a", "b/x", "c/m"]);
      expect(result.resourceVersion).toBe(storage.currentResourceVersion());
      expect(result.continue).toBeUndefined();
      expect(result.items[0]?.metadata.resourceVersion).toMatch(/^\d+$/);
    });

    it("restricts to one namespace, with '' for cluster-scoped objects", () => {
      const storage = harness.open();
      seed(storage, keys);
      expect(names(storage.list("configmaps", { namespace: "a" }))).toEqual(["a/y", "a/z"]);
      expect(names(storage.list("configmaps", { namespace: "" }))).toEqual(["/n1", "/n2"]);
      expect(storage.list("configmaps", { namespace: "none" }).items).toEqual([]);
      expect(storage.list("nothing").items).toEqual([]);
    });

    it("pages with limit and continue, reporting the first page's resourceVersion and what remains", () => {
      const storage = harness.open();
      seed(storage, keys);
      const first = storage.list("configmaps", { limit: 3 });
      expect(names(first)).toEqual(["/n1", "/n2", "a/y"]);
      expect(first.remainingItemCount).toBe(4);
      storage.create(key("configmaps", "zz", "late"), object("zz", "late"));
      const all = pages(storage, { limit: 3, continue: first.continue ?? "missing" });
      expect(all.flatMap(names)).toEqual(["a/z", "b/a", "b/x", "c/m"]);
      expect(all.map((page) => page.resourceVersion)).toEqual([first.resourceVersion, first.resourceVersion]);
      expect(all.map((page) => page.remainingItemCount)).toEqual([1, undefined]);
      expect(all.at(-1)?.continue).toBeUndefined();
    });

    it("ends without a token when the limit is met exactly", () => {
      const storage = harness.open();
      seed(storage, ["a/1", "a/2"]);
      const result = storage.list("configmaps", { limit: 2 });
      expect(result.items).toHaveLength(2);
      expect(result.continue).toBeUndefined();
      expect(storage.list("configmaps", { limit: 0 }).items).toHaveLength(2);
    });

    it("pages within a namespace", () => {
      const storage = harness.open();
      seed(storage, [...keys, "a/w", "a/v"]);
      const all = pages(storage, { namespace: "a", limit: 2 });
      expect(all.map(names)).toEqual([
        ["a/v", "a/w"],
        ["a/y", "a/z"],
      ]);
    });

    it("applies the filter before the limit", () => {
      const storage = harness.open();
      seed(storage, ["a/1", "a/2", "a/3", "a/4", "a/5", "a/6", "b/7"]);
      const even = (o: { metadata: { name?: string } }) => Number(o.metadata.name) % 2 === 0;
      const all = pages(storage, { limit: 2, filter: even });
      expect(all.map(names)).toEqual([["a/2", "a/4"], ["a/6"]]);
      expect(names(storage.list("configmaps", { filter: even }))).toEqual(["a/2", "a/4", "a/6"]);
    });

    it("rejects a continue token it did not issue with InvalidContinue", () => {
      const storage = harness.open();
      seed(storage, keys);
      const base64 = (text: string) => Buffer.from(text).toString("base64url");
      for (const token of ["garbage!", base64("not json"), base64('{"rv":"x"}'), base64("[1,2]")]) {
        expectStorageError(() => storage.list("configmaps", { continue: token }), "InvalidContinue");
      }
    });
  });
}
