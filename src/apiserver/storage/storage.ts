// The storage interface under the generic registry: a versioned key-value store of JSON objects with
// one global, monotonic resourceVersion and a watch history. Calls are synchronous: node:sqlite is
// synchronous, and a read-modify-write that never yields is atomic without locks.
//
// Outside this folder a resourceVersion is an opaque string; only storage compares them.

import type { KubeObject } from "../../api/object.ts";

/** Where one object lives. `resource` is the group-resource string (`pods`, `machineconfigpools.machineconfiguration.openshift.io`); `namespace` is "" for cluster-scoped objects. */
export interface ObjectKey {
  resource: string;
  namespace: string;
  name: string;
}

export type StorageErrorCode =
  | "NotFound"
  | "AlreadyExists"
  | "Conflict"
  /** The requested resourceVersion is older than the history kept (watch) or than a continue token's snapshot allows. */
  | "Expired"
  /** A continue token that does not parse. */
  | "InvalidContinue"
  /** A resourceVersion that is not one storage ever issued (not a decimal integer). */
  | "InvalidResourceVersion"
  | "Internal";

export class StorageError extends Error {
  readonly code: StorageErrorCode;
  readonly key: ObjectKey | undefined;
  /** With an Expired continue token: a token that lists the rest at the current state instead (Kubernetes puts it in the Status' metadata.continue). */
  readonly continue: string | undefined;

  constructor(code: StorageErrorCode, message: string, key?: ObjectKey, continueToken?: string) {
    super(message);
    this.name = "StorageError";
    this.code = code;
    this.key = key;
    this.continue = continueToken;
  }
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

/** Watchers of one change share one event whose objects are deeply frozen: copy before changing. */
export interface StorageEvent {
  type: WatchEventType;
  /** The object after the change; for DELETED the last stored state with the deletion's resourceVersion. */
  object: KubeObject;
  /** The object before the change (MODIFIED and DELETED), so selector transitions can be computed. */
  previous: KubeObject | undefined;
}

export interface ListOptions {
  /** Only this namespace; undefined lists every namespace. */
  namespace?: string;
  /** At most this many items; undefined or 0 means all. */
  limit?: number;
  /** An opaque token from a previous ListResult.continue. */
  continue?: string;
  /** Only objects for which this returns true count (and count towards limit). */
  filter?: (object: KubeObject) => boolean;
}

export interface ListResult {
  items: KubeObject[];
  /** The store's resourceVersion the items were read at: for a continued list the first page's, as every page reads that snapshot. */
  resourceVersion: string;
  /** Set when more items follow. */
  continue?: string;
  /** How many matching items follow this page, when known. */
  remainingItemCount?: number;
}

export interface WatchOptions {
  namespace?: string;
  /** Deliver events newer than this version first (from history), then live ones. Undefined: live events only. Throws Expired when the history no longer reaches back that far. */
  sinceResourceVersion?: string;
}

export interface WatchHandle {
  stop(): void;
}

export interface Storage {
  /** Stores a new object; sets and returns metadata.resourceVersion. AlreadyExists if the key is taken. */
  create(key: ObjectKey, object: KubeObject): KubeObject;
  /** NotFound if absent. */
  get(key: ObjectKey): KubeObject;
  /**
   * Atomic read-modify-write. `update` gets a copy of the current object and returns the new one,
   * or returns the very object it was given unchanged to signal a no-op (nothing written, same
   * resourceVersion, no event). It may throw to abort; nothing is written then. NotFound if absent.
   */
  guaranteedUpdate(key: ObjectKey, update: (current: KubeObject) => KubeObject): KubeObject;
  /**
   * Removes the object. `precondition` sees the current object and may throw to abort. Returns the
   * removed object carrying the resourceVersion of the deletion. NotFound if absent.
   */
  delete(key: ObjectKey, precondition?: (current: KubeObject) => void): KubeObject;
  /** Objects of one resource sorted by namespace then name. A continued list answers at its first page's resourceVersion; Expired once the history no longer reaches back to it. */
  list(resource: string, options?: ListOptions): ListResult;
  /**
   * Events of one resource, in resourceVersion order. History events (after `sinceResourceVersion`)
   * are delivered synchronously before this returns; live events as they happen.
   */
  watch(resource: string, options: WatchOptions, onEvent: (event: StorageEvent) => void): WatchHandle;
  /** The newest resourceVersion issued. */
  currentResourceVersion(): string;
  /** The oldest resourceVersion a watch can still start after. */
  oldestWatchableResourceVersion(): string;
  close(): void;
}
