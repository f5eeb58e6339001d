// allOf / anyOf / oneOf / not, which structural schemas allow only as value validations.

import type { FieldIssue } from "../errors.ts";
import type { OpenAPISchema } from "../registry/resource.ts";
import { invalidIssue } from "./field-errors.ts";
import { isIntOrString, isSchema, schemaList } from "./schema-access.ts";

type Validate = (value: unknown, schema: OpenAPISchema) => FieldIssue[];

function fewestIssues(results: readonly FieldIssue[][]): FieldIssue[] {
  return results.reduce((best, next) => (next.length < best.length ? next : best));
}

function checkAnyOf(value: unknown, schema: OpenAPISchema, path: string, validate: Validate): FieldIssue[] {
  // For int-or-string the anyOf only restates the type check, which already ran.
  const branches = isIntOrString(schema) ? [] : schemaList(schema, "anyOf");
  if (branches.length === 0) return [];
  const results = branches.map((branch) => validate(value, branch));
  if (results.some((issues) => issues.length === 0)) return [];
  return [
    invalidIssue(path, "", `${JSON.stringify(path)} must validate at least one schema (anyOf)`),
    ...fewestIssues(results),
  ];
}

function checkOneOf(value: unknown, schema: OpenAPISchema, path: string, validate: Validate): FieldIssue[] {
  const branches = schemaList(schema, "oneOf");
  if (branches.length === 0) return [];
  const results = branches.map((branch) => validate(value, branch));
  const valid = results.filter((issues) => issues.length === 0).length;
  if (valid === 1) return [];
  const message = `${JSON.stringify(path)} must validate one and only one schema (oneOf)`;
  if (valid > 1) return [invalidIssue(path, "", `${message}. Found ${valid} valid alternatives`)];
  return [invalidIssue(path, "", message), ...fewestIssues(results)];
}

function checkNot(value: unknown, schema: OpenAPISchema, path: string, validate: Validate): FieldIssue[] {
  const not = schema.not;
  if (!isSchema(not) || validate(value, not).length > 0) return [];
  return [invalidIssue(path, "", `${JSON.stringify(path)} must not validate the schema (not)`)];
}

/** Issues of every junctor on this node; `validate` checks the value against one branch. */
export function checkJunctors(
  value: unknown,
  schema: OpenAPISchema,
  path: string,
  validate: Validate,
): FieldIssue[] {
  const allOf = schemaList(schema, "allOf").flatMap((branch) => validate(value, branch));
  return [
    ...allOf,
    ...checkAnyOf(value, schema, path, validate),
    ...checkOneOf(value, schema, path, validate),
    ...checkNot(value, schema, path, validate),
  ];
}
