// metav1.LabelSelector as Job, Deployment, DaemonSet and PodDisruptionBudget carry it: matching a
// template's labels, and the syntax checks of ValidateLabelSelector.

import type { FieldIssue } from "../../errors.ts";
import { child, fieldInvalid, fieldNotSupported, fieldRequired, index } from "./field-issues.ts";
import { list, record, stringMap, text } from "./object-fields.ts";
import { validateLabels } from "./object-meta.ts";

const OPERATORS = ["In", "NotIn", "Exists", "DoesNotExist"] as const;

/** True when `labels` satisfy every matchLabels entry and matchExpressions requirement. */
export function selectorMatches(selector: unknown, labels: Record<string, string>): boolean {
  for (const [key, value] of Object.entries(stringMap(record(selector)?.matchLabels))) {
    if (labels[key] !== value) return false;
  }
  for (const expression of list(record(selector)?.matchExpressions)) {
    const fields = record(expression) ?? {};
    const key = text(fields.key) ?? "";
    const values = list(fields.values);
    const has = Object.hasOwn(labels, key);
    switch (fields.operator) {
      case "In":
        if (!has || !values.includes(labels[key])) return false;
        break;
      case "NotIn":
        if (has && values.includes(labels[key])) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** A selector with neither matchLabels nor matchExpressions selects everything. */
export function selectorIsEmpty(selector: unknown): boolean {
  const fields = record(selector);
  return (
    Object.keys(record(fields?.matchLabels) ?? {}).length === 0 && list(fields?.matchExpressions).length === 0
  );
}

export function validateLabelSelector(selector: unknown, path: string): FieldIssue[] {
  const fields = record(selector);
  if (fields === undefined) return [];
  const issues = validateLabels(fields.matchLabels, child(path, "matchLabels"));
  list(fields.matchExpressions).forEach((expression, i) => {
    const at = index(child(path, "matchExpressions"), i);
    const requirement = record(expression) ?? {};
    const operator = text(requirement.operator) ?? "";
    const values = list(requirement.values);
    if (!(OPERATORS as readonly string[]).includes(operator)) {
      issues.push(fieldNotSupported(child(at, "operator"), operator, OPERATORS));
    } else if ((operator === "In" || operator === "NotIn") && values.length === 0) {
      issues.push(fieldRequired(child(at, "values"), "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if ((operator === "Exists" || operator === "DoesNotExist") && values.length > 0) {
      issues.push(
        fieldInvalid(
          child(at, "values"),
          values,
          "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        ),
      );
    }
  });
  return issues;
}
