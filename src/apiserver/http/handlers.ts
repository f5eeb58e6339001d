// Handlers for what the generic verbs do not cover: pod subresources (log, eviction, binding) and
// create-only virtual resources (SelfSubjectAccessReview). Registered by resource key.

import type { IncomingMessage, ServerResponse } from "node:http";
import type { ResourceDefinition } from "../registry/resource.ts";
import type { Scope, Store } from "../registry/store.ts";

export interface SubresourceCall {
  store: Store;
  scope: Scope;
  definition: ResourceDefinition;
  name: string | undefined;
  subresource: string | undefined;
  method: string;
  query: URLSearchParams;
  req: IncomingMessage;
  res: ServerResponse;
  /** Reads and decodes the request body (JSON or YAML). */
  body(): Promise<unknown>;
  signal: AbortSignal;
}

export type SubresourceHandler = (call: SubresourceCall) => Promise<void>;

/** Keyed `<resourceKey>/<subresource>` (e.g. `pods/log`), or `<resourceKey>` for a virtual resource's create. */
export type SubresourceHandlers = ReadonlyMap<string, SubresourceHandler>;
