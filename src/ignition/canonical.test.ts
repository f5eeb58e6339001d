import { describe, expect, it } from "vitest";
import { canonicalJson, renderedConfigHash, renderedConfigName } from "./canonical.ts";

describe("canonicalJson", () => {
  it("sorts keys at every depth and keeps array order", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it("does not depend on insertion order", () => {
    const one = { spec: { kernelType: "default", fips: false, config: { ignition: { version: "3.4.0" } } } };
    const two = { spec: { config: { ignition: { version: "3.4.0" } }, fips: false, kernelType: "default" } };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
  });

  it("leaves out undefined fields and writes undefined array items as null, like JSON.stringify", () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1] })).toBe('{"b":[null,1]}');
  });

  it("escapes strings as JSON does and sorts keys by code unit", () => {
    expect(canonicalJson({ é: "\n\u2028", Z: "", a: '"' })).toBe('{"Z":"","a":"\\"","é":"\\n\u2028"}');
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, 10n, () => 1, new Date(0), new Map()])(
    "refuses %s",
    (value) => {
      expect(() => canonicalJson({ value })).toThrow(TypeError);
    },
  );

  it("accepts objects without a prototype", () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { b: 2, a: 1 });
    expect(canonicalJson(bare)).toBe('{"a":1,"b":2}');
  });
});

describe("renderedConfigHash", () => {
  it("is the md5 of the canonical JSON, stable across runs and key orders", () => {
    expect(renderedConfigHash({})).toBe("99914b932bd37a50b983c5e7c90ae93b");
    expect(renderedConfigHash({ b: 1, a: 2 })).toBe(renderedConfigHash({ a: 2, b: 1 }));
    expect(renderedConfigName("worker", { fips: false })).toMatch(/^rendered-worker-[0-9a-f]{32}$/);
  });
});
