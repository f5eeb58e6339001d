import { describe, expect, it } from "vitest";
import { ApiError } from "../errors.ts";
import {
  EVERYTHING,
  formatLabelSelector,
  formatLabels,
  isEverything,
  labelSelectorFromObject,
  labelSelectorToString,
  matchesLabels,
  NOTHING,
  parseLabelSelector,
} from "./label-selector.ts";

function matches(selector: string, labels?: Record<string, string>): boolean {
  return matchesLabels(parseLabelSelector(selector), labels);
}

function parseError(selector: string): ApiError {
  try {
    parseLabelSelector(selector);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(selector)} to be rejected`);
}

describe("parseLabelSelector", () => {
  it("selects everything when empty or blank", () => {
    expect(isEverything(parseLabelSelector(""))).toBe(true);
    expect(isEverything(parseLabelSelector("   "))).toBe(true);
    expect(matches("", undefined)).toBe(true);
  });

  it.each([
    ["app=web", "app=web"],
    ["app==web", "app==web"],
    ["app!=web", "app!=web"],
    ["app in (b, a, a)", "app in (a,b)"],
    ["app notin (x)", "app notin (x)"],
    ["app", "app"],
    ["!app", "!app"],
    ["app=", "app="],
    ["n>3", "n>3"],
    ["n<3", "n<3"],
    [" z = 1 , a , ! b ", "a,!b,z=1"],
    ["example.com/role=worker", "example.com/role=worker"],
    ["k in ()", "k in ()"],
    ["k in (a,)", "k in (,a)"],
    ["k in (in, notin)", "k in (in,notin)"],
    ["in=notin", "in=notin"],
  ])("%j round-trips as %j", (text, canonical) => {
    const selector = parseLabelSelector(text);
    expect(labelSelectorToString(selector)).toBe(canonical);
    expect(labelSelectorToString(parseLabelSelector(canonical))).toBe(canonical);
  });

  it("ANDs comma-separated requirements", () => {
    expect(matches("a=1,b=2", { a: "1", b: "2" })).toBe(true);
    expect(matches("a=1,b=2", { a: "1", b: "3" })).toBe(false);
  });

  it("matches equality only when the key is present", () => {
    expect(matches("a=1", { a: "1" })).toBe(true);
    expect(matches("a==1", { a: "1" })).toBe(true);
    expect(matches("a=1", {})).toBe(false);
    expect(matches("a=1", undefined)).toBe(false);
  });

  it("matches != and notin when the key is absent", () => {
    expect(matches("a!=1", {})).toBe(true);
    expect(matches("a!=1", { a: "2" })).toBe(true);
    expect(matches("a!=1", { a: "1" })).toBe(false);
    expect(matches("a notin (1,2)", undefined)).toBe(true);
    expect(matches("a notin (1,2)", { a: "2" })).toBe(false);
    expect(matches("a notin (1,2)", { a: "3" })).toBe(true);
  });

  it("matches in, exists and does-not-exist", () => {
    expect(matches("a in (1,2)", { a: "2" })).toBe(true);
    expect(matches("a in (1,2)", { a: "3" })).toBe(false);
    expect(matches("a in (1,2)", {})).toBe(false);
    expect(matches("a", { a: "" })).toBe(true);
    expect(matches("a", {})).toBe(false);
    expect(matches("!a", {})).toBe(true);
    expect(matches("!a", { a: "" })).toBe(false);
  });

  it("matches an empty value with k=", () => {
    expect(matches("a=", { a: "" })).toBe(true);
    expect(matches("a=", { a: "x" })).toBe(false);
    expect(matches("a in (,x)", { a: "" })).toBe(true);
  });

  it("compares integers with > and <", () => {
    expect(matches("n>3", { n: "4" })).toBe(true);
    expect(matches("n>3", { n: "3" })).toBe(false);
    expect(matches("n<3", { n: "-1" })).toBe(true);
    expect(matches("n<3", { n: "abc" })).toBe(false);
    expect(matches("n<3", {})).toBe(false);
  });

  it("does not treat inherited properties as labels", () => {
    expect(matches("constructor", {})).toBe(false);
    expect(matches("toString!=x", {})).toBe(true);
  });

  it.each([
    ["a=b=c", "found '=', expected: ',' or 'end of string'"],
    ["a,", "found '', expected: identifier after ','"],
    [",a", "found ',', expected: !, identifier, or 'end of string'"],
    ["a in b", "unable to parse requirement: found 'b' expected: '('"],
    ["a in (b c)", "unable to parse requirement: found 'c', expected: ',' or ')'"],
    ["a in (b", "unable to parse requirement: found '', expected: ',' or ')'"],
    ["a (b)", "unable to parse requirement: found '(', expected: in, =, ==, >, <, notin, !="],
    ["a!", "unable to parse requirement: found '!', expected: in, =, ==, >, <, notin, !="],
    ["!=a", "found '!=', expected: !, identifier, or 'end of string'"],
    ["! =a", "unable to parse requirement: found '=', expected: identifier"],
    ["!a=b", "found '=', expected: ',' or 'end of string'"],
    ["a=(b)", "unable to parse requirement: found '(', expected: identifier"],
    ["n>x", "for 'Gt', 'Lt' operators, the value must be an integer"],
  ])("rejects %j", (text, message) => {
    const error = parseError(text);
    expect(error.code).toBe(400);
    expect(error.reason).toBe("BadRequest");
    expect(error.message).toContain(message);
  });

  it("validates keys and values like Kubernetes", () => {
    expect(parseError("Bad Key=x").message).toContain("found 'Key', expected: in, =, ==, >, <, notin, !=");
    expect(parseError("-a=x").message).toMatch(
      /^unable to parse requirement: key: Invalid value: "-a": name part must consist/,
    );
    expect(parseError(`${"a".repeat(64)}=x`).message).toContain(
      "name part must be no more than 63 characters",
    );
    expect(parseError("a/b/c=x").message).toContain("a qualified name must consist of");
    expect(parseError("Example.com/a=x").message).toContain("prefix part a lowercase RFC 1123 subdomain");
    expect(parseError("/a=x").message).toContain("prefix part must be non-empty");
    expect(parseError(`a=${"v".repeat(64)}`).message).toContain("must be no more than 63 characters");
    expect(parseError("a=-v").message).toContain(`values[0][a]: Invalid value: "-v": a valid label must be`);
    expect(parseLabelSelector(`${"a".repeat(63)}=${"v".repeat(63)}`).requirements).toHaveLength(1);
  });
});

describe("labelSelectorFromObject", () => {
  it("selects nothing for a missing object by default, everything on request", () => {
    expect(labelSelectorFromObject(undefined)).toBe(NOTHING);
    expect(labelSelectorFromObject(null)).toBe(NOTHING);
    expect(matchesLabels(labelSelectorFromObject(null), {})).toBe(false);
    expect(labelSelectorFromObject(undefined, { missing: "everything" })).toBe(EVERYTHING);
  });

  it("selects everything for an empty object", () => {
    const selector = labelSelectorFromObject({});
    expect(matchesLabels(selector, undefined)).toBe(true);
    expect(
      matchesLabels(labelSelectorFromObject({ matchLabels: {}, matchExpressions: [] }), { a: "b" }),
    ).toBe(true);
  });

  it("ANDs matchLabels and matchExpressions", () => {
    const selector = labelSelectorFromObject({
      matchLabels: { "node-role.kubernetes.io/worker": "" },
      matchExpressions: [
        { key: "zone", operator: "In", values: ["b", "a"] },
        { key: "legacy", operator: "DoesNotExist" },
        { key: "pool", operator: "Exists" },
        { key: "tier", operator: "NotIn", values: ["db"] },
      ],
    });
    expect(labelSelectorToString(selector)).toBe(
      "!legacy,node-role.kubernetes.io/worker=,pool,tier notin (db),zone in (a,b)",
    );
    const labels = { "node-role.kubernetes.io/worker": "", zone: "a", pool: "x" };
    expect(matchesLabels(selector, labels)).toBe(true);
    expect(matchesLabels(selector, { ...labels, legacy: "1" })).toBe(false);
    expect(matchesLabels(selector, { ...labels, tier: "db" })).toBe(false);
  });

  it("rejects invalid operators and values", () => {
    expect(() =>
      labelSelectorFromObject({ matchExpressions: [{ key: "a", operator: "Gt", values: ["1"] }] }),
    ).toThrow('"Gt" is not a valid label selector operator');
    expect(() => labelSelectorFromObject({ matchExpressions: [{ key: "a", operator: "In" }] })).toThrow(
      "values set can't be empty",
    );
    expect(() =>
      labelSelectorFromObject({ matchExpressions: [{ key: "a", operator: "Exists", values: ["x"] }] }),
    ).toThrow("values set must be empty for exists and does not exist");
    expect(() => labelSelectorFromObject({ matchLabels: { "a b": "c" } })).toThrow(ApiError);
  });
});

describe("formatting", () => {
  it("formats selector objects as kubectl does", () => {
    expect(formatLabelSelector({ matchLabels: { b: "2", a: "1" } })).toBe("a=1,b=2");
    expect(formatLabelSelector({})).toBe("<none>");
    expect(formatLabelSelector(undefined)).toBe("<none>");
    expect(formatLabelSelector({ matchExpressions: [{ key: "a", operator: "Bogus" }] })).toBe("<error>");
  });

  it("formats label maps as kubectl does", () => {
    expect(formatLabels({ z: "1", a: "" })).toBe("a=,z=1");
    expect(formatLabels({})).toBe("<none>");
    expect(formatLabels(undefined)).toBe("<none>");
  });
});
