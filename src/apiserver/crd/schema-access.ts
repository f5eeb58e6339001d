// Typed reads of OpenAPI v3 schema keywords. Schemas arrive as untyped JSON (a CRD body), so every
// read checks the shape and treats a malformed keyword as absent; structural.ts reports them.

import { isPlainObject } from "../../api/object.ts";
import type { OpenAPISchema } from "../registry/resource.ts";

export function isSchema(value: unknown): value is OpenAPISchema {
  return isPlainObject(value);
}

export function schemaType(schema: OpenAPISchema): string | undefined {
  return typeof schema.type === "string" ? schema.type : undefined;
}

export function schemaProperties(schema: OpenAPISchema): Record<string, OpenAPISchema> {
  const properties = schema.properties;
  if (!isPlainObject(properties)) return {};
  const result: Record<string, OpenAPISchema> = {};
  for (const [name, child] of Object.entries(properties)) if (isSchema(child)) result[name] = child;
  return result;
}

/** additionalProperties: a schema, `true`/`false`, or undefined when absent. */
export function schemaAdditionalProperties(schema: OpenAPISchema): OpenAPISchema | boolean | undefined {
  const additional = schema.additionalProperties;
  if (typeof additional === "boolean" || isSchema(additional)) return additional;
  return undefined;
}

export function schemaItems(schema: OpenAPISchema): OpenAPISchema | undefined {
  return isSchema(schema.items) ? schema.items : undefined;
}

export function schemaList(schema: OpenAPISchema, keyword: string): OpenAPISchema[] {
  const list = schema[keyword];
  return Array.isArray(list) ? list.filter(isSchema) : [];
}

export function schemaStrings(schema: OpenAPISchema, keyword: string): string[] {
  const list = schema[keyword];
  return Array.isArray(list) ? list.filter((item): item is string => typeof item === "string") : [];
}

export function schemaNumber(schema: OpenAPISchema, keyword: string): number | undefined {
  const value = schema[keyword];
  return typeof value === "number" ? value : undefined;
}

export function schemaFlag(schema: OpenAPISchema, keyword: string): boolean {
  return schema[keyword] === true;
}

export function preservesUnknownFields(schema: OpenAPISchema): boolean {
  return schemaFlag(schema, "x-kubernetes-preserve-unknown-fields");
}

export function isIntOrString(schema: OpenAPISchema): boolean {
  return schemaFlag(schema, "x-kubernetes-int-or-string");
}

export function isEmbeddedResource(schema: OpenAPISchema): boolean {
  return schemaFlag(schema, "x-kubernetes-embedded-resource");
}

/** The JSON type name of a decoded value, as kube-openapi names it in messages. */
export function jsonTypeOf(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  if (typeof value === "object") return "object";
  return typeof value;
}

/** Deep equality of decoded JSON values (enum, list-type set). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return canonicalJSON(a) === canonicalJSON(b);
}

/** JSON with object keys sorted, so equal values give equal strings. */
export function canonicalJSON(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJSON).join(",")}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJSON(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}
