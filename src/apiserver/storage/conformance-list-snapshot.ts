// Snapshot conformance of paged lists: every page reads the first page's resourceVersion, as
// Kubernetes (etcd) does, whatever is written between the pages; a token older than the history
// kept is Expired and offers a token that continues at the current state.

import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/object.ts";
import {
  type ConformanceOptions,
  expectStorageError,
  key,
  manualClock,
  type NewStorage,
  object,
  rvOf,
  useHarness,
} from "./conformance-fixtures.ts";
import type { ListOptions, ListResult, Storage } from "./storage.ts";

const cm = (entry: string) => {
  const [namespace = "", name = ""] = entry.split("/");
  return key("configmaps", namespace, name);
};
const configMap = (entry: string, fields: Record<string, unknown> = {}) => {
  const { namespace, name } = cm(entry);
  return object(namespace, name, { data: { n: name }, ...fields });
};
const demo = { metadata: { labels: { app: "demo" } } };
const labelled = (entry: string) => {
  const { namespace, name } = cm(entry);
  return { ...configMap(entry), metadata: { namespace, name, labels: { app: "demo" } } };
};
const isDemo = (o: KubeObject) => o.metadata.labels?.app === "demo";
const update = (storage: Storage, entry: string, n: string) =>
  storage.guaranteedUpdate(cm(entry), (o) => ({ ...o, data: { n } }));
const recreate = (storage: Storage, entry: string, fields: Record<string, unknown> = {}) => {
  storage.delete(cm(entry));
  storage.create(cm(entry), configMap(entry, fields));
};

/** The pages after `first`, each read with `limit`. */
function restOf(storage: Storage, first: ListResult, options: ListOptions): ListResult[] {
  const results: ListResult[] = [];
  for (let token = first.continue; token !== undefined; token = results.at(-1)?.continue) {
    results.push(storage.list("configmaps", { ...options, continue: token }));
  }
  return results;
}

/** Creates, updates, deletes and delete+recreates before and after the cursor (a/2 or a/3). */
function writeAround(storage: Storage): void {
  storage.create(cm("/c0"), configMap("/c0"));
  storage.create(cm("a/0"), configMap("a/0"));
  storage.create(cm("a/45"), configMap("a/45"));
  storage.create(cm("zz/new"), configMap("zz/new"));
  update(storage, "a/1", "changed");
  update(storage, "a/5", "changed once");
  update(storage, "a/5", "changed twice");
  storage.delete(cm("a/2"));
  storage.delete(cm("a/6"));
  recreate(storage, "a/7", { data: { n: "recreated" } });
  recreate(storage, "/c1");
  storage.create(cm("a/55"), configMap("a/55"));
  storage.delete(cm("a/55"));
  update(storage, "a/8", "changed, then deleted");
  storage.delete(cm("a/8"));
  recreate(storage, "b/1");
  update(storage, "b/1", "recreated, then changed");
}

