import { describe, expect, it } from "vitest";
import { ApiError } from "../errors.ts";
import { applyJsonPatch, MAX_JSON_PATCH_OPERATIONS } from "./json-patch.ts";

function errorOf(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("expected an ApiError");
}

describe("applyJsonPatch", () => {
  const cases: { name: string; target: unknown; patch: unknown[]; want: unknown }[] = [
    { name: "add key", target: { a: 1 }, patch: [{ op: "add", path: "/b", value: 2 }], want: { a: 1, b: 2 } },
    {
      name: "add replaces key",
      target: { a: 1 },
      patch: [{ op: "add", path: "/a", value: 2 }],
      want: { a: 2 },
    },
    {
      name: "add inserts into list",
      target: { a: [1, 3] },
      patch: [{ op: "add", path: "/a/1", value: 2 }],
      want: { a: [1, 2, 3] },
    },
    {
      name: "add at end index",
      target: { a: [1] },
      patch: [{ op: "add", path: "/a/1", value: 2 }],
      want: { a: [1, 2] },
    },
    {
      name: "add with -",
      target: { a: [1] },
      patch: [{ op: "add", path: "/a/-", value: 2 }],
      want: { a: [1, 2] },
    },
    {
      name: "add null value",
      target: {},
      patch: [{ op: "add", path: "/a", value: null }],
      want: { a: null },
    },
    { name: "add whole document", target: { a: 1 }, patch: [{ op: "add", path: "", value: [1] }], want: [1] },
    { name: "remove key", target: { a: 1, b: 2 }, patch: [{ op: "remove", path: "/a" }], want: { b: 2 } },
    {
      name: "remove list item",
      target: { a: [1, 2, 3] },
      patch: [{ op: "remove", path: "/a/1" }],
      want: { a: [1, 3] },
    },
    {
      name: "replace",
      target: { a: { b: 1 } },
      patch: [{ op: "replace", path: "/a/b", value: [2] }],
      want: { a: { b: [2] } },
    },
    {
      name: "replace list item",
      target: { a: [1, 2] },
      patch: [{ op: "replace", path: "/a/0", value: 9 }],
      want: { a: [9, 2] },
    },
    {
      name: "replace root",
      target: { a: 1 },
      patch: [{ op: "replace", path: "", value: { b: 2 } }],
      want: { b: 2 },
    },
    {
      name: "move",
      target: { a: { b: 1 }, c: {} },
      patch: [{ op: "move", from: "/a/b", path: "/c/d" }],
      want: { a: {}, c: { d: 1 } },
    },
    {
      name: "move within a list",
      target: { a: [1, 2, 3] },
      patch: [{ op: "move", from: "/a/0", path: "/a/-" }],
      want: { a: [2, 3, 1] },
    },
    {
      name: "copy is deep",
      target: { a: { b: [1] } },
      patch: [
        { op: "copy", from: "/a", path: "/c" },
        { op: "add", path: "/c/b/-", value: 2 },
      ],
      want: { a: { b: [1] }, c: { b: [1, 2] } },
    },
    {
      name: "escapes ~0 and ~1",
      target: { "a/b": 1, "c~d": 2, "~1": 3 },
      patch: [
        { op: "move", from: "/a~1b", path: "/x" },
        { op: "copy", from: "/c~0d", path: "/y" },
        { op: "remove", path: "/~01" },
      ],
      want: { x: 1, "c~d": 2, y: 2 },
    },
    {
      name: "kubernetes label key with a slash",
      target: { metadata: { labels: {} } },
      patch: [{ op: "add", path: "/metadata/labels/app.kubernetes.io~1name", value: "x" }],
      want: { metadata: { labels: { "app.kubernetes.io/name": "x" } } },
    },
    {
      name: "test passes, deep and key-order-free",
      target: { a: { b: [1, { c: 2, d: 3 }] } },
      patch: [
        { op: "test", path: "/a", value: { b: [1, { d: 3, c: 2 }] } },
        { op: "add", path: "/z", value: true },
      ],
      want: { a: { b: [1, { c: 2, d: 3 }] }, z: true },
    },
    { name: "empty patch", target: { a: 1 }, patch: [], want: { a: 1 } },
    {
      name: "extra members are ignored",
      target: {},
      patch: [{ op: "add", path: "/a", value: 1, x: 2 }],
      want: { a: 1 },
    },
  ];
  it.each(cases)("$name", ({ target, patch, want }) => {
    expect(applyJsonPatch(target, patch)).toEqual(want);
  });

  const failures: { name: string; target: unknown; patch: unknown[]; message: RegExp }[] = [
    {
      name: "test failure",
      target: { a: 1 },
      patch: [{ op: "test", path: "/a", value: 2 }],
      message: /testing value \/a failed/,
    },
    {
      name: "test of a missing path",
      target: {},
      patch: [{ op: "test", path: "/a", value: 1 }],
      message: /test failed/,
    },
    {
      name: "remove missing key",
      target: { a: 1 },
      patch: [{ op: "remove", path: "/b" }],
      message: /remove operation/,
    },
    {
      name: "replace missing key",
      target: { a: 1 },
      patch: [{ op: "replace", path: "/b", value: 1 }],
      message: /replace/,
    },
    {
      name: "add under a missing parent",
      target: {},
      patch: [{ op: "add", path: "/x/y", value: 1 }],
      message: /missing path/,
    },
    {
      name: "add past the end",
      target: { a: [1] },
      patch: [{ op: "add", path: "/a/5", value: 1 }],
      message: /index/,
    },
    {
      name: "leading zero index",
      target: { a: [1, 2] },
      patch: [{ op: "add", path: "/a/01", value: 1 }],
      message: /index/,
    },
    { name: "remove with -", target: { a: [1] }, patch: [{ op: "remove", path: "/a/-" }], message: /index/ },
    {
      name: "unknown op",
      target: {},
      patch: [{ op: "bogus", path: "/a" }],
      message: /Unexpected kind: bogus/,
    },
    { name: "missing value", target: {}, patch: [{ op: "add", path: "/a" }], message: /missing value/ },
    { name: "missing from", target: { a: 1 }, patch: [{ op: "move", path: "/b" }], message: /missing from/ },
    {
      name: "copy from missing",
      target: {},
      patch: [{ op: "copy", from: "/a", path: "/b" }],
      message: /from path/,
    },
    {
      name: "pointer without slash",
      target: { a: 1 },
      patch: [{ op: "remove", path: "a" }],
      message: /pointer/,
    },
    {
      name: "move into its own child",
      target: { a: { b: 1 } },
      patch: [{ op: "move", from: "/a", path: "/a/c" }],
      message: /child/,
    },
  ];
  it.each(failures)("422 on $name", ({ target, patch, message }) => {
    const error = errorOf(() => applyJsonPatch(target, patch));
    expect(error.code).toBe(422);
    expect(error.reason).toBe("Invalid");
    expect(error.message).toBe("the server rejected our request due to an error in our request");
    expect(error.details?.causes?.[0]?.message).toMatch(message);
  });

  it.each([
    [{ op: "add" }, /cannot unmarshal object into Go value of type jsonpatch.Patch/],
    ["[]", /cannot unmarshal string/],
    [null, /cannot unmarshal null/],
    [["add"], /cannot unmarshal string into Go value of type jsonpatch.Operation/],
  ])("400 when the body is not a list of operations: %j", (patch, message) => {
    const error = errorOf(() => applyJsonPatch({}, patch));
    expect(error.code).toBe(400);
    expect(error.reason).toBe("BadRequest");
    expect(error.message).toMatch(message);
  });

  it("413 when the patch has too many operations", () => {
    const patch = Array.from({ length: MAX_JSON_PATCH_OPERATIONS + 1 }, () => ({
      op: "test",
      path: "",
      value: {},
    }));
    expect(errorOf(() => applyJsonPatch({}, patch)).code).toBe(413);
  });

  it("is atomic and never mutates its inputs", () => {
    const target = { a: [1, 2], b: { c: 1 } };
    const value = { deep: [1] };
    const patch = [
      { op: "add", path: "/b/d", value },
      { op: "remove", path: "/a/0" },
    ];
    const snapshot = structuredClone({ target, patch });
    const result = applyJsonPatch(target, patch) as { b: { d: { deep: number[] } } };
    result.b.d.deep.push(2);
    expect({ target, patch }).toEqual(snapshot);
    expect(() => applyJsonPatch(target, [...patch, { op: "test", path: "/a", value: [] }])).toThrow(ApiError);
    expect({ target, patch }).toEqual(snapshot);
  });

  it("keeps __proto__ as data", () => {
    const result = applyJsonPatch({}, [{ op: "add", path: "/__proto__", value: { polluted: true } }]);
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.keys(result as object)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
