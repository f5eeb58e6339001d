// Value checks of one schema node that need no recursion: enum, string and number constraints.
// Messages follow kube-openapi, wrapped by apiextensions-apiserver as field errors.

import type { FieldIssue } from "../errors.ts";
import type { OpenAPISchema } from "../registry/resource.ts";
import { invalidIssue, notSupportedIssue, tooLongIssue, typeInvalidIssue } from "./field-errors.ts";
import { matchesFormat } from "./formats.ts";
import { compilePattern } from "./patterns.ts";
import { jsonEqual, schemaNumber } from "./schema-access.ts";

/** kube-openapi names the field followed by `in body`. */
export function inBody(path: string): string {
  return path === "" ? "in body" : `${path} in body`;
}

export function checkEnum(value: unknown, schema: OpenAPISchema, path: string): FieldIssue[] {
  const allowed = schema.enum;
  if (!Array.isArray(allowed) || allowed.some((candidate) => jsonEqual(candidate, value))) return [];
  return [notSupportedIssue(path, value, allowed)];
}

export function checkString(value: string, schema: OpenAPISchema, path: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const length = [...value].length;
  const maxLength = schemaNumber(schema, "maxLength");
  const minLength = schemaNumber(schema, "minLength");
  if (maxLength !== undefined && length > maxLength) issues.push(tooLongIssue(path, maxLength));
  if (minLength !== undefined && length < minLength) {
    issues.push(invalidIssue(path, value, `${inBody(path)} should be at least ${minLength} chars long`));
  }
  const pattern = schema.pattern;
  if (typeof pattern === "string" && compilePattern(pattern)?.test(value) === false) {
    issues.push(invalidIssue(path, value, `${inBody(path)} should match '${pattern}'`));
  }
  const format = schema.format;
  if (typeof format === "string" && !matchesFormat(format, value)) {
    issues.push(
      typeInvalidIssue(path, value, `${inBody(path)} must be of type ${format}: ${JSON.stringify(value)}`),
    );
  }
  return issues;
}

function checkMinimum(value: number, schema: OpenAPISchema, path: string): FieldIssue[] {
  const minimum = schemaNumber(schema, "minimum");
  if (minimum === undefined) return [];
  const exclusive = schema.exclusiveMinimum === true;
  if (exclusive ? value > minimum : value >= minimum) return [];
  const relation = exclusive ? "greater than" : "greater than or equal to";
  return [invalidIssue(path, value, `${inBody(path)} should be ${relation} ${minimum}`)];
}

function checkMaximum(value: number, schema: OpenAPISchema, path: string): FieldIssue[] {
  const maximum = schemaNumber(schema, "maximum");
  if (maximum === undefined) return [];
  const exclusive = schema.exclusiveMaximum === true;
  if (exclusive ? value < maximum : value <= maximum) return [];
  const relation = exclusive ? "less than" : "less than or equal to";
  return [invalidIssue(path, value, `${inBody(path)} should be ${relation} ${maximum}`)];
}

export function checkNumber(value: number, schema: OpenAPISchema, path: string): FieldIssue[] {
  const issues = [...checkMinimum(value, schema, path), ...checkMaximum(value, schema, path)];
  const multipleOf = schemaNumber(schema, "multipleOf");
  if (multipleOf !== undefined && multipleOf > 0 && !Number.isInteger(value / multipleOf)) {
    issues.push(invalidIssue(path, value, `${inBody(path)} should be a multiple of ${multipleOf}`));
  }
  return issues;
}
