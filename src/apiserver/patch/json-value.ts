// Small helpers over decoded JSON shared by the patch engines. Values are what JSON.parse returns:
// plain objects, arrays, strings, numbers, booleans and null.

import { isPlainObject } from "../../api/object.ts";

export type JsonObject = Record<string, unknown>;

export { isPlainObject as isObject };

/** A deep copy; patch engines return these so callers never share structure with their inputs. */
export function clone<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}

/** Structural equality of JSON values (key order ignored, list order significant). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]));
}

/** Sets an own property, also for `__proto__`, which plain assignment would treat as the prototype. */
export function setField(target: JsonObject, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** Reads an own property only, so `constructor` or `__proto__` never reach the prototype. */
export function getField(target: JsonObject, key: string): unknown {
  return Object.hasOwn(target, key) ? target[key] : undefined;
}

/** Go's name for a JSON value's kind, as encoding/json prints it in unmarshal errors. */
export function jsonKind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "boolean") return "bool";
  return typeof value;
}
