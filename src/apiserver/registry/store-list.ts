// LIST: selectors, limit/continue and the resourceVersion rules, answered as a <Kind>List.

import type { KubeObject } from "../../api/object.ts";
import { ApiError, expired } from "../errors.ts";
import { apiVersionOf, resourceKey } from "./resource.ts";
import { selectionFilter } from "./selection.ts";
import { withStorageErrors } from "./storage-errors.ts";
import { groupResource, type Scope, type Store } from "./store.ts";
import { convertTo } from "./versions.ts";

export interface ListQuery {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

export function listOptionsInvalid(field: string, message: string): ApiError {
  return new ApiError(422, "Invalid", `ListOptions.meta.k8s.io "" is invalid: ${field}: ${message}`, {
    group: "meta.k8s.io",
    kind: "ListOptions",
    causes: [{ reason: "FieldValueForbidden", message: `${field}: ${message}`, field }],
  });
}

export function validateListQuery(query: ListQuery): void {
  // mob's storage versions are decimal integers (kube-apiserver's too, from etcd); anything else is
  // the client's mistake, answered 400 (kube-apiserver's watch cache answers it with a 500).
  const version = query.resourceVersion;
  if (version !== undefined && version !== "" && !/^\d+$/.test(version)) {
    throw new ApiError(
      400,
      "BadRequest",
      `invalid resource version: resourceVersion: Invalid value: ${JSON.stringify(version)}: not a decimal integer`,
    );
  }
  const match = query.resourceVersionMatch;
  if (!match) return;
  if (!query.resourceVersion) {
    throw listOptionsInvalid(
      "resourceVersionMatch",
      "Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided",
    );
  }
  if (query.continue) {
    throw listOptionsInvalid(
      "resourceVersionMatch",
      "Forbidden: resourceVersionMatch is forbidden when continue is provided",
    );
  }
  if (match !== "Exact" && match !== "NotOlderThan") {
    throw listOptionsInvalid(
      "resourceVersionMatch",
      `Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`,
    );
  }
  if (match === "Exact" && query.resourceVersion === "0") {
    throw listOptionsInvalid(
      "resourceVersionMatch",
      'Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
    );
  }
}

export function listObjects(store: Store, scope: Scope, query: ListQuery): KubeObject {
  validateListQuery(query);
  const { definition } = scope;
  const filter = selectionFilter(definition, query.labelSelector, query.fieldSelector);
  const result = withStorageErrors(groupResource(definition), "", () =>
    store.storage.list(resourceKey(definition), {
      ...(scope.namespace && definition.namespaced ? { namespace: scope.namespace } : {}),
      ...(query.limit ? { limit: query.limit } : {}),
      ...(query.continue ? { continue: query.continue } : {}),
      ...(filter ? { filter } : {}),
    }),
  );
  if (query.resourceVersionMatch === "Exact" && query.resourceVersion !== result.resourceVersion) {
    throw expired(`too old resource version: ${query.resourceVersion} (${result.resourceVersion})`);
  }
  const metadata: Record<string, unknown> = { resourceVersion: result.resourceVersion };
  if (result.continue) metadata.continue = result.continue;
  if (result.remainingItemCount !== undefined && result.continue)
    metadata.remainingItemCount = result.remainingItemCount;
  return {
    apiVersion: apiVersionOf(definition.group, scope.version),
    kind: definition.listKind,
    metadata,
    items: result.items.map((item) => convertTo(definition, item, scope.version)),
  };
}
