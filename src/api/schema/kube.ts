// Schema builders for Kubernetes' structural OpenAPI dialect on top of typebox: each returns a schema
// value (what the CRD publishes) and carries its TypeScript type (what `Static` infers), so the CRD
// and the code that reads the objects cannot drift apart.

import Type, { type Static, type TSchema, type TSchemaOptions, type TUnsafe } from "typebox";
import type { ObjectMeta } from "../object.ts";

/** One `x-kubernetes-validations` entry (apiextensions/v1 ValidationRule). */
export interface ValidationRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: "FieldValueInvalid" | "FieldValueForbidden" | "FieldValueRequired" | "FieldValueDuplicate";
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

/** The OpenAPI and Kubernetes keywords mob's schemas use, with their allowed values. */
export interface KubeSchemaOptions extends TSchemaOptions {
  description?: string;
  format?: "byte" | "date-time" | "int32" | "int64";
  nullable?: boolean;
  "x-kubernetes-validations"?: ValidationRule[];
  "x-kubernetes-list-type"?: "atomic" | "map" | "set";
  "x-kubernetes-list-map-keys"?: string[];
  "x-kubernetes-map-type"?: "atomic" | "granular";
  "x-kubernetes-preserve-unknown-fields"?: true;
  "x-kubernetes-embedded-resource"?: true;
}

/** A string restricted to `values`; typebox's own Enum leaves out `type: string`, which CRDs need. */
export function StringEnum<const V extends readonly string[]>(
  values: V,
  options: KubeSchemaOptions = {},
): TUnsafe<V[number]> {
  return Type.Unsafe<V[number]>({ ...options, type: "string", enum: [...values] });
}

/** `map[string]string` — Kubernetes spells it with additionalProperties, never patternProperties. */
export function StringMap(options: KubeSchemaOptions = {}): TUnsafe<Record<string, string>> {
  return Type.Unsafe<Record<string, string>>({
    ...options,
    type: "object",
    additionalProperties: { type: "string" },
  });
}

/** An object whose content the API server keeps as is (raw Ignition, raw kubelet config, ...). */
export function PreservedObject(options: KubeSchemaOptions = {}): TUnsafe<Record<string, unknown>> {
  return Type.Unsafe<Record<string, unknown>>({
    ...options,
    type: "object",
    "x-kubernetes-preserve-unknown-fields": true,
  });
}

/** The schema with `nullable: true`, and `null` added to its type. */
export function Nullable<T extends TSchema>(schema: T): TUnsafe<Static<T> | null> {
  return Type.Unsafe<Static<T> | null>({ ...schema, nullable: true });
}

/** intstr.IntOrString. */
export function IntOrString(
  options: KubeSchemaOptions & { pattern?: string } = {},
): TUnsafe<number | string> {
  return Type.Unsafe<number | string>({
    ...options,
    anyOf: [{ type: "integer" }, { type: "string" }],
    "x-kubernetes-int-or-string": true,
  });
}

export function Int64(options: KubeSchemaOptions & { minimum?: number; maximum?: number } = {}) {
  return Type.Integer({ ...options, format: "int64" });
}

export function Int32(options: KubeSchemaOptions & { minimum?: number; maximum?: number } = {}) {
  return Type.Integer({ ...options, format: "int32" });
}

/** An RFC 3339 timestamp (metav1.Time). */
export function DateTime(options: KubeSchemaOptions = {}) {
  return Type.String({ ...options, format: "date-time" });
}

/** A timestamp that may be set once and then never changed (`field` names it in the message). */
export function ImmutableDateTime(field: string, description: string) {
  return DateTime({
    description,
    "x-kubernetes-validations": [{ rule: "self == oldSelf", message: `${field} is immutable once set` }],
  });
}

/** Base64 bytes ([]byte in Go). */
export function Bytes(options: KubeSchemaOptions = {}) {
  return Type.String({ ...options, format: "byte" });
}

/** A list of strings replaced as a whole on merge. */
export function AtomicStrings(options: KubeSchemaOptions = {}) {
  return Type.Array(Type.String(), { ...options, "x-kubernetes-list-type": "atomic" });
}

interface RootParts<P extends Record<string, TSchema>> {
  description: string;
  properties: P;
  validations?: ValidationRule[];
}

const TypeMeta = {
  apiVersion: Type.Optional(Type.String({ description: "Versioned schema of this object, e.g. v1." })),
  kind: Type.Optional(Type.String({ description: "The REST kind of this object." })),
  metadata: Type.Unsafe<ObjectMeta>({ type: "object", description: "Standard object metadata." }),
};

/**
 * The root schema of a kind: apiVersion, kind, metadata and `properties` (spec, status); a
 * property is required unless wrapped in Type.Optional.
 * `metadata` is required in the TypeScript type (the API server always sets it) but not in the
 * schema, which leaves it to the server like every CRD does.
 */
export function KindSchema<P extends Record<string, TSchema>>(parts: RootParts<P>) {
  const options: KubeSchemaOptions = { description: parts.description };
  if (parts.validations !== undefined) options["x-kubernetes-validations"] = parts.validations;
  const schema = Type.Object({ ...TypeMeta, ...parts.properties }, options);
  const listed: unknown = Reflect.get(schema, "required");
  const required = Array.isArray(listed) ? listed.filter((key) => key !== "metadata") : [];
  // Only the published `required` list changes; the inferred type keeps metadata required.
  const root = { ...schema, required } as typeof schema;
  if (required.length === 0) Reflect.deleteProperty(root, "required");
  return root;
}
