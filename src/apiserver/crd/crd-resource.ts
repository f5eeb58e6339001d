// A served CustomResourceDefinition as the ResourceDefinition the generic store and the HTTP layer
// work from. Versions share storage; with conversion strategy None only apiVersion changes.

import type { KubeObject } from "../../api/object.ts";
import { compareKubeVersions } from "../registry/catalog.ts";
import {
  ALL_VERBS,
  apiVersionOf,
  type ResourceDefinition,
  type ResourceVersionDefinition,
  type SubresourceDefinition,
  type TableConvertor,
} from "../registry/resource.ts";
import { customResourceStrategy, normalizeCustomResource } from "./cr-strategy.ts";
import { type CRDSpec, type CRDVersion, type CustomResourceColumn, readCRDSpec } from "./crd-spec.ts";
import { publishedSchema } from "./published-schema.ts";
import type { RuleValidator } from "./validate.ts";

export type { CustomResourceColumn } from "./crd-spec.ts";

/** Builds the Table of one version from its printer columns (src/apiserver/printers/crd-table.ts). */
export type MakeTable = (columns: readonly CustomResourceColumn[]) => TableConvertor;

const AGE_COLUMN: CustomResourceColumn = {
  name: "Age",
  type: "date",
  jsonPath: ".metadata.creationTimestamp",
  description:
    "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
};

/** Kubernetes serves an Age column for a version without additionalPrinterColumns. */
export function columnsOf(version: CRDVersion): CustomResourceColumn[] {
  return version.columns.length > 0 ? version.columns : [AGE_COLUMN];
}

function subresourcesOf(spec: CRDSpec, storage: CRDVersion): SubresourceDefinition[] {
  const verbs = ["get", "patch", "update"] as const;
  const subresources: SubresourceDefinition[] = [];
  if (storage.status) subresources.push({ name: "status", kind: spec.names.kind, verbs });
  if (storage.scale !== undefined) {
    subresources.push({ name: "scale", kind: "Scale", group: "autoscaling", version: "v1", verbs });
  }
  return subresources;
}

/** Converts the fields between versions; without one, versions share a schema (strategy None). */
export type FieldConverter = (object: KubeObject, toVersion: string) => KubeObject;

function converter(
  spec: CRDSpec,
  fields: FieldConverter | undefined,
): (object: KubeObject, toVersion: string) => KubeObject {
  return (object, toVersion) => {
    const converted = fields ? fields(object, toVersion) : structuredClone(object);
    converted.apiVersion = apiVersionOf(spec.group, toVersion);
    converted.kind = spec.names.kind;
    normalizeCustomResource(converted, spec.versions.find((v) => v.name === toVersion)?.schema);
    return converted;
  };
}

/** Served versions (and the storage version) in Kubernetes' priority order: GA, beta, alpha. */
function servedVersions(
  spec: CRDSpec,
  tables: ReadonlyMap<string, TableConvertor>,
): ResourceVersionDefinition[] {
  return spec.versions
    .filter((version) => version.served || version.storage)
    .sort((a, b) => compareKubeVersions(a.name, b.name))
    .map((version) => {
      const definition: ResourceVersionDefinition = {
        name: version.name,
        served: version.served,
        storage: version.storage,
        schema: publishedSchema(version.schema),
      };
      const table = tables.get(version.name);
      if (table !== undefined) definition.table = table;
      return definition;
    });
}

/**
 * The definition of the custom resource a validated CRD declares. `rules` evaluates
 * x-kubernetes-validations (CEL); without it those rules are not checked.
 */
export function resourceDefinitionFromCRD(
  crd: KubeObject,
  makeTable: MakeTable,
  rules?: RuleValidator,
  fields?: FieldConverter,
): ResourceDefinition {
  const spec = readCRDSpec(crd);
  const storage = spec.versions.find((version) => version.storage);
  if (storage === undefined)
    throw new Error(`CustomResourceDefinition ${crd.metadata.name} has no storage version`);
  const tables = new Map(spec.versions.map((version) => [version.name, makeTable(columnsOf(version))]));
  const strategyOptions = {
    group: spec.group,
    versions: spec.versions,
    storage,
    table: tables.get(storage.name),
  };
  const definition: ResourceDefinition = {
    group: spec.group,
    kind: spec.names.kind,
    listKind: spec.names.listKind,
    plural: spec.names.plural,
    singular: spec.names.singular,
    namespaced: spec.namespaced,
    shortNames: spec.names.shortNames,
    categories: spec.names.categories,
    versions: servedVersions(spec, tables),
    subresources: subresourcesOf(spec, storage),
    verbs: ALL_VERBS,
    strategy: customResourceStrategy(rules === undefined ? strategyOptions : { ...strategyOptions, rules }),
  };
  if (spec.versions.length > 1) definition.convert = converter(spec, fields);
  return definition;
}
