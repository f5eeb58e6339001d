// Checks a JSON value against a schema tree and returns a clean copy: only known fields, JSON nulls
// dropped (Ignition treats null as "not specified"), every problem reported with its path.

import type { SchemaNode } from "./schema.ts";
import type { IgnitionIssue } from "./types.ts";

export interface WalkContext {
  /** The declared 3.x minor version; fields with a larger `since` are refused. */
  minor: number;
  /** Printed in "needs a newer spec" messages, e.g. "3.2.0". */
  declared: string;
  issues: IgnitionIssue[];
}

export function childPath(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "list";
  return typeof value;
}

export function walkSchema(value: unknown, node: SchemaNode, path: string, ctx: WalkContext): unknown {
  const mismatch = (expected: string): undefined => {
    ctx.issues.push({
      path,
      code: "TypeInvalid",
      message: `expected ${expected}, got ${typeName(value)}`,
    });
    return undefined;
  };
  switch (node.kind) {
    case "any":
      return value;
    case "string":
      return typeof value === "string" ? value : mismatch("a string");
    case "boolean":
      return typeof value === "boolean" ? value : mismatch("a boolean");
    case "integer":
      return typeof value === "number" && Number.isSafeInteger(value) ? value : mismatch("an integer");
    case "list":
      if (!Array.isArray(value)) return mismatch("a list");
      return value.map((item, index) => walkSchema(item, node.of, `${path}[${index}]`, ctx));
    case "object":
      return isPlainObject(value) ? walkObject(value, node.fields, path, ctx) : mismatch("an object");
  }
}

function walkObject(
  value: Record<string, unknown>,
  fields: Extract<SchemaNode, { kind: "object" }>["fields"],
  path: string,
  ctx: WalkContext,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(value)) {
    const at = childPath(path, key);
    const spec = fields[key];
    if (spec === undefined) {
      ctx.issues.push({ path: at, code: "UnknownField", message: `unknown field "${key}"` });
      continue;
    }
    if (spec.since > ctx.minor) {
      ctx.issues.push({
        path: at,
        code: "FieldNotInVersion",
        message: `field "${key}" needs spec 3.${spec.since}.0 or later; the config declares ${ctx.declared}`,
      });
      continue;
    }
    if (raw === null) continue;
    const checked = walkSchema(raw, spec.node, at, ctx);
    if (checked !== undefined) out[key] = checked;
  }
  for (const [key, spec] of Object.entries(fields)) {
    if (spec.required && spec.since <= ctx.minor && (value[key] === undefined || value[key] === null)) {
      ctx.issues.push({
        path: childPath(path, key),
        code: "Required",
        message: `field "${key}" is required`,
      });
    }
  }
  return out;
}
