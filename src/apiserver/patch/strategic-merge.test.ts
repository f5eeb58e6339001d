import { describe, expect, it } from "vitest";
import { ApiError } from "../errors.ts";
import type { PatchSchema } from "./schema.ts";
import { applyStrategicMergePatch } from "./strategic-merge.ts";
import { GENERIC_PATCH_SCHEMA, PATCH_SCHEMAS } from "./strategic-schemas.ts";

function errorOf(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("expected an ApiError");
}

const pod = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p1", labels: { a: "1" }, finalizers: ["x", "y"] },
  spec: {
    containers: [
      {
        name: "c1",
        image: "busybox",
        env: [
          { name: "A", value: "1" },
          { name: "B", value: "2" },
        ],
      },
      { name: "c2", image: "nginx:1" },
    ],
    tolerations: [{ key: "k1", operator: "Exists" }],
  },
};

describe("applyStrategicMergePatch on a pod", () => {
  it("applies kubectl apply's patch (apiserver-surface.md §2)", () => {
    const patch = JSON.parse(
      '{"spec":{"$setElementOrder/containers":[{"name":"c1"},{"name":"c2"}],"containers":[{"$setElementOrder/env":[{"name":"A"},{"name":"C"}],"env":[{"name":"C","value":"3"},{"$patch":"delete","name":"B"}],"name":"c1"},{"image":"nginx:2","name":"c2"}]}}',
    ) as unknown;
    const result = applyStrategicMergePatch(pod, patch, PATCH_SCHEMAS.pod);
    expect(result).toEqual({
      ...pod,
      spec: {
        ...pod.spec,
        containers: [
          {
            name: "c1",
            image: "busybox",
            env: [
              { name: "A", value: "1" },
              { name: "C", value: "3" },
            ],
          },
          { name: "c2", image: "nginx:2" },
        ],
      },
    });
  });

  const cases: { name: string; patch: unknown; want: (p: typeof pod) => unknown }[] = [
    {
      name: "null deletes a field",
      patch: { metadata: { labels: { a: null, b: "2" } } },
      want: (p) => ({ ...p, metadata: { ...p.metadata, labels: { b: "2" } } }),
    },
    {
      // Kubernetes' normalizeElementOrder: patch items in patch order; a server-only item goes first
      // only when it preceded the next patch item in the live list, so new items lead.
      name: "merge by key orders like Kubernetes",
      patch: {
        spec: { containers: [{ name: "c3", image: "x" }, { name: "c2", image: "nginx:3" }, { name: "c4" }] },
      },
      want: (p) => ({
        ...p,
        spec: {
          ...p.spec,
          containers: [
            { name: "c3", image: "x" },
            p.spec.containers[0],
            { name: "c2", image: "nginx:3" },
            { name: "c4" },
          ],
        },
      }),
    },
    {
      name: "nested list by key inside a keyed element",
      patch: { spec: { containers: [{ name: "c1", env: [{ name: "A", value: "9" }] }] } },
      want: (p) => ({
        ...p,
        spec: {
          ...p.spec,
          containers: [
            {
              ...p.spec.containers[0],
              env: [
                { name: "A", value: "9" },
                { name: "B", value: "2" },
              ],
            },
            p.spec.containers[1],
          ],
        },
      }),
    },
    {
      name: "$patch: delete removes the element with that key",
      patch: { spec: { containers: [{ name: "c1", $patch: "delete" }] } },
      want: (p) => ({ ...p, spec: { ...p.spec, containers: [p.spec.containers[1]] } }),
    },
    {
      name: "list-level $patch: replace replaces the list",
      patch: { spec: { containers: [{ $patch: "replace" }, { name: "only", image: "z" }] } },
      want: (p) => ({ ...p, spec: { ...p.spec, containers: [{ name: "only", image: "z" }] } }),
    },
    {
      name: "$patch: replace on a map replaces it",
      patch: { metadata: { labels: { $patch: "replace", z: "26" } } },
      want: (p) => ({ ...p, metadata: { ...p.metadata, labels: { z: "26" } } }),
    },
    {
      name: "$patch: delete on a map deletes it",
      patch: { metadata: { labels: { $patch: "delete" } } },
      want: (p) => ({ ...p, metadata: { name: "p1", finalizers: ["x", "y"] } }),
    },
    {
      name: "atomic lists are replaced",
      patch: { spec: { tolerations: [{ key: "k2", operator: "Exists" }] } },
      want: (p) => ({ ...p, spec: { ...p.spec, tolerations: [{ key: "k2", operator: "Exists" }] } }),
    },
    {
      name: "set lists union without duplicates",
      patch: { metadata: { finalizers: ["y", "z", "z"] } },
      want: (p) => ({ ...p, metadata: { ...p.metadata, finalizers: ["x", "y", "z"] } }),
    },
    {
      name: "$deleteFromPrimitiveList removes values",
      patch: { metadata: { "$deleteFromPrimitiveList/finalizers": ["x"], finalizers: ["w"] } },
      want: (p) => ({ ...p, metadata: { ...p.metadata, finalizers: ["w", "y"] } }),
    },
    {
      name: "$retainKeys keeps only listed keys",
      patch: { metadata: { labels: { $retainKeys: ["b"], b: "2" } } },
      want: (p) => ({ ...p, metadata: { ...p.metadata, labels: { b: "2" } } }),
    },
    {
      name: "$setElementOrder reorders a list the patch does not otherwise touch",
      patch: { spec: { "$setElementOrder/containers": [{ name: "c2" }, { name: "c1" }] } },
      want: (p) => ({ ...p, spec: { ...p.spec, containers: [p.spec.containers[1], p.spec.containers[0]] } }),
    },
    {
      name: "$setElementOrder keeps a server-only element where it was",
      patch: {
        spec: {
          "$setElementOrder/containers": [{ name: "c0" }, { name: "c2" }],
          containers: [{ name: "c0", image: "new" }],
        },
      },
      want: (p) => ({
        ...p,
        spec: {
          ...p.spec,
          containers: [{ name: "c0", image: "new" }, p.spec.containers[0], p.spec.containers[1]],
        },
      }),
    },
    {
      name: "directives inside new values are applied, not stored",
      patch: { spec: { volumes: [{ name: "v", emptyDir: { $patch: "replace", medium: "Memory" } }] } },
      want: (p) => ({ ...p, spec: { ...p.spec, volumes: [{ name: "v", emptyDir: { medium: "Memory" } }] } }),
    },
    {
      name: "a type change replaces",
      patch: { spec: { containers: "none" } },
      want: (p) => ({ ...p, spec: { ...p.spec, containers: "none" } }),
    },
    {
      name: "root $patch: replace",
      patch: { $patch: "replace", kind: "Pod", metadata: { name: "p1" } },
      want: () => ({ kind: "Pod", metadata: { name: "p1" } }),
    },
  ];
  it.each(cases)("$name", ({ patch, want }) => {
    expect(applyStrategicMergePatch(pod, patch, PATCH_SCHEMAS.pod)).toEqual(want(structuredClone(pod)));
  });

  it("never mutates its inputs nor shares structure with them", () => {
    const patch = {
      spec: {
        containers: [
          { name: "c1", env: [{ name: "D", value: "4" }] },
          { name: "c2", $patch: "delete" },
        ],
      },
    };
    const snapshot = structuredClone({ pod, patch });
    const result = applyStrategicMergePatch(pod, patch, PATCH_SCHEMAS.pod) as typeof pod;
    expect({ pod, patch }).toEqual(snapshot);
    result.spec.containers[0]?.env?.push({ name: "Z", value: "0" });
    result.spec.tolerations.push({ key: "k9", operator: "Exists" });
    expect({ pod, patch }).toEqual(snapshot);
  });
});

