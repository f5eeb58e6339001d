// FieldIssue builders that word messages the way k8s.io/apimachinery's field.Error does:
// `<path>: <Type>: <value>: <detail>`, with the value quoted for strings and JSON otherwise.

import type { FieldIssue } from "../../errors.ts";

/** `spec` + `containers` → `spec.containers`; an empty base yields the child alone. */
export function child(base: string, name: string): string {
  return base === "" ? name : `${base}.${name}`;
}

/** `spec.containers` + 0 → `spec.containers[0]`; also used for map keys: `data[key]`. */
export function index(base: string, at: number | string): string {
  return `${base}[${at}]`;
}

export function formatValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === undefined) return "null";
  return JSON.stringify(value) ?? String(value);
}

function issue(field: string, reason: string, body: string): FieldIssue {
  return { field, reason, message: field === "" ? body : `${field}: ${body}` };
}

function withDetail(body: string, detail: string): string {
  return detail === "" ? body : `${body}: ${detail}`;
}

export function fieldInvalid(field: string, value: unknown, detail: string): FieldIssue {
  return issue(field, "FieldValueInvalid", withDetail(`Invalid value: ${formatValue(value)}`, detail));
}

export function fieldRequired(field: string, detail = ""): FieldIssue {
  return issue(field, "FieldValueRequired", withDetail("Required value", detail));
}

export function fieldForbidden(field: string, detail: string): FieldIssue {
  return issue(field, "FieldValueForbidden", withDetail("Forbidden", detail));
}

export function fieldDuplicate(field: string, value: unknown): FieldIssue {
  return issue(field, "FieldValueDuplicate", `Duplicate value: ${formatValue(value)}`);
}

export function fieldNotSupported(field: string, value: unknown, supported: readonly string[]): FieldIssue {
  const values = supported.map((s) => JSON.stringify(s)).join(", ");
  return issue(
    field,
    "FieldValueNotSupported",
    withDetail(`Unsupported value: ${formatValue(value)}`, `supported values: ${values}`),
  );
}

export function fieldTooLong(field: string, maxBytes: number): FieldIssue {
  return issue(field, "FieldValueTooLong", `Too long: may not be more than ${maxBytes} bytes`);
}

export function fieldTypeInvalid(field: string, value: unknown, detail: string): FieldIssue {
  return issue(field, "FieldValueTypeInvalid", withDetail(`Invalid value: ${formatValue(value)}`, detail));
}

/** `field is immutable`, as ValidateImmutableField reports it. */
export function fieldImmutable(field: string, value: unknown): FieldIssue {
  return fieldInvalid(field, value, "field is immutable");
}

/** `must be greater than or equal to 0` when `value` is a negative number. */
export function nonNegative(field: string, value: unknown): FieldIssue[] {
  if (value === undefined) return [];
  if (typeof value !== "number" || !Number.isInteger(value)) {
    return [fieldTypeInvalid(field, value, "must be an integer")];
  }
  return value < 0 ? [fieldInvalid(field, value, "must be greater than or equal to 0")] : [];
}
