// The RuleValidator that evaluates x-kubernetes-validations of one schema node, following
// apiextensions-apiserver/pkg/apiserver/schema/cel/validation.go: transition rules (those using
// oldSelf) run only when the old value exists unless optionalOldSelf; other rules are ratcheted
// (skipped when the node equals its old value); failures become field errors with the rule's
// reason, message or messageExpression. Nothing here throws into the caller.

import { Optional } from "@marcbachmann/cel-js";
import {
  childPath,
  duplicateIssue,
  forbiddenIssue,
  invalidIssue,
  requiredIssue,
} from "../crd/field-errors.ts";
import { jsonEqual, jsonTypeOf, schemaType } from "../crd/schema-access.ts";
import type { RuleContext, RuleValidator } from "../crd/validate.ts";
import type { FieldIssue } from "../errors.ts";
import { CostBudget, CostLimitError } from "./budget.ts";
import { type CompiledProgram, errorSummary, ProgramCache } from "./compile.ts";
import {
  normalizeFieldPath,
  readRules,
  ruleErrorString,
  ruleMessageOrDefault,
  type ValidationRule,
} from "./rules.ts";
import { toCelValue } from "./values.ts";

/** Kubernetes' limit on the length of a messageExpression result. */
const MAX_MESSAGE_LENGTH = 5000;

interface NodeContext extends RuleContext {
  /** The JSON type Kubernetes prints as the invalid "value" (the schema's type). */
  readonly typeName: string;
}

/** A RuleValidator with its own program cache: create one per CRD. */
export function celRuleValidator(): RuleValidator {
  const cache = new ProgramCache();
  return (context) => {
    const node: NodeContext = {
      ...context,
      typeName: schemaType(context.schema) ?? jsonTypeOf(context.value),
    };
    const issues: FieldIssue[] = [];
    for (const rule of readRules(context.rules)) {
      try {
        const outcome = checkRule(cache, node, rule);
        issues.push(...outcome.issues);
        if (outcome.stop) break;
      } catch (error) {
        issues.push(invalidIssue(node.path, node.typeName, `internal error: ${errorSummary(error)}`));
      }
    }
    return issues;
  };
}

interface Outcome {
  readonly issues: FieldIssue[];
  /** The cost budget ran out: no further rules of the node run. */
  readonly stop: boolean;
}

const PASS: Outcome = { issues: [], stop: false };

function bindings(
  node: NodeContext,
  rule: ValidationRule,
  program: CompiledProgram,
  budget: CostBudget,
): Record<string, unknown> {
  const root = node.path === "";
  const context: Record<string, unknown> = { self: toCelValue(node.value, node.schema, budget, root) };
  if (!program.usesOldSelf) return context;
  const old = node.oldValue === undefined ? undefined : toCelValue(node.oldValue, node.schema, budget, root);
  if (!rule.optionalOldSelf) context.oldSelf = old;
  else context.oldSelf = old === undefined ? Optional.none() : Optional.of(old);
  return context;
}

function checkRule(cache: ProgramCache, node: NodeContext, rule: ValidationRule): Outcome {
  const compiled = cache.get(rule.rule, rule.optionalOldSelf ? "optional" : "plain", "bool");
  if (!compiled.ok) {
    return {
      issues: [invalidIssue(node.path, node.typeName, `rule compile error: ${compiled.error}`)],
      stop: false,
    };
  }
  const program = compiled.program;
  const hasOld = node.oldValue !== undefined;
  if (program.usesOldSelf && !hasOld && !rule.optionalOldSelf) return PASS;
  if (!program.usesOldSelf && hasOld && jsonEqual(node.value, node.oldValue)) return PASS;
  const budget = new CostBudget();
  let result: unknown;
  try {
    result = program.run(bindings(node, rule, program, budget));
  } catch (error) {
    return evaluationFailure(node, rule, budget.exceeded ? new CostLimitError() : error);
  }
  if (budget.exceeded) return evaluationFailure(node, rule, new CostLimitError());
  if (result === true) return PASS;
  if (result !== false) return evaluationFailure(node, rule, new Error("rule did not evaluate to a bool"));
  const message = evaluatedMessage(cache, node, rule) ?? ruleMessageOrDefault(rule);
  return { issues: [ruleIssue(node, rule, message)], stop: false };
}

function evaluationFailure(node: NodeContext, rule: ValidationRule, error: unknown): Outcome {
  const text = errorSummary(error);
  const where = ruleErrorString(rule);
  if (error instanceof CostLimitError) {
    const detail = `'${text}': no further validation rules will be run due to call cost exceeds limit for rule: ${where}`;
    return { issues: [invalidIssue(node.path, node.typeName, detail)], stop: true };
  }
  if (/^(found )?no (such|matching) overload/i.test(text)) {
    const detail = `'${text}': call arguments did not match a supported operator, function or macro signature for rule: ${where}`;
    return { issues: [invalidIssue(node.path, node.typeName, detail)], stop: false };
  }
  // cel-go spells runtime errors in lower case ("no such key: x").
  const lowered = text.charAt(0).toLowerCase() + text.slice(1);
  return {
    issues: [invalidIssue(node.path, node.typeName, `${lowered} evaluating rule: ${where}`)],
    stop: false,
  };
}

/** The messageExpression's result, or undefined when it is unset or fails (the message is used). */
function evaluatedMessage(cache: ProgramCache, node: NodeContext, rule: ValidationRule): string | undefined {
  if (rule.messageExpression === "") return undefined;
  const compiled = cache.get(rule.messageExpression, rule.optionalOldSelf ? "optional" : "plain", "string");
  if (!compiled.ok) return undefined;
  const budget = new CostBudget();
  try {
    const message: unknown = compiled.program.run(bindings(node, rule, compiled.program, budget));
    if (typeof message !== "string" || budget.exceeded) return undefined;
    const valid = message.trim() !== "" && !message.includes("\n") && message.length <= MAX_MESSAGE_LENGTH;
    return valid ? message : undefined;
  } catch {
    return undefined;
  }
}

/** Kubernetes' fieldErrorForReason. */
function ruleIssue(node: NodeContext, rule: ValidationRule, message: string): FieldIssue {
  const fieldPath = normalizeFieldPath(rule.fieldPath);
  const field = fieldPath === "" ? node.path : childPath(node.path, fieldPath);
  switch (rule.reason) {
    case "FieldValueForbidden":
      return forbiddenIssue(field, message);
    case "FieldValueRequired":
      return requiredIssue(field, message);
    case "FieldValueDuplicate":
      return duplicateIssue(field, node.typeName);
    default:
      return invalidIssue(field, node.typeName, message);
  }
}
