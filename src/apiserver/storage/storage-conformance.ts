// The contract every Storage backend meets, as one vitest suite:
//
//   runStorageConformance("sqlite", (config) => new SqliteStorage({ path: ":memory:", ...config }));
//
// Backends honour `config.historyLimit` and `config.now`; persistent ones pass `reopen` to get the
// restart tests too.

import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/object.ts";
import {
  type ConformanceOptions,
  expectStorageError,
  key,
  type NewStorage,
  object,
  recorder,
  rvOf,
  useHarness,
} from "./conformance-fixtures.ts";
import { describeListConformance } from "./conformance-list.ts";
import { describeListSnapshotConformance } from "./conformance-list-snapshot.ts";
import { describeRestartConformance } from "./conformance-restart.ts";
import { describeWatchConformance } from "./conformance-watch.ts";

export type { ConformanceConfig, ConformanceOptions, NewStorage } from "./conformance-fixtures.ts";

export function runStorageConformance(
  name: string,
  newStorage: NewStorage,
  options: ConformanceOptions = {},
): void {
  describe(`storage conformance: ${name}`, () => {
    describeCrudConformance(newStorage, options);
    describeListConformance(newStorage, options);
    describeListSnapshotConformance(newStorage, options);
    describeWatchConformance(newStorage, options);
    if (options.reopen !== undefined) describeRestartConformance(newStorage, options);
  });
}

const cm = (ns: string, name: string) => key("configmaps", ns, name);

