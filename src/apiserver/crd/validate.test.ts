import { describe, expect, it } from "vitest";
import type { OpenAPISchema } from "../registry/resource.ts";
import { type RuleContext, validateAgainstSchema } from "./validate.ts";

const objectWith = (properties: Record<string, OpenAPISchema>, required: string[] = []): OpenAPISchema => ({
  type: "object",
  properties,
  ...(required.length > 0 ? { required } : {}),
});

function messages(value: unknown, schema: OpenAPISchema): string[] {
  return validateAgainstSchema(value, schema).map((issue) => issue.message);
}

const spec = (properties: Record<string, OpenAPISchema>, required: string[] = []): OpenAPISchema =>
  objectWith({ spec: objectWith(properties, required) });

describe("validateAgainstSchema", () => {
  it("reports types in Kubernetes' words", () => {
    const schema = spec({
      replicas: { type: "integer" },
      name: { type: "string" },
      ratio: { type: "number" },
    });
    const issues = validateAgainstSchema({ spec: { replicas: "string", name: 5, ratio: 1 } }, schema);
    expect(issues).toEqual([
      {
        field: "spec.replicas",
        reason: "FieldValueTypeInvalid",
        message:
          'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
      },
      {
        field: "spec.name",
        reason: "FieldValueTypeInvalid",
        message: 'spec.name: Invalid value: "integer": spec.name in body must be of type string: "integer"',
      },
    ]);
  });

  it("accepts null only when nullable", () => {
    const schema = spec({ a: { type: "string", nullable: true }, b: { type: "string" } });
    expect(messages({ spec: { a: null, b: null } }, schema)).toEqual([
      'spec.b: Invalid value: "null": spec.b in body must be of type string: "null"',
    ]);
  });

  it("reports required fields", () => {
    const issues = validateAgainstSchema({ spec: {} }, spec({ x: { type: "string" } }, ["x"]));
    expect(issues).toEqual([
      { field: "spec.x", reason: "FieldValueRequired", message: "spec.x: Required value" },
    ]);
  });

  it("reports enums, lengths, patterns and formats", () => {
    const schema = spec({
      mode: { type: "string", enum: ["a", "b"] },
      name: { type: "string", maxLength: 3, pattern: "^[a-z]+$" },
      short: { type: "string", minLength: 2 },
      when: { type: "string", format: "date-time" },
    });
    expect(messages({ spec: { mode: "v", name: "ABCD", short: "x", when: "yesterday" } }, schema)).toEqual([
      'spec.mode: Unsupported value: "v": supported values: "a", "b"',
      "spec.name: Too long: may not be more than 3 bytes",
      "spec.name: Invalid value: \"ABCD\": spec.name in body should match '^[a-z]+$'",
      'spec.short: Invalid value: "x": spec.short in body should be at least 2 chars long',
      'spec.when: Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday"',
    ]);
    expect(messages({ spec: { when: "2026-05-01T10:00:00Z" } }, schema)).toEqual([]);
  });

  it("reports numeric bounds and item and property counts", () => {
    const schema = spec({
      n: { type: "integer", minimum: 0, maximum: 10, exclusiveMaximum: true },
      m: { type: "integer", maximum: 10 },
      list: { type: "array", items: { type: "string" }, minItems: 1, maxItems: 2 },
      many: { type: "array", items: { type: "string" }, maxItems: 1 },
      map: { type: "object", additionalProperties: { type: "string" }, maxProperties: 1, minProperties: 1 },
    });
    const value = { spec: { n: 10, m: 11, list: [], many: ["a", "b"], map: { a: "1", b: "2" } } };
    expect(messages(value, schema)).toEqual([
      "spec.n: Invalid value: 10: spec.n in body should be less than 10",
      "spec.m: Invalid value: 11: spec.m in body should be less than or equal to 10",
      "spec.list: Invalid value: 0: spec.list in body should have at least 1 items",
      "spec.many: Too many: 2: must have at most 1 item",
      "spec.map: Too many: 2: must have at most 1 item",
    ]);
  });

  it("validates int-or-string", () => {
    const schema = spec({
      maxUnavailable: {
        anyOf: [{ type: "integer" }, { type: "string" }],
        "x-kubernetes-int-or-string": true,
      },
    });
    expect(messages({ spec: { maxUnavailable: 1 } }, schema)).toEqual([]);
    expect(messages({ spec: { maxUnavailable: "10%" } }, schema)).toEqual([]);
    expect(messages({ spec: { maxUnavailable: {} } }, schema)).toEqual([
      'spec.maxUnavailable: Invalid value: "object": spec.maxUnavailable in body must be of type integer,string: "object"',
    ]);
  });

  it("uses [i] for list items and validates additionalProperties values", () => {
    const schema = spec({
      containers: { type: "array", items: objectWith({ name: { type: "string" } }, ["name"]) },
      labels: { type: "object", additionalProperties: { type: "string" } },
    });
    expect(messages({ spec: { containers: [{ name: "a" }, {}], labels: { foo: 1 } } }, schema)).toEqual([
      "spec.containers[1].name: Required value",
      'spec.labels.foo: Invalid value: "integer": spec.labels.foo in body must be of type string: "integer"',
    ]);
  });

  it("detects duplicates in sets and map lists", () => {
    const schema = spec({
      tags: { type: "array", items: { type: "string" }, "x-kubernetes-list-type": "set" },
      ports: {
        type: "array",
        items: objectWith({ name: { type: "string" }, port: { type: "integer" } }, ["name"]),
        "x-kubernetes-list-type": "map",
        "x-kubernetes-list-map-keys": ["name"],
      },
    });
    const value = {
      spec: {
        tags: ["a", "b", "a"],
        ports: [
          { name: "http", port: 80 },
          { name: "http", port: 81 },
        ],
      },
    };
    const issues = validateAgainstSchema(value, schema);
    expect(issues.map((issue) => [issue.field, issue.reason, issue.message])).toEqual([
      ["spec.tags[2]", "FieldValueDuplicate", 'spec.tags[2]: Duplicate value: "a"'],
      [
        "spec.ports[1]",
        "FieldValueDuplicate",
        'spec.ports[1]: Duplicate value: map[string]interface {}{"name":"http"}',
      ],
    ]);
  });

  it("supports allOf, anyOf, oneOf and not", () => {
    const schema = spec({
      a: { type: "string", anyOf: [{ pattern: "^x" }, { pattern: "^y" }] },
      b: { type: "string", oneOf: [{ minLength: 1 }, { maxLength: 5 }] },
      c: { type: "string", not: { enum: ["forbidden"] } },
      d: { type: "integer", allOf: [{ minimum: 5 }] },
    });
    expect(messages({ spec: { a: "zz", b: "abc", c: "forbidden", d: 1 } }, schema)).toEqual([
      'spec.a: Invalid value: "": "spec.a" must validate at least one schema (anyOf)',
      "spec.a: Invalid value: \"zz\": spec.a in body should match '^x'",
      'spec.b: Invalid value: "": "spec.b" must validate one and only one schema (oneOf). Found 2 valid alternatives',
      'spec.c: Invalid value: "": "spec.c" must not validate the schema (not)',
      "spec.d: Invalid value: 1: spec.d in body should be greater than or equal to 5",
    ]);
  });

  it("calls the rules hook with the correlated old value", () => {
    const rules = [{ rule: "self >= oldSelf" }];
    const schema = spec({
      items: {
        type: "array",
        "x-kubernetes-list-type": "map",
        "x-kubernetes-list-map-keys": ["name"],
        items: objectWith({
          name: { type: "string" },
          n: { type: "integer", "x-kubernetes-validations": rules },
        }),
      },
    });
    const seen: RuleContext[] = [];
    const hook = (context: RuleContext) => {
      seen.push(context);
      return [
        {
          field: context.path,
          reason: "FieldValueInvalid",
          message: `${context.path}: Invalid value: "integer": rule`,
        },
      ];
    };
    const old = {
      spec: {
        items: [
          { name: "b", n: 1 },
          { name: "a", n: 2 },
        ],
      },
    };
    const issues = validateAgainstSchema({ spec: { items: [{ name: "a", n: 3 }] } }, schema, {
      oldValue: old,
      rules: hook,
    });
    expect(seen.map(({ path, value, oldValue, rules: r }) => ({ path, value, oldValue, r }))).toEqual([
      { path: "spec.items[0].n", value: 3, oldValue: 2, r: rules },
    ]);
    expect(issues.map((issue) => issue.field)).toEqual(["spec.items[0].n"]);
  });
});
