// One x-kubernetes-validations entry, read from untyped schema JSON.

import { isPlainObject } from "../../api/object.ts";

export const RULE_REASONS = [
  "FieldValueInvalid",
  "FieldValueForbidden",
  "FieldValueRequired",
  "FieldValueDuplicate",
] as const;

export type RuleReason = (typeof RULE_REASONS)[number];

export interface ValidationRule {
  readonly rule: string;
  readonly message: string;
  readonly messageExpression: string;
  /** Undefined when not set; Kubernetes then reports FieldValueInvalid. */
  readonly reason: string | undefined;
  readonly fieldPath: string;
  readonly optionalOldSelf: boolean;
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** The entries of an x-kubernetes-validations value; malformed entries read as empty rules. */
export function readRules(raw: unknown): ValidationRule[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((entry) => {
    const rule = isPlainObject(entry) ? entry : {};
    return {
      rule: text(rule.rule),
      message: text(rule.message),
      messageExpression: text(rule.messageExpression),
      reason: typeof rule.reason === "string" && rule.reason !== "" ? rule.reason : undefined,
      fieldPath: text(rule.fieldPath),
      optionalOldSelf: rule.optionalOldSelf === true,
    };
  });
}

/** Kubernetes' ruleErrorString: the message, else the rule, trimmed. */
export function ruleErrorString(rule: ValidationRule): string {
  return rule.message.trim() !== "" ? rule.message.trim() : rule.rule.trim();
}

/** Kubernetes' ruleMessageOrDefault. */
export function ruleMessageOrDefault(rule: ValidationRule): string {
  return rule.message.trim() !== "" ? rule.message.trim() : `failed rule: ${ruleErrorString(rule)}`;
}

/** `.spec.foo` / `spec.foo` → `spec.foo`; bracketed keys are kept as written. */
export function normalizeFieldPath(fieldPath: string): string {
  return fieldPath.startsWith(".") ? fieldPath.slice(1) : fieldPath;
}
