// Watch conformance: history then live events in RV order, filters, DELETED payloads, Expired and
// invalid RVs, and watchers that throw or write.

import { describe, expect, it } from "vitest";
import {
  type ConformanceOptions,
  expectStorageError,
  key,
  manualClock,
  type NewStorage,
  object,
  recorder,
  rvOf,
  useHarness,
} from "./conformance-fixtures.ts";
import type { Storage } from "./storage.ts";

const cm = (ns: string, name: string) => key("configmaps", ns, name);

/** Four changes to configmaps (and one to secrets); returns the RV before them. */
function changes(storage: Storage): string {
  const before = storage.currentResourceVersion();
  storage.create(cm("a", "one"), object("a", "one"));
  storage.create(cm("b", "two"), object("b", "two"));
  storage.create(key("secrets", "a", "s"), object("a", "s"));
  storage.guaranteedUpdate(cm("a", "one"), (o) => ({ ...o, data: { v: "2" } }));
  storage.delete(cm("b", "two"));
  return before;
}

export function describeWatchConformance(newStorage: NewStorage, options: ConformanceOptions): void {
  describe("watch", () => {
    const harness = useHarness(newStorage, options);

    it("delivers history before returning, then live events as they commit, in RV order", () => {
      const storage = harness.open();
      const before = changes(storage);
      const watch = recorder();
      storage.watch("configmaps", { sinceResourceVersion: before }, watch.onEvent);
      expect(watch.events.map((e) => e.type)).toEqual(["ADDED", "ADDED", "MODIFIED", "DELETED"]);
      storage.create(cm("c", "three"), object("c", "three"));
      expect(watch.lines().at(-1)).toBe(`ADDED c/three ${storage.currentResourceVersion()}`);
      const rvs = watch.events.map((e) => rvOf(e.object));
      expect(rvs).toEqual([...rvs].sort((x, y) => x - y));
      expect(rvs.every((rv) => rv > rvOf(before))).toBe(true);
    });

    it("starts with live events only when the RV is current or not given", () => {
      const storage = harness.open();
      changes(storage);
      const fromCurrent = recorder();
      const live = recorder();
      storage.watch(
        "configmaps",
        { sinceResourceVersion: storage.currentResourceVersion() },
        fromCurrent.onEvent,
      );
      storage.watch("configmaps", {}, live.onEvent);
      expect(fromCurrent.events).toEqual([]);
      expect(live.events).toEqual([]);
      const created = storage.create(cm("a", "new"), object("a", "new"));
      expect(fromCurrent.lines()).toEqual([`ADDED a/new ${created.metadata.resourceVersion}`]);
      expect(live.lines()).toEqual(fromCurrent.lines());
    });

    it("treats '0' as the whole history while nothing has been pruned", () => {
      const storage = harness.open();
      changes(storage);
      const watch = recorder();
      storage.watch("configmaps", { sinceResourceVersion: "0" }, watch.onEvent);
      expect(watch.events).toHaveLength(4);
    });

    it("filters by namespace, in history and live", () => {
      const storage = harness.open();
      const before = changes(storage);
      const watch = recorder();
      storage.watch("configmaps", { namespace: "a", sinceResourceVersion: before }, watch.onEvent);
      storage.create(cm("b", "other"), object("b", "other"));
      storage.create(cm("a", "mine"), object("a", "mine"));
      expect(watch.lines().map((line) => line.split(" ").slice(0, 2).join(" "))).toEqual([
        "ADDED a/one",
        "MODIFIED a/one",
        "ADDED a/mine",
      ]);
    });

    it("carries the previous object on MODIFIED and DELETED, and the deletion RV on DELETED", () => {
      const storage = harness.open();
      const created = storage.create(cm("a", "x"), object("a", "x", { data: { v: "1" } }));
      const watch = recorder();
      storage.watch("configmaps", {}, watch.onEvent);
      const updated = storage.guaranteedUpdate(cm("a", "x"), (o) => ({ ...o, data: { v: "2" } }));
      const deleted = storage.delete(cm("a", "x"));
      const [modifiedEvent, deletedEvent] = watch.events;
      expect(modifiedEvent).toEqual({ type: "MODIFIED", object: updated, previous: created });
      expect(deletedEvent).toEqual({ type: "DELETED", object: deleted, previous: updated });
      expect(deletedEvent?.object.data).toEqual({ v: "2" });
    });

    it("rejects RVs that are not decimal integers with InvalidResourceVersion", () => {
      const storage = harness.open();
      for (const rv of ["abc", "-1", "1.5", " 1", "0x10"]) {
        expectStorageError(
          () => storage.watch("configmaps", { sinceResourceVersion: rv }, () => {}),
          "InvalidResourceVersion",
        );
      }
    });

    it("stops delivering after stop(), even from inside a callback", () => {
      const storage = harness.open();
      const seen: string[] = [];
      const handle = storage.watch("configmaps", {}, (event) => {
        seen.push(event.object.metadata.name ?? "");
        handle.stop();
      });
      storage.create(cm("a", "1"), object("a", "1"));
      storage.create(cm("a", "2"), object("a", "2"));
      expect(seen).toEqual(["1"]);
    });

    it("isolates watchers that throw from the write and from other watchers", () => {
      const storage = harness.open();
      storage.watch("configmaps", {}, () => {
        throw new Error("broken watcher");
      });
      const healthy = recorder();
      storage.watch("configmaps", {}, healthy.onEvent);
      const created = storage.create(cm("a", "x"), object("a", "x"));
      expect(storage.get(cm("a", "x"))).toEqual(created);
      expect(healthy.events).toHaveLength(1);
    });

    it("keeps RV order for everyone when a watcher writes from its callback", () => {
      const storage = harness.open();
      storage.watch("configmaps", {}, (event) => {
        const name = event.object.metadata.name ?? "";
        if (event.type === "ADDED" && !name.endsWith("-echo")) {
          storage.create(cm("a", `${name}-echo`), object("a", `${name}-echo`));
        }
      });
      const late = recorder();
      storage.watch("configmaps", {}, late.onEvent);
      storage.create(cm("a", "x"), object("a", "x"));
      storage.create(cm("a", "y"), object("a", "y"));
      const rvs = late.events.map((e) => rvOf(e.object));
      expect(late.events.map((e) => e.object.metadata.name)).toEqual(["x", "x-echo", "y", "y-echo"]);
      expect(rvs).toEqual([...rvs].sort((x, y) => x - y));
    });
  });

  describe("watch history limits", () => {
    const harness = useHarness(newStorage, options);

    it("answers Expired, Kubernetes-style, for an RV older than the history kept", () => {
      const clock = manualClock();
      const storage = harness.open({ historyLimit: { events: 5, ageMs: 0 }, now: clock.now });
      for (let i = 0; i < 50; i++) storage.create(cm("a", `o${i}`), object("a", `o${i}`));
      const oldest = storage.oldestWatchableResourceVersion();
      expect(rvOf(oldest)).toBeGreaterThan(1);
      const error = expectStorageError(
        () => storage.watch("configmaps", { sinceResourceVersion: "1" }, () => {}),
        "Expired",
      );
      expect(error.message).toBe(`too old resource version: 1 (${oldest})`);
      expectStorageError(
        () => storage.watch("configmaps", { sinceResourceVersion: "0" }, () => {}),
        "Expired",
      );
      const watch = recorder();
      storage.watch("configmaps", { sinceResourceVersion: oldest }, watch.onEvent);
      expect(watch.events.length).toBeGreaterThanOrEqual(5);
      expect(rvOf(watch.events.at(-1)?.object ?? "x")).toBe(rvOf(storage.currentResourceVersion()));
    });

    it("keeps events younger than the age limit even beyond the event limit", () => {
      const clock = manualClock();
      const storage = harness.open({ historyLimit: { events: 5, ageMs: 60_000 }, now: clock.now });
      for (let i = 0; i < 30; i++) storage.create(cm("a", `o${i}`), object("a", `o${i}`));
      const watch = recorder();
      storage.watch("configmaps", { sinceResourceVersion: "0" }, watch.onEvent).stop();
      expect(watch.events).toHaveLength(30);
      clock.advance(120_000);
      for (let i = 30; i < 60; i++) storage.create(cm("a", `o${i}`), object("a", `o${i}`));
      expectStorageError(
        () => storage.watch("configmaps", { sinceResourceVersion: "0" }, () => {}),
        "Expired",
      );
    });
  });
}
