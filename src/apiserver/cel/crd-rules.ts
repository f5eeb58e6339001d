// CRD-time checks of x-kubernetes-validations: every rule and messageExpression must compile, as
// apiextensions-apiserver's ValidateCustomResourceDefinition reports. Never throws.

import { isPlainObject, type KubeObject } from "../../api/object.ts";
import {
  childPath,
  indexPath,
  invalidIssue,
  keyPath,
  notSupportedIssue,
  requiredIssue,
} from "../crd/field-errors.ts";
import { isSchema, preservesUnknownFields, schemaItems, schemaProperties } from "../crd/schema-access.ts";
import type { FieldIssue } from "../errors.ts";
import type { OpenAPISchema } from "../registry/resource.ts";
import { ProgramCache } from "./compile.ts";
import { normalizeFieldPath, RULE_REASONS, readRules, type ValidationRule } from "./rules.ts";

/** Issues of the CEL rules in every version's schema of a CRD; empty when all compile. */
export function validateCelRules(crd: KubeObject): FieldIssue[] {
  const spec = isPlainObject(crd.spec) ? crd.spec : {};
  const versions = Array.isArray(spec.versions) ? spec.versions : [];
  const cache = new ProgramCache();
  const issues: FieldIssue[] = [];
  versions.forEach((version, index) => {
    const schema =
      isPlainObject(version) && isPlainObject(version.schema) ? version.schema.openAPIV3Schema : undefined;
    if (!isSchema(schema)) return;
    const path = `${indexPath("spec.versions", index)}.schema.openAPIV3Schema`;
    try {
      walkSchema(schema, path, (node, where) => issues.push(...checkNode(cache, node, where)));
    } catch (error) {
      issues.push(invalidIssue(path, "", `CEL rules could not be checked: ${String(error)}`));
    }
  });
  return issues;
}

function walkSchema(
  schema: OpenAPISchema,
  path: string,
  visit: (schema: OpenAPISchema, path: string) => void,
): void {
  visit(schema, path);
  for (const [name, child] of Object.entries(schemaProperties(schema))) {
    walkSchema(child, keyPath(childPath(path, "properties"), name), visit);
  }
  const items = schemaItems(schema);
  if (items !== undefined) walkSchema(items, childPath(path, "items"), visit);
  const additional = schema.additionalProperties;
  if (isSchema(additional)) walkSchema(additional, childPath(path, "additionalProperties"), visit);
}

function checkNode(cache: ProgramCache, schema: OpenAPISchema, path: string): FieldIssue[] {
  const raw = schema["x-kubernetes-validations"];
  if (raw === undefined) return [];
  const rulesPath = childPath(path, "x-kubernetes-validations");
  return readRules(raw).flatMap((rule, index) => checkRule(cache, schema, rule, indexPath(rulesPath, index)));
}

function checkRule(
  cache: ProgramCache,
  schema: OpenAPISchema,
  rule: ValidationRule,
  path: string,
): FieldIssue[] {
  if (rule.rule.trim() === "") return [requiredIssue(childPath(path, "rule"))];
  const issues: FieldIssue[] = [];
  const mode = rule.optionalOldSelf ? "optional" : "plain";
  const compiled = cache.get(rule.rule, mode, "bool");
  if (!compiled.ok) {
    issues.push(invalidIssue(childPath(path, "rule"), rule.rule, `compilation failed: ${compiled.error}`));
  } else if (rule.optionalOldSelf && !compiled.program.usesOldSelf) {
    const why = "may not be set if oldSelf is not used in rule";
    issues.push(invalidIssue(childPath(path, "optionalOldSelf"), true, why));
  }
  if (rule.messageExpression !== "") {
    const message = cache.get(rule.messageExpression, mode, "string");
    if (!message.ok) {
      const why = `messageExpression compilation failed: ${message.error}`;
      issues.push(invalidIssue(childPath(path, "messageExpression"), rule.messageExpression, why));
    }
  }
  if (rule.message.includes("\n")) {
    issues.push(
      invalidIssue(childPath(path, "message"), rule.message, "message must not contain line breaks"),
    );
  }
  if (rule.reason !== undefined && !RULE_REASONS.some((reason) => reason === rule.reason)) {
    issues.push(notSupportedIssue(childPath(path, "reason"), rule.reason, RULE_REASONS));
  }
  if (rule.fieldPath !== "" && !fieldPathResolves(schema, normalizeFieldPath(rule.fieldPath))) {
    const why = "fieldPath must be a valid path";
    issues.push(invalidIssue(childPath(path, "fieldPath"), rule.fieldPath, why));
  }
  return issues;
}

/** Dotted paths must name declared properties (or map keys); bracketed forms are not checked. */
function fieldPathResolves(schema: OpenAPISchema, fieldPath: string): boolean {
  if (fieldPath.includes("[")) return true;
  let node: OpenAPISchema | undefined = schema;
  for (const name of fieldPath.split(".")) {
    if (node === undefined || preservesUnknownFields(node)) return node !== undefined;
    const additional: unknown = node.additionalProperties;
    node = schemaProperties(node)[name] ?? (isSchema(additional) ? additional : undefined);
  }
  return node !== undefined;
}
