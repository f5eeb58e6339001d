// Authentication and authorization assembled for the API server: the admin token and bound tokens
// (signed with `<dir>/pki/sa.key`), RBAC over in-memory mirrors of the RBAC objects with the
// bootstrap policy installed, NodeRestriction and OwnerReferencesPermissionEnforcement admission, and
// the TokenRequest and access-review handlers.

import type { IncomingMessage } from "node:http";
import type { Logger } from "pino";
import type { SubresourceHandler } from "../http/handlers.ts";
import type { Store } from "../registry/store.ts";
import { accessReviewHandlers } from "./access-review.ts";
import type { Attributes } from "./attributes.ts";
import { type Authorize, defaultAuthorizer, enforce } from "./authorizer.ts";
import { installBootstrapPolicy } from "./install-policy.ts";
import { nodeRestriction } from "./node-restriction.ts";
import { ownerReferencesAdmission } from "./owner-references-admission.ts";
import { RbacAuthorizer } from "./rbac-authorizer.ts";
import { ensureServiceAccountKey } from "./sa-key.ts";
import { StorageMirror } from "./storage-mirror.ts";
import { TokenAuthenticator } from "./token-authenticator.ts";
import { DEFAULT_ISSUER, TokenIssuer } from "./token-issuer.ts";
import { tokenRequestHandlers } from "./token-request.ts";
import type { UserInfo } from "./user.ts";

export interface AuthOptions {
  /** State directory; the signing key lives in `<dir>/pki`. */
  dir: string;
  store: Store;
  adminToken: string;
  logger: Logger;
}

export interface Auth {
  authenticate(req: IncomingMessage): UserInfo | undefined;
  /** Throws a 403 ApiError when the user may not make the request. */
  authorize(user: UserInfo, attributes: Attributes): void;
  /** The decision itself, for access reviews and tests. */
  decide: Authorize;
  issuer: TokenIssuer;
  /** TokenRequest and access-review handlers, keyed as SubresourceHandlers. */
  handlers: Map<string, SubresourceHandler>;
}

export async function startAuth(options: AuthOptions, signal: AbortSignal): Promise<Auth> {
  const { store } = options;
  const issuer = new TokenIssuer({ key: await ensureServiceAccountKey(options.dir), issuer: DEFAULT_ISSUER });
  const audiences = [DEFAULT_ISSUER];
  const accounts = new StorageMirror(store.storage, "serviceaccounts");
  accounts.start(signal);
  const rbac = new RbacAuthorizer(store.storage);
  rbac.start(signal);
  store.addAdmission(nodeRestriction);
  installBootstrapPolicy(store, options.logger);
  const tokens = new TokenAuthenticator({
    adminToken: options.adminToken,
    issuer,
    audiences,
    serviceAccounts: { uidOf: (namespace, name) => accounts.get(namespace, name)?.metadata.uid },
  });
  const decide = defaultAuthorizer(rbac);
  store.addAdmission(ownerReferencesAdmission({ catalog: store.catalog, authorize: decide }));
  return {
    authenticate: (req) => tokens.authenticate(req),
    authorize: enforce(decide),
    decide,
    issuer,
    handlers: new Map([...tokenRequestHandlers(issuer, audiences), ...accessReviewHandlers(decide)]),
  };
}
