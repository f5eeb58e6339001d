// Key and size rules shared by ConfigMap and Secret data maps.

import type { FieldIssue } from "../../errors.ts";
import { fieldForbidden, fieldInvalid, fieldTypeInvalid, index } from "./field-issues.ts";
import { isConfigMapKey } from "./names.ts";
import { jsonEqual, record } from "./object-fields.ts";

/** Upper bound of a ConfigMap's or Secret's decoded data (api.MaxSecretSize). */
export const MAX_DATA_BYTES = 1024 * 1024;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const BASE64_ALPHABET = /[^A-Za-z0-9+/=]/;

export function validateDataKeys(
  map: unknown,
  field: string,
  other?: { map: unknown; field: string },
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const otherKeys = record(other?.map) ?? {};
  for (const key of Object.keys(record(map) ?? {})) {
    const path = index(field, key);
    for (const message of isConfigMapKey(key)) issues.push(fieldInvalid(path, key, message));
    if (other !== undefined && Object.hasOwn(otherKeys, key)) {
      issues.push(fieldInvalid(path, key, `duplicate of key present in ${other.field}`));
    }
  }
  return issues;
}

/**
 * A data map that is not a map of strings: Kubernetes cannot even decode it (map[string]string), so
 * it must never be stored.
 */
export function validateStringMap(map: unknown, field: string): FieldIssue[] {
  if (map === undefined || map === null) return [];
  const fields = record(map);
  if (fields === undefined) return [fieldTypeInvalid(field, map, "must be a map of strings")];
  return Object.entries(fields)
    .filter(([, value]) => typeof value !== "string")
    .map(([key, value]) => fieldTypeInvalid(index(field, key), value, "must be a string"));
}

/**
 * Problems with base64 values (Go's standard encoding, padded). Values are never echoed: Secret
 * contents must not reach error messages or logs.
 */
export function validateBase64Values(map: unknown, field: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const [key, value] of Object.entries(record(map) ?? {})) {
    if (typeof value === "string" && BASE64.test(value)) continue;
    const text = typeof value === "string" ? value : "";
    const bad = text.search(BASE64_ALPHABET);
    const offset = bad >= 0 ? bad : text.length - (text.length % 4);
    issues.push(
      fieldInvalid(
        index(field, key),
        "<secret contents redacted>",
        `illegal base64 data at input byte ${offset}`,
      ),
    );
  }
  return issues;
}

export function decodedSize(map: unknown, encoding: "utf8" | "base64"): number {
  let total = 0;
  for (const value of Object.values(record(map) ?? {})) {
    if (typeof value === "string") total += Buffer.from(value, encoding).length;
  }
  return total;
}

/** With `immutable: true` stored, `immutable` may not be unset and the listed maps may not change. */
export function validateImmutableData(
  object: Record<string, unknown>,
  old: Record<string, unknown>,
  fields: readonly string[],
): FieldIssue[] {
  if (old.immutable !== true) return [];
  const message = "field is immutable when `immutable` is set";
  const issues: FieldIssue[] = [];
  if (object.immutable !== true) issues.push(fieldForbidden("immutable", message));
  for (const field of fields) {
    if (!jsonEqual(record(object[field]) ?? {}, record(old[field]) ?? {}))
      issues.push(fieldForbidden(field, message));
  }
  return issues;
}
