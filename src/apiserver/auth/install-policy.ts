// Writes the bootstrap policy at start, as kube-apiserver's RBAC post-start hook does: missing
// objects are created, and those still annotated autoupdate=true are reset to the defaults.

import { isDeepStrictEqual } from "node:util";
import type { Logger } from "pino";
import type { KubeObject } from "../../api/object.ts";
import { isApiError } from "../registry/storage-errors.ts";
import type { Scope, Store } from "../registry/store.ts";
import { storageVersionOf } from "../registry/versions.ts";
import { AUTOUPDATE_ANNOTATION, bootstrapPolicy } from "./bootstrap-policy.ts";

const CONTENT_FIELDS = ["rules", "aggregationRule", "roleRef", "subjects"] as const;

function scopeFor(store: Store, kind: string): Scope | undefined {
  const definition = store.catalog.get(`${kind.toLowerCase()}s.rbac.authorization.k8s.io`);
  return definition && { definition, version: storageVersionOf(definition), namespace: "" };
}

function needsReset(current: KubeObject, wanted: KubeObject): boolean {
  if (current.metadata.annotations?.[AUTOUPDATE_ANNOTATION] !== "true") return false;
  return CONTENT_FIELDS.some((field) => !isDeepStrictEqual(current[field], wanted[field]));
}

export function installBootstrapPolicy(store: Store, logger: Logger): void {
  for (const wanted of bootstrapPolicy()) {
    const scope = scopeFor(store, String(wanted.kind));
    const name = wanted.metadata.name ?? "";
    if (scope === undefined) continue;
    try {
      let current: KubeObject;
      try {
        current = store.get(scope, name);
      } catch (error) {
        if (!isApiError(error, 404)) throw error;
        store.create(scope, wanted);
        continue;
      }
      if (!needsReset(current, wanted)) continue;
      const next: KubeObject = { ...current };
      for (const field of CONTENT_FIELDS) {
        if (wanted[field] === undefined) delete next[field];
        else next[field] = wanted[field];
      }
      store.update(scope, name, next);
    } catch (error) {
      logger.warn({ kind: wanted.kind, name, err: error }, "cannot write bootstrap RBAC policy");
    }
  }
}
