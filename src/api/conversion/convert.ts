// Object-level conversion shared by MachineOSConfig and MachineOSBuild: version detection,
// metadata carry-over and the two preservation annotations around the field-mapping engine.

import { isPlainObject, type KubeObject, type ObjectMeta } from "../object.ts";
import { type ApiVersion, GROUP, V1_FIELDS_ANNOTATION, V1ALPHA1_FIELDS_ANNOTATION } from "./constants.ts";
import { convertFields, type FieldMapping, type PreservedFields } from "./field-mapping.ts";

/** The object cannot be converted: wrong kind or an apiVersion outside v1/v1alpha1 of the group. */
export class ConversionError extends Error {
  override readonly name = "ConversionError";
}

/** What differs per kind: its name and its field table. */
export interface KindConversion {
  readonly kind: string;
  readonly mappings: readonly FieldMapping[];
}

export function apiVersionFor(version: ApiVersion): string {
  return `${GROUP}/${version}`;
}

export function versionOf(object: KubeObject): ApiVersion {
  if (object.apiVersion === apiVersionFor("v1")) return "v1";
  if (object.apiVersion === apiVersionFor("v1alpha1")) return "v1alpha1";
  throw new ConversionError(`cannot convert apiVersion ${JSON.stringify(object.apiVersion)}`);
}

/** The annotation holding fields of `version` that the other version cannot show. */
function annotationFor(version: ApiVersion): string {
  return version === "v1" ? V1_FIELDS_ANNOTATION : V1ALPHA1_FIELDS_ANNOTATION;
}

/** Converts `object` to `toVersion`; converting to the object's own version returns a copy. */
export function convertKind(
  object: KubeObject,
  toVersion: ApiVersion,
  conversion: KindConversion,
): KubeObject {
  if (object.kind !== undefined && object.kind !== conversion.kind) {
    throw new ConversionError(`expected kind ${conversion.kind}, got ${JSON.stringify(object.kind)}`);
  }
  const fromVersion = versionOf(object);
  if (fromVersion === toVersion) return structuredClone(object);
  const restored = readPreserved(object.metadata, annotationFor(toVersion));
  const { sections, lost } = convertFields(object, conversion.mappings, toVersion, restored, {
    metadata: object.metadata,
  });
  const metadata = withPreserved(object.metadata, annotationFor(fromVersion), lost);
  const result: KubeObject = { ...structuredClone(object), apiVersion: apiVersionFor(toVersion), metadata };
  for (const [name, value] of Object.entries(sections)) result[name] = value;
  return result;
}

/** Parses a preservation annotation; a missing or malformed one (hand-edited) preserves nothing. */
function readPreserved(metadata: ObjectMeta, key: string): PreservedFields {
  const text = metadata.annotations?.[key];
  if (text === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return isPlainObject(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

/**
 * Metadata carried over with both preservation annotations replaced by `lost` under `key`. An
 * annotations map that held nothing but preservation annotations is dropped, as it was absent.
 */
function withPreserved(metadata: ObjectMeta, key: string, lost: PreservedFields): ObjectMeta {
  const result = structuredClone(metadata);
  const annotations = { ...result.annotations };
  delete annotations[V1_FIELDS_ANNOTATION];
  delete annotations[V1ALPHA1_FIELDS_ANNOTATION];
  if (Object.keys(lost).length > 0) annotations[key] = JSON.stringify(lost);
  const wasEmpty = metadata.annotations !== undefined && Object.keys(metadata.annotations).length === 0;
  if (Object.keys(annotations).length > 0 || wasEmpty) result.annotations = annotations;
  else delete result.annotations;
  return result;
}
