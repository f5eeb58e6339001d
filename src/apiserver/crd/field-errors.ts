// Kubernetes' field.Error constructors (k8s.io/apimachinery/pkg/util/validation/field) as FieldIssue
// builders, so messages read exactly as `kubectl` users know them.

import type { FieldIssue } from "../errors.ts";

/** `spec` + `replicas` → `spec.replicas`; the root path is the empty string. */
export function childPath(path: string, name: string): string {
  return path === "" ? name : `${path}.${name}`;
}

export function indexPath(path: string, index: number): string {
  return `${path}[${index}]`;
}

/** field.Path.Key: `properties[spec]`. */
export function keyPath(path: string, key: string): string {
  return `${path}[${key}]`;
}

/** A value as Go's `%#v` prints the decoded JSON (`"x"`, `5`, `map[string]interface {}{"a":1}`). */
export function goValue(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[]interface {}{${value.map(goValue).join(", ")}}`;
  if (typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `map[string]interface {}{${entries.map(([k, v]) => `${JSON.stringify(k)}:${goValue(v)}`).join(", ")}}`;
  }
  return JSON.stringify(String(value));
}

function issue(field: string, reason: string, body: string, detail = ""): FieldIssue {
  const text = detail === "" ? body : `${body}: ${detail}`;
  return { field, reason, message: field === "" ? text : `${field}: ${text}` };
}

export function requiredIssue(field: string, detail = ""): FieldIssue {
  return issue(field, "FieldValueRequired", "Required value", detail);
}

export function invalidIssue(field: string, value: unknown, detail: string): FieldIssue {
  return issue(field, "FieldValueInvalid", `Invalid value: ${goValue(value)}`, detail);
}

export function typeInvalidIssue(field: string, value: unknown, detail: string): FieldIssue {
  return issue(field, "FieldValueTypeInvalid", `Invalid value: ${goValue(value)}`, detail);
}

export function notSupportedIssue(field: string, value: unknown, supported: readonly unknown[]): FieldIssue {
  const quoted = supported.map((v) => JSON.stringify(typeof v === "string" ? v : JSON.stringify(v)));
  const detail = quoted.length === 0 ? "" : `supported values: ${quoted.join(", ")}`;
  return issue(field, "FieldValueNotSupported", `Unsupported value: ${goValue(value)}`, detail);
}

export function duplicateIssue(field: string, value: unknown): FieldIssue {
  return issue(field, "FieldValueDuplicate", `Duplicate value: ${goValue(value)}`);
}

export function forbiddenIssue(field: string, detail: string): FieldIssue {
  return issue(field, "FieldValueForbidden", "Forbidden", detail);
}

export function tooLongIssue(field: string, maxLength: number): FieldIssue {
  return issue(
    field,
    "FieldValueTooLong",
    "Too long",
    `may not be more than ${maxLength} ${maxLength === 1 ? "byte" : "bytes"}`,
  );
}

export function tooManyIssue(field: string, actual: number, max: number): FieldIssue {
  const detail = `must have at most ${max} ${max === 1 ? "item" : "items"}`;
  return issue(field, "FieldValueTooMany", `Too many: ${actual}`, detail);
}
