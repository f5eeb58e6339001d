// Kubernetes' structural-schema rules for CRD schemas (apiextensions-apiserver pkg/apiserver/schema):
// every specified field has a type, junctors only add value validations, root metadata only
// restricts name and generateName, and some OpenAPI features are not supported at all.

import type { FieldIssue } from "../errors.ts";
import type { OpenAPISchema } from "../registry/resource.ts";
import {
  childPath,
  forbiddenIssue,
  indexPath,
  invalidIssue,
  keyPath,
  requiredIssue,
} from "./field-errors.ts";
import { compilePattern } from "./patterns.ts";
import {
  isEmbeddedResource,
  isIntOrString,
  isSchema,
  preservesUnknownFields,
  schemaAdditionalProperties,
  schemaList,
  schemaProperties,
  schemaType,
} from "./schema-access.ts";
import { checkDefault, checkListType, checkResourceMetadata } from "./structural-rules.ts";

/** Where a node sits: it decides the message for a missing type, and junctors have their own rules. */
type Level = "root" | "field" | "items" | "junctor";

const TYPES = new Set(["object", "array", "string", "integer", "number", "boolean"]);

const UNSUPPORTED = [
  "$ref",
  "$schema",
  "id",
  "definitions",
  "patternProperties",
  "dependencies",
  "additionalItems",
];

/** Only value validations are allowed below allOf/anyOf/oneOf/not. */
const NOT_IN_JUNCTORS: Readonly<Record<string, string>> = {
  type: "must be empty to be structural",
  nullable: "must be false to be structural",
  default: "must be undefined to be structural",
  additionalProperties: "must be undefined to be structural",
  "x-kubernetes-preserve-unknown-fields": "must be false to be structural",
  "x-kubernetes-embedded-resource": "must be false to be structural",
  "x-kubernetes-int-or-string": "must be false to be structural",
  "x-kubernetes-list-type": "must be undefined to be structural",
  "x-kubernetes-list-map-keys": "must be undefined to be structural",
  "x-kubernetes-map-type": "must be undefined to be structural",
  "x-kubernetes-validations": "must be undefined to be structural",
};

const MISSING_TYPE: Readonly<Record<Exclude<Level, "junctor">, string>> = {
  root: "must not be empty at the root",
  field: "must not be empty for specified object fields",
  items: "must not be empty for specified array items",
};

/** Issues with `schema`, a version's openAPIV3Schema found at `path`. */
export function validateStructuralSchema(schema: OpenAPISchema, path: string): FieldIssue[] {
  const issues = checkNode(schema, path, "root", false);
  const type = schemaType(schema);
  if (type !== undefined && type !== "object") {
    issues.push(invalidIssue(childPath(path, "type"), type, "must be object at the root"));
  }
  return issues;
}

function checkNode(
  schema: OpenAPISchema,
  path: string,
  level: Level,
  intOrStringBranch: boolean,
): FieldIssue[] {
  const issues = [...checkKeywords(schema, path), ...checkType(schema, path, level, intOrStringBranch)];
  if (level !== "junctor") {
    issues.push(...checkListType(schema, path), ...checkDefault(schema, path));
    if (level === "root" || isEmbeddedResource(schema)) issues.push(...checkResourceMetadata(schema, path));
  }
  const childLevel = (fallback: Level): Level => (level === "junctor" ? "junctor" : fallback);
  for (const [name, child] of Object.entries(schemaProperties(schema))) {
    issues.push(
      ...checkNode(child, keyPath(childPath(path, "properties"), name), childLevel("field"), false),
    );
  }
  const additional = schemaAdditionalProperties(schema);
  if (typeof additional === "object") {
    issues.push(
      ...checkNode(additional, childPath(path, "additionalProperties"), childLevel("field"), false),
    );
  }
  if (isSchema(schema.items)) {
    issues.push(...checkNode(schema.items, childPath(path, "items"), childLevel("items"), false));
  }
  issues.push(...checkJunctors(schema, path));
  return issues;
}

function checkJunctors(schema: OpenAPISchema, path: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const intOrString = isIntOrString(schema);
  for (const junctor of ["allOf", "anyOf", "oneOf"]) {
    schemaList(schema, junctor).forEach((branch, index) => {
      const branchPath = indexPath(childPath(path, junctor), index);
      issues.push(...checkNode(branch, branchPath, "junctor", intOrString));
    });
  }
  if (isSchema(schema.not)) issues.push(...checkNode(schema.not, childPath(path, "not"), "junctor", false));
  return issues;
}

function checkKeywords(schema: OpenAPISchema, path: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const keyword of UNSUPPORTED) {
    if (schema[keyword] !== undefined)
      issues.push(forbiddenIssue(childPath(path, keyword), `${keyword} is not supported`));
  }
  if (Array.isArray(schema.items)) {
    issues.push(forbiddenIssue(childPath(path, "items"), "items must be a schema object and not an array"));
  }
  if (schema.uniqueItems === true) {
    const why = "uniqueItems cannot be set to true since the runtime complexity becomes quadratic";
    issues.push(forbiddenIssue(childPath(path, "uniqueItems"), why));
  }
  const additional = schemaAdditionalProperties(schema);
  if (additional === false) {
    issues.push(
      forbiddenIssue(childPath(path, "additionalProperties"), "additionalProperties cannot be set to false"),
    );
  }
  if (additional !== undefined && schema.properties !== undefined) {
    const why = "additionalProperties and properties are mutual exclusive";
    issues.push(forbiddenIssue(childPath(path, "additionalProperties"), why));
  }
  if (typeof schema.pattern === "string" && compilePattern(schema.pattern) === null) {
    issues.push(
      invalidIssue(childPath(path, "pattern"), schema.pattern, "must be a valid regular expression"),
    );
  }
  const preserve = schema["x-kubernetes-preserve-unknown-fields"];
  if (preserve !== undefined && preserve !== true) {
    issues.push(
      invalidIssue(
        childPath(path, "x-kubernetes-preserve-unknown-fields"),
        preserve,
        "must be true or undefined",
      ),
    );
  }
  return issues;
}

function checkJunctorNode(schema: OpenAPISchema, path: string, intOrStringBranch: boolean): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const [keyword, why] of Object.entries(NOT_IN_JUNCTORS)) {
    if (schema[keyword] === undefined || schema[keyword] === false) continue;
    // x-kubernetes-int-or-string nodes spell their type as anyOf: [{type: integer}, {type: string}].
    if (keyword === "type" && intOrStringBranch && (schema.type === "integer" || schema.type === "string"))
      continue;
    issues.push(forbiddenIssue(childPath(path, keyword), why));
  }
  return issues;
}

function checkType(
  schema: OpenAPISchema,
  path: string,
  level: Level,
  intOrStringBranch: boolean,
): FieldIssue[] {
  if (level === "junctor") return checkJunctorNode(schema, path, intOrStringBranch);
  const type = schema.type;
  const typePath = childPath(path, "type");
  if (type === undefined) {
    if (isIntOrString(schema) || preservesUnknownFields(schema)) return [];
    return [requiredIssue(typePath, MISSING_TYPE[level])];
  }
  if (typeof type !== "string" || !TYPES.has(type)) {
    return [invalidIssue(typePath, type, "must be one of array, boolean, integer, number, object, string")];
  }
  if (isIntOrString(schema))
    return [forbiddenIssue(typePath, "must be empty if x-kubernetes-int-or-string is true")];
  if (isEmbeddedResource(schema) && type !== "object") {
    return [invalidIssue(typePath, type, "must be object if x-kubernetes-embedded-resource is true")];
  }
  return [];
}
