// WATCH at the registry level: the initial state (synthetic ADDED), then storage events filtered
// through the selectors with Kubernetes' transition rules, converted to the requested version.

import type { KubeObject } from "../../api/object.ts";
import type { StorageEvent, WatchHandle } from "../storage/storage.ts";
import { resourceKey } from "./resource.ts";
import { type ObjectFilter, selectionFilter } from "./selection.ts";
import { withStorageErrors } from "./storage-errors.ts";
import { groupResource, type Scope, type Store } from "./store.ts";
import { listOptionsInvalid } from "./store-list.ts";
import { convertTo } from "./versions.ts";

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK";

export interface WatchQuery {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
  sendInitialEvents?: boolean;
}

export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject;
}

export const INITIAL_EVENTS_END = "k8s.io/initial-events-end";

/** Which event a selector-filtered watcher sees for a storage event, if any. */
export function transition(event: StorageEvent, filter: ObjectFilter | undefined): WatchEvent | undefined {
  if (!filter) return { type: event.type, object: event.object };
  const now = filter(event.object);
  const before = event.previous !== undefined && filter(event.previous);
  switch (event.type) {
    case "ADDED":
      return now ? { type: "ADDED", object: event.object } : undefined;
    case "DELETED":
      return before || now ? { type: "DELETED", object: event.object } : undefined;
    case "MODIFIED":
      if (now) return { type: before ? "MODIFIED" : "ADDED", object: event.object };
      if (!before || !event.previous) return undefined;
      return {
        type: "DELETED",
        object: {
          ...event.previous,
          metadata: {
            ...event.previous.metadata,
            resourceVersion: event.object.metadata.resourceVersion ?? "",
          },
        },
      };
  }
}

export function bookmark(scope: Scope, resourceVersion: string, initialEventsEnd = false): WatchEvent {
  const metadata: KubeObject["metadata"] = { resourceVersion };
  if (initialEventsEnd) metadata.annotations = { [INITIAL_EVENTS_END]: "true" };
  const { definition } = scope;
  return {
    type: "BOOKMARK",
    object: {
      apiVersion: definition.group === "" ? scope.version : `${definition.group}/${scope.version}`,
      kind: definition.kind,
      metadata,
    },
  };
}

/**
 * Rejects a watch query before any event is sent, so the client gets an HTTP error rather than an
 * ERROR event: 422 for sendInitialEvents without NotOlderThan, 400 for a selector that does not parse.
 */
export function validateWatchQuery(scope: Scope, query: WatchQuery): void {
  if (query.sendInitialEvents && query.resourceVersionMatch !== "NotOlderThan") {
    throw listOptionsInvalid(
      "resourceVersionMatch",
      "Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan",
    );
  }
  selectionFilter(scope.definition, query.labelSelector, query.fieldSelector);
}

/**
 * Starts a watch. Initial events (when the query asks for the current state) are delivered
 * synchronously before this returns; then live events. Throws 410 Expired for a version older
 * than the history.
 */
export function watchObjects(
  store: Store,
  scope: Scope,
  query: WatchQuery,
  onEvent: (event: WatchEvent) => void,
): WatchHandle {
  const { definition } = scope;
  validateWatchQuery(scope, query);
  const filter = selectionFilter(definition, query.labelSelector, query.fieldSelector);
  const namespace = scope.namespace && definition.namespaced ? scope.namespace : undefined;
  const emit = (event: WatchEvent): void =>
    onEvent({ type: event.type, object: convertTo(definition, event.object, scope.version) });
  const fromState = query.sendInitialEvents || !query.resourceVersion || query.resourceVersion === "0";
  let since = query.resourceVersion;
  if (fromState) {
    const list = withStorageErrors(groupResource(definition), "", () =>
      store.storage.list(resourceKey(definition), {
        ...(namespace !== undefined ? { namespace } : {}),
        ...(filter ? { filter } : {}),
      }),
    );
    for (const item of list.items) emit({ type: "ADDED", object: item });
    if (query.sendInitialEvents) onEvent(bookmark(scope, list.resourceVersion, true));
    since = list.resourceVersion;
  }
  return withStorageErrors(groupResource(definition), "", () =>
    store.storage.watch(
      resourceKey(definition),
      {
        ...(namespace !== undefined ? { namespace } : {}),
        ...(since !== undefined ? { sinceResourceVersion: since } : {}),
      },
      (event) => {
        const seen = transition(event, filter);
        if (seen) emit(seen);
      },
    ),
  );
}
