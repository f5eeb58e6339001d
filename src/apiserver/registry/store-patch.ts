// PATCH: the four patch types applied to the current object, then written through the store's update
// rules, retried when a concurrent write got in between (unless the patch itself pinned a version).

import { isPlainObject, type KubeObject } from "../../api/object.ts";
import { ApiError, badRequest, unsupportedMediaType } from "../errors.ts";
import { applyServerSide } from "../patch/apply.ts";
import { applyJsonPatch } from "../patch/json-patch.ts";
import { applyMergePatch } from "../patch/merge-patch.ts";
import { nullMergePatch, patchedNotAnObject } from "../patch/patch-errors.ts";
import { applyStrategicMergePatch } from "../patch/strategic-merge.ts";
import { isApiError } from "./storage-errors.ts";
import type { Scope, Store, WriteOptions } from "./store.ts";
import { convertTo, convertToStorage } from "./versions.ts";

export type PatchType = "json" | "merge" | "strategic" | "apply";

export const PATCH_CONTENT_TYPES: Record<string, PatchType> = {
  "application/json-patch+json": "json",
  "application/merge-patch+json": "merge",
  "application/strategic-merge-patch+json": "strategic",
  "application/apply-patch+yaml": "apply",
};

export interface PatchOptions extends WriteOptions {
  fieldManager?: string;
  force?: boolean;
}

const MAX_ATTEMPTS = 5;

function patchOptionsInvalid(field: string, reason: string, message: string): ApiError {
  return new ApiError(422, "Invalid", `PatchOptions.meta.k8s.io "" is invalid: ${field}: ${message}`, {
    group: "meta.k8s.io",
    kind: "PatchOptions",
    causes: [{ reason, message: `${field}: ${message}`, field }],
  });
}

export function acceptedPatchTypes(scope: Scope): string[] {
  return Object.entries(PATCH_CONTENT_TYPES)
    .filter(([, type]) => type !== "strategic" || scope.definition.strategy.patchSchema !== undefined)
    .map(([contentType]) => contentType);
}

function applyPatch(
  scope: Scope,
  type: PatchType,
  current: KubeObject,
  patch: unknown,
  options: PatchOptions,
): KubeObject {
  const schema = scope.definition.strategy.patchSchema;
  switch (type) {
    case "json":
      return applyJsonPatch(current, patch) as KubeObject;
    case "merge":
      if (patch === null) throw nullMergePatch();
      return applyMergePatch(current, patch) as KubeObject;
    case "strategic":
      if (!schema)
        throw unsupportedMediaType("application/strategic-merge-patch+json", acceptedPatchTypes(scope));
      return applyStrategicMergePatch(current, patch, schema) as KubeObject;
    case "apply":
      return applyServerSide(current, patch as KubeObject, options.fieldManager ?? "", schema).object;
  }
}

export function patchObject(
  store: Store,
  scope: Scope,
  name: string,
  type: PatchType,
  patch: unknown,
  options: PatchOptions,
): { object: KubeObject; created: boolean } {
  const { definition } = scope;
  // Kubernetes checks the patch type before it decodes the PatchOptions.
  if (type === "strategic" && !definition.strategy.patchSchema) {
    throw unsupportedMediaType("application/strategic-merge-patch+json", acceptedPatchTypes(scope));
  }
  if (type === "apply" && !options.fieldManager) {
    throw patchOptionsInvalid(
      "fieldManager",
      "FieldValueRequired",
      "Required value: is required for apply patch",
    );
  }
  if (type !== "apply" && options.force) {
    throw patchOptionsInvalid(
      "force",
      "FieldValueForbidden",
      "Forbidden: may not be specified for non-apply patch",
    );
  }
  if (type === "apply") patch = applyConfiguration(patch, scope);
  for (let attempt = 1; ; attempt++) {
    let current: KubeObject;
    try {
      current = store.get(scope, name);
    } catch (error) {
      if (type !== "apply" || !isApiError(error, 404) || options.subresource) throw error;
      return { object: createByApply(store, scope, name, patch as KubeObject, options), created: true };
    }
    const patched = applyPatch(scope, type, current, patch, options);
    if (!isPlainObject(patched)) throw patchedNotAnObject(patched);
    checkName(patched, name);
    const pinned = patched.metadata?.resourceVersion;
    const expected = pinned || current.metadata.resourceVersion;
    const decoded = store.decode(scope, { ...patched, apiVersion: undefined, kind: undefined });
    if (!options.subresource) store.validateAtRequestVersion(scope, decoded, current);
    const desired = convertToStorage(definition, decoded);
    try {
      return {
        object: store.write(scope, name, expected, () => structuredClone(desired), options),
        created: false,
      };
    } catch (error) {
      const retry =
        isApiError(error, 409) && error.reason === "Conflict" && pinned === current.metadata.resourceVersion;
      if (!retry || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

/** A patch may not rename the object (handlers/patch.go checkName). */
function checkName(patched: Record<string, unknown>, name: string): void {
  const meta = patched.metadata;
  if (!isPlainObject(meta) || (meta.name !== undefined && typeof meta.name !== "string")) return;
  const patchedName = meta.name ?? "";
  if (patchedName !== name) {
    throw badRequest(`the name of the object (${patchedName}) does not match the name on the URL (${name})`);
  }
}

/**
 * An apply body as the engine needs it: an object whose metadata is an object, written for the
 * URL's group/version (the field manager compares them); 400 otherwise.
 */
function applyConfiguration(patch: unknown, scope: Scope): KubeObject {
  if (!isPlainObject(patch)) throw badRequest("the apply configuration must be a JSON or YAML object");
  const metadata = patch.metadata ?? {};
  if (!isPlainObject(metadata)) throw badRequest("metadata must be an object");
  const { group } = scope.definition;
  const expected = group === "" ? scope.version : `${group}/${scope.version}`;
  if (patch.apiVersion !== expected) {
    const specified = typeof patch.apiVersion === "string" ? patch.apiVersion : "";
    throw badRequest(
      `Incorrect version specified in apply patch. Specified patch version: ${specified}, expected: ${expected}`,
    );
  }
  return { ...patch, metadata };
}

function createByApply(
  store: Store,
  scope: Scope,
  name: string,
  patch: KubeObject,
  options: PatchOptions,
): KubeObject {
  checkName({ metadata: { ...patch.metadata, name: patch.metadata.name ?? name } }, name);
  const applied = applyServerSide(
    undefined,
    patch,
    options.fieldManager ?? "",
    scope.definition.strategy.patchSchema,
  ).object;
  const body = { ...applied, metadata: { ...applied.metadata, name } };
  if (scope.definition.namespaced) body.metadata.namespace = scope.namespace;
  return convertTo(scope.definition, store.create(scope, body, options), scope.version);
}
