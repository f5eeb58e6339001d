// The authorizer chain kube-apiserver runs by default, minus the Node authorizer (its rules live
// in the system:node role plus NodeRestriction): members of system:masters may do anything, everyone
// else what RBAC allows.

import type { Attributes } from "./attributes.ts";
import { forbidden } from "./attributes.ts";
import type { Decision, RbacAuthorizer } from "./rbac-authorizer.ts";
import { Groups, type UserInfo } from "./user.ts";

export type Authorize = (user: UserInfo, attributes: Attributes) => Decision;

const PRIVILEGED: Decision = { allowed: true, reason: "" };

export function defaultAuthorizer(rbac: RbacAuthorizer): Authorize {
  return (user, attributes) =>
    user.groups.includes(Groups.masters) ? PRIVILEGED : rbac.authorize(user, attributes);
}

/** Throws the 403 Kubernetes answers when `authorize` denies the request. */
export function enforce(authorize: Authorize): (user: UserInfo, attributes: Attributes) => void {
  return (user, attributes) => {
    const decision = authorize(user, attributes);
    if (!decision.allowed) throw forbidden(user, attributes, decision.reason);
  };
}
