// The engine behind both conversions: a table of field mappings, each naming a field in v1alpha1
// and/or v1 and the value maps between them. Whatever a conversion cannot show in the target
// version is reported as "lost" so the caller can preserve it; on the way back a preserved value is
// restored only while it still converts to what the object holds now, so edits made in the other
// version win over stale preserved values.

import { isDeepStrictEqual } from "node:util";
import { isPlainObject, type ObjectMeta } from "../object.ts";
import type { ApiVersion } from "./constants.ts";
import { getPath, sectionOf, setPath } from "./paths.ts";

export interface MappingContext {
  /** The source object's metadata (it is carried over unchanged). */
  readonly metadata: ObjectMeta;
}

/** Maps a field value (undefined = unset) to the other version's value (undefined = leave unset). */
export type ValueMap = (value: unknown, context: MappingContext) => unknown;

/**
 * One field and its counterpart. A mapping with only `v1alpha1` (or only `v1`) is a field the other
 * version lacks; its `toV1alpha1` (`toV1`) then gives the value shown when the field is absent, e.g.
 * a default for a required field. Missing maps are the identity.
 */
export interface FieldMapping {
  readonly v1alpha1?: string;
  readonly v1?: string;
  readonly toV1?: ValueMap;
  readonly toV1alpha1?: ValueMap;
}

/** Field values keyed by path; `null` stands for "unset" (no preserved field is nullable). */
export type PreservedFields = Record<string, unknown>;

export interface FieldConversion {
  /** The converted sections (`spec`, `status`) present in the source as objects. */
  readonly sections: Record<string, unknown>;
  /** Source-version values the target cannot reproduce, keyed by source path. */
  readonly lost: PreservedFields;
}

interface Oriented {
  readonly from: string | undefined;
  readonly to: string | undefined;
  readonly forward: ValueMap;
  readonly backward: ValueMap;
}

const identity: ValueMap = (value) => value;
const dropped: ValueMap = () => undefined;

function orient(mapping: FieldMapping, toVersion: ApiVersion): Oriented {
  const toV1 = mapping.v1 === undefined ? dropped : (mapping.toV1 ?? identity);
  const toV1alpha1 = mapping.v1alpha1 === undefined ? dropped : (mapping.toV1alpha1 ?? identity);
  return toVersion === "v1"
    ? { from: mapping.v1alpha1, to: mapping.v1, forward: toV1, backward: toV1alpha1 }
    : { from: mapping.v1, to: mapping.v1alpha1, forward: toV1alpha1, backward: toV1 };
}

/**
 * Converts the mapped sections of `source` towards `toVersion`. `restored` holds target-version
 * values preserved by an earlier conversion in the other direction. Never mutates its inputs.
 */
export function convertFields(
  source: Record<string, unknown>,
  mappings: readonly FieldMapping[],
  toVersion: ApiVersion,
  restored: PreservedFields,
  context: MappingContext,
): FieldConversion {
  const sections: Record<string, unknown> = {};
  const lost: PreservedFields = {};
  for (const mapping of mappings.map((each) => orient(each, toVersion))) {
    const section = sectionOf(mapping.from ?? mapping.to ?? "");
    if (!isPlainObject(source[section])) continue;
    if (!isPlainObject(sections[section])) sections[section] = {};
    const current = mapping.from === undefined ? undefined : getPath(source, mapping.from);
    const value = targetValue(mapping, current, restored, context);
    if (mapping.to !== undefined && value !== undefined)
      setPath(sections, mapping.to, structuredClone(value));
    if (mapping.from !== undefined && !isDeepStrictEqual(mapping.backward(value, context), current)) {
      lost[mapping.from] = structuredClone(current ?? null);
    }
  }
  return { sections, lost };
}

function targetValue(
  mapping: Oriented,
  current: unknown,
  restored: PreservedFields,
  context: MappingContext,
): unknown {
  if (mapping.to === undefined) return undefined;
  if (Object.hasOwn(restored, mapping.to)) {
    const candidate = restored[mapping.to] ?? undefined;
    if (isDeepStrictEqual(mapping.backward(candidate, context), current)) return candidate;
  }
  return mapping.forward(current, context);
}