describe("strategic merge errors", () => {
  const keyed: PatchSchema = { items: { mergeKeys: ["name"] }, tags: { set: true }, ...GENERIC_PATCH_SCHEMA };
  const object = { items: [{ name: "a" }], tags: ["x"], m: { k: "v" } };
  const cases: { name: string; patch: unknown; code: number; message: RegExp }[] = [
    {
      name: "unknown $patch on a map",
      patch: { m: { $patch: "bogus" } },
      code: 400,
      message: /unknown patch type: bogus in map: map\[\$patch:bogus\]/,
    },
    {
      name: "unknown $patch on an element",
      patch: { items: [{ name: "a", $patch: "nope" }] },
      code: 400,
      message: /unknown patch type: nope/,
    },
    {
      name: "$patch: merge on an element",
      patch: { items: [{ $patch: "merge" }] },
      code: 400,
      message: /cannot yet be specified/,
    },
    {
      name: "element without its merge key",
      patch: { items: [{ value: 1 }] },
      code: 400,
      message: /does not contain declared merge key: name/,
    },
    {
      name: "delete without its merge key",
      patch: { items: [{ $patch: "delete" }] },
      code: 400,
      message: /merge key/,
    },
    {
      name: "lists of lists",
      patch: { tags: [["x"]] },
      code: 422,
      message: /the server rejected our request/,
    },
    { name: "mixed element types", patch: { items: ["a"] }, code: 400, message: /not identical/ },
    { name: "retainKeys not a list", patch: { m: { $retainKeys: "k" } }, code: 400, message: /retainKeys/ },
    {
      name: "patch key outside retainKeys",
      patch: { m: { $retainKeys: ["k"], other: 1 } },
      code: 400,
      message: /retainKeys/,
    },
    {
      name: "setElementOrder not a list",
      patch: { "$setElementOrder/items": {} },
      code: 400,
      message: /setElementOrder/,
    },
    {
      name: "deleteFromPrimitiveList not a list",
      patch: { "$deleteFromPrimitiveList/tags": "x" },
      code: 400,
      message: /primitive list/,
    },
    { name: "a non-object body", patch: [1], code: 400, message: /cannot unmarshal array/ },
  ];
  it.each(cases)("$name → $code", ({ patch, code, message }) => {
    const error = errorOf(() => applyStrategicMergePatch(object, patch, keyed));
    expect(error.code).toBe(code);
    expect(`${error.message} ${error.details?.causes?.[0]?.message ?? ""}`).toMatch(message);
  });
});
