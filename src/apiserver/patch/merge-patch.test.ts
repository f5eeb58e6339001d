import { describe, expect, it } from "vitest";
import { applyMergePatch } from "./merge-patch.ts";

describe("applyMergePatch", () => {
  // The RFC 7386 appendix examples, plus Kubernetes' own uses.
  const cases: { name: string; target: unknown; patch: unknown; want: unknown }[] = [
    { name: "replace scalar", target: { a: "b" }, patch: { a: "c" }, want: { a: "c" } },
    { name: "add key", target: { a: "b" }, patch: { b: "c" }, want: { a: "b", b: "c" } },
    { name: "null deletes", target: { a: "b" }, patch: { a: null }, want: {} },
    { name: "null keeps others", target: { a: "b", b: "c" }, patch: { a: null }, want: { b: "c" } },
    { name: "list replaces", target: { a: ["b"] }, patch: { a: "c" }, want: { a: "c" } },
    { name: "scalar to list", target: { a: "c" }, patch: { a: ["b"] }, want: { a: ["b"] } },
    { name: "nested", target: { a: { b: "c" } }, patch: { a: { b: "d", c: null } }, want: { a: { b: "d" } } },
    { name: "list of objects replaced", target: { a: [{ b: "c" }] }, patch: { a: [1] }, want: { a: [1] } },
    { name: "non-object patch replaces", target: { a: "foo" }, patch: ["a", "b"], want: ["a", "b"] },
    { name: "null patch", target: { a: "foo" }, patch: null, want: null },
    { name: "object into scalar", target: { e: null }, patch: { a: 1 }, want: { e: null, a: 1 } },
    { name: "non-object target", target: ["c"], patch: { a: "b", c: null }, want: { a: "b" } },
    {
      name: "nested nulls in new object are dropped",
      target: {},
      patch: { a: { bb: { ccc: null } } },
      want: { a: { bb: {} } },
    },
    {
      name: "kubectl label removal",
      target: { metadata: { labels: { k: "v", x: "y" } } },
      patch: { metadata: { labels: { k: null } } },
      want: { metadata: { labels: { x: "y" } } },
    },
  ];
  it.each(cases)("$name", ({ target, patch, want }) => {
    expect(applyMergePatch(target, patch)).toEqual(want);
  });

  it("never mutates its inputs nor shares structure with them", () => {
    const target = { a: { b: [1, 2] }, c: { d: 1 } };
    const patch = { a: { e: [3] }, c: null };
    const snapshot = structuredClone({ target, patch });
    const result = applyMergePatch(target, patch) as { a: { b: number[]; e: number[] } };
    expect({ target, patch }).toEqual(snapshot);
    result.a.b.push(9);
    result.a.e.push(9);
    expect({ target, patch }).toEqual(snapshot);
  });

  it("keeps a __proto__ key as data", () => {
    const patch = JSON.parse('{"__proto__":{"polluted":true}}') as unknown;
    const result = applyMergePatch({}, patch) as Record<string, unknown>;
    expect(Object.keys(result)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
  });
});
