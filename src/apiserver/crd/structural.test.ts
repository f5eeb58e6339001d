import { describe, expect, it } from "vitest";
import type { OpenAPISchema } from "../registry/resource.ts";
import { validateStructuralSchema } from "./structural.ts";

const ROOT = "spec.versions[0].schema.openAPIV3Schema";

function messages(schema: OpenAPISchema): string[] {
  return validateStructuralSchema(schema, ROOT).map((issue) => issue.message);
}

const objectWith = (properties: Record<string, OpenAPISchema>): OpenAPISchema => ({
  type: "object",
  properties,
});

describe("validateStructuralSchema", () => {
  it("accepts int-or-string with its anyOf and preserve-unknown-fields without type", () => {
    const schema = objectWith({
      spec: objectWith({
        maxUnavailable: {
          anyOf: [{ type: "integer" }, { type: "string" }],
          "x-kubernetes-int-or-string": true,
        },
        config: { "x-kubernetes-preserve-unknown-fields": true },
      }),
    });
    expect(messages(schema)).toEqual([]);
  });

  it("requires a type for fields, items and the root", () => {
    expect(messages({ properties: { spec: { type: "array", items: {} } } })).toEqual([
      `${ROOT}.type: Required value: must not be empty at the root`,
      `${ROOT}.properties[spec].items.type: Required value: must not be empty for specified array items`,
    ]);
  });

  it("forbids additionalProperties beside properties, and false", () => {
    const schema = objectWith({
      a: { type: "object", properties: { x: { type: "string" } }, additionalProperties: { type: "string" } },
      b: { type: "object", additionalProperties: false },
    });
    expect(messages(schema)).toEqual([
      `${ROOT}.properties[a].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive`,
      `${ROOT}.properties[b].additionalProperties: Forbidden: additionalProperties cannot be set to false`,
    ]);
  });

  it("lets root metadata restrict only name and generateName", () => {
    const ok = objectWith({ metadata: objectWith({ name: { type: "string", maxLength: 20 } }) });
    expect(messages(ok)).toEqual([]);
    const bad = objectWith({ metadata: objectWith({ labels: { type: "object" } }) });
    expect(messages(bad)).toEqual([
      `${ROOT}.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified`,
    ]);
  });

  it("requires defaults to validate and to have no unknown fields", () => {
    const schema = objectWith({
      replicas: { type: "integer", default: "one" },
      mode: { type: "string", enum: ["a", "b"], default: "c" },
      nested: { type: "object", properties: { x: { type: "string" } }, default: { y: "1" } },
    });
    expect(messages(schema)).toEqual([
      `${ROOT}.properties[replicas].default: Invalid value: "string": ${ROOT}.properties[replicas].default in body must be of type integer: "string"`,
      `${ROOT}.properties[mode].default: Unsupported value: "c": supported values: "a", "b"`,
      `${ROOT}.properties[nested].default: Invalid value: map[string]interface {}{"y":"1"}: must not have unknown fields`,
    ]);
  });

  it("forbids types and defaults inside junctors, and unsupported keywords", () => {
    const schema = objectWith({
      a: { type: "string", anyOf: [{ type: "integer" }], $ref: "#/x" },
      b: { type: "object", allOf: [{ default: {} }] },
    });
    expect(messages(schema)).toEqual([
      `${ROOT}.properties[a].$ref: Forbidden: $ref is not supported`,
      `${ROOT}.properties[a].anyOf[0].type: Forbidden: must be empty to be structural`,
      `${ROOT}.properties[b].allOf[0].default: Forbidden: must be undefined to be structural`,
    ]);
  });

  it("checks list types and map keys", () => {
    const item = objectWith({ name: { type: "string" }, port: { type: "integer" } });
    const schema = objectWith({
      a: {
        type: "array",
        items: item,
        "x-kubernetes-list-type": "map",
        "x-kubernetes-list-map-keys": ["name"],
      },
      b: { type: "array", items: { type: "string" }, "x-kubernetes-list-type": "bag" },
      c: { type: "array", items: { type: "string" }, "x-kubernetes-list-map-keys": ["x"] },
    });
    expect(messages(schema)).toEqual([
      `${ROOT}.properties[a].items.properties[name].default: Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property`,
      `${ROOT}.properties[b].x-kubernetes-list-type: Unsupported value: "bag": supported values: "atomic", "set", "map"`,
      `${ROOT}.properties[c].x-kubernetes-list-map-keys: Forbidden: must be empty if x-kubernetes-list-type is not map`,
    ]);
  });

  it("requires an object at the root", () => {
    expect(messages({ type: "string" })).toEqual([
      `${ROOT}.type: Invalid value: "string": must be object at the root`,
    ]);
  });
});
