// The generic store: create, get, list, update and delete for any resource, with Kubernetes'
// semantics (server-owned metadata, optimistic concurrency, no-op writes, generation, status
// subresource, finalizers, generateName). Kind-specific policy comes from the definition's strategy.

import { isPlainObject, type KubeObject } from "../../api/object.ts";
import {
  ApiError,
  badRequest,
  conflict,
  type FieldIssue,
  type GroupResource,
  invalid,
  OBJECT_MODIFIED,
} from "../errors.ts";
import type { ObjectKey, Storage } from "../storage/storage.ts";
import type { AdmissionPlugin, AdmissionRequest } from "./admission.ts";
import type { ResourceCatalog } from "./catalog.ts";
import { newUid, timestamp } from "./names.ts";
import {
  addedFinalizers,
  bumpGenerationIfChanged,
  decodeObjectMeta,
  isNoOp,
  keepServerOwnedMetadata,
} from "./object-meta.ts";
import { apiVersionOf, type ResourceDefinition, resourceKey } from "./resource.ts";
import { withStorageErrors } from "./storage-errors.ts";
import { createWithName } from "./store-create.ts";
import { type DeleteOptions, deleteObject } from "./store-delete.ts";
import { type ListQuery, listObjects } from "./store-list.ts";
import { convertTo, convertToStorage } from "./versions.ts";

/** Which resource, at which version, in which namespace ("" for cluster scope or all namespaces). */
export interface Scope {
  definition: ResourceDefinition;
  version: string;
  namespace: string;
}

export type FieldValidation = "Strict" | "Warn" | "Ignore";

export interface WriteOptions {
  dryRun?: boolean;
  fieldValidation?: FieldValidation;
  /** `status` to write only .status; undefined for the main endpoint. */
  subresource?: string;
}

export interface StoreOptions {
  storage: Storage;
  catalog: ResourceCatalog;
  now?: () => Date;
  admission?: readonly AdmissionPlugin[];
}

/** Thrown out of a storage update to turn it into a delete: the write emptied the last finalizer. */
class EmptiedFinalizers {
  readonly object: KubeObject;
  constructor(object: KubeObject) {
    this.object = object;
  }
}
/** Thrown out of a storage update so that a dry run writes nothing. */
class DryRunResult {
  readonly object: KubeObject;
  constructor(object: KubeObject) {
    this.object = object;
  }
}

export function groupResource(definition: ResourceDefinition): GroupResource {
  return { group: definition.group, resource: definition.plural };
}

export function objectKey(scope: Scope, name: string): ObjectKey {
  return {
    resource: resourceKey(scope.definition),
    namespace: scope.definition.namespaced ? scope.namespace : "",
    name,
  };
}

export class Store {
  readonly storage: Storage;
  readonly catalog: ResourceCatalog;
  readonly now: () => Date;
  readonly #admission: AdmissionPlugin[];

  constructor(options: StoreOptions) {
    this.storage = options.storage;
    this.catalog = options.catalog;
    this.now = options.now ?? (() => new Date());
    this.#admission = [...(options.admission ?? [])];
  }

  /** Adds an admission plugin; for plugins that need the store itself. */
  addAdmission(plugin: AdmissionPlugin): void {
    this.#admission.push(plugin);
  }

  get(scope: Scope, name: string): KubeObject {
    const stored = withStorageErrors(groupResource(scope.definition), name, () =>
      this.storage.get(objectKey(scope, name)),
    );
    return convertTo(scope.definition, stored, scope.version);
  }

  list(scope: Scope, query: ListQuery): KubeObject {
    return listObjects(this, scope, query);
  }

  create(scope: Scope, body: unknown, options: WriteOptions = {}): KubeObject {
    const { definition } = scope;
    const object = this.decode(scope, body);
    const meta = object.metadata;
    if (definition.namespaced) {
      if (meta.namespace && scope.namespace && meta.namespace !== scope.namespace) {
        throw badRequest(
          "the namespace of the provided object does not match the namespace sent on the request",
        );
      }
      meta.namespace = scope.namespace || meta.namespace || "";
    } else {
      delete meta.namespace;
    }
    if (meta.resourceVersion) throw badRequest("resourceVersion should not be set on objects to be created");
    this.#rejectUnknownFields(definition, object, options.fieldValidation);
    this.validateAtRequestVersion(scope, object, undefined);
    const stored = convertToStorage(definition, object);
    const storedMeta = stored.metadata;
    storedMeta.uid = newUid();
    storedMeta.creationTimestamp = timestamp(this.now());
    delete storedMeta.deletionTimestamp;
    delete storedMeta.deletionGracePeriodSeconds;
    if (definition.strategy.tracksGeneration) storedMeta.generation = 1;
    else delete storedMeta.generation;
    const created = createWithName(this, scope, stored, options);
    return convertTo(definition, created, scope.version);
  }

