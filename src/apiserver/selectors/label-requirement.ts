// One term of a label selector, built and checked as labels.NewRequirement does, matched as
// Requirement.Matches does and printed as Requirement.String does.

import { labelValueErrors, qualifiedNameErrors } from "./label-validation.ts";

export type LabelOperator =
  | "Equals"
  | "DoubleEquals"
  | "NotEquals"
  | "In"
  | "NotIn"
  | "Exists"
  | "DoesNotExist"
  | "GreaterThan"
  | "LessThan";

export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  /** Sorted and without duplicates; empty for Exists/DoesNotExist. */
  readonly values: readonly string[];
}

/** Thrown with Kubernetes' wording; callers turn it into the error their layer needs. */
export class RequirementError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RequirementError";
  }
}

const INTEGER_RE = /^[+-]?\d+$/;

function invalid(path: string, value: unknown, detail: string): string {
  return `${path}: Invalid value: ${JSON.stringify(value)}: ${detail}`;
}

function operatorErrors(operator: LabelOperator, values: readonly string[]): string[] {
  switch (operator) {
    case "In":
    case "NotIn":
      return values.length === 0
        ? [invalid("values", values, "for 'in', 'notin' operators, values set can't be empty")]
        : [];
    case "Equals":
    case "DoubleEquals":
    case "NotEquals":
      return values.length === 1
        ? []
        : [invalid("values", values, "exact-match compatibility requires one single value")];
    case "Exists":
    case "DoesNotExist":
      return values.length === 0
        ? []
        : [invalid("values", values, "values set must be empty for exists and does not exist")];
    case "GreaterThan":
    case "LessThan": {
      const errors =
        values.length === 1
          ? []
          : [invalid("values", values, "for 'Gt', 'Lt' operators, exactly one value is required")];
      values.forEach((value, i) => {
        if (!INTEGER_RE.test(value)) {
          errors.push(
            invalid(`values[${i}]`, value, "for 'Gt', 'Lt' operators, the value must be an integer"),
          );
        }
      });
      return errors;
    }
  }
}

/** A validated requirement; throws RequirementError listing every problem. */
export function newRequirement(
  key: string,
  operator: LabelOperator,
  values: readonly string[],
): LabelRequirement {
  const errors: string[] = [];
  const keyErrors = qualifiedNameErrors(key);
  if (keyErrors.length > 0) errors.push(invalid("key", key, keyErrors.join("; ")));
  errors.push(...operatorErrors(operator, values));
  values.forEach((value, i) => {
    const valueErrors = labelValueErrors(value);
    if (valueErrors.length > 0) errors.push(invalid(`values[${i}][${key}]`, value, valueErrors.join("; ")));
  });
  if (errors.length === 1) throw new RequirementError(errors[0] ?? "");
  if (errors.length > 1) throw new RequirementError(`[${errors.join(", ")}]`);
  return { key, operator, values: [...new Set(values)].sort() };
}

function compareIntegers(
  operator: "GreaterThan" | "LessThan",
  actual: string,
  wanted: string | undefined,
): boolean {
  if (wanted === undefined || !INTEGER_RE.test(actual) || !INTEGER_RE.test(wanted)) return false;
  const have = BigInt(actual);
  const want = BigInt(wanted);
  return operator === "GreaterThan" ? have > want : have < want;
}

export function requirementMatches(
  requirement: LabelRequirement,
  labels: Readonly<Record<string, string>>,
): boolean {
  const has = Object.hasOwn(labels, requirement.key);
  const value = has ? labels[requirement.key] : undefined;
  switch (requirement.operator) {
    case "In":
    case "Equals":
    case "DoubleEquals":
      return value !== undefined && requirement.values.includes(value);
    case "NotIn":
    case "NotEquals":
      return value === undefined || !requirement.values.includes(value);
    case "Exists":
      return has;
    case "DoesNotExist":
      return !has;
    case "GreaterThan":
    case "LessThan":
      return value !== undefined && compareIntegers(requirement.operator, value, requirement.values[0]);
  }
}

const OPERATOR_TEXT: Record<LabelOperator, string> = {
  Equals: "=",
  DoubleEquals: "==",
  NotEquals: "!=",
  In: " in ",
  NotIn: " notin ",
  Exists: "",
  DoesNotExist: "",
  GreaterThan: ">",
  LessThan: "<",
};

export function requirementToString(requirement: LabelRequirement): string {
  const { key, operator, values } = requirement;
  if (operator === "Exists") return key;
  if (operator === "DoesNotExist") return `!${key}`;
  const joined = values.join(",");
  const shown = operator === "In" || operator === "NotIn" ? `(${joined})` : joined;
  return `${key}${OPERATOR_TEXT[operator]}${shown}`;
}
