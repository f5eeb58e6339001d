// What the generic store and the HTTP layer know about one resource. Generic code asks the
// definition and its strategy; it never branches on a kind's name.

import type { KubeObject } from "../../api/object.ts";
import type { FieldIssue } from "../errors.ts";
import type { PatchSchema } from "../patch/schema.ts";

export type Verb = "get" | "list" | "watch" | "create" | "update" | "patch" | "delete" | "deletecollection";

export const ALL_VERBS: readonly Verb[] = [
  "create",
  "delete",
  "deletecollection",
  "get",
  "list",
  "patch",
  "update",
  "watch",
];

/** One column of a Table, as meta.k8s.io/v1 TableColumnDefinition. */
export interface TableColumn {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

/** Turns objects into Table rows. `now` is injected so output is deterministic in tests. */
export interface TableConvertor {
  columns: readonly TableColumn[];
  row(object: KubeObject, now: Date): unknown[];
}

/** An OpenAPI v3 schema object (structural schemas for CRDs, hand-written ones for built-ins). */
export type OpenAPISchema = { [keyword: string]: unknown };

/**
 * The per-kind policy the generic store applies, in the spirit of k8s.io/apiserver's
 * RESTCreateStrategy / RESTUpdateStrategy. Methods mutate the object they are given.
 */
export interface Strategy {
  /** `status` is written only through the status subresource; the main endpoint keeps the old status. */
  readonly hasStatusSubresource: boolean;
  /** A change outside metadata (and outside status when it is a subresource) increments metadata.generation. */
  readonly tracksGeneration: boolean;
  /** A PUT without metadata.resourceVersion is accepted (built-ins) or rejected with 422 (custom resources). */
  readonly allowUnconditionalUpdate: boolean;
  /** DELETE answers with the deleted object (Pods) instead of a Success Status. */
  readonly deleteReturnsObject: boolean;
  /** Lists for strategic merge patch; undefined makes strategic merge patch a 415 (custom resources). */
  readonly patchSchema: PatchSchema | undefined;
  /** Fields selectable by fieldSelector besides metadata.name and metadata.namespace, with their values. */
  fieldLabels(object: KubeObject): Record<string, string>;
  /** The field names fieldLabels can answer; a selector on any other field is a 400. Absent: only metadata.name and metadata.namespace. */
  readonly selectableFields?: readonly string[];
  /** Normalise a new object before validation: defaults, dropped status, initial status. */
  prepareForCreate(object: KubeObject): void;
  /** Normalise an update of the main endpoint (old status already carried over by the store when hasStatusSubresource). */
  prepareForUpdate(object: KubeObject, old: KubeObject): void;
  /** Every problem with the object; `old` is set on update. */
  validate(object: KubeObject, old: KubeObject | undefined): FieldIssue[];
  /** Table output; undefined means the default Name + Created At columns. */
  readonly table: TableConvertor | undefined;
  /**
   * Called when deletion starts (deletionTimestamp being set, or before an immediate delete). Returns
   * true while kind-specific finalization must finish before the object may go (a Namespace's
   * spec.finalizers), so the object stays even without metadata.finalizers.
   */
  prepareForDelete?(object: KubeObject): boolean;
  /** Paths of fields the schema does not declare (for fieldValidation=Strict/Warn); absent when unknown fields cannot be told. */
  unknownFields?(object: KubeObject): string[];
}

export interface SubresourceDefinition {
  /** `status`, `log`, `eviction`, `binding`, ... */
  name: string;
  /** Kind answered by / sent to the subresource as shown in discovery (e.g. Eviction in group policy). */
  kind: string;
  group?: string;
  version?: string;
  verbs: readonly Verb[];
}

export interface ResourceVersionDefinition {
  name: string;
  served: boolean;
  storage: boolean;
  /** OpenAPI v3 schema of the whole object at this version (published and used for `kubectl explain`). */
  schema: OpenAPISchema | undefined;
  /** A table convertor specific to this version (CRD additionalPrinterColumns differ per version). */
  table?: TableConvertor;
}

export interface ResourceDefinition {
  group: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: readonly string[];
  categories: readonly string[];
  /** Versions in preference order; exactly one is the storage version. */
  versions: readonly ResourceVersionDefinition[];
  subresources: readonly SubresourceDefinition[];
  verbs: readonly Verb[];
  strategy: Strategy;
  /**
   * Converts an object to another version of the same resource. Absent when only one version
   * exists or the versions share one schema (the apiVersion is then rewritten).
   */
  convert?: (object: KubeObject, toVersion: string) => KubeObject;
}

/** `pods`, `machineconfigpools.machineconfiguration.openshift.io`: the storage key of a resource. */
export function resourceKey(definition: Pick<ResourceDefinition, "group" | "plural">): string {
  return definition.group === "" ? definition.plural : `${definition.plural}.${definition.group}`;
}

export function apiVersionOf(group: string, version: string): string {
  return group === "" ? version : `${group}/${version}`;
}