  /** Validates and admits a new object that has its final name; used by createWithName. */
  prepareNew(scope: Scope, object: KubeObject): void {
    const { definition } = scope;
    definition.strategy.prepareForCreate(object);
    this.validateOrThrow(definition, object, undefined);
    this.admit({ operation: "CREATE", definition, object, old: undefined, subresource: undefined });
  }

  update(scope: Scope, name: string, body: unknown, options: WriteOptions = {}): KubeObject {
    const { definition } = scope;
    const object = this.decode(scope, body);
    if (object.metadata.name !== name) {
      throw badRequest(
        `the name of the object (${object.metadata.name ?? ""}) does not match the name on the URL (${name})`,
      );
    }
    if (definition.namespaced && object.metadata.namespace && object.metadata.namespace !== scope.namespace) {
      throw badRequest(
        "the namespace of the provided object does not match the namespace sent on the request",
      );
    }
    const expected = object.metadata.resourceVersion || undefined;
    if (expected === undefined && !definition.strategy.allowUnconditionalUpdate) {
      throw invalid(definition.group, definition.kind, name, [
        {
          field: "metadata.resourceVersion",
          reason: "FieldValueInvalid",
          message: "metadata.resourceVersion: Invalid value: 0x0: must be specified for an update",
        },
      ]);
    }
    this.#rejectUnknownFields(definition, object, options.fieldValidation);
    if (!isStorageVersion(scope)) this.validateAtRequestVersion(scope, object, this.get(scope, name));
    const incoming = convertToStorage(definition, object);
    return this.write(scope, name, expected, () => structuredClone(incoming), options);
  }

  /**
   * The read-modify-write every update and patch goes through. `compute` returns the desired object
   * (storage version) from the current one; the store then applies the update rules.
   */
  write(
    scope: Scope,
    name: string,
    expectedResourceVersion: string | undefined,
    compute: (current: KubeObject) => KubeObject,
    options: WriteOptions = {},
  ): KubeObject {
    const { definition } = scope;
    const gr = groupResource(definition);
    const key = objectKey(scope, name);
    try {
      const result = withStorageErrors(gr, name, () =>
        this.storage.guaranteedUpdate(key, (current) => {
          if (
            expectedResourceVersion !== undefined &&
            current.metadata.resourceVersion !== expectedResourceVersion
          ) {
            throw conflict(gr, name, OBJECT_MODIFIED);
          }
          const next = this.#nextObject(definition, current, compute(current), options.subresource);
          if (isNoOp(next, current)) return current;
          if (next.metadata.deletionTimestamp && this.#mayGo(definition, next))
            throw new EmptiedFinalizers(next);
          if (options.dryRun) throw new DryRunResult(next);
          return next;
        }),
      );
      return convertTo(definition, result, scope.version);
    } catch (error) {
      if (error instanceof DryRunResult) return convertTo(definition, error.object, scope.version);
      if (!(error instanceof EmptiedFinalizers)) throw error;
      if (options.dryRun) return convertTo(definition, error.object, scope.version);
      const deleted = withStorageErrors(gr, name, () => this.storage.delete(key));
      return convertTo(definition, { ...error.object, metadata: deleted.metadata }, scope.version);
    }
  }

  delete(scope: Scope, name: string, options: DeleteOptions = {}): { object: KubeObject; deleted: boolean } {
    const result = deleteObject(this, scope, name, options);
    return { object: convertTo(scope.definition, result.object, scope.version), deleted: result.deleted };
  }

  #nextObject(
    definition: ResourceDefinition,
    current: KubeObject,
    desired: KubeObject,
    subresource: string | undefined,
  ): KubeObject {
    let next: KubeObject;
    if (subresource === "status") {
      next = structuredClone(current);
      if (desired.status === undefined) delete next.status;
      else next.status = desired.status;
    } else {
      next = desired;
      if (!isPlainObject(next.metadata)) next.metadata = {};
      keepServerOwnedMetadata(next, current);
      if (definition.strategy.hasStatusSubresource) {
        if (current.status === undefined) delete next.status;
        else next.status = structuredClone(current.status);
      }
      definition.strategy.prepareForUpdate(next, current);
      const added = addedFinalizers(next, current);
      if (current.metadata.deletionTimestamp && added.length > 0) {
        throw invalid(definition.group, definition.kind, current.metadata.name ?? "", [
          {
            field: "metadata.finalizers",
            reason: "FieldValueForbidden",
            message: `metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(", ")}}`,
          },
        ]);
      }
      bumpGenerationIfChanged(next, current, definition.strategy);
    }
    this.validateOrThrow(definition, next, current);
    this.admit({ operation: "UPDATE", definition, object: next, old: current, subresource });
    return next;
  }

