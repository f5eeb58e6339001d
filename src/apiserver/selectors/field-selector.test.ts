import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/object.ts";
import { ApiError } from "../errors.ts";
import {
  escapeFieldValue,
  fieldSelectorToString,
  fieldsOf,
  matchesFields,
  parseFieldSelector,
  requiredFieldValue,
  validateFieldSelector,
} from "./field-selector.ts";

function matches(text: string, fields: Record<string, string>): boolean {
  return matchesFields(parseFieldSelector(text), fields);
}

function rejection(action: () => unknown): ApiError {
  try {
    action();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("expected a rejection");
}

describe("parseFieldSelector", () => {
  it("selects everything when empty", () => {
    expect(parseFieldSelector("").requirements).toEqual([]);
    expect(matches("", {})).toBe(true);
    expect(parseFieldSelector(",").requirements).toEqual([]);
  });

  it("parses =, == and != terms joined by commas", () => {
    expect(
      parseFieldSelector("status.phase!=Running,metadata.name==a,spec.nodeName=n1").requirements,
    ).toEqual([
      { field: "metadata.name", operator: "=", value: "a" },
      { field: "spec.nodeName", operator: "=", value: "n1" },
      { field: "status.phase", operator: "!=", value: "Running" },
    ]);
  });

  it("accepts an empty value", () => {
    expect(matches("spec.nodeName=", { "spec.nodeName": "" })).toBe(true);
    expect(matches("spec.nodeName=", {})).toBe(true);
    expect(matches("spec.nodeName!=", { "spec.nodeName": "n1" })).toBe(true);
  });

  it("unescapes \\, \\= and \\\\ in values", () => {
    const selector = parseFieldSelector("metadata.name=a\\,b\\=c\\\\d,type=x");
    expect(selector.requirements).toEqual([
      { field: "metadata.name", operator: "=", value: "a,b=c\\d" },
      { field: "type", operator: "=", value: "x" },
    ]);
    expect(fieldSelectorToString(selector)).toBe("metadata.name=a\\,b\\=c\\\\d,type=x");
    expect(escapeFieldValue("a,b=c\\d")).toBe("a\\,b\\=c\\\\d");
  });

  it.each([
    ["metadata.name", "invalid selector: 'metadata.name'; can't understand 'metadata.name'"],
    ["a=b,c", "invalid selector: 'a=b,c'; can't understand 'c'"],
    ["a=b=c", "invalid field selector: unescaped character in value: ="],
    ["a=b\\x", "invalid field selector: invalid escape sequence: \\x"],
    ["a=b\\", "invalid field selector: invalid escape sequence: \\"],
  ])("rejects %j", (text, message) => {
    const error = rejection(() => parseFieldSelector(text));
    expect(error.code).toBe(400);
    expect(error.message).toBe(message);
  });
});

describe("matchesFields", () => {
  const fields = { "metadata.name": "p1", "status.phase": "Running" };

  it("ANDs the terms", () => {
    expect(matches("metadata.name=p1,status.phase=Running", fields)).toBe(true);
    expect(matches("metadata.name=p1,status.phase!=Running", fields)).toBe(false);
  });

  it("reads absent fields as empty", () => {
    expect(matches("spec.nodeName!=n1", fields)).toBe(true);
    expect(matches("spec.nodeName=n1", fields)).toBe(false);
    expect(matches("constructor=", {})).toBe(true);
  });
});

describe("validateFieldSelector", () => {
  const supported = new Set(["status.phase"]);

  it("always supports metadata.name and metadata.namespace", () => {
    expect(() =>
      validateFieldSelector(parseFieldSelector("metadata.name=a,metadata.namespace=b"), new Set()),
    ).not.toThrow();
    expect(() => validateFieldSelector(parseFieldSelector("status.phase=Running"), supported)).not.toThrow();
  });

  it("rejects other fields with Kubernetes' message", () => {
    const error = rejection(() => validateFieldSelector(parseFieldSelector("spec.foo=x"), supported));
    expect(error.code).toBe(400);
    expect(error.reason).toBe("BadRequest");
    expect(error.message).toBe("field label not supported: spec.foo");
  });
});

describe("fieldsOf", () => {
  it("combines metadata fields with the strategy's extras", () => {
    const pod: KubeObject = { metadata: { name: "p1", namespace: "ns" } };
    expect(fieldsOf(pod, { "status.phase": "Pending" })).toEqual({
      "metadata.name": "p1",
      "metadata.namespace": "ns",
      "status.phase": "Pending",
    });
    expect(fieldsOf({ metadata: { name: "node1" } }, {})).toEqual({
      "metadata.name": "node1",
      "metadata.namespace": "",
    });
  });

  it("finds the exact value a selector requires", () => {
    const selector = parseFieldSelector("spec.nodeName=n1,status.phase!=Failed");
    expect(requiredFieldValue(selector, "spec.nodeName")).toBe("n1");
    expect(requiredFieldValue(selector, "status.phase")).toBeUndefined();
  });
});
