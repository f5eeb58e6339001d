// The Strategy of every custom resource: prune and default with the schema of the object's version,
// validate against it, keep status for the status subresource. CEL rules plug in via `rules`.

import type { KubeObject } from "../../api/object.ts";
import type { FieldIssue } from "../errors.ts";
import { validateMetadataContents } from "../registry/builtin/object-meta.ts";
import type { OpenAPISchema, Strategy, TableConvertor } from "../registry/resource.ts";
import type { CRDVersion } from "./crd-spec.ts";
import { applyDefaults } from "./defaults.ts";
import { invalidIssue } from "./field-errors.ts";
import { dns1123SubdomainProblems } from "./names.ts";
import { pruneUnknownFields } from "./prune.ts";
import { type RuleValidator, validateAgainstSchema } from "./validate.ts";

export interface CustomResourceStrategyOptions {
  group: string;
  versions: readonly CRDVersion[];
  storage: CRDVersion;
  table: TableConvertor | undefined;
  rules?: RuleValidator;
}

/** The structural schema of the object's version (by apiVersion), else of the storage version. */
function schemaFinder(
  options: CustomResourceStrategyOptions,
): (object: KubeObject) => OpenAPISchema | undefined {
  const byApiVersion = new Map(options.versions.map((v) => [`${options.group}/${v.name}`, v.schema]));
  return (object) =>
    (object.apiVersion !== undefined ? byApiVersion.get(object.apiVersion) : undefined) ??
    options.storage.schema;
}

/** Pruning, then defaulting, as the apiserver decodes a custom resource. */
export function normalizeCustomResource(object: unknown, schema: OpenAPISchema | undefined): void {
  if (schema === undefined) return;
  pruneUnknownFields(object, schema);
  applyDefaults(object, schema);
}

/** ObjectMeta rules Kubernetes applies to every custom resource (ValidateObjectMetaAccessor). */
function metadataIssues(object: KubeObject): FieldIssue[] {
  const name = object.metadata.name;
  const names =
    name === undefined || name === ""
      ? []
      : dns1123SubdomainProblems(name).map((problem) => invalidIssue("metadata.name", name, problem));
  return [...names, ...validateMetadataContents(object.metadata, "qualified-name")];
}

export function customResourceStrategy(options: CustomResourceStrategyOptions): Strategy {
  const schemaOf = schemaFinder(options);
  const hasStatusSubresource = options.storage.status;
  const rules = options.rules;
  return {
    hasStatusSubresource,
    tracksGeneration: true,
    allowUnconditionalUpdate: false,
    deleteReturnsObject: false,
    patchSchema: undefined,
    table: options.table,
    fieldLabels: () => ({}),
    prepareForCreate(object) {
      normalizeCustomResource(object, schemaOf(object));
      if (hasStatusSubresource) delete object.status;
    },
    prepareForUpdate(object) {
      normalizeCustomResource(object, schemaOf(object));
    },
    validate(object, old) {
      const schema = schemaOf(object);
      const issues = metadataIssues(object);
      if (schema === undefined) return issues;
      const validation = rules === undefined ? { oldValue: old } : { oldValue: old, rules };
      return [...issues, ...validateAgainstSchema(object, schema, validation)];
    },
    unknownFields(object) {
      const schema = schemaOf(object);
      return schema === undefined ? [] : pruneUnknownFields(structuredClone(object), schema);
    },
  };
}
