// Field-by-field comparison of two CRD schemas (descriptions ignored). Used to prove mob's CRDs
// accept and reject what upstream's do; a difference is data, so callers can allow listed ones.

import { isDeepStrictEqual } from "node:util";
import { isPlainObject } from "../object.ts";

export interface SchemaDifference {
  /** `.spec.containerFile[].content`; `{}` stands for additionalProperties values. */
  path: string;
  /** The keyword that differs, or `missing` (only upstream has the field) / `extra` (only mob has it). */
  keyword: string;
  upstream: unknown;
  mob: unknown;
}

/** Keywords compared verbatim (validation rules with every key: rule, message, reason, ...). */
export const COMPARED_KEYWORDS = [
  "type",
  "format",
  "enum",
  "default",
  "nullable",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "pattern",
  "anyOf",
  "x-kubernetes-list-type",
  "x-kubernetes-list-map-keys",
  "x-kubernetes-map-type",
  "x-kubernetes-int-or-string",
  "x-kubernetes-preserve-unknown-fields",
  "x-kubernetes-embedded-resource",
  "x-kubernetes-validations",
] as const;

type Schema = Record<string, unknown>;

function asSchema(value: unknown): Schema {
  return isPlainObject(value) ? value : {};
}

function sortedStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String).toSorted() : [];
}

function children(schema: Schema): Map<string, Schema> {
  const out = new Map<string, Schema>();
  for (const [name, child] of Object.entries(asSchema(schema.properties)))
    out.set(`.${name}`, asSchema(child));
  if (isPlainObject(schema.items)) out.set("[]", schema.items);
  if (isPlainObject(schema.additionalProperties)) out.set("{}", schema.additionalProperties);
  return out;
}

/** Every difference between `upstream` and `mob` at `path` and below. */
export function compareSchemas(upstream: Schema, mob: Schema, path = ""): SchemaDifference[] {
  const differences: SchemaDifference[] = [];
  const at = path === "" ? "." : path;
  for (const keyword of COMPARED_KEYWORDS) {
    if (!isDeepStrictEqual(upstream[keyword], mob[keyword])) {
      differences.push({ path: at, keyword, upstream: upstream[keyword], mob: mob[keyword] });
    }
  }
  const required = [sortedStrings(upstream.required), sortedStrings(mob.required)] as const;
  if (!isDeepStrictEqual(required[0], required[1])) {
    differences.push({ path: at, keyword: "required", upstream: required[0], mob: required[1] });
  }
  const upstreamChildren = children(upstream);
  const mobChildren = children(mob);
  for (const [key, child] of upstreamChildren) {
    const mine = mobChildren.get(key);
    if (mine === undefined)
      differences.push({ path: path + key, keyword: "missing", upstream: child, mob: undefined });
    else differences.push(...compareSchemas(child, mine, path + key));
  }
  for (const [key, child] of mobChildren) {
    if (!upstreamChildren.has(key)) {
      differences.push({ path: path + key, keyword: "extra", upstream: undefined, mob: child });
    }
  }
  return differences;
}
