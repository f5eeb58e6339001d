// Structural-schema rules that look at more than one keyword of a node: list types, defaults and the
// metadata of a resource root.

import type { FieldIssue } from "../errors.ts";
import type { OpenAPISchema } from "../registry/resource.ts";
import { applyDefaults } from "./defaults.ts";
import {
  childPath,
  forbiddenIssue,
  indexPath,
  invalidIssue,
  keyPath,
  notSupportedIssue,
  requiredIssue,
} from "./field-errors.ts";
import { listMapKeys } from "./list-types.ts";
import { pruneValue } from "./prune.ts";
import { schemaItems, schemaProperties, schemaStrings, schemaType } from "./schema-access.ts";
import { validateAgainstSchema } from "./validate.ts";

const LIST_TYPES = ["atomic", "set", "map"];
const SCALARS = new Set(["string", "integer", "number", "boolean"]);

export function checkListType(schema: OpenAPISchema, path: string): FieldIssue[] {
  const listType = schema["x-kubernetes-list-type"];
  const keysPath = childPath(path, "x-kubernetes-list-map-keys");
  if (listType !== "map" && schema["x-kubernetes-list-map-keys"] !== undefined) {
    return [forbiddenIssue(keysPath, "must be empty if x-kubernetes-list-type is not map")];
  }
  if (listType === undefined) return [];
  const typePath = childPath(path, "x-kubernetes-list-type");
  if (typeof listType !== "string" || !LIST_TYPES.includes(listType)) {
    return [notSupportedIssue(typePath, listType, LIST_TYPES)];
  }
  if (schemaType(schema) !== "array")
    return [invalidIssue(typePath, listType, "must only be used if type is array")];
  const items = schemaItems(schema);
  if (items === undefined) return [];
  if (listType === "set" && schemaType(items) === "object" && items["x-kubernetes-map-type"] !== "atomic") {
    const why = "must be atomic as item of a list with x-kubernetes-list-type=set";
    return [invalidIssue(childPath(childPath(path, "items"), "x-kubernetes-map-type"), "granular", why)];
  }
  return listType === "map" ? checkMapKeys(schema, items, path) : [];
}

function checkMapKeys(schema: OpenAPISchema, items: OpenAPISchema, path: string): FieldIssue[] {
  const keys = listMapKeys(schema);
  const keysPath = childPath(path, "x-kubernetes-list-map-keys");
  if (keys.length === 0)
    return [requiredIssue(keysPath, "must not be empty if x-kubernetes-list-type is map")];
  const itemsPath = childPath(path, "items");
  if (schemaType(items) !== "object") {
    const why = "must be object if parent array's x-kubernetes-list-type is map";
    return [invalidIssue(childPath(itemsPath, "type"), schemaType(items) ?? "", why)];
  }
  const properties = schemaProperties(items);
  const required = new Set(schemaStrings(items, "required"));
  const issues: FieldIssue[] = [];
  keys.forEach((key, index) => {
    const property = properties[key];
    if (property === undefined) {
      issues.push(
        invalidIssue(indexPath(keysPath, index), key, "entries must all be names of item properties"),
      );
    } else if (!SCALARS.has(schemaType(property) ?? "")) {
      issues.push(invalidIssue(indexPath(keysPath, index), key, "must be a scalar typed property"));
    } else if (!required.has(key) && property.default === undefined) {
      const why =
        "this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property";
      issues.push(requiredIssue(childPath(keyPath(childPath(itemsPath, "properties"), key), "default"), why));
    }
  });
  return issues;
}

/** A default must survive pruning unchanged and validate against its own node. */
export function checkDefault(schema: OpenAPISchema, path: string): FieldIssue[] {
  if (schema.default === undefined) return [];
  const defaultPath = childPath(path, "default");
  const value = structuredClone(schema.default);
  applyDefaults(value, schema);
  if (pruneValue(value, schema).length > 0) {
    return [invalidIssue(defaultPath, schema.default, "must not have unknown fields")];
  }
  return validateAgainstSchema(value, schema, { path: defaultPath });
}

const METADATA_KEYWORDS = new Set(["type", "description", "title", "properties"]);
const METADATA_FIELDS = new Set(["name", "generateName"]);

/** `metadata` of a resource (the root or an embedded resource) may only restrict name and generateName. */
export function checkResourceMetadata(schema: OpenAPISchema, path: string): FieldIssue[] {
  const metadata = schemaProperties(schema).metadata;
  if (metadata === undefined) return [];
  const metadataPath = keyPath(childPath(path, "properties"), "metadata");
  const type = schemaType(metadata);
  if (type !== undefined && type !== "object") {
    return [invalidIssue(childPath(metadataPath, "type"), type, "must be object")];
  }
  const extraKeyword = Object.keys(metadata).some((keyword) => !METADATA_KEYWORDS.has(keyword));
  const extraField = Object.keys(schemaProperties(metadata)).some((field) => !METADATA_FIELDS.has(field));
  if (!extraKeyword && !extraField) return [];
  const why =
    "must not specify anything other than name and generateName, but metadata is implicitly specified";
  return [forbiddenIssue(metadataPath, why)];
}
