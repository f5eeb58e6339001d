// Restart conformance for persistent backends: objects, the resourceVersion counter and the watch
// history all survive closing and reopening.

import { describe, expect, it } from "vitest";
import {
  type ConformanceOptions,
  key,
  type NewStorage,
  object,
  recorder,
  rvOf,
  useHarness,
} from "./conformance-fixtures.ts";

const cm = (ns: string, name: string) => key("configmaps", ns, name);

export function describeRestartConformance(newStorage: NewStorage, options: ConformanceOptions): void {
  describe("restart", () => {
    const harness = useHarness(newStorage, options);

    it("keeps objects and the resourceVersion counter", () => {
      const first = harness.open();
      const kept = first.create(cm("a", "kept"), object("a", "kept"));
      first.create(cm("a", "gone"), object("a", "gone"));
      const updated = first.guaranteedUpdate(cm("a", "kept"), (o) => ({ ...o, data: { v: "2" } }));
      first.delete(cm("a", "gone"));
      const rvBefore = first.currentResourceVersion();
      const second = harness.reopen?.(first) ?? first;
      expect(second).not.toBe(first);
      expect(second.currentResourceVersion()).toBe(rvBefore);
      expect(second.get(cm("a", "kept"))).toEqual(updated);
      expect(second.list("configmaps").items).toEqual([updated]);
      const next = second.create(cm("a", "new"), object("a", "new"));
      expect(rvOf(next)).toBeGreaterThan(rvOf(rvBefore));
      expect(rvOf(kept)).toBeLessThan(rvOf(updated));
    });

    it("continues a paged list across a restart at the first page's snapshot", () => {
      const first = harness.open();
      for (const name of ["a", "b", "c"]) first.create(cm("ns", name), object("ns", name));
      const atFirstPage = first.list("configmaps");
      const page = first.list("configmaps", { limit: 1 });
      first.delete(cm("ns", "b"));
      const second = harness.reopen?.(first) ?? first;
      second.create(cm("ns", "bb"), object("ns", "bb"));
      const rest = second.list("configmaps", { continue: page.continue ?? "missing" });
      expect([...page.items, ...rest.items]).toEqual(atFirstPage.items);
      expect(rest.resourceVersion).toBe(page.resourceVersion);
    }, 10_000);

    it("lets a watcher resume from an RV it saw before the restart", () => {
      const first = harness.open();
      first.create(cm("a", "before"), object("a", "before"));
      const seen = first.currentResourceVersion();
      first.create(cm("a", "missed"), object("a", "missed"));
      const second = harness.reopen?.(first) ?? first;
      second.create(cm("a", "after"), object("a", "after"));
      const watch = recorder();
      second.watch("configmaps", { sinceResourceVersion: seen }, watch.onEvent);
      expect(watch.events.map((e) => e.object.metadata.name)).toEqual(["missed", "after"]);
      expect(second.oldestWatchableResourceVersion()).toBe(first.oldestWatchableResourceVersion());
    });
  });
}
