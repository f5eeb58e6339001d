import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/object.ts";
import { validateCustomResourceDefinition } from "../crd/crd-validation.ts";
import { validateCelRules } from "./crd-rules.ts";
import { loadUpstream, MCP_FILE, MOSB_FILE, MOSC_FILE } from "./upstream.fixture.ts";

function crdWith(rules: unknown[]): KubeObject {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "widgets.example.com" },
    spec: {
      group: "example.com",
      scope: "Cluster",
      names: { plural: "widgets", singular: "widget", kind: "Widget", listKind: "WidgetList" },
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: "object",
              properties: {
                spec: {
                  type: "object",
                  properties: { a: { type: "integer" } },
                  "x-kubernetes-validations": rules,
                },
              },
            },
          },
        },
      ],
    },
  };
}

const RULES = "spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations";

describe("validateCelRules", () => {
  it.each([MOSC_FILE, MOSB_FILE, MCP_FILE])("compiles every rule of %s", (file) => {
    expect(validateCelRules(loadUpstream(file))).toEqual([]);
  });

  it("reports rules that do not compile, with their path", () => {
    const issues = validateCelRules(
      crdWith([{ rule: "self.a >" }, { rule: "nope(self)" }, { rule: "'text'" }]),
    );
    expect(issues.map((issue) => issue.field)).toEqual([
      `${RULES}[0].rule`,
      `${RULES}[1].rule`,
      `${RULES}[2].rule`,
    ]);
    expect(issues[0]?.message).toMatch(/Invalid value: "self.a >": compilation failed: ERROR: <input>:1:/);
    expect(issues[2]?.message).toMatch(/cel expression must evaluate to a bool/);
  });

  it("checks messageExpression, reason, fieldPath and optionalOldSelf", () => {
    const issues = validateCelRules(
      crdWith([
        { rule: "self.a > 0", messageExpression: "self.a +" },
        { rule: "self.a > 0", reason: "FieldValueOdd" },
        { rule: "self.a > 0", fieldPath: ".missing" },
        { rule: "self.a > 0", optionalOldSelf: true },
        { message: "no rule" },
      ]),
    );
    expect(issues.map((issue) => issue.field)).toEqual([
      `${RULES}[0].messageExpression`,
      `${RULES}[1].reason`,
      `${RULES}[2].fieldPath`,
      `${RULES}[3].optionalOldSelf`,
      `${RULES}[4].rule`,
    ]);
  });

  it("is part of CRD validation", () => {
    expect(
      validateCustomResourceDefinition(crdWith([{ rule: "self.a >" }])).map((issue) => issue.field),
    ).toEqual([`${RULES}[0].rule`]);
  });
});