  /** An object being deleted may go once no finalizer of any kind holds it. */
  #mayGo(definition: ResourceDefinition, object: KubeObject): boolean {
    if ((object.metadata.finalizers ?? []).length > 0) return false;
    return !(definition.strategy.prepareForDelete?.(structuredClone(object)) ?? false);
  }

  validateOrThrow(definition: ResourceDefinition, object: KubeObject, old: KubeObject | undefined): void {
    const issues: FieldIssue[] = definition.strategy.validate(object, old);
    if (issues.length > 0)
      throw invalid(definition.group, definition.kind, object.metadata.name ?? "", issues);
  }

  /**
   * A request in a version other than the storage version is also checked against its own
   * version's schema and rules (on a copy, normalised as that version), before it is converted.
   */
  validateAtRequestVersion(scope: Scope, object: KubeObject, old: KubeObject | undefined): void {
    if (isStorageVersion(scope)) return;
    const copy = structuredClone(object);
    if (old === undefined) scope.definition.strategy.prepareForCreate(copy);
    else scope.definition.strategy.prepareForUpdate(copy, old);
    this.validateOrThrow(scope.definition, copy, old);
  }

  admit(request: AdmissionRequest): void {
    for (const plugin of this.#admission) plugin.admit(request);
  }

  /** A deep copy of a request body as an object of this resource; 400 when it is not one. */
  decode(scope: Scope, body: unknown): KubeObject {
    const { definition } = scope;
    if (!isPlainObject(body)) throw badRequest("the request body must be a JSON or YAML object");
    const object = structuredClone(body) as KubeObject;
    const apiVersion = apiVersionOf(definition.group, scope.version);
    if (object.apiVersion !== undefined && object.apiVersion !== "" && object.apiVersion !== apiVersion) {
      throw badRequest(
        `the API version in the data (${String(object.apiVersion)}) does not match the expected API version (${apiVersion})`,
      );
    }
    if (object.kind !== undefined && object.kind !== "" && object.kind !== definition.kind) {
      throw badRequest(
        `the kind in the data (${String(object.kind)}) does not match the expected kind (${definition.kind})`,
      );
    }
    if (object.metadata === undefined || object.metadata === null) object.metadata = {};
    if (!isPlainObject(object.metadata)) throw badRequest("metadata must be an object");
    const undecodable = decodeObjectMeta(object.metadata);
    if (undecodable !== undefined) {
      throw badRequest(
        `${definition.kind} in version "${scope.version}" cannot be handled as a ${definition.kind}: ${undecodable}`,
      );
    }
    object.apiVersion = apiVersion;
    object.kind = definition.kind;
    return object;
  }

  #rejectUnknownFields(
    definition: ResourceDefinition,
    object: KubeObject,
    mode: FieldValidation | undefined,
  ): void {
    if (mode !== "Strict" || !definition.strategy.unknownFields) return;
    const unknown = definition.strategy.unknownFields(object);
    if (unknown.length === 0) return;
    const fields = unknown.map((f) => `unknown field "${f}"`).join(", ");
    throw new ApiError(
      400,
      "BadRequest",
      `${definition.kind} in version "${objectVersion(object)}" cannot be handled as a ${definition.kind}: strict decoding error: ${fields}`,
    );
  }
}

function isStorageVersion(scope: Scope): boolean {
  return scope.definition.versions.find((v) => v.storage)?.name === scope.version;
}

function objectVersion(object: KubeObject): string {
  const apiVersion = String(object.apiVersion ?? "");
  return apiVersion.slice(apiVersion.indexOf("/") + 1);
}
