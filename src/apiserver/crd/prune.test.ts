import { describe, expect, it } from "vitest";
import type { OpenAPISchema } from "../registry/resource.ts";
import { pruneUnknownFields } from "./prune.ts";

const schema: OpenAPISchema = {
  type: "object",
  properties: {
    apiVersion: { type: "string" },
    metadata: { type: "object" },
    spec: {
      type: "object",
      properties: {
        items: { type: "array", items: { type: "object", properties: { name: { type: "string" } } } },
        labels: {
          type: "object",
          additionalProperties: { type: "object", properties: { v: { type: "string" } } },
        },
        config: {
          type: "object",
          "x-kubernetes-preserve-unknown-fields": true,
          properties: { known: { type: "object", properties: { a: { type: "string" } } } },
        },
        embedded: {
          type: "object",
          "x-kubernetes-embedded-resource": true,
          properties: { spec: { type: "object", properties: {} } },
        },
      },
    },
  },
};

describe("pruneUnknownFields", () => {
  it("removes unknown fields and reports their paths", () => {
    const object = {
      apiVersion: "x/v1",
      kind: "X",
      metadata: { name: "a", labels: { a: "b" } },
      spec: {
        foo: 1,
        items: [{ name: "a", extra: true }],
        labels: { k: { v: "1", w: "2" } },
        config: { anything: { goes: 1 }, known: { a: "1", b: "2" } },
        embedded: { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { x: 1 }, status: {} },
      },
      status: { phase: "x" },
    };
    const removed = pruneUnknownFields(object, schema);
    expect(removed).toEqual([
      "spec.foo",
      "spec.items[0].extra",
      "spec.labels.k.w",
      "spec.config.known.b",
      "spec.embedded.spec.x",
      "spec.embedded.status",
      "status",
    ]);
    expect(object).toEqual({
      apiVersion: "x/v1",
      kind: "X",
      metadata: { name: "a", labels: { a: "b" } },
      spec: {
        items: [{ name: "a" }],
        labels: { k: { v: "1" } },
        config: { anything: { goes: 1 }, known: { a: "1" } },
        embedded: { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: {} },
      },
    });
  });
});
