// Evaluation of Kubernetes JSONPath against decoded JSON, with client-go's allowMissingKeys: a
// missing field, an index out of range or a value of the wrong shape yields no result instead of
// an error, which is what CRD printer columns need (the cell becomes null).

import { isPlainObject } from "../../api/object.ts";
import {
  type FilterOperator,
  type JsonPath,
  type JsonPathOperand,
  type JsonPathSegment,
  parseJsonPath,
} from "./jsonpath-parser.ts";

export type {
  FilterOperator,
  JsonPath,
  JsonPathLiteral,
  JsonPathOperand,
  JsonPathSegment,
} from "./jsonpath-parser.ts";
export { parseJsonPath } from "./jsonpath-parser.ts";

/** Every value the path selects, in document order; [] when nothing matches. */
export function evaluateJsonPath(object: unknown, path: string | JsonPath): unknown[] {
  const parsed = typeof path === "string" ? parseJsonPath(path) : path;
  return evaluateSegments([object], parsed.segments);
}

function evaluateSegments(values: unknown[], segments: readonly JsonPathSegment[]): unknown[] {
  let current = values;
  for (const segment of segments) {
    current = current.flatMap((value) => step(value, segment));
    if (current.length === 0) break;
  }
  return current;
}

function step(value: unknown, segment: JsonPathSegment): unknown[] {
  switch (segment.kind) {
    case "field":
      return isPlainObject(value) && Object.hasOwn(value, segment.name) ? [value[segment.name]] : [];
    case "wildcard":
      return children(value);
    case "recursive":
      return descendantsAndSelf(value);
    case "union":
      return segment.members.flatMap((member) => pick(value, member));
    case "slice":
      return Array.isArray(value) ? slice(value, segment) : [];
    case "filter":
      return Array.isArray(value) ? value.filter((element) => passes(element, segment)) : [];
  }
}

function children(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (isPlainObject(value)) return Object.values(value);
  return [];
}

function descendantsAndSelf(value: unknown): unknown[] {
  return [value, ...children(value).flatMap(descendantsAndSelf)];
}

function pick(value: unknown, member: number | string): unknown[] {
  if (typeof member === "number") {
    if (!Array.isArray(value)) return [];
    const index = member < 0 ? value.length + member : member;
    return index >= 0 && index < value.length ? [value[index]] : [];
  }
  return isPlainObject(value) && Object.hasOwn(value, member) ? [value[member]] : [];
}

function slice(
  array: readonly unknown[],
  segment: { start?: number; end?: number; step: number },
): unknown[] {
  const clamp = (index: number): number =>
    Math.min(Math.max(index < 0 ? array.length + index : index, 0), array.length);
  const start = clamp(segment.start ?? 0);
  const end = clamp(segment.end ?? array.length);
  const result: unknown[] = [];
  for (let i = start; i < end; i += segment.step) result.push(array[i]);
  return result;
}

function operandValues(element: unknown, operand: JsonPathOperand): unknown[] {
  return operand.kind === "literal" ? [operand.value] : evaluateSegments([element], operand.segments);
}

function passes(element: unknown, filter: Extract<JsonPathSegment, { kind: "filter" }>): boolean {
  const lefts = operandValues(element, filter.left);
  if (filter.operator === "exists") return lefts.length > 0;
  const rights = operandValues(element, filter.right);
  // Kubernetes compares exactly one value with one value; anything else skips (or fails) the element.
  if (lefts.length !== 1 || rights.length !== 1) return false;
  return compare(filter.operator, lefts[0], rights[0]);
}

function compare(operator: FilterOperator, left: unknown, right: unknown): boolean {
  const sameType = typeof left === typeof right && (left === null) === (right === null);
  switch (operator) {
    case "==":
      return sameType && left === right;
    case "!=":
      return !sameType || left !== right;
    default:
      return ordered(operator, left, right);
  }
}

function ordered(operator: "<" | ">" | "<=" | ">=", left: unknown, right: unknown): boolean {
  const comparable =
    (typeof left === "number" && typeof right === "number") ||
    (typeof left === "string" && typeof right === "string");
  if (!comparable) return false;
  switch (operator) {
    case "<":
      return left < right;
    case ">":
      return left > right;
    case "<=":
      return left <= right;
    case ">=":
      return left >= right;
  }
}

/**
 * A selected value as `kubectl -o jsonpath` prints it: strings as they are, objects and arrays as
 * compact JSON, numbers and booleans in their JSON spelling.
 */
export function formatJsonPathValue(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined) return "";
  return JSON.stringify(value) ?? "";
}
