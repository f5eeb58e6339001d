// The Strategy of every built-in kind, assembled from per-kind pieces. Metadata is always validated
// by the kind's ObjectMetaRules; `validate` adds the kind's own checks.

import type { KubeObject } from "../../../api/object.ts";
import type { FieldIssue } from "../../errors.ts";
import type { PatchSchema } from "../../patch/schema.ts";
import type { Strategy, TableConvertor } from "../resource.ts";
import { type ObjectMetaRules, validateObjectMeta, validateObjectMetaUpdate } from "./object-meta.ts";
import { DEFAULT_PATCH_SCHEMA } from "./patch-schemas.ts";

export interface BuiltinStrategyOptions {
  meta: ObjectMetaRules;
  /** Default false. */
  hasStatusSubresource?: boolean;
  /** Default false. */
  tracksGeneration?: boolean;
  /** Default true. */
  allowUnconditionalUpdate?: boolean;
  /** Default false. */
  deleteReturnsObject?: boolean;
  /** Default: metadata lists plus status.conditions by type. */
  patchSchema?: PatchSchema;
  fieldLabels?: (object: KubeObject) => Record<string, string>;
  /** The labels fieldLabels answers: SUPPORTED_FIELD_LABELS[resource key]. */
  selectableFields?: readonly string[];
  prepareForCreate?: (object: KubeObject) => void;
  prepareForUpdate?: (object: KubeObject, old: KubeObject) => void;
  /** Checks beyond ObjectMeta; `old` is set on update. */
  validate?: (object: KubeObject, old: KubeObject | undefined) => FieldIssue[];
  table?: TableConvertor | undefined;
  prepareForDelete?: (object: KubeObject) => boolean;
}

const nothing = (): void => {};
const noLabels = (): Record<string, string> => ({});

export function builtinStrategy(options: BuiltinStrategyOptions): Strategy {
  const validateKind = options.validate;
  return {
    hasStatusSubresource: options.hasStatusSubresource ?? false,
    tracksGeneration: options.tracksGeneration ?? false,
    allowUnconditionalUpdate: options.allowUnconditionalUpdate ?? true,
    deleteReturnsObject: options.deleteReturnsObject ?? false,
    patchSchema: options.patchSchema ?? DEFAULT_PATCH_SCHEMA,
    fieldLabels: options.fieldLabels ?? noLabels,
    prepareForCreate: options.prepareForCreate ?? nothing,
    prepareForUpdate: options.prepareForUpdate ?? nothing,
    validate(object, old) {
      const issues = validateObjectMeta(object.metadata, options.meta);
      if (old !== undefined) issues.push(...validateObjectMetaUpdate(object.metadata, old.metadata));
      if (validateKind !== undefined) issues.push(...validateKind(object, old));
      return issues;
    },
    table: options.table,
    ...(options.selectableFields === undefined ? {} : { selectableFields: options.selectableFields }),
    ...(options.prepareForDelete === undefined ? {} : { prepareForDelete: options.prepareForDelete }),
  };
}

/** What upstream PrepareForCreate does for kinds whose status only controllers write: start empty. */
export function resetStatus(object: KubeObject): void {
  object.status = {};
}