function describeCrudConformance(newStorage: NewStorage, options: ConformanceOptions): void {
  describe("create, get, delete", () => {
    const harness = useHarness(newStorage, options);

    it("creates an object with a decimal resourceVersion and reads it back", () => {
      const storage = harness.open();
      const created = storage.create(cm("ns", "a"), object("ns", "a", { data: { k: "v" } }));
      expect(rvOf(created)).toBeGreaterThan(0);
      expect(storage.currentResourceVersion()).toBe(created.metadata.resourceVersion);
      expect(storage.get(cm("ns", "a"))).toEqual(created);
    });

    it("rejects a taken key with AlreadyExists and changes nothing", () => {
      const storage = harness.open();
      const created = storage.create(cm("ns", "a"), object("ns", "a"));
      const error = expectStorageError(
        () => storage.create(cm("ns", "a"), object("ns", "a")),
        "AlreadyExists",
      );
      expect(error.key).toEqual(cm("ns", "a"));
      expect(storage.currentResourceVersion()).toBe(created.metadata.resourceVersion);
    });

    it("keeps the same name apart across namespaces and resources", () => {
      const storage = harness.open();
      storage.create(cm("a", "x"), object("a", "x"));
      storage.create(cm("b", "x"), object("b", "x"));
      storage.create(key("secrets", "a", "x"), object("a", "x", { kind: "Secret" }));
      storage.create(cm("", "x"), object("", "x"));
      expect(storage.get(key("secrets", "a", "x")).kind).toBe("Secret");
      expect(storage.get(cm("", "x")).metadata.namespace).toBeUndefined();
    });

    it("answers NotFound for get, update and delete of a missing key", () => {
      const storage = harness.open();
      expect(expectStorageError(() => storage.get(cm("ns", "nope")), "NotFound").key).toEqual(
        cm("ns", "nope"),
      );
      expectStorageError(() => storage.guaranteedUpdate(cm("ns", "nope"), (o) => o), "NotFound");
      expectStorageError(() => storage.delete(cm("ns", "nope")), "NotFound");
    });

    it("issues one strictly increasing resourceVersion across all resources", () => {
      const storage = harness.open();
      const rvs = [
        storage.create(cm("ns", "a"), object("ns", "a")),
        storage.create(key("pods", "ns", "a"), object("ns", "a")),
        storage.guaranteedUpdate(cm("ns", "a"), (o) => ({ ...o, data: { n: "1" } })),
        storage.create(key("nodes", "", "n1"), object("", "n1")),
        storage.delete(key("pods", "ns", "a")),
      ].map(rvOf);
      expect(rvs).toEqual([...rvs].sort((a, b) => a - b));
      expect(new Set(rvs).size).toBe(rvs.length);
      expect(rvOf(storage.currentResourceVersion())).toBe(rvs.at(-1));
    });

    it("deletes, returning the last state with the deletion's resourceVersion", () => {
      const storage = harness.open();
      const created = storage.create(cm("ns", "a"), object("ns", "a", { data: { k: "v" } }));
      const deleted = storage.delete(cm("ns", "a"));
      expect(rvOf(deleted)).toBeGreaterThan(rvOf(created));
      expect(deleted.data).toEqual({ k: "v" });
      expect(storage.currentResourceVersion()).toBe(deleted.metadata.resourceVersion);
      expectStorageError(() => storage.get(cm("ns", "a")), "NotFound");
    });

    it("aborts a delete whose precondition throws", () => {
      const storage = harness.open();
      const created = storage.create(cm("ns", "a"), object("ns", "a"));
      const refusal = new Error("uid mismatch");
      expect(() =>
        storage.delete(cm("ns", "a"), (current) => {
          expect(current).toEqual(created);
          throw refusal;
        }),
      ).toThrow(refusal);
      expect(storage.get(cm("ns", "a"))).toEqual(created);
      expect(storage.currentResourceVersion()).toBe(created.metadata.resourceVersion);
    });
  });

  describe("guaranteedUpdate", () => {
    const harness = useHarness(newStorage, options);

    it("writes the returned object with a new resourceVersion", () => {
      const storage = harness.open();
      const created = storage.create(cm("ns", "a"), object("ns", "a", { data: { n: "1" } }));
      const updated = storage.guaranteedUpdate(cm("ns", "a"), (current) => {
        expect(current).toEqual(created);
        return { ...current, data: { n: "2" } };
      });
      expect(rvOf(updated)).toBeGreaterThan(rvOf(created));
      expect(storage.get(cm("ns", "a"))).toEqual(updated);
      expect(updated.data).toEqual({ n: "2" });
    });

    it("hands the callback a copy that does not alias the stored object", () => {
      const storage = harness.open();
      const created = storage.create(cm("ns", "a"), object("ns", "a", { data: { n: "1" } }));
      expect(() =>
        storage.guaranteedUpdate(cm("ns", "a"), (current) => {
          expect(current).not.toBe(created);
          (current.data as Record<string, string>).n = "mutated";
          throw new Error("abort");
        }),
      ).toThrow("abort");
      expect(storage.get(cm("ns", "a"))).toEqual(created);
    });

    it("treats returning the very object received as a no-op: same RV, no event", () => {
      const storage = harness.open();
      const created = storage.create(cm("ns", "a"), object("ns", "a"));
      const watch = recorder();
      storage.watch("configmaps", {}, watch.onEvent);
      const result = storage.guaranteedUpdate(cm("ns", "a"), (current) => current);
      expect(result).toEqual(created);
      expect(storage.currentResourceVersion()).toBe(created.metadata.resourceVersion);
      expect(watch.events).toEqual([]);
    });

    it("propagates the callback's error unchanged and writes nothing", () => {
      const storage = harness.open();
      const created = storage.create(cm("ns", "a"), object("ns", "a"));
      const watch = recorder();
      storage.watch("configmaps", {}, watch.onEvent);
      const failure = new TypeError("invalid");
      let caught: unknown;
      try {
        storage.guaranteedUpdate(cm("ns", "a"), (): KubeObject => {
          throw failure;
        });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBe(failure);
      expect(storage.get(cm("ns", "a"))).toEqual(created);
      expect(storage.currentResourceVersion()).toBe(created.metadata.resourceVersion);
      expect(watch.events).toEqual([]);
    });
  });
}
