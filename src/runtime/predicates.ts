// Requests, mapping functions and predicates: the pure pieces a controller's watches are built from.

import type { KubeObject } from "../api/object.ts";

/** What a reconciler is asked to look at: only the object's identity, never the triggering event. */
export interface Request {
  name: string;
  namespace?: string;
}

export interface ObjectEvent<T extends KubeObject> {
  type: "add" | "update" | "delete";
  object: T;
  /** The previous state, for updates. */
  old?: T;
}

/** A named, pure filter: `false` drops the event before it reaches the queue. */
export type Predicate<T extends KubeObject> = (event: ObjectEvent<T>) => boolean;

/** Turns a changed object into the requests to reconcile (e.g. its owner). */
export type MapFunc<T extends KubeObject> = (obj: T) => Request[];

export function requestKey(request: Request): string {
  return request.namespace ? `${request.namespace}/${request.name}` : request.name;
}

export function parseRequestKey(key: string): Request {
  const slash = key.indexOf("/");
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** The default mapping: reconcile the object itself. */
export function requestForObject(obj: KubeObject): Request[] {
  const { name, namespace } = obj.metadata;
  if (name === undefined) return [];
  return [namespace ? { name, namespace } : { name }];
}

/** Maps an object to its controlling owner of `kind` (same namespace), if it has one. */
export function requestForControllerOwner(kind: string): MapFunc<KubeObject> {
  return (obj) => {
    const owner = obj.metadata.ownerReferences?.find((ref) => ref.controller === true && ref.kind === kind);
    if (owner === undefined) return [];
    const namespace = obj.metadata.namespace;
    return [namespace ? { name: owner.name, namespace } : { name: owner.name }];
  };
}

/** Passes adds and deletes, and updates that changed `metadata.generation` (spec changes). */
export function generationChanged(event: ObjectEvent<KubeObject>): boolean {
  return event.type !== "update" || event.old?.metadata.generation !== event.object.metadata.generation;
}

/** Drops updates that did not change the object (relists of unchanged objects report none anyway). */
export function resourceVersionChanged(event: ObjectEvent<KubeObject>): boolean {
  return (
    event.type !== "update" || event.old?.metadata.resourceVersion !== event.object.metadata.resourceVersion
  );
}
