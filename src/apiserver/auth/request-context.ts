// The authenticated user and the authorization attributes of the HTTP request being served, for code
// below the HTTP layer that needs them (admission, access reviews, TokenRequest) without threading
// them through the store. Absent for writes the server makes itself (controllers, defaults).

import { AsyncLocalStorage } from "node:async_hooks";
import type { Attributes } from "./attributes.ts";
import type { AuditSink } from "./audit.ts";
import type { UserInfo } from "./user.ts";

export interface RequestContext {
  user: UserInfo;
  attributes: Attributes;
  /** The client's User-Agent header ("" when none), for audit records of checks made while serving. */
  userAgent?: string;
  /** The API server's audit sink, which also records authorization checks admission makes. */
  audit?: AuditSink | undefined;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runInRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/**
 * The request being served. Work a request starts asynchronously (timers, storage watchers) also
 * sees it: callers check that the attributes describe the object they are looking at.
 */
export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}
