// A typed, defaulted view of a CustomResourceDefinition (apiextensions.k8s.io/v1) for code that runs
// after validation. Malformed fields read as absent; crd-validation.ts is what reports them.

import { isPlainObject, type KubeObject } from "../../api/object.ts";
import type { OpenAPISchema } from "../registry/resource.ts";
import { isSchema } from "./schema-access.ts";

/** One additionalPrinterColumns entry, as the CRD spells it. */
export interface CustomResourceColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

export interface CRDNames {
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  shortNames: string[];
  categories: string[];
}

export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

export interface CRDVersion {
  name: string;
  served: boolean;
  storage: boolean;
  /** spec.versions[].schema.openAPIV3Schema. */
  schema: OpenAPISchema | undefined;
  status: boolean;
  scale: ScaleSubresource | undefined;
  columns: CustomResourceColumn[];
}

export interface CRDSpec {
  group: string;
  namespaced: boolean;
  names: CRDNames;
  versions: CRDVersion[];
}

export function record(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

export function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

export function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.map(record) : [];
}

/** spec.names with Kubernetes' defaults: singular = lowercase kind, listKind = kind + "List". */
export function defaultedNames(names: unknown): CRDNames {
  const raw = record(names);
  const kind = text(raw.kind);
  return {
    plural: text(raw.plural),
    singular: text(raw.singular) || kind.toLowerCase(),
    kind,
    listKind: text(raw.listKind) || (kind === "" ? "" : `${kind}List`),
    shortNames: strings(raw.shortNames),
    categories: strings(raw.categories),
  };
}

function readColumn(raw: Record<string, unknown>): CustomResourceColumn {
  const column: CustomResourceColumn = {
    name: text(raw.name),
    type: text(raw.type),
    jsonPath: text(raw.jsonPath),
  };
  if (typeof raw.format === "string") column.format = raw.format;
  if (typeof raw.description === "string") column.description = raw.description;
  if (typeof raw.priority === "number") column.priority = raw.priority;
  return column;
}

function readScale(raw: unknown): ScaleSubresource | undefined {
  if (!isPlainObject(raw)) return undefined;
  const scale: ScaleSubresource = {
    specReplicasPath: text(raw.specReplicasPath),
    statusReplicasPath: text(raw.statusReplicasPath),
  };
  if (typeof raw.labelSelectorPath === "string") scale.labelSelectorPath = raw.labelSelectorPath;
  return scale;
}

function readVersion(raw: Record<string, unknown>): CRDVersion {
  const schema = record(raw.schema).openAPIV3Schema;
  const subresources = record(raw.subresources);
  return {
    name: text(raw.name),
    served: raw.served === true,
    storage: raw.storage === true,
    schema: isSchema(schema) ? schema : undefined,
    status: isPlainObject(subresources.status),
    scale: readScale(subresources.scale),
    columns: records(raw.additionalPrinterColumns).map(readColumn),
  };
}

export function readCRDSpec(crd: KubeObject): CRDSpec {
  const spec = record(crd.spec);
  return {
    group: text(spec.group),
    namespaced: spec.scope !== "Cluster",
    names: defaultedNames(spec.names),
    versions: records(spec.versions).map(readVersion),
  };
}
