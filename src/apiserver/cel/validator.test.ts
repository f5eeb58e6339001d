import { describe, expect, it } from "vitest";
import { validateAgainstSchema } from "../crd/validate.ts";
import type { OpenAPISchema } from "../registry/resource.ts";
import { celRuleValidator } from "./validator.ts";

function objectWith(rules: unknown[], properties: Record<string, OpenAPISchema> = {}): OpenAPISchema {
  return {
    type: "object",
    properties: {
      spec: {
        type: "object",
        properties: { a: { type: "integer" }, b: { type: "string" }, ...properties },
        "x-kubernetes-validations": rules,
      },
    },
  };
}

function validate(schema: OpenAPISchema, value: unknown, oldValue?: unknown) {
  return validateAgainstSchema(value, schema, { oldValue, rules: celRuleValidator() });
}

describe("rule results as field errors", () => {
  it("formats a failure with the message, the schema type and the node path", () => {
    const schema = objectWith([{ rule: "self.a > 1", message: "a must exceed 1" }]);
    expect(validate(schema, { spec: { a: 1 } })).toEqual([
      {
        field: "spec",
        reason: "FieldValueInvalid",
        message: 'spec: Invalid value: "object": a must exceed 1',
      },
    ]);
  });

  it("says `failed rule: <rule>` without a message", () => {
    const schema = objectWith([{ rule: "self.a > 1" }]);
    expect(validate(schema, { spec: { a: 1 } })[0]?.message).toBe(
      'spec: Invalid value: "object": failed rule: self.a > 1',
    );
  });

  it("uses a messageExpression result, and falls back to the message when it fails", () => {
    const good = objectWith([
      { rule: "self.a > 1", message: "m", messageExpression: "'a is ' + string(self.a)" },
    ]);
    expect(validate(good, { spec: { a: 1 } })[0]?.message).toBe('spec: Invalid value: "object": a is 1');
    const bad = objectWith([{ rule: "self.a > 1", message: "m", messageExpression: "self.missing" }]);
    expect(validate(bad, { spec: { a: 1 } })[0]?.message).toBe('spec: Invalid value: "object": m');
  });

  it("maps reasons and appends fieldPath", () => {
    const schema = objectWith([
      { rule: "has(self.b)", message: "b is required", reason: "FieldValueRequired", fieldPath: ".b" },
      { rule: "self.a != 2", message: "2 is forbidden", reason: "FieldValueForbidden" },
      { rule: "self.a != 2", message: "dup", reason: "FieldValueDuplicate" },
    ]);
    expect(validate(schema, { spec: { a: 2 } })).toEqual([
      { field: "spec.b", reason: "FieldValueRequired", message: "spec.b: Required value: b is required" },
      { field: "spec", reason: "FieldValueForbidden", message: "spec: Forbidden: 2 is forbidden" },
      { field: "spec", reason: "FieldValueDuplicate", message: 'spec: Duplicate value: "object"' },
    ]);
  });

  it("reports a root rule without a path prefix", () => {
    const schema: OpenAPISchema = {
      type: "object",
      "x-kubernetes-validations": [{ rule: "has(self.spec)", message: "spec!" }],
    };
    expect(validate(schema, {})).toEqual([
      { field: "", reason: "FieldValueInvalid", message: 'Invalid value: "object": spec!' },
    ]);
  });

  it("shows only metadata.name and generateName to root rules", () => {
    const schema: OpenAPISchema = {
      type: "object",
      properties: { metadata: { type: "object" } },
      "x-kubernetes-validations": [{ rule: "!has(self.metadata.labels) && self.metadata.name == 'x'" }],
    };
    expect(validate(schema, { metadata: { name: "x", labels: { a: "b" } } })).toEqual([]);
  });
});

describe("evaluation errors", () => {
  it("reports a missing field as Kubernetes does, without throwing", () => {
    const schema = objectWith([{ rule: "self.b == 'x'", message: "b must be x" }]);
    expect(validate(schema, { spec: { a: 1 } })[0]?.message).toBe(
      'spec: Invalid value: "object": no such key: b evaluating rule: b must be x',
    );
  });

  it("reports a compile error at runtime instead of crashing", () => {
    const schema = objectWith([{ rule: "self.a >" }]);
    expect(validate(schema, { spec: { a: 1 } })[0]?.message).toMatch(
      /^spec: Invalid value: "object": rule compile error: /,
    );
  });

  it("stops a rule that exceeds the cost budget", () => {
    const schema: OpenAPISchema = {
      type: "array",
      items: { type: "integer" },
      "x-kubernetes-validations": [{ rule: "self.all(x, self.all(y, self.all(z, x + y + z >= 0)))" }],
    };
    const issues = validate(
      schema,
      Array.from({ length: 200 }, (_, i) => i),
    );
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toMatch(
      /'operation cancelled: actual cost limit exceeded': no further validation rules/,
    );
  });
});

describe("transition rules and ratcheting", () => {
  const schema = objectWith([
    { rule: "self.a >= oldSelf.a", message: "a may not decrease" },
    { rule: "self.a < 10", message: "a < 10" },
  ]);

  it("skips transition rules on create", () => {
    expect(validate(schema, { spec: { a: 1 } })).toEqual([]);
  });

  it("runs transition rules on update", () => {
    expect(validate(schema, { spec: { a: 1 } }, { spec: { a: 2 } })[0]?.message).toBe(
      'spec: Invalid value: "object": a may not decrease',
    );
  });

  it("drops errors of unchanged nodes but re-checks changed ones", () => {
    expect(validate(schema, { spec: { a: 11 } }, { spec: { a: 11 } })).toEqual([]);
    expect(validate(schema, { spec: { a: 12 } }, { spec: { a: 11 } })).toHaveLength(1);
  });

  it("gives optionalOldSelf rules optional.none() on create", () => {
    const optional = objectWith([
      { rule: "!oldSelf.hasValue() || oldSelf.value().a == self.a", optionalOldSelf: true },
    ]);
    expect(validate(optional, { spec: { a: 1 } })).toEqual([]);
    expect(validate(optional, { spec: { a: 1 } }, { spec: { a: 2 } })).toHaveLength(1);
  });
});

describe("schema-typed values", () => {
  it("types integers as int, numbers as double and date-times as timestamps", () => {
    const schema = objectWith(
      [
        {
          rule: "self.a + 1 == 3 && self.n == 2.5 && self.t < timestamp('2030-01-01T00:00:00Z') && self.any + 1 == 2",
        },
      ],
      {
        n: { type: "number" },
        t: { type: "string", format: "date-time" },
        any: { "x-kubernetes-int-or-string": true },
      },
    );
    expect(validate(schema, { spec: { a: 2, n: 2.5, t: "2024-01-01T00:00:00Z", any: 1 } })).toEqual([]);
  });
});
