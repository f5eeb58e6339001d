import { describe, expect, it } from "vitest";
import { type Grant, isAllowed, ruleAllows } from "./rbac-evaluator.ts";

const pods = { group: "", resource: "pods" };

describe("ruleAllows", () => {
  it("matches group, resource and verb", () => {
    const rule = { apiGroups: [""], resources: ["pods"], verbs: ["list"] };
    expect(ruleAllows(rule, { ...pods, verb: "list" })).toBe(true);
    expect(ruleAllows(rule, { ...pods, verb: "delete" })).toBe(false);
    expect(ruleAllows(rule, { group: "apps", resource: "pods", verb: "list" })).toBe(false);
  });

  it("needs the subresource spelled out, or */<sub>, or *", () => {
    const request = { ...pods, subresource: "eviction", verb: "create" };
    expect(ruleAllows({ apiGroups: [""], resources: ["pods"], verbs: ["create"] }, request)).toBe(false);
    expect(ruleAllows({ apiGroups: [""], resources: ["pods/eviction"], verbs: ["create"] }, request)).toBe(
      true,
    );
    expect(ruleAllows({ apiGroups: [""], resources: ["*/eviction"], verbs: ["create"] }, request)).toBe(true);
    expect(ruleAllows({ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }, request)).toBe(true);
    expect(
      ruleAllows(
        { apiGroups: [""], resources: ["pods/eviction"], verbs: ["create"] },
        { ...pods, verb: "create" },
      ),
    ).toBe(false);
  });

  it("limits by resourceNames when given; requests without a name do not match them", () => {
    const rule = { apiGroups: [""], resources: ["pods"], verbs: ["get", "create"], resourceNames: ["a"] };
    expect(ruleAllows(rule, { ...pods, verb: "get", name: "a" })).toBe(true);
    expect(ruleAllows(rule, { ...pods, verb: "get", name: "b" })).toBe(false);
    expect(ruleAllows(rule, { ...pods, verb: "create" })).toBe(false);
  });
});

describe("isAllowed", () => {
  const rules = [{ apiGroups: [""], resources: ["pods"], verbs: ["list"] }];
  it("applies a Role in its namespace only, a ClusterRole everywhere", () => {
    const role: Grant = { rules, namespace: "ns1" };
    expect(isAllowed([role], { ...pods, verb: "list", namespace: "ns1" })).toBe(true);
    expect(isAllowed([role], { ...pods, verb: "list", namespace: "ns2" })).toBe(false);
    expect(isAllowed([role], { ...pods, verb: "list" })).toBe(false);
    expect(isAllowed([{ rules }], { ...pods, verb: "list" })).toBe(true);
    expect(isAllowed([{ rules }], { ...pods, verb: "list", namespace: "ns2" })).toBe(true);
  });
});
