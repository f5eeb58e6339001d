// OpenAPI v3 validation of a custom resource against its structural schema, as the apiserver does
// after pruning and defaulting. CEL (x-kubernetes-validations) is not evaluated here: callers pass a
// `rules` hook that is called for every node carrying rules, with the correlated old value.

import { isPlainObject } from "../../api/object.ts";
import type { FieldIssue } from "../errors.ts";
import type { OpenAPISchema } from "../registry/resource.ts";
import {
  childPath,
  indexPath,
  invalidIssue,
  requiredIssue,
  tooManyIssue,
  typeInvalidIssue,
} from "./field-errors.ts";
import { correlatedItem, validateListType } from "./list-types.ts";
import {
  isIntOrString,
  jsonTypeOf,
  schemaAdditionalProperties,
  schemaItems,
  schemaNumber,
  schemaProperties,
  schemaStrings,
  schemaType,
} from "./schema-access.ts";
import { checkJunctors } from "./validate-junctors.ts";
import { checkEnum, checkNumber, checkString, inBody } from "./validate-scalars.ts";

/** One node with `x-kubernetes-validations`, handed to the rules hook. */
export interface RuleContext {
  readonly schema: OpenAPISchema;
  /** The node's x-kubernetes-validations, unparsed. */
  readonly rules: unknown;
  readonly value: unknown;
  /** The same node in the old object on update when Kubernetes can correlate it; else undefined. */
  readonly oldValue: unknown;
  readonly path: string;
}

/** Evaluates x-kubernetes-validations of one node (the CEL extension point). */
export type RuleValidator = (context: RuleContext) => FieldIssue[];

export interface ValidationOptions {
  /** Path of `value` inside the object; "" for the object itself. */
  readonly path?: string;
  /** The old object, on update. */
  readonly oldValue?: unknown;
  readonly rules?: RuleValidator;
}

interface Walk {
  readonly issues: FieldIssue[];
  readonly rules: RuleValidator | undefined;
}

export function validateAgainstSchema(
  value: unknown,
  schema: OpenAPISchema,
  options: ValidationOptions = {},
): FieldIssue[] {
  const walk: Walk = { issues: [], rules: options.rules };
  validateNode(walk, value, schema, options.path ?? "", options.oldValue);
  return walk.issues;
}

function expectedType(schema: OpenAPISchema): string | undefined {
  return isIntOrString(schema) ? "integer,string" : schemaType(schema);
}

function typeMatches(expected: string, actual: string): boolean {
  if (expected === "integer,string") return actual === "integer" || actual === "string";
  if (expected === "number") return actual === "number" || actual === "integer";
  return expected === actual;
}

/** False when the value has the wrong type (or is a forbidden null); further checks are skipped. */
function checkType(walk: Walk, value: unknown, schema: OpenAPISchema, path: string): boolean {
  const expected = expectedType(schema);
  if (value === null && schema.nullable === true) return true;
  const actual = jsonTypeOf(value);
  if (expected === undefined || typeMatches(expected, actual)) return true;
  walk.issues.push(
    typeInvalidIssue(path, actual, `${inBody(path)} must be of type ${expected}: ${JSON.stringify(actual)}`),
  );
  return false;
}

function validateNode(walk: Walk, value: unknown, schema: OpenAPISchema, path: string, old: unknown): void {
  if (!checkType(walk, value, schema, path) || value === null) return;
  walk.issues.push(...checkEnum(value, schema, path));
  if (typeof value === "string") walk.issues.push(...checkString(value, schema, path));
  if (typeof value === "number") walk.issues.push(...checkNumber(value, schema, path));
  if (isPlainObject(value)) validateObject(walk, value, schema, path, old);
  if (Array.isArray(value)) validateArray(walk, value, schema, path, old);
  walk.issues.push(...checkJunctors(value, schema, path, (v, s) => validateAgainstSchema(v, s, { path })));
  const rules = schema["x-kubernetes-validations"];
  if (walk.rules !== undefined && rules !== undefined) {
    walk.issues.push(...walk.rules({ schema, rules, value, oldValue: old, path }));
  }
}

function checkPropertyCounts(walk: Walk, count: number, schema: OpenAPISchema, path: string): void {
  const max = schemaNumber(schema, "maxProperties");
  const min = schemaNumber(schema, "minProperties");
  if (max !== undefined && count > max) walk.issues.push(tooManyIssue(path, count, max));
  if (min !== undefined && count < min) {
    walk.issues.push(invalidIssue(path, count, `${inBody(path)} should have at least ${min} properties`));
  }
}

function validateObject(
  walk: Walk,
  value: Record<string, unknown>,
  schema: OpenAPISchema,
  path: string,
  old: unknown,
): void {
  for (const name of schemaStrings(schema, "required")) {
    if (value[name] === undefined) walk.issues.push(requiredIssue(childPath(path, name)));
  }
  checkPropertyCounts(walk, Object.keys(value).length, schema, path);
  const properties = schemaProperties(schema);
  const additional = schemaAdditionalProperties(schema);
  for (const [name, child] of Object.entries(value)) {
    const childSchema = properties[name] ?? (typeof additional === "object" ? additional : undefined);
    const oldChild = isPlainObject(old) ? old[name] : undefined;
    if (childSchema !== undefined) validateNode(walk, child, childSchema, childPath(path, name), oldChild);
    else if (additional === false) {
      const where = childPath(path, name);
      walk.issues.push(invalidIssue(where, "", `${inBody(where)} is a forbidden property`));
    }
  }
}

function validateArray(
  walk: Walk,
  value: unknown[],
  schema: OpenAPISchema,
  path: string,
  old: unknown,
): void {
  const max = schemaNumber(schema, "maxItems");
  const min = schemaNumber(schema, "minItems");
  if (max !== undefined && value.length > max) walk.issues.push(tooManyIssue(path, value.length, max));
  if (min !== undefined && value.length < min) {
    walk.issues.push(invalidIssue(path, value.length, `${inBody(path)} should have at least ${min} items`));
  }
  const items = schemaItems(schema);
  if (items !== undefined) {
    value.forEach((item, index) => {
      validateNode(walk, item, items, indexPath(path, index), correlatedItem(item, old, schema));
    });
  }
  walk.issues.push(...validateListType(value, schema, path));
}
