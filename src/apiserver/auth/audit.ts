// An audit record per authorized request, as Kubernetes' audit log has it at the Metadata level: who
// (user, groups, user agent), what (the authorization attributes) and the decision. Off unless a
// sink is given; the sink runs synchronously on the request path, so it must be cheap (an array
// push, a counter).

import type { IncomingMessage } from "node:http";
import { ApiError } from "../errors.ts";
import type { Attributes } from "./attributes.ts";
import type { RequestContext } from "./request-context.ts";
import type { UserInfo } from "./user.ts";

export interface AuditRecord {
  user: string;
  groups: readonly string[];
  /** The client's User-Agent header ("" when none). */
  userAgent: string;
  attributes: Attributes;
  allowed: boolean;
  /** Why a request was denied: the 403's message ("" when allowed). */
  reason: string;
}

export type AuditSink = (record: AuditRecord) => void;

/** Authorizes the request (throwing the authorizer's 403 when denied) and records the decision. */
export function authorizeAudited(
  authorize: ((user: UserInfo, attributes: Attributes) => void) | undefined,
  sink: AuditSink | undefined,
  req: IncomingMessage,
  user: UserInfo,
  attributes: Attributes,
): void {
  if (sink === undefined) {
    authorize?.(user, attributes);
    return;
  }
  const record = {
    user: user.name,
    groups: user.groups,
    userAgent: req.headers["user-agent"] ?? "",
    attributes,
  };
  try {
    authorize?.(user, attributes);
  } catch (error) {
    sink({ ...record, allowed: false, reason: error instanceof ApiError ? error.message : String(error) });
    throw error;
  }
  sink({ ...record, allowed: true, reason: "" });
}

/**
 * Records an authorization check made while serving the request in `context` (admission asks whether
 * the user may delete the object, or set finalizers on an owner), with the 403 it led to, if any.
 */
export function auditCheck(
  context: RequestContext,
  attributes: Attributes,
  refusal: ApiError | undefined,
): void {
  context.audit?.({
    user: context.user.name,
    groups: context.user.groups,
    userAgent: context.userAgent ?? "",
    attributes,
    allowed: refusal === undefined,
    reason: refusal?.message ?? "",
  });
}