export function describeListSnapshotConformance(newStorage: NewStorage, options: ConformanceOptions): void {
  describe("list snapshot", () => {
    const harness = useHarness(newStorage, options);
    const keys = ["/c1", "a/1", "a/2", "a/3", "a/4", "a/5", "a/6", "a/7", "a/8", "b/1", "b/2"];

    it.each([
      ["every namespace", {}],
      ["one namespace", { namespace: "a" }],
    ])(
      "continued pages list exactly the objects as they were at the first page (%s)",
      (_, scope) => {
        const storage = harness.open();
        for (const entry of keys) storage.create(cm(entry), configMap(entry));
        const atFirstPage = storage.list("configmaps", scope);
        const first = storage.list("configmaps", { ...scope, limit: 3 });
        writeAround(storage);
        const rest = restOf(storage, first, { ...scope, limit: 2 });
        expect([first, ...rest].flatMap((page) => page.items)).toEqual(atFirstPage.items);
        expect(rest.map((page) => page.resourceVersion)).toEqual(rest.map(() => first.resourceVersion));
        expect(rest).toHaveLength(Math.ceil((atFirstPage.items.length - 3) / 2));
        const remaining = rest.map((_page, i) => atFirstPage.items.length - 3 - 2 * (i + 1));
        expect(rest.map((page) => page.remainingItemCount)).toEqual(
          remaining.map((count) => (count > 0 ? count : undefined)),
        );
        expect(storage.list("configmaps", scope).items).not.toEqual(atFirstPage.items);
      },
      10_000,
    );

    it("with a filter, matches each object as it was at the first page", () => {
      const storage = harness.open();
      for (const n of [1, 2, 3, 4, 5, 6, 7, 8]) {
        const entry = `a/${n}`;
        storage.create(cm(entry), n % 2 === 1 ? labelled(entry) : configMap(entry));
      }
      const atFirstPage = storage.list("configmaps", { filter: isDemo });
      const first = storage.list("configmaps", { limit: 2, filter: isDemo });
      expect(first.items.map((o) => o.metadata.name)).toEqual(["1", "3"]);
      storage.guaranteedUpdate(cm("a/5"), (o) => ({ ...o, metadata: { ...o.metadata, labels: {} } }));
      storage.guaranteedUpdate(cm("a/4"), (o) => ({
        ...o,
        ...demo,
        metadata: { ...o.metadata, ...demo.metadata },
      }));
      storage.create(cm("a/45"), labelled("a/45"));
      storage.delete(cm("a/7"));
      storage.delete(cm("a/8"));
      storage.create(cm("a/8"), labelled("a/8"));
      const rest = restOf(storage, first, { limit: 1, filter: isDemo });
      expect(rest.map((page) => page.items.map((o) => o.metadata.name))).toEqual([["5"], ["7"]]);
      expect([first, ...rest].flatMap((page) => page.items)).toEqual(atFirstPage.items);
      expect(rest.map((page) => page.resourceVersion)).toEqual([
        first.resourceVersion,
        first.resourceVersion,
      ]);
    }, 10_000);

    it("a token older than the history kept → Expired, with a token that continues at the current state", () => {
      const clock = manualClock();
      const storage = harness.open({ historyLimit: { events: 5, ageMs: 0 }, now: clock.now });
      for (const entry of ["a/1", "a/2", "a/3"]) storage.create(cm(entry), configMap(entry));
      const first = storage.list("configmaps", { limit: 1 });
      storage.create(cm("a/4"), configMap("a/4"));
      for (let i = 0; i < 20; i++) update(storage, "a/2", `v${i}`);
      expect(rvOf(storage.oldestWatchableResourceVersion())).toBeGreaterThan(rvOf(first.resourceVersion));
      const error = expectStorageError(
        () => storage.list("configmaps", { limit: 1, continue: first.continue ?? "missing" }),
        "Expired",
      );
      expect(error.message).toMatch(
        /^The provided continue parameter is too old to display a consistent list/,
      );
      const inconsistent = storage.list("configmaps", { limit: 2, continue: error.continue ?? "missing" });
      expect(inconsistent.items).toEqual([storage.get(cm("a/2")), storage.get(cm("a/3"))]);
      expect(inconsistent.resourceVersion).toBe(storage.currentResourceVersion());
      const last = storage.list("configmaps", { limit: 2, continue: inconsistent.continue ?? "missing" });
      expect(last.items).toEqual([storage.get(cm("a/4"))]);
      expect(last.resourceVersion).toBe(inconsistent.resourceVersion);
    }, 10_000);

    it("an informer-style paged list of 1,000 objects stays one snapshot while they are written", () => {
      const storage = harness.open();
      const names = Array.from({ length: 1_000 }, (_, i) => `ns/o${String(i).padStart(4, "0")}`);
      for (const entry of names) storage.create(cm(entry), configMap(entry));
      const atFirstPage = storage.list("configmaps");
      const pages = [storage.list("configmaps", { limit: 100 })];
      for (let round = 0; pages.at(-1)?.continue !== undefined; round++) {
        for (let i = round; i < names.length; i += 37) update(storage, names[i] ?? "", `round ${round}`);
        storage.delete(cm(names[37 * round + 20] ?? ""));
        storage.create(cm(`ns/new-${round}`), configMap(`ns/new-${round}`));
        pages.push(storage.list("configmaps", { limit: 100, continue: pages.at(-1)?.continue ?? "" }));
      }
      const listRv = rvOf(pages[0]?.resourceVersion ?? "");
      const items = pages.flatMap((page) => page.items);
      expect(pages).toHaveLength(10);
      expect(items.every((item) => rvOf(item) <= listRv)).toBe(true);
      expect(items).toEqual(atFirstPage.items);
      expect(rvOf(storage.currentResourceVersion())).toBeGreaterThan(listRv + 9 * 27);
    }, 20_000);
  });
}
