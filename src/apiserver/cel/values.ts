// Decoded JSON → CEL values, typed by the structural schema as Kubernetes does
// (k8s.io/apiserver/pkg/cel/common): `type: integer` → int (BigInt), `type: number` → double,
// `format: date`/`date-time` strings → timestamp, `format: byte` → bytes, objects → maps,
// arrays → lists. Untyped nodes (int-or-string, preserve-unknown-fields) are dyn: integral
// JSON numbers become int, others double. Lists and maps are metered by a CostBudget.

import { isPlainObject } from "../../api/object.ts";
import {
  isEmbeddedResource,
  schemaAdditionalProperties,
  schemaItems,
  schemaProperties,
  schemaType,
} from "../crd/schema-access.ts";
import type { OpenAPISchema } from "../registry/resource.ts";
import { type CostBudget, metered } from "./budget.ts";

const ANY: OpenAPISchema = {};

/** The CEL value of `value` at a node with `schema`; `root` marks the object itself. */
export function toCelValue(value: unknown, schema: OpenAPISchema, budget: CostBudget, root = false): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return numberValue(value, schemaType(schema));
  if (typeof value === "string") return stringValue(value, schema);
  if (Array.isArray(value)) {
    const items = schemaItems(schema) ?? ANY;
    return metered(
      value.map((item) => toCelValue(item, items, budget)),
      budget,
    );
  }
  if (isPlainObject(value)) return objectValue(value, schema, budget, root || isEmbeddedResource(schema));
  return value;
}

function numberValue(value: number, type: string | undefined): number | bigint {
  if (type === "number") return value;
  return Number.isSafeInteger(value) ? BigInt(value) : value;
}

function stringValue(value: string, schema: OpenAPISchema): unknown {
  switch (schema.format) {
    case "date":
    case "date-time": {
      const time = Date.parse(value);
      return Number.isNaN(time) ? value : new Date(time);
    }
    case "byte":
      return /^[A-Za-z0-9+/]*={0,2}$/.test(value) ? new Uint8Array(Buffer.from(value, "base64")) : value;
    default:
      return value;
  }
}

/**
 * Only name and generateName of an embedded ObjectMeta are visible to rules, as in Kubernetes
 * (the apiserver owns the rest).
 */
function objectValue(
  value: Record<string, unknown>,
  schema: OpenAPISchema,
  budget: CostBudget,
  embedded: boolean,
): Record<string, unknown> {
  const properties = schemaProperties(schema);
  const additional = schemaAdditionalProperties(schema);
  const result: Record<string, unknown> = Object.create(null);
  for (const [name, child] of Object.entries(value)) {
    if (child === undefined) continue;
    if (embedded && name === "metadata" && isPlainObject(child)) {
      result[name] = metered(restrictedMetadata(child), budget);
      continue;
    }
    const childSchema = properties[name] ?? (typeof additional === "object" ? additional : ANY);
    result[name] = toCelValue(child, childSchema, budget);
  }
  return metered(result, budget);
}

function restrictedMetadata(metadata: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = Object.create(null);
  for (const key of ["name", "generateName"]) {
    if (typeof metadata[key] === "string") result[key] = metadata[key];
  }
  return result;
}
