// A decoded protobufjs message as the JSON object the Kubernetes JSON encoding of the same Go value
// would be: zero-valued scalars are left out unless the field is marked (keep), (inline) messages are
// merged into their parent, and meta/v1 Time, Quantity, IntOrString and FieldsV1 get their JSON forms.

import protobuf, { type Field, type Message, type Type } from "protobufjs";

export type Json = null | string | number | boolean | Json[] | { [key: string]: Json };

/** A field on the wire that mob's .proto subset does not define, holding a non-zero value. */
export class UnknownFieldError extends Error {
  readonly typeName: string;
  readonly fieldNumber: number;

  constructor(typeName: string, fieldNumber: number) {
    super(`field ${fieldNumber} of ${typeName}`);
    this.typeName = typeName;
    this.fieldNumber = fieldNumber;
  }
}

const META = ".k8s.io.apimachinery.pkg.apis.meta.v1";
const TIME = `${META}.Time`;
const FIELDS_V1 = `${META}.FieldsV1`;
const QUANTITY = ".k8s.io.apimachinery.pkg.api.resource.Quantity";
const INT_OR_STRING = ".k8s.io.apimachinery.pkg.util.intstr.IntOrString";

type Values = Record<string, unknown>;

/** The JSON value of a message; undefined for a zero Time or empty FieldsV1 (Go writes null or omits). */
export function messageToJson(type: Type, message: Message): Json | undefined {
  const values = message as unknown as Values;
  rejectUnknownFields(type, values);
  switch (type.fullName) {
    case TIME:
      return time(values);
    case QUANTITY:
      return typeof values.string === "string" && values.string !== "" ? values.string : "0";
    case INT_OR_STRING:
      return toNumber(values.type) === 1 ? stringOr(values.strVal) : (toNumber(values.intVal) ?? 0);
    case FIELDS_V1:
      return fieldsV1(values.Raw);
  }
  const out: { [key: string]: Json } = {};
  for (const field of type.fieldsArray) {
    if (!Object.hasOwn(values, field.name)) continue;
    const value = fieldToJson(field, values[field.name]);
    if (value === undefined) continue;
    if (field.options?.["(inline)"] === true && isObject(value)) Object.assign(out, value);
    else out[field.name] = value;
  }
  return out;
}

function fieldToJson(field: Field, value: unknown): Json | undefined {
  if (value === undefined || value === null) return undefined;
  if (field.map) {
    const entries = Object.entries(value as Values);
    if (entries.length === 0) return undefined;
    return Object.fromEntries(entries.map(([key, entry]) => [key, elementToJson(field, entry) ?? null]));
  }
  if (field.repeated) {
    const items = value as unknown[];
    if (items.length === 0) return undefined;
    return items.map((item) => elementToJson(field, item) ?? null);
  }
  if (field.options?.["(keep)"] !== true && isZero(value)) return undefined;
  return elementToJson(field, value);
}

function elementToJson(field: Field, value: unknown): Json | undefined {
  const type = field.resolvedType;
  if (type instanceof protobuf.Type) return messageToJson(type, value as Message);
  return scalar(value);
}

function scalar(value: unknown): Json {
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  const number = toNumber(value);
  if (number !== undefined) return number;
  throw new Error(`unexpected protobuf value of type ${typeof value}`);
}

/** Go's zero values, which gogo-protobuf writes for every non-pointer field. */
function isZero(value: unknown): boolean {
  if (value instanceof Uint8Array) return value.length === 0;
  return value === "" || value === false || toNumber(value) === 0;
}

/** numbers and the Long objects protobufjs gives for 64-bit fields. */
function toNumber(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "object" && value !== null && "toNumber" in value) {
    const convert = value.toNumber;
    if (typeof convert === "function") return Number(convert.call(value));
  }
  return undefined;
}

function stringOr(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function isObject(value: Json): value is { [key: string]: Json } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** RFC 3339 in UTC at second precision, as Go's metav1.Time marshals. */
function time(values: Values): string | undefined {
  const seconds = toNumber(values.seconds) ?? 0;
  if (seconds === 0 && (toNumber(values.nanos) ?? 0) === 0) return undefined;
  return new Date(seconds * 1000).toISOString().replace(/\.\d+Z$/, "Z");
}

function fieldsV1(raw: unknown): Json | undefined {
  if (!(raw instanceof Uint8Array) || raw.length === 0) return undefined;
  return JSON.parse(Buffer.from(raw).toString("utf8")) as Json;
}

/**
 * protobufjs keeps fields it has no definition for in $unknowns. A zero value there is what gogo writes
 * for a field the client left unset and is ignored; anything else would be silently lost, so it fails.
 */
function rejectUnknownFields(type: Type, values: Values): void {
  const unknowns = (values as { $unknowns?: unknown }).$unknowns;
  if (!Array.isArray(unknowns)) return;
  for (const raw of unknowns) {
    if (!(raw instanceof Uint8Array)) continue;
    const reader = protobuf.Reader.create(raw);
    const tag = reader.uint32();
    if (!isZeroField(reader, tag & 7)) throw new UnknownFieldError(type.fullName.slice(1), tag >>> 3);
  }
}

function isZeroField(reader: protobuf.Reader, wireType: number): boolean {
  switch (wireType) {
    case 0:
      return reader.uint64().toString() === "0";
    case 2:
      return reader.uint32() === 0;
    case 1:
      return reader.fixed64().toString() === "0";
    case 5:
      return reader.fixed32() === 0;
    default:
      return false;
  }
}
